import { createHash } from 'node:crypto';

/** Text beyond this many characters does not change the fingerprint (bounds the work per event). */
const MAX_CHARS = 8_000;

function isWordChar(code: number): boolean {
  // ASCII letters/digits fast; everything above ASCII that is not whitespace/punctuation counts as a letter.
  if (code < 128)
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return (
    code !== 0xa0 &&
    !(code >= 0x2000 && code <= 0x206f) &&
    code !== 0x3000 &&
    !(code >= 0x3001 && code <= 0x3003)
  );
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * 64-bit SimHash over word 3-shingles of case-folded text, as 16 hex chars. Near-duplicate prompts (probing,
 * templated abuse) land within a few bits of each other. Words are hashed while scanning (FNV-1a, ASCII case
 * folded in place), so no strings or arrays are allocated per word.
 */
export function simhash64(text: string): string {
  // Per bit, how many shingles had it set; a bit of the result is set when most shingles had it.
  const counts = new Int32Array(64);
  const n = Math.min(text.length, MAX_CHARS);
  let w1 = 0;
  let w2 = 0;
  let words = 0;
  let shingles = 0;
  let h = 0x811c9dc5;
  let inWord = false;
  for (let i = 0; i <= n; i++) {
    let code = i < n ? text.charCodeAt(i) : 32;
    if (i < n && isWordChar(code)) {
      if (code >= 65 && code <= 90) code += 32;
      else if (code >= 128) code = text[i]!.toLowerCase().charCodeAt(0);
      h = Math.imul(h ^ code, 0x01000193);
      inWord = true;
      continue;
    }
    if (!inWord) continue;
    const word = h >>> 0;
    h = 0x811c9dc5;
    inWord = false;
    words++;
    if (words >= 3) {
      addShingle(counts, w1, w2, word);
      shingles++;
    }
    w1 = w2;
    w2 = word;
  }
  if (words === 0) return '0000000000000000';
  if (shingles === 0) {
    addShingle(counts, w1, w2, 0);
    shingles = 1;
  }
  let lo = 0;
  let hi = 0;
  for (let b = 0; b < 32; b++) {
    if (counts[b]! * 2 > shingles) lo |= 1 << b;
    if (counts[b + 32]! * 2 > shingles) hi |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

function addShingle(counts: Int32Array, a: number, b: number, c: number): void {
  let lo = mix(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77));
  let hi = mix(lo ^ 0x27d4eb2f ^ c);
  // Visit set bits only (about half): lowest set bit via clz32 of x & -x.
  while (lo !== 0) {
    counts[31 - Math.clz32(lo & -lo)]!++;
    lo &= lo - 1;
  }
  while (hi !== 0) {
    counts[63 - Math.clz32(hi & -hi)]!++;
    hi &= hi - 1;
  }
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
