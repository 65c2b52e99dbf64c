import { describe, expect, it } from 'vitest';
import { type Automaton, type AutomatonPattern, buildAutomaton } from './automaton.js';
import { compileRuleSet } from './compile.js';
import { defaultRulesDir, loadRuleSet } from './index.js';
import { canonicalPhrase } from './text.js';
import { naiveHits as naive } from './testing/rules.js';
import { buildWordAutomaton, type WordAutomaton } from './word-automaton.js';

/** Every hit of the word-level scan (null when it declined the text), as sorted `pattern@start-end`. */
function wordHits(scanner: WordAutomaton, text: string): string[] | null {
  const codes = Uint16Array.from(text, (ch) => ch.charCodeAt(0));
  const out: string[] = [];
  const scanned = scanner.scanCodes(codes, codes.length, (p, s, e) => {
    out.push(`${p}@${s}-${e}`);
    return undefined;
  });
  return scanned ? out.sort() : null;
}

/** The character automaton's hits (the general path the word scan must agree with). */
function charHits(automaton: Automaton, text: string): string[] {
  const out: string[] = [];
  automaton.scan(text, (p, s, e) => {
    out.push(`${p}@${s}-${e}`);
    return undefined;
  });
  return out.sort();
}

function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
}

describe('word-level automaton', () => {
  const patterns: AutomatonPattern[] = [
    { text: 'a', prefix: false },
    { text: 'ab', prefix: true },
    { text: 'a b', prefix: false },
    { text: 'a b', prefix: true },
    { text: 'b a b', prefix: false },
    { text: 'b ab', prefix: true },
    { text: 'été', prefix: false },
    { text: 'a été', prefix: true },
    { text: 'instruct', prefix: true },
    { text: 'ignore instruct', prefix: true },
  ];

  it('agrees with the character automaton and a naive search on random canonical text', () => {
    const words = ['a', 'b', 'ab', 'ba', 'abb', 'été', 'étés', 'instruct', 'instructions', 'ignore', 'x'];
    const rand = random(11);
    const byWords = buildWordAutomaton(patterns)!;
    const byChars = buildAutomaton(patterns, { words: false });
    for (let round = 0; round < 500; round++) {
      const text = Array.from({ length: 1 + rand(12) }, () => words[rand(words.length)]).join(' ');
      const expected = naive(patterns, text);
      expect(wordHits(byWords, text), text).toEqual(expected);
      expect(charHits(byChars, text), text).toEqual(expected);
    }
  });

  it('declines text with a character of an unspaced script, and patterns no canonical text can hold', () => {
    const scanner = buildWordAutomaton(patterns)!;
    expect(wordHits(scanner, 'a b 忽略 a')).toBeNull();
    expect(wordHits(scanner, 'a b ไทย')).toBeNull();
    expect(wordHits(scanner, 'a b привет a')).not.toBeNull();
    expect(buildWordAutomaton([{ text: 'Ignore', prefix: false }])).toBeNull();
    expect(buildWordAutomaton([{ text: 'a  b', prefix: false }])).toBeNull();
    expect(buildWordAutomaton([{ text: 'a!', prefix: false }])).toBeNull();
  });

  it('stops when the callback returns false', () => {
    const scanner = buildWordAutomaton([{ text: 'a', prefix: false }])!;
    let calls = 0;
    scanner.scanCodes(
      Uint16Array.from('a a a a', (c) => c.charCodeAt(0)),
      7,
      () => {
        calls++;
        return calls < 2;
      },
    );
    expect(calls).toBe(2);
  });

  it('agrees with the character automaton on the shipped patterns (rule examples and word salads)', () => {
    const ruleSet = loadRuleSet(defaultRulesDir());
    const { patterns: shipped } = compileRuleSet(ruleSet);
    const texts = ruleSet.rules.flatMap((r) =>
      [...r.examples.positive, ...r.examples.negative].map(canonicalPhrase),
    );
    // Runs of pattern words (and cut pattern words) make many overlapping hits, prefix hits included.
    const words = shipped.flatMap((p) => p.text.split(' '));
    const rand = random(5);
    for (let i = 0; i < 300; i++) {
      const picked = Array.from({ length: 5 + rand(40) }, () => {
        const word = words[rand(words.length)]!;
        return rand(4) === 0 ? `${word}${'sx'[rand(2)]}` : word;
      });
      texts.push(picked.join(' '));
    }
    const scanner = buildWordAutomaton(shipped)!;
    const byChars = buildAutomaton(shipped, { words: false });
    let compared = 0;
    let hits = 0;
    for (const text of texts) {
      const byWords = wordHits(scanner, text);
      if (byWords === null) continue;
      expect(byWords, text).toEqual(charHits(byChars, text));
      compared++;
      hits += byWords.length;
    }
    expect(compared).toBeGreaterThan(texts.length * 0.8);
    expect(hits).toBeGreaterThan(1000);
  });
});
