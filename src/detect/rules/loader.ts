import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RE2JS } from 're2js';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { type ErrorDetail, InterdictError } from '../../core/errors.js';
import { type RegexEntry, type Rule, type RuleSet, ruleFileSchema } from './schema.js';

/**
 * Loads and validates a directory of rule files. Every problem in every file is collected and reported at
 * once, each with `file:line`, in one INTERDICT_RULES_INVALID error: duplicate ids, unknown fields, bad or
 * unsafe regexes, missing examples, YAML syntax errors.
 */

export interface LoadRuleSetOptions {
  /** Rule ids to switch off (config `screening.rules.disabled`); unknown ids are reported as problems. */
  disabled?: readonly string[];
}

/** Bounds that keep every regex cheap on the linear-time engine. */
export const REGEX_LIMITS = { maxLength: 600, maxRepeat: 200, maxProgramSize: 4000 } as const;

type PathKey = string | number;

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** Finds the YAML node for a path (or the deepest existing ancestor) and returns its 1-based line. */
function lineOf(doc: Document, counter: LineCounter, path: readonly PathKey[], key?: string): number {
  let node: unknown = doc.contents;
  let found: Node | undefined = isScalar(node) || isMap(node) || isSeq(node) ? (node as Node) : undefined;
  const steps = key === undefined ? path : [...path, key];
  for (const step of steps) {
    let next: unknown;
    let keyNode: unknown;
    if (isSeq(node) && typeof step === 'number') next = node.items[step];
    else if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === step);
      next = pair?.value;
      keyNode = pair?.key;
      // For an unknown key the key itself is the place to point at.
      if (step === key && keyNode) next = keyNode;
    }
    if (!next || typeof next !== 'object' || !('range' in next)) {
      if (keyNode && typeof keyNode === 'object' && 'range' in keyNode) found = keyNode as Node;
      break;
    }
    found = next as Node;
    node = next;
  }
  const offset = found?.range?.[0] ?? 0;
  return counter.linePos(offset).line;
}

export function regexSource(entry: RegexEntry): string {
  return typeof entry === 'string' ? entry : entry.re;
}

/** Returns a problem description when a regex cannot run safely on the linear-time engine, else undefined. */
export function regexProblem(source: string): string | undefined {
  if (source.length > REGEX_LIMITS.maxLength)
    return `regex is longer than ${REGEX_LIMITS.maxLength} characters`;
  for (const m of source.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) {
    const high = Number(m[2] || m[1]);
    if (high > REGEX_LIMITS.maxRepeat) return `regex repeat count above ${REGEX_LIMITS.maxRepeat}`;
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    const why = err instanceof Error ? err.message : 'syntax error';
    return `regex is not valid for the linear-time engine (RE2 syntax: no backreferences or lookaround): ${why}`;
  }
  if (compiled.programSize() > REGEX_LIMITS.maxProgramSize) return 'regex is too complex (program size)';
  if (compiled.test('')) return 'regex matches the empty string (it would fire on every text)';
  return undefined;
}

function listRuleFiles(dir: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir);
  } catch {
    throw new InterdictError('INTERDICT_RULES_INVALID', 'rule directory not found', [
      { where: displayPath(dir), problem: 'not a readable directory' },
    ]);
  }
  return names
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort()
    .map((n) => join(dir, n));
}

/** Parses and validates one file's text; pushes problems, returns the valid rules. */
export function parseRuleFile(file: string, source: string, problems: ErrorDetail[]): Rule[] {
  const found: ErrorDetail[] = [];
  const rules = parseInto(file, source, found);
  const line = (d: ErrorDetail) => Number(d.where?.slice(d.where.lastIndexOf(':') + 1)) || 0;
  problems.push(...found.sort((a, b) => line(a) - line(b)));
  return rules;
}

function parseInto(file: string, source: string, problems: ErrorDetail[]): Rule[] {
  const where = displayPath(file);
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const line = e.linePos?.[0]?.line ?? counter.linePos(e.pos[0]).line;
      problems.push({ where: `${where}:${line}`, problem: `YAML: ${e.message.split('\n')[0]}` });
    }
    return [];
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (data === null || data === undefined) return [];
  const parsed = ruleFileSchema.safeParse(data);
  const at = (path: readonly PathKey[], key?: string) => `${where}:${lineOf(doc, counter, path, key)}`;
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is PathKey => typeof p === 'string' || typeof p === 'number');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          problems.push({ where: at(path, key), problem: `unknown field \`${key}\`` });
        continue;
      }
      const [first, ...rest] = path;
      const id = typeof first === 'number' ? (data as Array<{ id?: unknown }>)[first]?.id : undefined;
      const ruleName =
        typeof first === 'number' ? `rule ${typeof id === 'string' ? id : `#${first + 1}`}` : '';
      const fieldPath = typeof first === 'number' ? rest.join('.') : path.join('.');
      const field = [ruleName, fieldPath].filter(Boolean).join(' ');
      const prefix = field ? `${field}: ` : '';
      const hint = /expected string, received (boolean|number)/.test(issue.message)
        ? ' (quote it in YAML)'
        : '';
      problems.push({ where: at(path), problem: `${prefix}${issue.message}${hint}` });
    }
  }
  // Regexes are checked even when other fields fail, so one run shows every problem.
  if (Array.isArray(data)) {
    data.forEach((raw, index) => {
      for (const block of ['patterns', 'exceptions'] as const) {
        const list = (raw as Record<string, Record<string, unknown> | undefined>)?.[block]?.regex;
        if (!Array.isArray(list)) continue;
        list.forEach((entry, j) => {
          const src = typeof entry === 'string' ? entry : (entry as { re?: unknown })?.re;
          if (typeof src !== 'string' || !src) return;
          const problem = regexProblem(src);
          if (problem) problems.push({ where: at([index, block, 'regex', j]), problem });
        });
      }
    });
  }
  if (!parsed.success) return [];
  return parsed.data.map((rule, index) => ({ ...rule, source: at([index]) }));
}

/** Loads every `*.yaml`/`*.yml` file in `dir`; throws INTERDICT_RULES_INVALID listing every problem. */
export function loadRuleSet(dir: string, options: LoadRuleSetOptions = {}): RuleSet {
  const problems: ErrorDetail[] = [];
  const files = listRuleFiles(dir);
  if (!files.length) problems.push({ where: displayPath(dir), problem: 'no rule files (*.yaml) found' });
  const rules: Rule[] = [];
  for (const file of files) rules.push(...parseRuleFile(file, readFileSync(file, 'utf8'), problems));

  const seen = new Map<string, string>();
  for (const rule of rules) {
    const first = seen.get(rule.id);
    if (first)
      problems.push({
        where: rule.source,
        problem: `duplicate rule id ${rule.id} (first defined at ${first})`,
      });
    else seen.set(rule.id, rule.source);
  }
  const disabled = new Set(options.disabled ?? []);
  for (const id of disabled) {
    if (!seen.has(id)) problems.push({ where: 'screening.rules.disabled', problem: `unknown rule id ${id}` });
  }
  if (problems.length) {
    throw new InterdictError(
      'INTERDICT_RULES_INVALID',
      `rule set is invalid (${problems.length} problems)`,
      problems,
    );
  }
  return {
    dir,
    rules: rules.map((rule) => (disabled.has(rule.id) ? { ...rule, enabled: false } : rule)),
  };
}
