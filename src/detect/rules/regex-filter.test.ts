import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { defaultRulesDir, loadRuleSet } from './index.js';
import { regexSource } from './loader.js';
import {
  lowerForFilter,
  passesFilter,
  plannedFilter,
  type RegexFilter,
  regexFilter,
} from './regex-filter.js';

function passes(source: string, text: string): boolean {
  const filter = regexFilter(source);
  return filter === null || passesFilter(filter, lowerForFilter(text));
}

describe('regex literal filter', () => {
  it('derives an AND of alternatives from a rule-shaped regex', () => {
    const filter = regexFilter(String.raw`\b(?:begin|start)\s+new\s+(?:instructions?|orders)`);
    expect(filter).not.toBeNull();
    expect(
      passes(String.raw`\b(?:begin|start)\s+new\s+(?:instructions?|orders)`, 'please START NEW orders'),
    ).toBe(true);
    expect(passesFilter(filter!, lowerForFilter('start the new year with fresh goals'))).toBe(false);
    expect(passesFilter(filter!, lowerForFilter('begin: new instruction set'))).toBe(true);
  });

  it('follows RE2 case folding onto ASCII: Kelvin sign and long s still pass', () => {
    const source = '(?:hug|kiss)es';
    const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    for (const text of ['KISSES', 'Kisses', '\u212Aisses', 'ki\u017Fses', 'KI\u017F\u017FES']) {
      expect(re.test(text), text).toBe(true);
      expect(passes(source, text), text).toBe(true);
    }
    expect(passes(source, 'hug')).toBe(false);
  });

  it('gives no condition for literals with cased non-ASCII letters, and keeps caseless ones', () => {
    expect(regexFilter('straße')).toBeNull();
    expect(regexFilter('(?:Σ|x)yz')).toMatchObject({ kind: 'has', text: 'yz' });
    expect(regexFilter('\\(🔓 mode\\)')).toMatchObject({ kind: 'has', text: '(🔓 mode)' });
    expect(regexFilter('[a-z]+')).toBeNull();
  });

  it('never rejects a text a shipped rule regex matches (every rule example and its upper-cased form)', () => {
    const ruleSet = loadRuleSet(defaultRulesDir());
    let checked = 0;
    let filtered = 0;
    for (const rule of ruleSet.rules) {
      const entries = [...(rule.patterns.regex ?? []), ...(rule.exceptions?.regex ?? [])];
      const examples = [...rule.examples.positive, ...rule.examples.negative];
      for (const entry of entries) {
        const source = regexSource(entry);
        const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
        if (regexFilter(source)) filtered++;
        for (const example of examples) {
          for (const text of [example, example.toUpperCase()]) {
            if (!re.test(text)) continue;
            checked++;
            expect(passes(source, text), `${rule.id} ${source}`).toBe(true);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(filtered).toBeGreaterThan(5);
  });

  it('plans a filter: rare parts first, parts that seldom reject or repeat the start search dropped', () => {
    const filter = regexFilter(String.raw`\b(?:send|post)\b[^\n]{0,40}\bto\s+https?://\S+`)!;
    const planned = plannedFilter(filter, ['send', 'post'], 5);
    const literals = (f: RegexFilter | null): string[] =>
      !f ? [] : f.kind === 'has' ? [f.text] : f.subs.flatMap((sub) => literals(sub));
    // `send|post` is what the start search looks for and `to` is in nearly every text: neither is kept.
    expect(literals(planned)).not.toContain('send');
    expect(literals(planned)).not.toContain('to');
    // The rarest part is checked first.
    expect(literals(planned)[0]).toBe('://');
    // Nothing is worth checking before a cheap enough search.
    expect(plannedFilter(filter, ['send', 'post'], 0.01)).toBeNull();
  });

  it('plans around the requires terms: a literal spelling one is taken as likely present', () => {
    const filter = regexFilter(
      String.raw`\b(?:repeat|print)\b[^\n]{0,60}\b(?:start|begin)s?\s+with\s+you are`,
    )!;
    const literals = (f: RegexFilter | null): string[] =>
      !f ? [] : f.kind === 'has' ? [f.text] : f.subs.flatMap((sub) => literals(sub));
    expect(literals(plannedFilter(filter, ['repeat', 'print'], 5))).toContain('you are');
    const planned = plannedFilter(filter, ['repeat', 'print'], 5, ['you are']);
    expect(literals(planned)).not.toContain('you are');
    expect(literals(planned)).toEqual(expect.arrayContaining(['start', 'begin']));
  });

  it('a planned filter still passes every text its regex matches', () => {
    const source = String.raw`(?:new|real)\s+instructions?\s*:\s*(?:ignore|forget)`;
    const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    const planned = plannedFilter(regexFilter(source), null, 30);
    expect(planned).not.toBeNull();
    for (const text of [
      'REAL instructions: Forget it',
      'new instruction :ignore',
      'x new  instructions:ignore',
    ]) {
      expect(re.test(text), text).toBe(true);
      expect(passesFilter(planned!, lowerForFilter(text)), text).toBe(true);
    }
    expect(passesFilter(planned!, lowerForFilter('nothing to see'))).toBe(false);
  });
});
