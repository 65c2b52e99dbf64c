/**
 * The cipher word scan behind findCipherRuns (rot-reverse.ts): every word of a folded text with its votes on "this
 * run is ROT13 / reversed" and the letter shift under which it is a common word, plus the squash cue candidates
 * between words. The scan runs in a WebAssembly kernel (wasm/cipher-words.ts, see cipher-words-kernel.ts) when
 * one is available and the text fits it; scanWords here is its reference and fallback.
 */
import { CodeUnits } from './code-units.js';
import {
  type CipherWordsKernel,
  type CipherWordsTables,
  createCipherWordsKernel,
  FOR_REVERSAL,
  FOR_ROT13,
  KERNEL_CAPACITY,
  SHIFTED as SHIFTED_WORDS,
} from './cipher-words-kernel.js';
import { BIGRAM_SCORE, COMMON_WORDS } from './english.js';
import { atbash, reverse, rot13, shiftLetters } from './letter-ciphers.js';
import { CUE_UNITS, isCueCandidate } from './squash-cues.js';

/** Per-bigram score gain (scale 0..15 per bigram) that marks a word as likely encoded. */
const WORD_GAIN = 1.5;
/** Per-bigram loss that marks a word as plain text, ending a candidate run. */
const AGAINST_GAIN = 2;

function wordHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * What a word hash is, as bits: a common word as it is (PLAIN), after ROT13 (ROT), reversed (REV), shifted by s
 * letters (bit s, s = 1..25 but 13) or under Atbash (bit ATBASH). One open-addressing table of typed arrays
 * answers all of them in one probe (a Set per question cost a quarter of this scan). Words of two letters count
 * plain and under ROT13 only: every two-letter string is some shift of many others.
 */
const PLAIN = 1 << 0;
const ROT = 1 << 13;
const REV = 1 << 26;
/** The pseudo-shift that stands for Atbash in the table and in WordTable.shift. */
export const ATBASH = 27;
const SHIFTS = ((1 << 26) - 2) & ~ROT;
const SHIFTED = SHIFTS | (1 << ATBASH);
const SLOTS = 1 << 14;
/** Slot k holds a word hash at 2k and its bits at 2k + 1 (0 = empty slot: every stored entry has a bit set). */
const TABLE = new Int32Array(2 * SLOTS);

function slotOf(hash: number): number {
  let slot = (Math.imul(hash, 0x9e3779b1) >>> 18) & (SLOTS - 1);
  while (TABLE[2 * slot + 1] !== 0 && TABLE[2 * slot] !== hash) slot = (slot + 1) & (SLOTS - 1);
  return slot;
}

function addWord(word: string, bit: number): void {
  const hash = wordHash(word);
  const slot = slotOf(hash);
  TABLE[2 * slot] = hash;
  TABLE[2 * slot + 1]! |= bit;
}

/** The bits of a word hash (0 when it is none of the above). */
function bitsOf(hash: number): number {
  return TABLE[2 * slotOf(hash) + 1]!;
}

for (const w of COMMON_WORDS) {
  if (w.length < 2) continue;
  addWord(w, PLAIN);
  addWord(rot13(w), ROT);
  if (w.length < 3) continue;
  addWord(reverse(w), REV);
  for (let shift = 1; shift < 26; shift++) if (shift !== 13) addWord(shiftLetters(w, shift), 1 << shift);
  addWord(atbash(w), 1 << ATBASH);
}

/** How a word votes on "this run is encoded". */
export type Vote = -1 | 0 | 1;
export const Vote = { Against: -1, Neutral: 0, For: 1 } as const;

/**
 * The words of the text being scanned, as parallel arrays reused across calls (a text has hundreds of words;
 * an object per word was one of the engine's largest allocations). Word `w` spans [start[w], end[w]) and votes
 * rot[w] / rev[w] (Vote values) on "this run is encoded"; words that vote against both ciphers keep no offsets.
 */
