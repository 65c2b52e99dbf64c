import { createHash } from 'node:crypto';

const WORD = /[\p{L}\p{N}]+/gu;

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * 64-bit SimHash over word 3-shingles of case-folded text, as 16 hex chars. Near-duplicate prompts (probing,
 * templated abuse) land within a few bits of each other. Two seeded 32-bit FNV-1a halves keep it allocation-light.
 */
export function simhash64(text: string): string {
  const words = text.toLowerCase().match(WORD) ?? [];
  if (words.length === 0) return '0000000000000000';
  const weights = new Int32Array(64);
  const n = Math.max(1, words.length - 2);
  for (let i = 0; i < n; i++) {
    const shingle = `${words[i]} ${words[i + 1] ?? ''} ${words[i + 2] ?? ''}`;
    const lo = fnv1a(shingle, 0x811c9dc5);
    const hi = fnv1a(shingle, 0x9e3779b9);
    for (let b = 0; b < 32; b++) {
      weights[b]! += (lo >>> b) & 1 ? 1 : -1;
      weights[b + 32]! += (hi >>> b) & 1 ? 1 : -1;
    }
  }
  let lo = 0;
  let hi = 0;
  for (let b = 0; b < 32; b++) {
    if (weights[b]! > 0) lo |= 1 << b;
    if (weights[b + 32]! > 0) hi |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
