import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InterdictError } from '../../core/errors.js';
import { loadRuleSet, regexProblem } from './loader.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'interdict-rules-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const GOOD = `- id: T-001
  title: Test rule
  description: A rule used by the loader tests.
  category: injection
  severity: high
  patterns:
    literals: [ignore previous instructions]
  examples:
    positive: [ignore previous instructions now, please ignore previous instructions]
    negative: [hello there, previous chapter]
`;

function problemsOf(fn: () => unknown): { where?: string; problem: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InterdictError);
    expect((err as InterdictError).code).toBe('INTERDICT_RULES_INVALID');
    return [...(err as InterdictError).details];
  }
  throw new Error('expected the rule set to be rejected');
}

describe('loadRuleSet', () => {
  it('loads a valid file and applies defaults', () => {
    writeFileSync(join(dir, 'a.yaml'), GOOD);
    const set = loadRuleSet(dir);
    expect(set.rules).toHaveLength(1);
    const rule = set.rules[0]!;
    expect(rule.sides).toEqual(['input', 'document', 'output']);
    expect(rule.enabled).toBe(true);
    expect(rule.source).toMatch(/a\.yaml:1$/);
  });

  it('reports every problem at once, each with file and line', () => {
    writeFileSync(
      join(dir, 'a.yaml'),
      `${GOOD}- id: T-002
  title: Broken rule
  description: Has an unknown field, a bad regex and too few examples.
  category: injection
  severity: high
  colour: red
  patterns:
    regex:
      - '(a)\\1'
      - 'x*'
  examples:
    positive: [only one]
    negative: [a, b]
`,
    );
    writeFileSync(join(dir, 'b.yaml'), `${GOOD.replace('Test rule', 'Duplicate')}- id: bad id\n`);
    const problems = problemsOf(() => loadRuleSet(dir));
    const text = problems.map((p) => `${p.where} ${p.problem}`);
    expect(text).toContainEqual(expect.stringMatching(/a\.yaml:16 unknown field `colour`/));
    expect(text).toContainEqual(
      expect.stringMatching(/a\.yaml:19 regex is not valid for the linear-time engine/),
    );
    expect(text).toContainEqual(expect.stringMatching(/a\.yaml:20 regex matches the empty string/));
    expect(text).toContainEqual(
      expect.stringMatching(/a\.yaml:22 rule T-002 examples\.positive: needs at least 2/),
    );
    expect(text).toContainEqual(expect.stringMatching(/b\.yaml:11 rule bad id id: id must look like/));
    // b.yaml fails validation as a whole, so the duplicate is only reported when both files are valid:
    writeFileSync(join(dir, 'b.yaml'), GOOD);
    writeFileSync(join(dir, 'a.yaml'), GOOD);
    const dup = problemsOf(() => loadRuleSet(dir));
    expect(dup).toEqual([
      {
        where: expect.stringMatching(/b\.yaml:1$/),
        problem: expect.stringMatching(/duplicate rule id T-001 \(first defined at .*a\.yaml:1\)/),
      },
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    writeFileSync(join(dir, 'a.yaml'), `${GOOD}- id: T-003\n  title: [unclosed\n`);
    const problems = problemsOf(() => loadRuleSet(dir));
    expect(problems[0]?.where).toMatch(/a\.yaml:1[2-3]$/);
    expect(problems[0]?.problem).toMatch(/^YAML:/);
  });

  it('hints at quoting YAML booleans used as terms', () => {
    writeFileSync(join(dir, 'a.yaml'), GOOD.replace('[ignore previous instructions]', '[ignore, true]'));
    const problems = problemsOf(() => loadRuleSet(dir));
    expect(problems[0]?.where).toMatch(/a\.yaml:7$/);
    expect(problems[0]?.problem).toMatch(/quote it in YAML/);
  });

  it('rejects unknown ids in the disabled list and disables known ones', () => {
    writeFileSync(join(dir, 'a.yaml'), GOOD);
    expect(loadRuleSet(dir, { disabled: ['T-001'] }).rules[0]?.enabled).toBe(false);
    const problems = problemsOf(() => loadRuleSet(dir, { disabled: ['NOPE-1'] }));
    expect(problems).toEqual([{ where: 'screening.rules.disabled', problem: 'unknown rule id NOPE-1' }]);
  });

  it('rejects a missing directory and an empty one', () => {
    expect(problemsOf(() => loadRuleSet(join(dir, 'missing')))[0]?.problem).toBe('not a readable directory');
    expect(problemsOf(() => loadRuleSet(dir))[0]?.problem).toMatch(/no rule files/);
  });
});

describe('regexProblem', () => {
  it('accepts linear-time regexes and rejects unsafe or unsupported ones', () => {
    expect(regexProblem('ignore\\s+previous')).toBeUndefined();
    expect(regexProblem('(?=x)y')).toMatch(/not valid for the linear-time engine/);
    expect(regexProblem('a{5000}')).toMatch(/repeat count/);
    expect(regexProblem('a?')).toMatch(/empty string/);
    expect(regexProblem('x'.repeat(700))).toMatch(/longer than/);
  });
});
