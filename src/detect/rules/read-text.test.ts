import { describe, expect, it } from 'vitest';
import { compileRuleSet } from './compile.js';
import { defaultRulesDir, loadRuleSet } from './index.js';
import { CanonicalBuffer, canonicalCodes } from './text.js';
import { buildWordAutomaton, type WordAutomaton } from './word-automaton.js';

/**
 * WordAutomaton.readText (canonicalisation and word reading fused in one pass) against the two-pass path it
 * replaces: canonicalCodes, then scanCodes over the codes. Same codes, same hits, or a decline.
 */

function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
}

type Outcome = { codes: number[]; hits: string[] } | null;

function collect(run: (onHit: (p: number, s: number, e: number) => undefined) => void): string[] {
  const out: string[] = [];
  run((p, s, e) => {
    out.push(`${p}@${s}-${e}`);
    return undefined;
  });
  return out;
}

function fused(scanner: WordAutomaton, text: string): Outcome {
  const buffer = new CanonicalBuffer(4);
  if (!scanner.readText(text, buffer)) return null;
  expect(buffer.unspaced).toBe(false);
  const codes = [...buffer.codes.subarray(0, buffer.length)];
  return { codes, hits: collect((onHit) => scanner.scanRead(onHit)) };
}

function twoPass(scanner: WordAutomaton, text: string): Outcome {
  const buffer = new CanonicalBuffer(4);
  const n = canonicalCodes(text, buffer);
  const codes = [...buffer.codes.subarray(0, n)];
  let scanned = false;
  const hits = collect((onHit) => {
    scanned = scanner.scanCodes(buffer.codes, n, onHit);
  });
  return scanned ? { codes, hits } : null;
}

/** Separators, marks and letters that fold specially, mixed between pattern words. */
const PIECES = [
  ' ',
  '  ',
  ', ',
  '-',
  '_',
  '\n',
  '\u00a0',
  '\u200b',
  '\u0301',
  '\u0000',
  '!?',
  'É',
  'ß',
  'Σ',
  'ς',
  '\u212a',
  '\u017f',
  '한',
  '𝐀',
  '\ud83d',
  '🔓',
  'İ',
  'ﬁ',
  'Ａ',
  '忽略',
  'ไทย',
  'привет',
  '😀',
  '\ud800',
  '\udc00',
  'é',
  'e\u0301',
  'Ǆ',
  '²',
  '٣',
];

function randomText(rand: (n: number) => number, words: readonly string[]): string {
  let text = '';
  for (let k = 0, parts = 1 + rand(30); k < parts; k++) {
    const roll = rand(10);
    if (roll < 6) {
      const word = words[rand(words.length)]!;
      text += rand(3) === 0 ? word.toUpperCase() : word;
    } else text += PIECES[rand(PIECES.length)];
    if (rand(2) === 0) text += ' ';
  }
  return text;
}

describe('readText (one-pass canonicalisation and word reading)', () => {
  it('gives the codes and hits of canonicalCodes + scanCodes, or declines, on random text', () => {
    const patterns = [
      { text: 'a', prefix: false },
      { text: 'ab', prefix: true },
      { text: 'a b', prefix: false },
      { text: 'b ab', prefix: true },
      { text: 'été', prefix: false },
      { text: 'ss', prefix: false },
      { text: 'σ', prefix: true },
    ];
    const scanner = buildWordAutomaton(patterns)!;
    const rand = random(7);
    let accepted = 0;
    for (let round = 0; round < 3000; round++) {
      const text = randomText(rand, ['a', 'b', 'ab', 'ba', 'abb', 'été', 'Été', 'ss', 'σς', 'x']);
      const one = fused(scanner, text);
      if (one === null) continue;
      accepted++;
      expect(one, JSON.stringify(text)).toEqual(twoPass(scanner, text));
    }
    expect(accepted).toBeGreaterThan(300);
  });

  it('agrees on the shipped patterns (rule examples and cased, punctuated word salads)', () => {
    const ruleSet = loadRuleSet(defaultRulesDir());
    const { patterns } = compileRuleSet(ruleSet);
    const scanner = buildWordAutomaton(patterns)!;
    const texts = ruleSet.rules.flatMap((r) => [...r.examples.positive, ...r.examples.negative]);
    const words = patterns.flatMap((p) => p.text.split(' '));
    const rand = random(3);
    for (let i = 0; i < 500; i++) texts.push(randomText(rand, words));
    let accepted = 0;
    let hits = 0;
    for (const text of texts) {
      const one = fused(scanner, text);
      if (one === null) continue;
      accepted++;
      hits += one.hits.length;
      expect(one, JSON.stringify(text)).toEqual(twoPass(scanner, text));
    }
    expect(accepted).toBeGreaterThan(texts.length * 0.3);
    expect(hits).toBeGreaterThan(500);
  });

  it('declines what canonicalCodes folds in its general path', () => {
    const scanner = buildWordAutomaton([{ text: 'a', prefix: false }])!;
    for (const text of ['a 忽略', 'a ไทย', 'a 𝐀', 'a 한국어']) expect(fused(scanner, text), text).toBeNull();
    expect(fused(scanner, 'A, b\u0301 — привет É\u00a0ß')).not.toBeNull();
    expect(fused(scanner, 'a 😀 b \ud800 a \udc00')).not.toBeNull();
    expect(fused(scanner, '')).toEqual({ codes: [], hits: [] });
    expect(fused(scanner, ' ,;! ')).toEqual({ codes: [], hits: [] });
  });
});
