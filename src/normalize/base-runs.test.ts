import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { buildAsScriptDoes } from '../core/testing/wasm-build.js';
import { B64, B64URL, CLASS, HEX, LOWER, SHORT_RUNS, scanShortRuns, UPPER } from './base-runs.js';
import { BASE_RUNS_FILE, createBaseRunsKernel, KERNEL_CAPACITY } from './base-runs-kernel.js';
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

/** Random text of the pieces, `pieces` at most. */
function randomText(next: () => number, pieces: number): string {
  let text = '';
  const count = Math.floor(next() * pieces);
  for (let p = 0; p < count; p++) text += PIECES[Math.floor(next() * PIECES.length)]!;
  return text;
}

/** Runs scanShortRuns over `text` as findBaseEncoded does, checking each call against the reference. */
function expectLikeReference(text: string, long: number, javascript: boolean): void {
  const expected = { end: 0, hexPairs: 0, letteredPairs: 0, pairEnd: -40, chain: 0, longestChain: 0 };
  Object.assign(SHORT_RUNS, { hexPairs: 0, letteredPairs: 0, pairEnd: -40, chain: 0, longestChain: 0 });
  // Like findBaseEncoded: from 0, then again past each long run.
  for (let from = 0; from < text.length; ) {
    expected.end = referenceScan(text, from, long, expected);
    const runs = scanShortRuns(text, from, long, javascript);
    expect({ ...runs }, JSON.stringify([text.slice(0, 100), text.length, from, long])).toEqual(expected);
    let after = runs.end;
    while (after < text.length && CLASS[text.charCodeAt(after)]! & (B64 | B64URL)) after++;
    from = after + 1;
  }
}

describe('scanShortRuns', () => {
  it('measures runs and counts hex pairs exactly like the per-character reference, call after call', () => {
    const next = rng(5);
    for (let round = 0; round < 3000; round++) {
      const text = randomText(next, 60);
      const long = 2 + Math.floor(next() * 20);
      expectLikeReference(text, long, false);
      expectLikeReference(text, long, true);
    }
  });

  it('does so past the capacity of the kernel (the JavaScript scan) and at its edge', () => {
    const next = rng(6);
    for (const length of [KERNEL_CAPACITY - 1, KERNEL_CAPACITY, KERNEL_CAPACITY + 1, 3 * KERNEL_CAPACITY]) {
      let text = randomText(next, length);
      while (text.length < length) text += randomText(next, 1000);
      text = text.slice(0, length);
      expectLikeReference(text, 16, false);
      expectLikeReference('69 '.repeat(length / 3), 16, false);
      expectLikeReference(`${'A'.repeat(length - 20)} 6e 6f`, 16, false);
    }
  });

  it('runs in its WebAssembly kernel, the build of wasm/base-runs.ts (npm run build:wasm)', () => {
    expect(createBaseRunsKernel(new Int8Array(0x10000))).not.toBeNull();
    expect(
      Buffer.compare(
        buildAsScriptDoes('wasm/base-runs.ts'),
        readFileSync(join(packageRoot(), BASE_RUNS_FILE)),
      ),
    ).toBe(0);
  });
});
