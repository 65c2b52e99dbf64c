import { describe, expect, it } from 'vitest';
import { foldText } from './fold.js';
import { rng } from './test-helpers.js';

const ALPHABET = ['a', 'Z', 'q', 'M', '0', '7', '.', '-', '~', '!', ' ', ' ', '\t', '\n', '\r', '\v', '\f'];
/** Inert non-ASCII characters (fold keeps them apart from lowercasing): the general path without a map. */
const INERT = ['É', 'ü', '“', '”', '—', '日', '本', '\u00a0', '\u00a0', 'Σ', 'ς'];

/**
 * Folds 2,000 random texts of up to 40 characters from `alphabet` on the fast path (no map) and the general
 * path, and expects the same text, identity and transforms.
 */
function expectFastLikeGeneral(seed: number, alphabet: readonly string[], maxLength = 40): void {
  const next = rng(seed);
  for (let round = 0; round < 2000; round++) {
    let text = '';
    const length = Math.floor(next() * maxLength);
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)]!;
    const fast = foldText(text, null);
    const general = foldText(text, null, true);
    expect(fast.text).toBe(general.text);
    expect(fast.identity).toBe(general.identity);
    expect([...fast.transforms]).toEqual([...general.transforms]);
  }
}

describe('fold fast paths (no offset map)', () => {
  // Without a map, plain ASCII takes a one-pass fast path; with a map, the general per-character path. Both
  // must fold to the same text, and the fast path may only report identity when offsets are unchanged.
  it('folds exactly like the general path on random ASCII with every whitespace kind', () => {
    const next = rng(7);
    for (let round = 0; round < 2000; round++) {
      let text = '';
      const length = Math.floor(next() * 40);
      for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)]!;
      const fast = foldText(text, null);
      const general = foldText(text, null, true);
      expect(fast.text).toBe(general.text);
      expect(fast.identity).toBe(general.identity);
      if (fast.identity) expect(fast.text.length).toBe(text.length);
    }
  });

  it('folds inert non-ASCII text without a map exactly like the mapped path', () => {
    expectFastLikeGeneral(11, [...ALPHABET, ...INERT]);
    expect(foldText('Ünïcode  “Quotes”', null).text).toBe('ünïcode “quotes”');
  });

  it('checks text in another script (dozens of non-ASCII units, read in one loop) exactly like the general path', () => {
    const script = ['日', '本', '語', 'é', 'ж', 'ש', '“'];
    // One in a few hundred units sends the text to the general fold: a confusable, zero-width or other invisible
    // character, non-ASCII whitespace, a C1 control, a lone surrogate, a tag character; an emoji pair does not.
    const rare = [
      'а',
      '\ufeff',
      '\ufe0f',
      '\uffa0',
      '\u200b',
      '\u2028',
      '\u3000',
      '\u0085',
      '\ud800',
      '\udc00',
      '\udb40\udc41',
      '😀',
      '\u00a0',
      'Σ',
    ];
    const alphabet = [...ALPHABET, ...Array.from({ length: 200 }, () => script).flat(), ...rare];
    expectFastLikeGeneral(17, alphabet, 400);
    expect(foldText(`${'日本'.repeat(40)} Ж`, null).text).toBe(`${'日本'.repeat(40)} ж`);
  });

  it('folds text NFKC changes character by character (fullwidth, superscripts, ligatures) like the general path', () => {
    const mapped = [
      '，',
      '？',
      '″',
      '²',
      'ª',
      'ﬁ',
      'Ａ',
      'ｚ',
      '½',
      '㎒',
      '…',
      'ℌ',
      '¨',
      '㈱',
      'ǅ',
      'Ⅻ',
      '\u3131',
      '\u1100',
    ];
    expectFastLikeGeneral(19, [...ALPHABET, ...INERT, ...mapped]);
    expectFastLikeGeneral(23, [
      ...ALPHABET,
      ...INERT,
      ...mapped,
      '\u0301',
      '\u1161',
      'а',
      '\u200b',
      '\u0007',
      '😀',
    ]);
    const folded = foldText('Ｈｅｌｌｏ，  ﬁne²', null);
    expect(folded.text).toBe('hello, fine2');
    expect([...folded.transforms]).toEqual(['nfkc']);
    expect(folded.identity).toBe(false);
  });

  it('sends text with C0 controls or DEL to the general fold, whatever else it holds', () => {
    expectFastLikeGeneral(13, [
      ...ALPHABET,
      ...INERT,
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u009f',
    ]);
    expect(foldText('Ünï\u0000code', null).transforms.has('control_chars')).toBe(true);
    expect(foldText('é\u007f', null).text).toBe('é');
  });

  it('folds no-break spaces like the general path: spaces, reported as nfkc', () => {
    const folded = foldText('Price:\u00a0\u00a0100\u00a0EUR', null);
    expect(folded.text).toBe('price: 100 eur');
    expect([...folded.transforms]).toEqual(['nfkc']);
    expect(folded.identity).toBe(false);
  });

  it('lowercases and collapses: a run holding a line break becomes one newline, else one space', () => {
    expect(foldText('Hello \t World', null).text).toBe('hello world');
    expect(foldText('One \r\n\r\n Two\tThree', null).text).toBe('one\ntwo three');
    expect(foldText('plain text', null).identity).toBe(true);
    expect(foldText('tab\there', null).identity).toBe(false);
  });
});
