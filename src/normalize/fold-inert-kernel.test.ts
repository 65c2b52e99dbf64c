import { describe, expect, it } from 'vitest';
import { usesFoldKernel } from './collapse-ascii.js';
import { collapseInert, foldInertNoMap, inertKinds, textKinds } from './fold-inert.js';
import { rng } from './test-helpers.js';

/** ASCII in runs and blocks of eight, every ASCII whitespace, no-break spaces, controls, non-ASCII of each kind. */
const PIECES = [
  'a',
  'Z',
  'Hello',
  'WORLD',
  '0',
  '.',
  '@',
  '[',
  '~',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\r\n',
  '\v',
  '\f',
  '\r',
  '\u00a0',
  ' \u00a0',
  '\u00a0\n',
  'É',
  'ü',
  'ß',
  '日本',
  'Ж',
  '—',
  '“',
  '\u0000',
  '\u001f',
  '\u007f',
];

/**
 * The kernel's collapse of `text` must be collapse's (both read the same lowercase table); `lower` false: of the
 * text lowercased, as the native path calls it.
 */
function expectLikeJavaScript(text: string, lower = true): void {
  const label = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}... (${text.length})` : text);
  const reference = collapseInert(text, true, lower);
  const fast = collapseInert(text, false, lower);
  if (reference === null) {
    expect(fast, label).toBeNull();
    return;
  }
  expect(fast, label).not.toBeNull();
  expect(fast!.text, label).toBe(reference.text);
  expect(fast!.identity, label).toBe(reference.identity);
  expect([...fast!.transforms], label).toEqual([...reference.transforms]);
}

describe('collapseInert by the fold kernel (wasm/fold-kernel.ts foldInert)', () => {
  it('is loaded (so the tests below compare it with collapse, not collapse with itself)', () => {
    expect(usesFoldKernel()).toBe(true);
  });

  it('lowercases and collapses as collapse does', () => {
    // The lowercase table is filled as foldInertNoMap meets each unit.
    for (const piece of PIECES) foldInertNoMap(`x${piece}`);
    const next = rng(71);
    for (let round = 0; round < 30_000; round++) {
      let text = '';
      const length = Math.floor(next() * (round % 100 === 0 ? 2000 : 40));
      for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)]!;
      expectLikeJavaScript(text);
      expectLikeJavaScript(text.toLowerCase(), false);
    }
  });

  it('rests on no lowercase holding an ASCII capital (the kernel lowercases ASCII of lowercased text again)', () => {
    for (let cp = 0; cp <= 0x10ffff; cp++)
      expect(/[A-Z]/.test(String.fromCodePoint(cp).toLowerCase()), String(cp)).toBe(false);
  });

  it('matches on every code unit at every place in a block of eight', () => {
    for (let c = 0; c < 0x10000; c++) {
      const unit = String.fromCharCode(c);
      foldInertNoMap(`x${unit}`);
      for (let at = 0; at < 9; at += c < 0x100 ? 1 : 4) {
        expectLikeJavaScript(`${'aB cD eF '.slice(0, at)}${unit} xY\n z`);
        expectLikeJavaScript(`${'ab cd ef '.slice(0, at)}${unit.toLowerCase()} xy\n z`, false);
      }
    }
  });

  it('matches on long and hostile text', () => {
    for (const text of [
      '',
      '\u00a0',
      'É'.repeat(70_000),
      ' \u00a0'.repeat(40_000),
      `${'Ab '.repeat(30_000)}ü`,
      '\u00a0\u00a0x\n'.repeat(20_000),
      `${'abcdefgh'.repeat(1000)}\u0001`,
    ]) {
      expectLikeJavaScript(text);
      expectLikeJavaScript(text.toLowerCase(), false);
    }
  });
});

/** Non-ASCII units of every kind: kind 0, NATIVE, MAPPED, BREAKS (invisible, confusable, tag surrogates). */
const OTHER = [
  'É',
  'ü',
  '日',
  'Σ',
  'İ',
  'ﬁ',
  '²',
  '\u200b',
  'а',
  '\u00a0',
  '\u2028',
  '\udb40\udc41',
  '\ud800',
  '😀',
];

describe('textKinds by the fold kernel (wasm/fold-kernel.ts unitKinds)', () => {
  it('gives what inertKinds gives, on random text and on every code unit', () => {
    const next = rng(72);
    for (let round = 0; round < 20_000; round++) {
      let text = '';
      const length = Math.floor(next() * (round % 100 === 0 ? 3000 : 40));
      for (let i = 0; i < length; i++)
        text +=
          next() < 0.1
            ? OTHER[Math.floor(next() * OTHER.length)]!
            : PIECES[Math.floor(next() * PIECES.length)]!;
      // Once inertKinds has looked every unit up, textKinds reads the kernel's table.
      const expected = inertKinds(text);
      expect(textKinds(text), JSON.stringify(text.slice(0, 200))).toBe(expected);
      expect(textKinds(text), JSON.stringify(text.slice(0, 200))).toBe(expected);
    }
    for (let c = 0; c < 0x10000; c++) {
      const text = `abcdefg${String.fromCharCode(c)}`.repeat(2);
      expect(textKinds(text), String(c)).toBe(inertKinds(text));
      expect(textKinds(text.slice(3)), String(c)).toBe(inertKinds(text.slice(3)));
    }
  });
});