export class WordTable {
  count = 0;
  start = new Int32Array(256);
  end = new Int32Array(256);
  rot = new Int8Array(256);
  rev = new Int8Array(256);
  /** Letter shift (1..25 but 13) under which the word is a common word; 0 none; -1 a plain English word. */
  shift = new Int8Array(256);
  /**
   * Words voting for ROT13, for reversal, and common under a shift (shift > 0), as the kernel counts them; -1 when
   * not counted (the JavaScript scan). A run needs three (rot-reverse.ts), so fewer means none is looked for.
   */
  rotFor = -1;
  revFor = -1;
  shifted = -1;
  push(start: number, end: number, rot: Vote, rev: Vote, shift = 0): void {
    if (this.count === this.start.length) this.grow();
    const w = this.count++;
    this.start[w] = start;
    this.end[w] = end;
    this.rot[w] = rot;
    this.rev[w] = rev;
    this.shift[w] = shift;
  }

  private grow(): void {
    const size = this.start.length * 2;
    const start = new Int32Array(size);
    const end = new Int32Array(size);
    const rot = new Int8Array(size);
    const rev = new Int8Array(size);
    const shift = new Int8Array(size);
    start.set(this.start);
    end.set(this.end);
    rot.set(this.rot);
    rev.set(this.rev);
    shift.set(this.shift);
    this.start = start;
    this.end = end;
    this.rot = rot;
    this.rev = rev;
    this.shift = shift;
  }
}

/**
 * Per bigram `ab` (index a*26+b): score of its ROT13 reading minus its plain score, and of its reversed
 * reading minus its plain score. Scores are small integers, so per-word sums are exact in either order.
 */
const ROT_GAIN = new Int16Array(676);
const REV_GAIN = new Int16Array(676);
for (let a = 0; a < 26; a++) {
  for (let b = 0; b < 26; b++) {
    const fwd = BIGRAM_SCORE[a * 26 + b]!;
    ROT_GAIN[a * 26 + b] = BIGRAM_SCORE[((a + 13) % 26) * 26 + ((b + 13) % 26)]! - fwd;
    REV_GAIN[a * 26 + b] = BIGRAM_SCORE[b * 26 + a]! - fwd;
  }
}

/**
 * ROT_GAIN[pair] * 2^16 + REV_GAIN[pair]: both gains summed in one add per letter. Gains are within ±15, so the two
 * halves of a sum stay apart (and the sum within 32 bits) for words of up to PACKED_PAIRS letter pairs.
 */
const PACKED_GAIN = new Int32Array(676);
for (let p = 0; p < 676; p++) PACKED_GAIN[p] = ROT_GAIN[p]! * 65536 + REV_GAIN[p]!;
export const PACKED_PAIRS = 2000;

/** The scanned text's code units (see code-units.ts). */
const UNITS = new CodeUnits();

/**
 * The words of `text` with their votes. Exported for its test, which sets `packedPairs` to 0 to sum every word's gains
 * apart (the reference the packed sums must match).
 */
