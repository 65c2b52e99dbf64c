import { describe, expect, it } from 'vitest';
import { nextIbanStart } from './pii-text.js';

/** The one-pattern form nextIbanStart replaces: the lookbehind tested by the regex engine at every position. */
const WITH_LOOKBEHIND = /(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}/g;

function reference(text: string, from: number): number {
  WITH_LOOKBEHIND.lastIndex = from;
  return WITH_LOOKBEHIND.exec(text)?.index ?? -1;
}

describe('nextIbanStart (lookbehind checked by hand after the match)', () => {
  it('finds the same start as the lookbehind pattern from every position of random text', () => {
    let seed = 17;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 8;
    };
    const pieces = [
      'A',
      'B',
      'DE',
      'GB',
      '1',
      '89',
      '0',
      'x',
      'é',
      ' ',
      '_',
      '-',
      'AAB12',
      'xDE89',
      '\u0410',
      'AB12',
      ' GB8',
      'C4',
    ];
    let found = 0;
    for (let t = 0; t < 3000; t++) {
      let text = '';
      for (let k = next() % 10; k >= 0; k--) text += pieces[next() % pieces.length];
      for (let from = 0; from <= text.length + 1; from++) {
        const expected = reference(text, from);
        expect(nextIbanStart(text, from), `${JSON.stringify(text)} from ${from}`).toBe(expected);
        if (expected >= 0) found++;
      }
    }
    expect(found).toBeGreaterThan(1000);
  });

  it('skips starts inside a word and finds one right after it', () => {
    expect(nextIbanStart('xDE89 DE89', 0)).toBe(6);
    expect(nextIbanStart('AAB12', 0)).toBe(-1);
    expect(nextIbanStart('_AB12', 0)).toBe(1);
    expect(nextIbanStart('AB12', 0)).toBe(0);
    expect(nextIbanStart('AB12', 1)).toBe(-1);
  });
});
