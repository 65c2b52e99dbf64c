import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { screeningSchema } from '../../config/sections/screening.js';
import { isSide, type Side } from '../../core/types.js';
import { createNormalizer } from '../../normalize/index.js';
import { createScreenerFromParts, type Screener } from '../screener.js';
import { compileRuleSet } from './compile.js';
import { createRuleDetector } from './detector.js';
import type { Rule, RuleSet } from './schema.js';

/**
 * Evaluation of a rule set, shared by `interdict rules test` and the tests: each rule's own examples through
 * the full screener path (normaliser + rule detector + verdict), and sweeps of labelled JSONL corpora for
 * false-positive rate (benign rows) and recall (malicious rows).
 */

export interface ExampleFailure {
  ruleId: string;
  where: string;
  kind: 'positive' | 'negative';
  index: number;
  /** Rule ids that did fire on the example (for a negative: includes the rule itself). */
  fired: string[];
}

export interface ExampleReport {
  rules: number;
  examples: number;
  failures: ExampleFailure[];
}

/** A screener whose only detector is this rule set (every rule enabled, so examples of disabled rules run). */
export function ruleScreener(ruleSet: RuleSet, options: { includeDisabled?: boolean } = {}): Screener {
  const rules = options.includeDisabled ? ruleSet.rules.map((r) => ({ ...r, enabled: true })) : ruleSet.rules;
  const config = screeningSchema.parse({ maxBytes: 4_000_000 });
  return createScreenerFromParts(config, {
    normalize: createNormalizer(config.normalize),
    detectors: [createRuleDetector(compileRuleSet({ ...ruleSet, rules }))],
  });
}

/** The side an example is screened on: input when the rule covers it, else the rule's first side. */
export function exampleSide(rule: Rule): Side {
  return rule.sides.includes('input') ? 'input' : rule.sides[0]!;
}

function firedRules(screener: Screener, text: string, side: Side): string[] {
  const verdict = screener.screen({ text, side });
  return verdict.evidence.filter((e) => e.detector === 'rules' && e.ruleId).map((e) => e.ruleId!);
}

/** Runs every rule's examples: a positive must fire that rule, a negative must not. */
export function checkExamples(ruleSet: RuleSet): ExampleReport {
  const screener = ruleScreener(ruleSet, { includeDisabled: true });
  const failures: ExampleFailure[] = [];
  let examples = 0;
  for (const rule of ruleSet.rules) {
    const side = exampleSide(rule);
    rule.examples.positive.forEach((text, index) => {
      examples++;
      const fired = firedRules(screener, text, side);
      if (!fired.includes(rule.id))
        failures.push({ ruleId: rule.id, where: rule.source, kind: 'positive', index, fired });
    });
    rule.examples.negative.forEach((text, index) => {
      examples++;
      const fired = firedRules(screener, text, side);
      if (fired.includes(rule.id))
        failures.push({ ruleId: rule.id, where: rule.source, kind: 'negative', index, fired });
    });
  }
  return { rules: ruleSet.rules.length, examples, failures };
}

export interface CorpusRow {
  text: string;
  label?: number;
  side?: string;
  category?: string;
  id?: string;
}

export interface CorpusReport {
  name: string;
  file: string;
  kind: 'benign' | 'attack';
  /** Rows screened (label-0 rows for benign, label-1 rows for attack). */
  rows: number;
  /** Rows with at least one rule hit. */
  hits: number;
  /** hits / rows: false-positive rate for benign corpora, recall for attack corpora. */
  rate: number;
  /** Rows with a hit per rule id. */
  perRule: Record<string, number>;
  /** Rows per hit category (the categories of the rules that fired). */
  perCategory: Record<string, number>;
  /** Rows that could not be read (bad JSON, no text). */
  unreadable: number;
  /** Up to `keepHits` rows that fired: row id (or line number) and rule ids, never the text. */
  hitRows: Array<{ row: string; rules: string[] }>;
}

