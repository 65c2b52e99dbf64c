import { describe, expect, it } from 'vitest';
import { collapseAscii, collapseAsciiReference } from './collapse-ascii.js';
import { rng } from './test-helpers.js';

/** Printable ASCII and every ASCII whitespace character, alone and in runs. */
const PIECES = [
  'a',
  'Z',
  'Hello',
  'q',
  '0',
  '.',
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

function expectLikeReference(text: string): void {
  const fast = collapseAscii(text);
  const reference = collapseAsciiReference(text);
  const label = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}... (${text.length})` : text);
  expect(fast.text, label).toBe(reference.text);
  expect(fast.identity, label).toBe(reference.identity);
  expect([...fast.transforms], label).toEqual([...reference.transforms]);
}

describe('collapseAscii', () => {
  it('lowercases and collapses whitespace exactly as the native lowercase and regex replace do', () => {
    const next = rng(51);
    for (let round = 0; round < 20_000; round++) {
      let text = '';
      const length = Math.floor(next() * (round % 100 === 0 ? 3000 : 30));
      for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)]!;
      expectLikeReference(text);
    }
  });

  it('does so on every printable and whitespace unit, and on texts that outgrow and shrink its buffer', () => {
    let every = '';
    for (let c = 0x09; c <= 0x7e; c++) if (c <= 0x0d || c >= 0x20) every += String.fromCharCode(c);
    expectLikeReference(every);
    expectLikeReference(every.repeat(3000));
    for (const text of [
      '',
      ' ',
      '\n',
      'A',
      ' \n\t',
      'X '.repeat(500_000),
      '\r'.repeat(100_000),
      'ab\t'.repeat(30_000),
    ])
      expectLikeReference(text);
    expectLikeReference(every);
  });
});
