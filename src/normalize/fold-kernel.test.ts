import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { buildAsScriptDoes } from '../core/testing/wasm-build.js';
import { foldPlainAscii, usesFoldKernel } from './collapse-ascii.js';
import { FOLD_KERNEL_FILE, KERNEL_CAPACITY } from './fold-kernel.js';
import { rng } from './test-helpers.js';

/** Plain ASCII in runs and blocks, every ASCII whitespace character, and units that make a text not plain. */
const PIECES = [
  'a',
  'Z',
  'Hello',
  'WORLD',
  'q',
  '0',
  '.',
  '@',
  '[',
  '`',
  '{',
  '~',
  ' ',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\r\n',
  '\v',
  '\f',
  '\r',
  ' \t ',
];
const NOT_PLAIN = [
  '\x00',
  '\x08',
  '\x0e',
  '\x1f',
  '\x7f',
  '\x80',
  'é',
  '\u00a0',
  '–',
  '\u0130',
  '\ud800',
  '\uffff',
];

/** The kernel's fold of `text` must be the JavaScript path's (the regex test, then collapseAscii). */
function expectLikeJavaScript(text: string): void {
  const label = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}... (${text.length})` : text);
  const reference = foldPlainAscii(text, true);
  const fast = foldPlainAscii(text);
  if (reference === null) {
    expect(fast, label).toBeNull();
    return;
  }
  expect(fast, label).not.toBeNull();
  expect(fast!.text, label).toBe(reference.text);
  expect(fast!.identity, label).toBe(reference.identity);
  expect([...fast!.transforms], label).toEqual([...reference.transforms]);
  expect(fast!.map, label).toBeNull();
  expect(fast!.hidden, label).toEqual([]);
}

function randomText(next: () => number, pieces: number, other: number): string {
  let text = '';
  const length = Math.floor(next() * pieces);
  for (let i = 0; i < length; i++)
    text +=
      next() < other
        ? NOT_PLAIN[Math.floor(next() * NOT_PLAIN.length)]!
        : PIECES[Math.floor(next() * PIECES.length)]!;
  return text;
}

describe('plain-ASCII fold kernel (wasm/fold-kernel.ts)', () => {
  it('is loaded (so the tests below compare it with the JavaScript path, not the path with itself)', () => {
    expect(usesFoldKernel()).toBe(true);
  });

  it('folds plain ASCII as collapseAscii does, and finds every text that is not plain', () => {
    const next = rng(61);
    for (let round = 0; round < 20_000; round++) expectLikeJavaScript(randomText(next, 40, 0));
    for (let round = 0; round < 20_000; round++) expectLikeJavaScript(randomText(next, 40, 0.02));
    for (let round = 0; round < 300; round++)
      expectLikeJavaScript(randomText(next, 2000, round % 2 ? 0 : 0.001));
  });

  it('matches on every code unit at every place in a block of eight', () => {
    for (let c = 0; c < 0x10000; c++) {
      const unit = String.fromCharCode(c);
      for (let at = 0; at < 9; at += c < 0x80 ? 1 : 4)
        expectLikeJavaScript(`${'aB cD eF '.slice(0, at)}${unit}xY  z`);
    }
  });

  it('matches on hostile text and at the capacity edge', () => {
    for (const text of [
      '',
      ' ',
      '\n',
      'A',
      'A'.repeat(KERNEL_CAPACITY),
      'A'.repeat(KERNEL_CAPACITY + 1),
      ' '.repeat(KERNEL_CAPACITY),
      '\r\n'.repeat(KERNEL_CAPACITY / 2),
      'X '.repeat(KERNEL_CAPACITY / 2 + 1),
      `${'ab '.repeat(KERNEL_CAPACITY / 3)}é`,
      `é${'ab '.repeat(KERNEL_CAPACITY / 3)}`,
      'x \t'.repeat(300_000),
    ])
      expectLikeJavaScript(text);
  });

  it('ships the build of its source (npm run build:wasm)', () => {
    expect(
      Buffer.compare(
        buildAsScriptDoes('wasm/fold-kernel.ts'),
        readFileSync(join(packageRoot(), FOLD_KERNEL_FILE)),
      ),
    ).toBe(0);
  });
});
