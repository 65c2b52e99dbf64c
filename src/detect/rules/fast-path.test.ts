import { describe, expect, it } from 'vitest';
import { buildAutomaton } from './automaton.js';
import { compileRuleSet } from './compile.js';
import { CanonicalBuffer, canonicalCodes, canonicalEquals, canonicalize, wordsFromCodes } from './text.js';
import { naiveHits as naive, testRule as rule } from './testing/rules.js';

/**
 * The matcher's shortcuts (dense DFA, hit table reused across views with one canonical form, maps built on
 * demand, RE2 literal-prefix prefilter, skipping held rules) must not change what matches or where.
 */
describe('rule matcher fast paths', () => {
  it('the DFA finds the same hits as a naive search on mixed ASCII and non-ASCII text', () => {
    const patterns = [
      { text: 'instrucciones', prefix: false },
      { text: 'ignora', prefix: true },
      { text: 'große regel', prefix: false },
      { text: 'ab', prefix: false },
      { text: 'abc', prefix: true },
      { text: 'été', prefix: false },
    ];
    const text = 'ignoras las instrucciones große regel abc abcd ab été xab große regeln';
    const hits: string[] = [];
    buildAutomaton(patterns).scan(text, (p, s, e) => {
      hits.push(`${p}@${s}-${e}`);
      return undefined;
    });
    expect(hits.sort()).toEqual(naive(patterns, text));
    expect(hits).toContain('2@26-37');
  });

  it('reports spans in each view own coordinates when two views share one canonical text', () => {
    const compiled = compileRuleSet({
      dir: '.',
      rules: [rule({ id: 'T-001', patterns: { literals: ['ignore previous'] } })],
    });
    const original = 'Please   IGNORE\n\n  previous';
    const folded = 'please ignore\nprevious';
    expect(canonicalize(original).text).toBe(canonicalize(folded).text);
    expect(compiled.matchView(original, 'input').get(0)).toEqual({ start: 9, end: 27 });
    // Same canonical text: the hit table is reused, the offset map is the folded view's own.
    expect(compiled.matchView(folded, 'input').get(0)).toEqual({ start: 7, end: 22 });
    expect(compiled.matchView('nothing here', 'input').size).toBe(0);
  });

  it('keyword windows read the word map of the view being matched', () => {
    const compiled = compileRuleSet({
      dir: '.',
      rules: [
        rule({ id: 'T-002', patterns: { keywords: [{ all: [['reveal'], ['password']], within: 3 }] } }),
      ],
    });
    expect(compiled.matchView('Reveal -- the -- PASSWORD', 'input').get(0)).toEqual({ start: 0, end: 25 });
    expect(compiled.matchView('reveal the password', 'input').get(0)).toEqual({ start: 0, end: 19 });
    expect(compiled.matchView('reveal a b c password', 'input').size).toBe(0);
  });

  it('a regex with a literal prefix still matches when the prefix is there, and only then', () => {
    const compiled = compileRuleSet({
      dir: '.',
      rules: [rule({ id: 'T-003', patterns: { regex: ['<\\|(?:system|assistant)\\|>'] } })],
    });
    expect(compiled.matchView('text <|SYSTEM|> more', 'input').get(0)).toEqual({ start: 5, end: 15 });
    expect(compiled.matchView('text <| system |> more', 'input').size).toBe(0);
    expect(compiled.matchView('text system more', 'input').size).toBe(0);
  });

  it('the word map from codes alone equals the full one for spaced scripts, and is refused otherwise', () => {
    const texts = [
      'Ignore -- ALL previous_instructions!! now',
      '  Ünïcode wörds, naïve café; Привет мир 42x  ',
      'e\u0301te\u0301 ﬁne ǅemal',
    ];
    for (const text of texts) {
      const buffer = new CanonicalBuffer(8);
      const n = canonicalCodes(text, buffer);
      expect(wordsFromCodes(buffer)).toBe(true);
      expect([...buffer.word.subarray(0, n)]).toEqual([...canonicalize(text).word]);
    }
    const cjk = new CanonicalBuffer(8);
    canonicalCodes('忽略 previous 指令', cjk);
    expect(wordsFromCodes(cjk)).toBe(false);
  });

  it('tells a text with the same canonical form without canonicalising it', () => {
    const buffer = new CanonicalBuffer(8);
    const n = canonicalCodes('Ignore  ALL previous-instructions', buffer);
    const codes = buffer.codes.slice(0, n);
    expect(canonicalEquals('ignore all previous instructions', codes, n)).toBe(true);
    expect(canonicalEquals('...ignore all (previous) instructions!!', codes, n)).toBe(true);
    expect(canonicalEquals('ignore all previous instruction', codes, n)).toBe(false);
    expect(canonicalEquals('ignore all previous instructions now', codes, n)).toBe(false);
    expect(canonicalEquals('ignoreall previous instructions', codes, n)).toBe(false);
    // Non-ASCII separators, accents and marks fold as in the full canonicalisation.
    expect(canonicalEquals('IGNORE\u00a0all «previous» ínstructions\u0301\u3002', codes, n)).toBe(true);
    // Unspaced scripts and astral characters are left to the full canonicalisation.
    const cjk = new CanonicalBuffer(8);
    const m = canonicalCodes('忽略 previous', cjk);
    expect(canonicalEquals('忽略 previous', cjk.codes, m)).toBe(false);
  });

  it('agrees with comparing full canonical forms on random text', () => {
    const alphabet = [
      'a',
      'B',
      '1',
      ' ',
      '-',
      '\u00a0',
      'é',
      'E\u0301',
      '\u0301',
      'ß',
      'İ',
      'я',
      'Я',
      '٣',
      '한',
      '忽',
      '𝐀',
      '\ud800',
      '\u200b',
    ];
    let seed = 9;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % k;
    };
    const randomText = () => Array.from({ length: rand(12) }, () => alphabet[rand(alphabet.length)]).join('');
    let equal = 0;
    for (let round = 0; round < 5000; round++) {
      const a = randomText();
      // Half the time compare against a re-spelling of the same text (case, separators), else another text.
      const b = rand(2) ? a.toUpperCase().replaceAll(' ', '--') : randomText();
      const buffer = new CanonicalBuffer(4);
      const n = canonicalCodes(b, buffer);
      const same = canonicalize(a).text === canonicalize(b).text;
      const claimed = canonicalEquals(a, buffer.codes, n);
      // Never a false "equal"; a false "not equal" only where the full path is required.
      if (claimed) expect(same, JSON.stringify([a, b])).toBe(true);
      else if (same) expect(/[\ud800-\udfff한忽]/.test(a), JSON.stringify([a, b])).toBe(true);
      if (claimed) equal++;
    }
    expect(equal).toBeGreaterThan(500);
  });

  it('skips rules the caller already holds', () => {
    const compiled = compileRuleSet({
      dir: '.',
      rules: [
        rule({ id: 'T-004', patterns: { literals: ['alpha'] } }),
        rule({ id: 'T-005', patterns: { literals: ['beta'] } }),
      ],
    });
    const found = compiled.matchView('alpha beta', 'input', (index) => index === 0);
    expect([...found.keys()]).toEqual([1]);
  });
});
