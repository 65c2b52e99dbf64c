import { describe, expect, it } from 'vitest';
import { CanonicalBuffer, canonicalCodes, canonicalizeInto, canonicalPhrase, canonicalize } from './text.js';

describe('canonicalize', () => {
  it('folds case, accents and punctuation runs to single spaces', () => {
    expect(canonicalize('  IGNORE   all-previous_Instructions!! ').text).toBe(
      'ignore all previous instructions',
    );
    expect(canonicalPhrase('Règles précédentes')).toBe('regles precedentes');
    expect(canonicalPhrase("don't")).toBe('don t');
  });

  it('maps every canonical code unit back to its source range in the view', () => {
    const source = 'Hé, IGNORE…  tout!';
    const canon = canonicalize(source);
    expect(canon.text).toBe('he ignore tout');
    const start = canon.text.indexOf('ignore');
    const end = start + 'ignore'.length;
    expect(source.slice(canon.from[start], canon.to[end - 1])).toBe('IGNORE');
    // The folded accent maps to the whole decomposed character in the source.
    expect(source.slice(canon.from[1], canon.to[1])).toBe('é');
  });

  it('keeps combining marks attached to their base character', () => {
    const source = 'ignore\u0301 this';
    const canon = canonicalize(source);
    expect(canon.text).toBe('ignore this');
    expect(canon.to[5]).toBe(7);
  });

  it('numbers words, one per character in unspaced scripts', () => {
    const canon = canonicalize('ab cd 忽略指令');
    expect(canon.text).toBe('ab cd 忽略指令');
    const wordAt = (ch: string) => canon.word[canon.text.indexOf(ch)];
    expect(wordAt('a')).toBe(0);
    expect(wordAt('c')).toBe(1);
    expect(wordAt('忽')).toBe(2);
    expect(wordAt('略')).toBe(3);
    expect(wordAt('令')).toBe(5);
  });

  it('handles astral characters without splitting surrogate pairs', () => {
    const source = '😀 ignore 𝐀bc';
    const canon = canonicalize(source);
    expect(canon.text).toBe('ignore 𝐀bc'.toLowerCase());
    const i = canon.text.indexOf('ignore');
    expect(source.slice(canon.from[i], canon.to[i + 5])).toBe('ignore');
  });

  it('canonicalCodes writes the same codes and unspaced flag as the full canonicalisation', () => {
    // ASCII, separators, accents, combining marks, CJK and Thai, Hangul (folds to several jamo), astral
    // letters and emoji, lone surrogates, NUL, zero-width and tag characters.
    const alphabet = [
      'a',
      'Z',
      '7',
      ' ',
      '-',
      '_',
      '!',
      '\n',
      'é',
      'E\u0301',
      '\u0301',
      'ß',
      'İ',
      'ǅ',
      'ﬁ',
      'Ω',
      'я',
      '忽',
      'か',
      'ไ',
      '한',
      '𝐀',
      '😀',
      '\ud800',
      '\udc00',
      '\u0000',
      '\u200b',
      '\u{e0041}',
      '\u00a0',
      '٣',
    ];
    let seed = 3;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 2000; round++) {
      let text = '';
      for (let i = rand(40); i > 0; i--) text += alphabet[rand(alphabet.length)];
      const reference = new CanonicalBuffer();
      const expected = canonicalizeInto(text, reference);
      // A small buffer, so that growing (after expanding folds too) is exercised.
      const buffer = new CanonicalBuffer(rand(3) === 0 ? 1 : 64);
      const n = canonicalCodes(text, buffer);
      expect([...buffer.codes.subarray(0, n)], JSON.stringify(text)).toEqual([
        ...reference.codes.subarray(0, expected),
      ]);
      expect(buffer.length).toBe(n);
      expect(buffer.unspaced).toBe(reference.unspaced);
    }
  });
});
