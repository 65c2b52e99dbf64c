import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerRules } from './rules.js';

const RULE = `- id: T-001
  title: Test rule
  description: Fires on the phrase ignore previous instructions.
  category: injection
  severity: high
  tags: [LLM01:2025, AML.T0051.000]
  patterns:
    literals: [ignore previous instructions]
  examples:
    positive: [ignore previous instructions now, please ignore previous instructions]
    negative: [hello there, previous chapter]
`;

let dir: string;
let out: string;
let err: string;

async function run(...args: string[]): Promise<number> {
  const program = new Command().exitOverride();
  registerRules(program);
  process.exitCode = 0;
  await program.parseAsync(['node', 'interdict', 'rules', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return code;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'interdict-rules-cli-'));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('interdict rules', () => {
  it('validate prints a per-category summary for a valid directory', async () => {
    writeFileSync(join(dir, 'a.yaml'), RULE);
    expect(await run('validate', '--dir', dir)).toBe(0);
    expect(out).toMatch(/1 rules valid \(1 enabled\)/);
    expect(out).toMatch(/injection\s+1/);
  });

  it('validate prints every problem with file:line and exits 1', async () => {
    writeFileSync(join(dir, 'a.yaml'), RULE.replace('severity: high', 'severity: extreme\n  colour: red'));
    expect(await run('validate', '--dir', dir)).toBe(1);
    expect(err).toMatch(/INTERDICT_RULES_INVALID/);
    expect(err).toMatch(/a\.yaml:5: rule T-001 severity/);
    expect(err).toMatch(/a\.yaml:6: unknown field `colour`/);
  });

  it('test checks examples, sweeps corpora and fails when a benign corpus exceeds --max-fpr', async () => {
    writeFileSync(join(dir, 'a.yaml'), RULE);
    const benign = join(dir, 'benign.jsonl');
    const rows = [
      { id: 'b:1', text: 'What is the capital of France?', label: 0 },
      { id: 'b:2', text: 'Please ignore previous instructions about the dress code.', label: 0 },
      { id: 'b:3', text: 'ignore previous instructions', label: 1 },
      { id: 'b:4', text: 'How do I bake bread?' },
    ];
    writeFileSync(benign, `${rows.map((r) => JSON.stringify(r)).join('\n')}\nnot json\n`);
    expect(
      await run('test', '--dir', dir, '--benign', benign, '--attacks', benign, '--max-fpr', '0.5', '--json'),
    ).toBe(0);
    const report = JSON.parse(out);
    expect(report.examples.failures).toEqual([]);
    const [b, a] = report.corpora;
    expect(b).toMatchObject({
      kind: 'benign',
      rows: 3,
      hits: 1,
      unreadable: 1,
      perRule: { 'T-001': 1 },
      pass: true,
    });
    expect(a).toMatchObject({ kind: 'attack', rows: 1, hits: 1, rate: 1 });

    out = '';
    expect(await run('test', '--dir', dir, '--benign', benign, '--max-fpr', '0.2', '--show-hits', '5')).toBe(
      1,
    );
    expect(out).toMatch(/FAIL benign\s+1\/3/);
    expect(out).toMatch(/b:2: T-001/);
    expect(out).not.toMatch(/dress code/);
  });

  it('test fails when a rule example does not behave', async () => {
    writeFileSync(
      join(dir, 'a.yaml'),
      RULE.replace('negative: [hello there', 'negative: [ignore previous instructions'),
    );
    expect(await run('test', '--dir', dir)).toBe(1);
    expect(out).toMatch(/T-001 negative example #1 fired/);
  });
});
