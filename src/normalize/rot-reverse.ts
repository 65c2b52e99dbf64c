import { CodeUnits } from './code-units.js';
import { isCueCandidate } from './squash-cues.js';
import { BIGRAM_SCORE, COMMON_WORDS, hasCommonWords } from './english.js';
import { atbash, reverse, rot13, shiftLetters } from './letter-ciphers.js';

export { atbash, reverse, rot13, shiftLetters } from './letter-ciphers.js';

export interface CipherRun {
  /**
   * `caesar` is any other letter shift (1-12, 14-25); ROT13, its own inverse, keeps its name; `atbash` mirrors
   * the alphabet (a↔z, b↔y: the cipher-chat jailbreaks' other classic).
   */
  transform: 'rot13' | 'reversed' | 'caesar' | 'atbash';
  /** Range in the scanned text. */
  start: number;
  end: number;
  /** The run with the transform undone. */
  text: string;
}

/** Per-bigram score gain (scale 0..15 per bigram) that marks a word as likely encoded. */
const WORD_GAIN = 1.5;
/** Per-bigram loss that marks a word as plain text, ending a candidate run. */
const AGAINST_GAIN = 2;
const MIN_RUN_LETTERS = 12;
/**
 * Mean letter-pair score (0..15) under which a word reads as not English: real English words score ~11-13,
 * shifted ones mostly 3-9 ("decode" 12.4, its shift by 3 "ghfrgh" 9.0).
 */
const ODD_WORD_SCORE = 10;
const MIN_RUN_WORDS = 3;

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
const ATBASH = 27;
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
type Vote = -1 | 0 | 1;
const Vote = { Against: -1, Neutral: 0, For: 1 } as const;

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

let WORDS = new WordTable();
/** The text scanFolded last scanned into WORDS (null once anything else has). */
let SCANNED: string | null = null;

/**
 * Scans the words of a folded text ahead of findCipherRuns, which then reuses them, and returns the text's squash
 * cue candidates, collected on the way (one pass over the text instead of two; see isCueCandidate), or null when
 * there are too many to be worth listing.
 */
export function scanFolded(text: string): number[] | null {
  const cues: number[] = [];
  scanWords(text, WORDS, PACKED_PAIRS, cues);
  SCANNED = text;
  return cues.length > MAX_COLLECTED_CUES ? null : cues;
}

/**
 * Candidates collected at most (an ordinary 2 KB text has a handful). Past this many (hostile text such as "a a a ...",
 * a candidate at every space) the scan stops collecting and returns null: CueScan then scans itself, skipping all
 * candidates inside the windows it has made, where a list of every candidate cost the whole text.
 */
const MAX_COLLECTED_CUES = 1024;

/**
 * Finds runs of lowercase text that read as English once ROT13 or reversal is undone, and read worse as
 * they are. ROT13 and reversal keep the alphabet, so they can only be told apart from ordinary text by
 * plausibility: common words (seen through the cipher) and letter-bigram scores pick candidate words in one
 * pass, then a common-word check on the decoded run confirms it. Ordinary English and other languages get no
 * runs.
 */
