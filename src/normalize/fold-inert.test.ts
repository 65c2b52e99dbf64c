import { describe, expect, it } from 'vitest';
import { foldText } from './fold.js';
import { foldInertNoMap, isComposingJamo } from './fold-inert.js';
import { rng } from './test-helpers.js';

/** Characters of every kind foldInertNoMap sorts: ones it lowercases in one pass, and ones it must not. */
const ALPHABET = [
  ...'aZq 0.-\t\n\r',
  ...'  ',
  ...'ÉüßÀ日本語Жжשא“”—é',
  'Σ', // lowercased by context: the native path
  'ΑΒΓΔ', // Greek capitals (confusables among them send the text away)
  'ẞ',
  'İ', // lowercases to two units
  'K', // Kelvin sign: NFKC changes it
  'Ω',
  '…',
  '，',
  '\u0301', // a combining mark
  '\u1100\u1161', // jamo that compose
  '가',
  '\u00a0',
  '😀',
  '\ud800',
  '\u0007',
  '\u0085',
  'ǅ', // titlecase digraph
  'Ⅻ',
  'ǈ',
  '，',
  '²',
  'ﬁ',
  '㎒',
];

describe('foldInertNoMap', () => {
  it('folds in one pass exactly what the native lowercase-and-NFKC path or the general fold folds', () => {
    const next = rng(41);
    for (let round = 0; round < 5000; round++) {
      let text = '';
      const length = Math.floor(next() * 60);
      for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)]!;
      const fast = foldInertNoMap(text);
      const native = foldInertNoMap(text, true);
      // The one pass takes all the native path takes, and some the general fold would (NFKC-mapped characters).
      if (native) expect(fast).not.toBeNull();
      if (!fast) continue;
      const expected = native ?? foldText(text, null, true);
      expect(fast.text).toBe(expected.text);
      expect(fast.identity).toBe(expected.identity);
      expect([...fast.transforms]).toEqual([...expected.transforms]);
    }
    expect(foldInertNoMap('Ünïcode\u00a0 “Quotes” 日本')?.text).toBe('ünïcode “quotes” 日本');
  });

  it('rests on every character that composes with or follows another in a decomposition being a mark or jamo', () => {
    // Units of kind 0 are NFKC-stable alone, not marks and not composing jamo: text of them is NFKC as it is only
    // if nothing else can compose with or reorder against the character before it.
    const mark = /^\p{M}$/u;
    const others: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const parts = [...String.fromCharCode(c).normalize('NFD')];
      for (const part of parts.slice(1)) {
        const p = part.codePointAt(0)!;
        if (p < 0x10000 && !mark.test(part) && !isComposingJamo(p)) others.push(p.toString(16));
      }
    }
    expect(others).toEqual([]);
  });
});
