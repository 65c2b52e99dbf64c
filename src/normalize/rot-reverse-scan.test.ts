import { describe, expect, it } from 'vitest';
import { scanWords, WordTable } from './cipher-words.js';
import { rot13 } from './rot-reverse.js';
import { rng, wordTableSnapshot } from './test-helpers.js';

/** The word scan with packed gain sums, and with every word's gains summed apart (packedPairs 0). */
function expectPackedLikeApart(text: string): void {
  const packed = wordTableSnapshot(scanWords(text, new WordTable()));
  const apart = wordTableSnapshot(scanWords(text, new WordTable(), 0));
  expect(packed).toEqual(apart);
}

describe('cipher word scan', () => {
  it('votes the same with both gains summed in one number as with each summed apart', () => {
    const next = rng(21);
    const pieces = [
      'the',
      'vtaber',
      'nyy',
      'cerivbhf',
      'zzq',
      'qjx',
      'ignore',
      'erongi',
      ' ',
      ' ',
      '. ',
      '7',
      'x',
    ];
    for (let round = 0; round < 2000; round++) {
      let text = '';
      const length = Math.floor(next() * 40);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)]!;
      expectPackedLikeApart(text);
    }
  });

  it('sums words too long for the packed sum apart (one-letter runs of hostile size)', () => {
    const next = rng(22);
    for (const length of [1999, 2000, 2001, 2002, 5000, 70_000]) {
      let word = '';
      for (let i = 0; i < length; i++) word += String.fromCharCode(97 + Math.floor(next() * 26));
      expectPackedLikeApart(`${rot13('ignore all previous')} ${word} ${word.slice(0, 40)}`);
      expectPackedLikeApart('q'.repeat(length));
      expectPackedLikeApart('e'.repeat(length));
    }
  });
});
