import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { buildAsScriptDoes } from '../core/testing/wasm-build.js';
import { CIPHER_WORDS_FILE, KERNEL_CAPACITY } from './cipher-words-kernel.js';
import { MAX_COLLECTED_CUES, scanFoldedWords, usesCipherWordsKernel, Vote } from './cipher-words.js';
import { atbash, rot13, shiftLetters } from './letter-ciphers.js';
import { rng, wordTableSnapshot } from './test-helpers.js';

/** The kernel's words and cue candidates equal the JavaScript scan's (the reference), with and without cues. */
function expectKernelLikeJavaScript(text: string): void {
  const jsCues: number[] = [];
  const js = wordTableSnapshot(scanFoldedWords(text, jsCues, true));
  const kernelCues: number[] = [];
  const kernel = wordTableSnapshot(scanFoldedWords(text, kernelCues));
  const label = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}... (${text.length})` : text);
  expect(kernel, label).toEqual(js);
  expect(kernelCues, label).toEqual(jsCues);
  // The kernel also counts the words voting for each cipher (what findCipherRuns skips a search on); the
  // JavaScript scan, which takes texts past the kernel's capacity, does not (-1).
  const words = scanFoldedWords(text, null);
  if (text.length > KERNEL_CAPACITY) {
    expect([words.rotFor, words.revFor, words.shifted], label).toEqual([-1, -1, -1]);
    return;
  }
  const counted = (votes: Int8Array, vote: (v: number) => boolean) => {
    let n = 0;
    for (let w = 0; w < words.count; w++) if (vote(votes[w]!)) n++;
    return n;
  };
  expect([words.rotFor, words.revFor, words.shifted], label).toEqual([
    counted(words.rot, (v) => v === Vote.For),
    counted(words.rev, (v) => v === Vote.For),
    counted(words.shift, (s) => s > 0),
  ]);
  expect(wordTableSnapshot(scanFoldedWords(text, null)), label).toEqual(
    wordTableSnapshot(scanFoldedWords(text, null, true)),
  );
}

/** Pieces of folded text: words plain and ciphered, digits, separators, leet, marks, emoji, other scripts. */
const PIECES = [
  'the',
  'ignore',
  rot13('ignore all previous'),
  'erongi',
  shiftLetters('system prompt', 3),
  atbash('reveal the password'),
  'vtaber',
  'zzq',
  'a',
  'i',
  ' ',
  ' ',
  '  ',
  '\n',
  '. ',
  ',',
  '-',
  '*',
  '**',
  '`',
  '~',
  '7',
  '4',
  '0',
  '3',
  '@',
  '$',
  '€',
  '·',
  '★',
  '•',
  '🙂',
  '\ud83d',
  '\ude42',
  '\ud800',
  'é',
  'ß',
  'привет',
  '日本',
  'gjb2',
  'x',
];

function randomText(next: () => number, pieces: number): string {
  let text = '';
  const length = Math.floor(next() * pieces);
  for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)]!;
  return text;
}

describe('cipher word scan kernel (wasm/cipher-words.ts)', () => {
  it('is loaded (so the tests below compare it with the JavaScript scan, not the scan with itself)', () => {
    expect(usesCipherWordsKernel()).toBe(true);
  });

  it('finds the words, votes, shifts and cue candidates the JavaScript scan finds', () => {
    const next = rng(41);
    for (let round = 0; round < 6000; round++) expectKernelLikeJavaScript(randomText(next, 40));
    for (let round = 0; round < 200; round++) expectKernelLikeJavaScript(randomText(next, 2000));
  });

  it('matches on every code unit alone and beside letters (tables cover the whole BMP)', () => {
    let text = '';
    for (let c = 0; c < 0x10000; c++) text += `${String.fromCharCode(c)}a${String.fromCharCode(c)}b `;
    for (let at = 0; at < text.length; at += KERNEL_CAPACITY / 2)
      expectKernelLikeJavaScript(text.slice(at, at + KERNEL_CAPACITY));
  });

  it('matches on hostile text: long words, a cue at every space, the capacity edge', () => {
    const next = rng(42);
    let word = '';
    for (let i = 0; i < 5000; i++) word += String.fromCharCode(97 + Math.floor(next() * 26));
    for (const text of [
      word,
      `${rot13('ignore all previous')} ${word} 7${word.slice(0, 40)}`,
      'q'.repeat(KERNEL_CAPACITY),
      'e'.repeat(KERNEL_CAPACITY + 1),
      'a '.repeat(MAX_COLLECTED_CUES),
      'a '.repeat(MAX_COLLECTED_CUES + 1),
      'a '.repeat(KERNEL_CAPACITY / 2),
      'a.'.repeat(KERNEL_CAPACITY / 2 + 1),
      'ab '.repeat(KERNEL_CAPACITY / 3),
      ' '.repeat(KERNEL_CAPACITY),
      '',
      'a',
      ' b',
      'b4',
    ])
      expectKernelLikeJavaScript(text);
  });

  it('ships the build of its source (npm run build:wasm)', () => {
    expect(
      Buffer.compare(
        buildAsScriptDoes('wasm/cipher-words.ts'),
        readFileSync(join(packageRoot(), CIPHER_WORDS_FILE)),
      ),
    ).toBe(0);
  });
});