export function scanWords(
  text: string,
  words: WordTable,
  packedPairs = PACKED_PAIRS,
  cues: number[] | null = null,
): WordTable {
  words.count = 0;
  words.rotFor = -1;
  words.revFor = -1;
  words.shifted = -1;
  const n = text.length;
  const codes = UNITS.load(text);
  let i = 0;
  while (i < n) {
    let c = codes[i]! - 97;
    if (c < 0 || c > 25) {
      // Between words: where squash cues may be (see isCueCandidate), collected on request.
      if (cues !== null && isCueCandidate(codes, i) && cues.push(i) > MAX_COLLECTED_CUES) cues = null;
      i++;
      continue;
    }
    const start = i;
    // Score differences (cipher reading minus plain reading), summed per bigram from precomputed tables.
    let packed = 0;
    let prev = c;
    let hash = c + 97;
    i++;
    while (i < n) {
      c = codes[i]! - 97;
      if (c < 0 || c > 25) break;
      packed = (packed + PACKED_GAIN[prev * 26 + c]!) | 0;
      hash = (Math.imul(hash, 31) + c + 97) | 0;
      prev = c;
      i++;
    }
    let revGain = (packed << 16) >> 16;
    let rotGain = (packed - revGain) >> 16;
    if (i - start - 1 > packedPairs) {
      // A word this long (hostile input) overflowed the packed sum: summed again, apart.
      rotGain = 0;
      revGain = 0;
      for (let k = start + 1; k < i; k++) {
        const pair = (codes[k - 1]! - 97) * 26 + codes[k]! - 97;
        rotGain += ROT_GAIN[pair]!;
        revGain += REV_GAIN[pair]!;
      }
    }
    const pairs = i - start - 1;
    // Single letters carry no bigram and no common word in either cipher: they neither start, end nor
    // break a run, so they are not recorded at all.
    if (pairs === 0) continue;
    // Most prose words read far worse through either cipher: no lookups needed.
    if (pairs >= 2 && rotGain <= -AGAINST_GAIN * pairs && revGain <= -AGAINST_GAIN * pairs) {
      words.push(0, 0, Vote.Against, Vote.Against, -1);
      continue;
    }
    // Words glued to digits are identifiers (GJB2, KCNQ1), not prose.
    const glued = (start > 0 && isDigit(codes[start - 1]!)) || isDigit(codes[i]!);
    const bits = glued ? 0 : bitsOf(hash);
    if (glued || bits & PLAIN) {
      words.push(0, 0, Vote.Against, Vote.Against, -1);
      continue;
    }
    const shifts = pairs >= 2 ? bits & SHIFTED : 0;
    words.push(
      start,
      i,
      vote((bits & ROT) !== 0, rotGain, pairs),
      vote((bits & REV) !== 0, revGain, pairs),
      shifts ? 31 - Math.clz32(shifts & -shifts) : 0,
    );
  }
  return words;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function vote(common: boolean, gain: number, pairs: number): Vote {
  if (common) return Vote.For;
  if (pairs < 2) return Vote.Neutral;
  if (gain >= WORD_GAIN * pairs) return Vote.For;
  return gain <= -AGAINST_GAIN * pairs ? Vote.Against : Vote.Neutral;
}

/**
 * Candidates collected at most (an ordinary 2 KB text has a handful). Past this many (hostile text such as "a a a ...",
 * a candidate at every space) the scan stops collecting and scanFolded returns null: CueScan then scans itself,
 * skipping all candidates inside the windows it has made, where a list of every candidate cost the whole text.
 */
export const MAX_COLLECTED_CUES = 1024;

/** The JavaScript scan's table, reused across texts. */
let JS_WORDS = new WordTable();
/** The kernel's table: views of its memory, filled by each kernel scan. */
let KERNEL_WORDS: WordTable | null = null;
/** The kernel (null when unavailable), created by the first scan. */
let KERNEL: CipherWordsKernel | null | undefined;

/** The tables scanWords reads, as the kernel takes them. */
export function cipherWordsTables(): CipherWordsTables {
  const gains = new Int32Array(2 * 676);
  for (let p = 0; p < 676; p++) {
    gains[2 * p] = ROT_GAIN[p]!;
    gains[2 * p + 1] = REV_GAIN[p]!;
  }
  return { gains, slots: TABLE, cueUnits: CUE_UNITS, maxCues: MAX_COLLECTED_CUES };
}

function kernel(): CipherWordsKernel | null {
  if (KERNEL !== undefined) return KERNEL;
  KERNEL = createCipherWordsKernel(cipherWordsTables());
  if (KERNEL) {
    const words = new WordTable();
    words.start = KERNEL.start;
    words.end = KERNEL.end;
    words.rot = KERNEL.rot;
    words.rev = KERNEL.rev;
    words.shift = KERNEL.shift;
    KERNEL_WORDS = words;
  }
  return KERNEL;
}

/**
 * scanWords(text, table, PACKED_PAIRS, cues) into a table shared by every call (read it before the next scan): by
 * the kernel when it is available and the text fits it, else by scanWords. `javascript` (tests) forces scanWords.
 */
export function scanFoldedWords(text: string, cues: number[] | null, javascript = false): WordTable {
  const k = javascript ? null : kernel();
  if (k !== null && text.length <= KERNEL_CAPACITY) {
    const words = KERNEL_WORDS!;
    words.count = k.scan(text, cues);
    words.rotFor = k.wordsFor(FOR_ROT13);
    words.revFor = k.wordsFor(FOR_REVERSAL);
    words.shifted = k.wordsFor(SHIFTED_WORDS);
    return words;
  }
  const words = scanWords(text, JS_WORDS, PACKED_PAIRS, cues);
  // A table grown by a huge text is dropped, not kept for the next one (the caller still holds it).
  if (words.start.length > 1 << 16) JS_WORDS = new WordTable();
  return words;
}

/** Whether scanFoldedWords uses the kernel (for tests: false where WebAssembly or the binary is missing). */
export function usesCipherWordsKernel(): boolean {
  return kernel() !== null;
}
