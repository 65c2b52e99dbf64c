/**
 * Content fingerprints for near-duplicate work, computed once at ingest from the user text:
 * - SimHash (Charikar 2002), 64-bit, over word unigrams and bigrams: near-variants differ in few bits;
 * - MinHash, 32 values over the same shingles: estimates Jaccard resemblance (Broder).
 * Both work on a cheap normalisation (NFKC, lower case, punctuation dropped), so case and spacing tricks do
 * not hide a rephrase. Neither can be inverted back to the text.
 */

export const MINHASH_SIZE = 32;

const WORD = /[\p{L}\p{N}]+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Lower-cased word tokens; runs of CJK characters become character bigrams (no spaces to split on). */
export function tokens(text: string): string[] {
  const folded = text.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  for (const match of folded.matchAll(WORD)) {
    const word = match[0];
    if (word.length > 1 && CJK.test(word)) {
      for (let i = 0; i < word.length - 1; i++) out.push(word.slice(i, i + 2));
    } else {
      out.push(word);
    }
  }
  return out;
}

/** 32-bit FNV-1a with a seed, finished with murmur3's fmix32 for avalanche. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Shingles: every word and every adjacent word pair (pairs keep some word order). */
function shingles(words: readonly string[]): string[] {
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

export interface Fingerprints {
  /** 16 lower-case hex digits, or '' when the text has no words. */
  simhash: string;
  minhash?: number[];
}

export function fingerprint(text: string): Fingerprints {
  const features = shingles(tokens(text));
  if (features.length === 0) return { simhash: '' };
  const weights = new Int32Array(64);
  const minhash = new Array<number>(MINHASH_SIZE).fill(0xffffffff);
  for (const feature of features) {
    const lo = hash32(feature, 0);
    const hi = hash32(feature, 0x9e3779b9);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit]! += (lo >>> bit) & 1 ? 1 : -1;
      weights[bit + 32]! += (hi >>> bit) & 1 ? 1 : -1;
    }
    // MinHash permutations derived from one base hash (mix with a per-slot constant): cheap and independent enough.
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const v = fmix32(lo ^ Math.imul(i + 1, 0x9e3779b9));
      if (v < minhash[i]!) minhash[i] = v;
    }
  }
  let lo = 0;
  let hi = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (weights[bit]! > 0) lo |= 1 << bit;
    if (weights[bit + 32]! > 0) hi |= 1 << bit;
  }
  const simhash = (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
  return { simhash, minhash };
}

function popcount32(value: number): number {
  let v = value >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Bits that differ between two 64-bit SimHashes. */
export function hamming(a: bigint, b: bigint): number {
  const x = a ^ b;
  return popcount32(Number(x & 0xffffffffn)) + popcount32(Number((x >> 32n) & 0xffffffffn));
}

/** MinHash Jaccard estimate: the share of slots where both sketches agree. */
export function jaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same += 1;
  return same / n;
}
