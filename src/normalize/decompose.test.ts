import { describe, expect, it } from 'vitest';
import { decompose } from './decompose.js';
import { rng } from './test-helpers.js';

/** What decompose returns, copied out of its scratch arrays. */
function decomposed(text: string, reference: boolean): unknown {
  const transforms = new Set<string>();
  const units = decompose(text, transforms, [], null, reference);
  const n = units.length;
  return {
    cps: Array.from(units.cps.subarray(0, n)),
    starts: Array.from(units.starts.subarray(0, n)),
    ends: Array.from(units.ends.subarray(0, n)),
    flags: Array.from(units.flags.subarray(0, n)),
    transforms: [...transforms],
  };
}

/** Characters NFKC changes, composes or reorders: marks of several classes, Hangul jamo, compatibility forms. */
const PIECES = [
  'a',
  'e',
  ' ',
  '\u0301',
  '\u0316',
  '\u0345',
  '\u0327',
  '\u1100',
  '\u1161',
  '\u11a8',
  '\uac00',
  '中',
  '，',
  '″',
  '²',
  'é',
  '\u0f71',
  '\u0f72',
  '\u0f80',
  '\u3099',
  'か',
  '\u093c',
  'क',
  'Ω',
  'ﬁ',
  '\u0b3e',
  '\u0b47',
  '\u200b',
  '😀',
  '\ufe0f',
];

describe('decompose', () => {
  it('finds where a run stops needing per-cluster work exactly as asking at every cluster did', () => {
    const next = rng(31);
    for (let round = 0; round < 20_000; round++) {
      let text = '';
      const length = 1 + Math.floor(next() * 16);
      for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)]!;
      expect(decomposed(text, false)).toEqual(decomposed(text, true));
    }
  });

  it('stays linear on a long run that NFKC changes near its end (it was quadratic)', () => {
    const text = `${'请'.repeat(200_000)}，`;
    const started = performance.now();
    const units = decompose(text, new Set(), [], null);
    expect(units.length).toBe(200_001);
    expect(units.cps[200_000]).toBe(0x2c); // the fullwidth comma, NFKC-folded
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