export interface SweepOptions {
  kind: 'benign' | 'attack';
  /** Screen at most this many eligible rows (the first ones), for quick runs. */
  limit?: number;
  /** Screen every row on this side instead of the row's own (e.g. benign prompts re-read as documents). */
  side?: Side;
  /** Keep the ids of up to this many rows that fired (for tuning). */
  keepHits?: number;
  onBytes?: (bytes: number) => void;
}

/** Streams one JSONL corpus through the screener. Benign sweeps skip label-1 rows; attack sweeps keep only them. */
export async function sweepCorpus(
  screener: Screener,
  file: string,
  options: SweepOptions,
): Promise<CorpusReport> {
  const report: CorpusReport = {
    name: basename(file).replace(/\.jsonl$/, ''),
    file,
    kind: options.kind,
    rows: 0,
    hits: 0,
    rate: 0,
    perRule: {},
    perCategory: {},
    unreadable: 0,
    hitRows: [],
  };
  let lineNo = 0;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo++;
    options.onBytes?.(Buffer.byteLength(line) + 1);
    if (!line.trim()) continue;
    let row: CorpusRow;
    try {
      row = JSON.parse(line) as CorpusRow;
    } catch {
      report.unreadable++;
      continue;
    }
    if (typeof row.text !== 'string' || !row.text) {
      report.unreadable++;
      continue;
    }
    const malicious = row.label === 1;
    if (options.kind === 'benign' ? malicious : !malicious) continue;
    if (options.limit !== undefined && report.rows >= options.limit) break;
    report.rows++;
    const side: Side = options.side ?? (isSide(row.side) ? row.side : 'input');
    const verdict = screener.screen({ text: row.text, side });
    const rules = verdict.evidence.filter((e) => e.detector === 'rules' && e.ruleId);
    if (!rules.length) continue;
    report.hits++;
    if (report.hitRows.length < (options.keepHits ?? 0)) {
      report.hitRows.push({
        row: typeof row.id === 'string' ? row.id : `line ${lineNo}`,
        rules: [...new Set(rules.map((e) => e.ruleId!))],
      });
    }
    for (const id of new Set(rules.map((e) => e.ruleId!))) report.perRule[id] = (report.perRule[id] ?? 0) + 1;
    for (const c of new Set(rules.map((e) => e.category)))
      report.perCategory[c] = (report.perCategory[c] ?? 0) + 1;
  }
  report.rate = report.rows ? report.hits / report.rows : 0;
  return report;
}

/** Benign corpora in the shared dataset folder, with the FPR bound each should meet. */
export const BENIGN_CORPORA: ReadonlyArray<{ name: string; hard: boolean }> = [
  { name: 'notinject', hard: true },
  { name: 'cse_frr_dev', hard: true },
  { name: 'cse_secure_coding', hard: true },
  { name: 'stackexchange_secrets', hard: true },
  { name: 'arena_hard_v01', hard: false },
  { name: 'mgsm', hard: false },
  { name: 'alpaca', hard: false },
  { name: 'oasst1_en', hard: false },
  { name: 'mtbench_vicuna', hard: false },
  { name: 'gsm8k', hard: false },
  { name: 'humaneval', hard: false },
  { name: 'mbpp', hard: false },
  { name: 'self_instruct', hard: false },
  { name: 'natural_instructions', hard: false },
  { name: 'dolly_partial', hard: false },
  { name: 'bipia_train', hard: true },
  { name: 'deepset_train', hard: true },
  { name: 'toxicchat_train', hard: true },
];

/** Attack corpora in the shared dataset folder (malicious rows give recall). */
export const ATTACK_CORPORA: readonly string[] = [
  'deepset_train',
  'tensor_trust_attacks',
  'bipia_train',
  'jailbreak_llms_prompts',
  'gptfuzz_templates',
  'cysecbench',
  'cse_interpreter',
  'red_instruct',
  'harmbench_val',
  'advbench',
  'maliciousinstruct',
  'tdc2023',
  'jailbreak_llms_questions',
  'donotanswer',
  'toxicchat_train',
  'sms_spam',
  'phishing_pot',
];