export function findCipherRuns(text: string): CipherRun[] {
  const words = SCANNED === text ? WORDS : scanWords(text, WORDS);
  SCANNED = null;
  if (words.count < MIN_RUN_WORDS) return [];
  const runs: CipherRun[] = [];
  collect(text, words, words.rot, 'rot13', runs);
  collect(text, words, words.rev, 'reversed', runs);
  collectShifted(text, words, runs);
  // A table grown by a huge text is dropped, not kept for the next one.
  if (words.start.length > 1 << 16) WORDS = new WordTable();
  return runs;
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
const PACKED_PAIRS = 2000;

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

function collect(
  text: string,
  words: WordTable,
  votes: Int8Array,
  transform: CipherRun['transform'],
  out: CipherRun[],
): void {
  let k = 0;
  const count = words.count;
  while (k < count) {
    if (votes[k] !== Vote.For) {
      k++;
      continue;
    }
    // Extend over encoded-looking and undecided words; end on the last word that voted for the cipher.
    let last = k;
    let forVotes = 1;
    let j = k + 1;
    while (j < count && votes[j] !== Vote.Against) {
      if (votes[j] === Vote.For) {
        last = j;
        forVotes++;
      }
      j++;
    }
    let letters = 0;
    for (let m = k; m <= last; m++) letters += words.end[m]! - words.start[m]!;
    if (forVotes >= MIN_RUN_WORDS && letters >= MIN_RUN_LETTERS) {
      const start = words.start[k]!;
      const end = words.end[last]!;
      const source = text.slice(start, end);
      const decoded = transform === 'rot13' ? rot13(source) : reverse(source);
      if (readsAsEnglish(decoded, source)) out.push({ transform, start, end, text: decoded });
    }
    k = last + 1;
  }
}

/**
 * Runs of words that are common English words under one and the same letter shift (a Caesar cipher other than
 * ROT13) or under Atbash, with at most MAX_SHIFTED_GAP plain-looking words in a row between them: decoded by shifting back,
 * confirmed like the others.
 */
/**
 * Plain-looking words a shifted run may hold: shifting a word can make another real word ("you are now" shifted
 * by 4 reads "csy evi rsa", "dan" reads "her").
 */
const MAX_SHIFTED_GAP = 2;
/** Undecided words taken into a confirmed shifted run on each side. */
const MAX_SHIFTED_EXTEND = 8;

function collectShifted(text: string, words: WordTable, out: CipherRun[]): void {
  const count = words.count;
  let k = 0;
  while (k < count) {
    const shift = words.shift[k]!;
    if (shift <= 0) {
      k++;
      continue;
    }
    let last = k;
    let forVotes = 1;
    let plain = 0;
    for (let j = k + 1; j < count; j++) {
      const s = words.shift[j]!;
      if (s === shift) {
        last = j;
        forVotes++;
        plain = 0;
      } else if (s < 0 && ++plain > MAX_SHIFTED_GAP) break;
    }
    let letters = 0;
    for (let m = k; m <= last; m++) letters += words.end[m]! - words.start[m]!;
    if (forVotes >= MIN_RUN_WORDS && letters >= MIN_RUN_LETTERS) {
      const source = text.slice(words.start[k]!, words.end[last]!);
      const plain = undoShift(source, shift);
      // 24 shifts are 24 chances for a short foreign word to read as "an" or "who": two distinct common words
      // of three letters or more are asked for on top.
      if (readsAsEnglish(plain, source) && hasCommonWords(plain, 2, 3)) {
        // Confirmed: undecided words just around it that read poorly as English ("kfwhs o dvwgvwbu saowz" before
        // "hvoh", `that`) are shifted too, only not common words; they belong to the decoded text.
        const around = (w: number) => words.shift[w] === 0 && readsOdd(text, words.start[w]!, words.end[w]!);
        let first = k;
        for (let n = 0; n < MAX_SHIFTED_EXTEND && first > 0 && around(first - 1); n++) first--;
        for (let n = 0; n < MAX_SHIFTED_EXTEND && last + 1 < count && around(last + 1); n++) last++;
        const start = words.start[first]!;
        const end = words.end[last]!;
        out.push({
          transform: shift === ATBASH ? 'atbash' : 'caesar',
          start,
          end,
          text: undoShift(text.slice(start, end), shift),
        });
      }
    }
    k = last + 1;
  }
}

/** Whether the letters in [start, end) pair up poorly as English (see ODD_WORD_SCORE). */
function readsOdd(text: string, start: number, end: number): boolean {
  let score = 0;
  for (let i = start + 1; i < end; i++)
    score += BIGRAM_SCORE[(text.charCodeAt(i - 1) - 97) * 26 + text.charCodeAt(i) - 97]!;
  return end - start > 1 && score < ODD_WORD_SCORE * (end - start - 1);
}

/** Decoded text must hit common English words, and far more often than the source did. */
function readsAsEnglish(decoded: string, source: string): boolean {
  const hits = commonWordHits(decoded);
  const before = commonWordHits(source);
  return hits.distinct >= 2 && hits.common >= hits.words * 0.3 && hits.common >= 2 * before.common + 1;
}

function commonWordHits(text: string): { common: number; distinct: number; words: number } {
  let common = 0;
  let words = 0;
  const seen = new Set<string>();
  for (const word of text.split(/[^a-z]+/)) {
    if (!word) continue;
    words++;
    if (COMMON_WORDS.has(word)) {
      common++;
      seen.add(word);
    }
  }
  return { common, distinct: seen.size, words };
}

function undoShift(text: string, shift: number): string {
  return shift === ATBASH ? atbash(text) : shiftLetters(text, 26 - shift);
}
