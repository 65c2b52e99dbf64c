import { isAscii } from '../core/text.js';
import { fmix32 } from '../core/hash.js';
/**
 * Content fingerprints for near-duplicate work, computed once at ingest from the user text:
 * - SimHash (Charikar 2002), 64-bit, over word unigrams and bigrams: near-variants differ in few bits;
 * - MinHash, 32 one-permutation bins over the words: estimates Jaccard resemblance of the word sets (Broder).
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
  const anyCjk = CJK.test(folded);
  for (const match of folded.matchAll(WORD)) {
    const word = match[0];
    if (anyCjk && word.length > 1 && CJK.test(word)) {
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

export interface Fingerprints {
  /** 16 lower-case hex digits, or '' when the text has no words. */
  simhash: string;
  minhash?: number[];
}

/** Empty one-permutation-hashing bin. */
export const EMPTY_BIN = 0xffffffff;

// Scratch space reused across calls (fingerprinting runs once per ingested event; fresh typed arrays per
// call were a measurable share of ingest's allocation and GC).
let wordHashScratch = new Uint32Array(256);
/** Bit-sliced per-bit counters (see fingerprint): 32 count bits, far more than any text has features. */
const loCountScratch = new Int32Array(33);
const hiCountScratch = new Int32Array(33);

/**
 * The 32 lanes whose bit-sliced count (first `width` words of `counts`) exceeds `limit`, as a bit mask: one
 * comparison for all lanes at once, from the most significant count bit down.
 */
function lanesAbove(counts: Int32Array, width: number, limit: number): number {
  let above = 0;
  let equal = -1;
  for (let k = width - 1; k >= 0; k--) {
    const c = counts[k]!;
    if ((limit >>> k) & 1) equal &= c;
    else {
      above |= equal & c;
      equal &= ~c;
    }
  }
  return above;
}

/** The scratch array, grown (keeping its contents) to hold at least `size` hashes. */
function hashScratch(size: number): Uint32Array {
  if (wordHashScratch.length < size) {
    const grown = new Uint32Array(Math.max(size, wordHashScratch.length * 2));
    grown.set(wordHashScratch);
    wordHashScratch = grown;
  }
  return wordHashScratch;
}

/**
 * Word hashes of plain-ASCII text without building strings: the same words and hashes as tokens() and
 * hash32() (NFKC leaves ASCII unchanged, a word is a run of letters and digits, lower-cased).
 */
function asciiWordHashes(text: string): number {
  let out = hashScratch(16);
  let n = 0;
  let h = 0;
  let inWord = false;
  for (let i = 0; i <= text.length; i++) {
    let c = i < text.length ? text.charCodeAt(i) : 32;
    const upper = c >= 65 && c <= 90;
    if (upper || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (upper) c += 32;
      if (!inWord) {
        h = 0x811c9dc5;
        inWord = true;
      }
      h ^= c;
      h = Math.imul(h, 0x01000193);
    } else if (inWord) {
      if (n === out.length) out = hashScratch(n + 1);
      out[n++] = fmix32(h);
      inWord = false;
    }
  }
  return n;
}

export function fingerprint(text: string): Fingerprints {
  let n: number;
  if (isAscii(text)) {
    n = asciiWordHashes(text);
  } else {
    const words = tokens(text);
    n = words.length;
    const scratch = hashScratch(n);
    for (let i = 0; i < n; i++) scratch[i] = hash32(words[i]!, 0);
  }
  if (n === 0) return { simhash: '' };
  // Features: every word and every adjacent word pair (pairs keep some word order). A pair's hash mixes its
  // two word hashes, so no pair strings are built.
  const wordHashes = wordHashScratch;
  const features = 2 * n - 1;
  // Per-bit counts of set bits over all features, kept bit-sliced: bit b of loCount[k] is bit k of the count
  // for SimHash bit b. Adding a feature is a ripple-carry over the count words (usually a step or two)
  // instead of one increment per set bit.
  const loCount = loCountScratch;
  const hiCount = hiCountScratch;
  loCount.fill(0);
  hiCount.fill(0);
  const minhash = new Array<number>(MINHASH_SIZE).fill(EMPTY_BIN);
  for (let f = 0; f < features; f++) {
    const lo =
      f < n
        ? wordHashes[f]!
        : fmix32((Math.imul(wordHashes[f - n]!, 0x01000193) ^ wordHashes[f - n + 1]!) + 0x5bd1e995);
    // The high word comes from re-mixing the low one.
    const hi = fmix32(lo ^ 0x9e3779b9);
    for (let carry = lo | 0, k = 0; carry !== 0; k++) {
      const word = loCount[k]!;
      loCount[k] = word ^ carry;
      carry &= word;
    }
    for (let carry = hi | 0, k = 0; carry !== 0; k++) {
      const word = hiCount[k]!;
      hiCount[k] = word ^ carry;
      carry &= word;
    }
    // One-permutation MinHash (Li, Owen, Zhang 2012) over the words only: the top 5 bits pick a bin, the
    // rest is the value, so each word costs one hash instead of one per slot. Bags of words survive
    // reordering, the commonest rephrasing.
    if (f < n) {
      const bin = hi >>> 27;
      const value = hi & 0x07ffffff;
      if (value < minhash[bin]!) minhash[bin] = value;
    }
  }
  // A bit is set when more than half the features set it: count > features / 2, i.e. count > floor(features / 2)
  // for whole counts. A count never exceeds the number of features, so only that many count bits can be set.
  const limit = Math.floor(features / 2);
  const width = 32 - Math.clz32(features);
  const lo = lanesAbove(loCount, width, limit);
  const hi = lanesAbove(hiCount, width, limit);
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

/**
 * MinHash Jaccard estimate: the share of bins where both sketches agree, ignoring bins empty in both (the
 * one-permutation estimator; for full sketches this is the classic share of equal slots).
 */
export function jaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let same = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === EMPTY_BIN && b[i] === EMPTY_BIN) continue;
    used += 1;
    if (a[i] === b[i]) same += 1;
  }
  return used === 0 ? 0 : same / used;
}
