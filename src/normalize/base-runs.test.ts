import { describe, expect, it } from 'vitest';
import { B64, B64URL, CLASS, HEX, LOWER, SHORT_RUNS, scanShortRuns, UPPER } from './base-runs.js';
import { rng } from './test-helpers.js';

/** scanShortRuns as it was written before it read code units (the specification the fast scan must meet). */
function referenceScan(text: string, from: number, long: number, runs: typeof SHORT_RUNS): number {
  const inAlphabet = (c: number) => (c < 128 && CLASS[c]! & (B64 | B64URL) ? 1 : 0);
  const countPair = (start: number) => {
    const a = CLASS[text.charCodeAt(start)]!;
    const b = CLASS[text.charCodeAt(start + 1)]!;
    if (!(a & b & HEX)) return;
    runs.hexPairs++;
    if ((a | b) & (UPPER | LOWER)) runs.letteredPairs++;
    const gap = start - runs.pairEnd;
    runs.chain = gap >= 1 && gap <= 2 ? runs.chain + 1 : 1;
    runs.longestChain = Math.max(runs.longestChain, runs.chain);
    runs.pairEnd = start + 2;
  };
  let run = 0;
  for (let i = from; i < text.length; i++) {
    const inRun = inAlphabet(text.charCodeAt(i));
    if (run === 2 && inRun === 0) countPair(i - 2);
    run = (run + 1) * inRun;
    if (run >= long) return i + 1 - run;
  }
  if (run === 2) countPair(text.length - 2);
  return text.length;
}

const PIECES = [
  '69',
  '6e',
  'Ab',
  'zz',
  '0F',
  ' ',
  ' ',
  ', ',
  ':',
  '=',
  '\n',
  '+',
  '/',
  '-',
  '_',
  'é',
  '😀',
  'x',
  'Q',
];

describe('scanShortRuns', () => {
  it('measures runs and counts hex pairs exactly like the per-character reference, call after call', () => {
    const next = rng(5);
    for (let round = 0; round < 3000; round++) {
      let text = '';
      const pieces = Math.floor(next() * 60);
      for (let p = 0; p < pieces; p++) text += PIECES[Math.floor(next() * PIECES.length)]!;
      const long = 2 + Math.floor(next() * 20);
      const expected = { end: 0, hexPairs: 0, letteredPairs: 0, pairEnd: -40, chain: 0, longestChain: 0 };
      Object.assign(SHORT_RUNS, { hexPairs: 0, letteredPairs: 0, pairEnd: -40, chain: 0, longestChain: 0 });
      // Like findBaseEncoded: from 0, then again past each long run.
      for (let from = 0; from < text.length; ) {
        expected.end = referenceScan(text, from, long, expected);
        const runs = scanShortRuns(text, from, long);
        expect({ ...runs }).toEqual(expected);
        let after = runs.end;
        while (after < text.length && CLASS[text.charCodeAt(after)]! & (B64 | B64URL)) after++;
        from = after + 1;
      }
    }
  });
});
