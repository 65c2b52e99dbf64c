import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InterdictError, isInterdictError } from '../../core/errors.js';
import { isSide, type Side } from '../../core/types.js';
import {
  ATTACK_CORPORA,
  BENIGN_CORPORA,
  type CorpusReport,
  checkExamples,
  ruleScreener,
  sweepCorpus,
} from '../../detect/rules/evaluate.js';
import { defaultRulesDir, loadRuleSet, type RuleSet } from '../../detect/rules/index.js';
import { createProgress } from '../progress.js';
import { action } from '../shared.js';

interface ValidateOptions {
  dir?: string;
}

interface TestOptions {
  dir?: string;
  benign: string[];
  attacks: string[];
  corpora?: string;
  maxFpr: string;
  maxFprHard: string;
  limit?: string;
  showHits?: string;
  asSide?: string;
  json?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function loadDir(dir?: string): RuleSet {
  return loadRuleSet(resolve(dir ?? defaultRulesDir()));
}

function perCategory(ruleSet: RuleSet): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rule of ruleSet.rules) out[rule.category] = (out[rule.category] ?? 0) + 1;
  return out;
}

function parseRate(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InterdictError('INTERDICT_USAGE', `${flag} must be a number in 0..1`);
  return n;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

interface PlannedCorpus {
  file: string;
  kind: 'benign' | 'attack';
  maxFpr?: number;
}

function plan(opts: TestOptions, maxFpr: number, maxFprHard: number): PlannedCorpus[] {
  const out: PlannedCorpus[] = [];
  for (const file of opts.benign) out.push({ file, kind: 'benign', maxFpr });
  for (const file of opts.attacks) out.push({ file, kind: 'attack' });
  if (opts.corpora) {
    const dir = resolve(opts.corpora);
    for (const { name, hard } of BENIGN_CORPORA) {
      const file = join(dir, `${name}.jsonl`);
      if (existsSync(file)) out.push({ file, kind: 'benign', maxFpr: hard ? maxFprHard : maxFpr });
    }
    for (const name of ATTACK_CORPORA) {
      const file = join(dir, `${name}.jsonl`);
      if (existsSync(file)) out.push({ file, kind: 'attack' });
    }
  }
  for (const { file } of out) {
    if (!existsSync(file)) throw new InterdictError('INTERDICT_USAGE', `corpus not found: ${file}`);
  }
  return out;
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('validate and test detection rule sets');

  rules
    .command('validate')
    .description('load a rule directory and report every problem with file:line')
    .option('-d, --dir <dir>', 'rule directory (default: the rules shipped with interdict)')
    .action(
      action(async (opts: ValidateOptions) => {
        let ruleSet: RuleSet;
        try {
          ruleSet = loadDir(opts.dir);
        } catch (err) {
          if (!isInterdictError(err) || err.code !== 'INTERDICT_RULES_INVALID') throw err;
          // Every problem, not the first 50 the generic error printer shows; exit 1 (invalid input).
          process.stderr.write(`interdict: ${err.code}: ${err.message}\n`);
          for (const d of err.details)
            process.stderr.write(`  ${d.where ? `${d.where}: ` : ''}${d.problem}\n`);
          process.exitCode = 1;
          return;
        }
        const enabled = ruleSet.rules.filter((r) => r.enabled).length;
        process.stdout.write(`${ruleSet.rules.length} rules valid (${enabled} enabled) in ${ruleSet.dir}\n`);
        for (const [category, n] of Object.entries(perCategory(ruleSet)).sort()) {
          process.stdout.write(`  ${category.padEnd(12)} ${n}\n`);
        }
      }),
    );

  rules
    .command('test')
    .description("run each rule's examples through the screener, then sweep benign and attack corpora")
    .option('-d, --dir <dir>', 'rule directory (default: the rules shipped with interdict)')
    .option(
      '-b, --benign <file>',
      'benign JSONL corpus (rows {text, label?, side?}; label 1 rows skipped)',
      collect,
      [],
    )
    .option('-a, --attacks <file>', 'attack JSONL corpus (label 1 rows give recall)', collect, [])
    .option('--corpora <dir>', 'folder of the standard shared datasets (e.g. ../shared/datasets)')
    .option('--max-fpr <rate>', 'fail when a benign corpus exceeds this false-positive rate', '0.01')
    .option('--max-fpr-hard <rate>', 'bound for the hard benign sets picked by --corpora', '0.02')
    .option('--limit <n>', 'screen at most n rows per corpus')
    .option('--show-hits <n>', 'list the ids of up to n benign rows per corpus that fired (for tuning)')
    .option('--as-side <side>', 'screen every corpus row on this side (input | document | output)')
    .option('--json', 'print the report as JSON')
    .action(
      action(async (opts: TestOptions) => {
        const maxFpr = parseRate(opts.maxFpr, '--max-fpr');
        const maxFprHard = parseRate(opts.maxFprHard, '--max-fpr-hard');
        const limit = opts.limit === undefined ? undefined : Number(opts.limit);
        if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
          throw new InterdictError('INTERDICT_USAGE', '--limit must be a positive integer');
        }
        if (opts.asSide !== undefined && !isSide(opts.asSide))
          throw new InterdictError('INTERDICT_INPUT_BAD_SIDE');
        const asSide = opts.asSide as Side | undefined;
        const ruleSet = loadDir(opts.dir);
        const planned = plan(opts, maxFpr, maxFprHard);
        const examples = checkExamples(ruleSet);
        const screener = ruleScreener(ruleSet);
        const corpora: Array<CorpusReport & { maxFpr?: number; pass: boolean }> = [];
        for (const item of planned) {
          const progress = createProgress({
            label: `sweep ${item.kind}`,
            unit: 'bytes',
            total: statSync(item.file).size,
          });
          const report = await sweepCorpus(screener, item.file, {
            kind: item.kind,
            ...(limit ? { limit } : {}),
            ...(asSide ? { side: asSide } : {}),
            ...(opts.showHits && item.kind === 'benign' ? { keepHits: Number(opts.showHits) } : {}),
            onBytes: (n) => progress.tick(n),
          });
          progress.done();
          const pass = item.maxFpr === undefined || report.rate <= item.maxFpr;
          corpora.push({ ...report, ...(item.maxFpr === undefined ? {} : { maxFpr: item.maxFpr }), pass });
        }
        const failed = examples.failures.length > 0 || corpora.some((c) => !c.pass);
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ rules: examples.rules, examples, corpora, pass: !failed })}\n`,
          );
        } else {
          const out: string[] = [];
          out.push(
            `examples: ${examples.examples} checked on ${examples.rules} rules, ${examples.failures.length} failed`,
          );
          for (const f of examples.failures.slice(0, 100)) {
            const why =
              f.kind === 'positive' ? `did not fire (fired: ${f.fired.join(', ') || 'none'})` : 'fired';
            out.push(`  ${f.where}: ${f.ruleId} ${f.kind} example #${f.index + 1} ${why}`);
          }
          const benign = corpora.filter((c) => c.kind === 'benign');
          if (benign.length) out.push('', 'benign corpora (false-positive rate of the rule set):');
          for (const c of benign) {
            const bound = c.maxFpr === undefined ? '' : ` (max ${pct(c.maxFpr)})`;
            out.push(
              `  ${c.pass ? 'ok  ' : 'FAIL'} ${c.name.padEnd(24)} ${String(c.hits).padStart(6)}/${String(c.rows).padEnd(7)} ${pct(c.rate)}${bound}`,
            );
            for (const h of c.hitRows) out.push(`         ${h.row}: ${h.rules.join(', ')}`);
          }
          const attack = corpora.filter((c) => c.kind === 'attack');
          if (attack.length) out.push('', 'attack corpora (recall of the rule set on malicious rows):');
          for (const c of attack) {
            out.push(
              `  ${c.name.padEnd(29)} ${String(c.hits).padStart(6)}/${String(c.rows).padEnd(7)} ${pct(c.rate)}`,
            );
          }
          const totals: Record<string, { benign: number; attack: number }> = {};
          for (const c of corpora) {
            for (const [id, n] of Object.entries(c.perRule)) {
              const t = totals[id] ?? { benign: 0, attack: 0 };
              t[c.kind] += n;
              totals[id] = t;
            }
          }
          const ids = Object.keys(totals).sort();
          if (ids.length) {
            out.push('', 'hits per rule (benign rows / attack rows):');
            for (const id of ids)
              out.push(
                `  ${id.padEnd(14)} ${String(totals[id]!.benign).padStart(6)} ${String(totals[id]!.attack).padStart(7)}`,
              );
          }
          out.push('', failed ? 'FAIL' : 'PASS');
          process.stdout.write(`${out.join('\n')}\n`);
        }
        if (failed) process.exitCode = 1;
      }),
    );
}
