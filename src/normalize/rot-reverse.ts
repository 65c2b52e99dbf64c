import { codeAt } from './chars.js';
import { BIGRAM_SCORE, COMMON_WORDS } from './english.js';

export interface CipherRun {
  transform: 'rot13' | 'reversed';
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
const MIN_RUN_WORDS = 3;

function wordHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

// Hashes of common words as they look plain, after ROT13 and reversed: a word is checked in one pass
// without slicing it out of the text.
const PLAIN = new Set<number>();
const ROT = new Set<number>();
const REV = new Set<number>();
for (const w of COMMON_WORDS) {
  if (w.length < 2) continue;
  PLAIN.add(wordHash(w));
  ROT.add(wordHash(rot13(w)));
  if (w.length > 2) REV.add(wordHash(reverse(w)));
}

/** How a word votes on "this run is encoded". */
type Vote = -1 | 0 | 1;
const Vote = { Against: -1, Neutral: 0, For: 1 } as const;

interface Word {
  start: number;
  end: number;
  rot: Vote;
  rev: Vote;
}

/**
 * Finds runs of lowercase text that read as English once ROT13 or reversal is undone, and read worse as
 * they are. ROT13 and reversal keep the alphabet, so they can only be told apart from ordinary text by
 * plausibility: common words (seen through the cipher) and letter-bigram scores pick candidate words in one
 * pass, then a common-word check on the decoded run confirms it. Ordinary English and other languages get no
 * runs.
 */
export function findCipherRuns(text: string): CipherRun[] {
  const words = scanWords(text);
  if (words.length < MIN_RUN_WORDS) return [];
  const runs: CipherRun[] = [];
  collect(text, words, 'rot13', runs);
  collect(text, words, 'reversed', runs);
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

function scanWords(text: string): Word[] {
  const words: Word[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i) - 97;
    if (c < 0 || c > 25) {
      i++;
      continue;
    }
    const start = i;
    // Score differences (cipher reading minus plain reading), summed per bigram from precomputed tables.
    let rotGain = 0;
    let revGain = 0;
    let prev = c;
    let hash = c + 97;
    i++;
    while (i < n) {
      c = text.charCodeAt(i) - 97;
      if (c < 0 || c > 25) break;
      const pair = prev * 26 + c;
      rotGain += ROT_GAIN[pair]!;
      revGain += REV_GAIN[pair]!;
      hash = (Math.imul(hash, 31) + c + 97) | 0;
      prev = c;
      i++;
    }
    const pairs = i - start - 1;
    // Single letters carry no bigram and no common word in either cipher: they neither start, end nor
    // break a run, so they are not recorded at all.
    if (pairs === 0) continue;
    // Most prose words read far worse through either cipher: no lookups needed.
    if (pairs >= 2 && rotGain <= -AGAINST_GAIN * pairs && revGain <= -AGAINST_GAIN * pairs) {
      words.push(AGAINST);
      continue;
    }
    // Words glued to digits are identifiers (GJB2, KCNQ1), not prose.
    const glued = isDigit(codeAt(text, start - 1)) || isDigit(codeAt(text, i));
    if (glued || PLAIN.has(hash)) {
      words.push(AGAINST);
      continue;
    }
    words.push({
      start,
      end: i,
      rot: vote(ROT.has(hash), rotGain, pairs),
      rev: vote(REV.has(hash), revGain, pairs),
    });
  }
  return words;
}

/** Shared marker for words that never start or end a run (their offsets are never read). */
const AGAINST: Word = Object.freeze({ start: 0, end: 0, rot: Vote.Against, rev: Vote.Against });

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function vote(common: boolean, gain: number, pairs: number): Vote {
  if (common) return Vote.For;
  if (pairs < 2) return Vote.Neutral;
  if (gain >= WORD_GAIN * pairs) return Vote.For;
  return gain <= -AGAINST_GAIN * pairs ? Vote.Against : Vote.Neutral;
}

function collect(text: string, words: Word[], transform: CipherRun['transform'], out: CipherRun[]): void {
  const voteOf = (w: Word) => (transform === 'rot13' ? w.rot : w.rev);
  let k = 0;
  while (k < words.length) {
    if (voteOf(words[k]!) !== Vote.For) {
      k++;
      continue;
    }
    // Extend over encoded-looking and undecided words; end on the last word that voted for the cipher.
    let last = k;
    let votes = 1;
    let j = k + 1;
    while (j < words.length && voteOf(words[j]!) !== Vote.Against) {
      if (voteOf(words[j]!) === Vote.For) {
        last = j;
        votes++;
      }
      j++;
    }
    let letters = 0;
    for (let m = k; m <= last; m++) letters += words[m]!.end - words[m]!.start;
    if (votes >= MIN_RUN_WORDS && letters >= MIN_RUN_LETTERS) {
      const start = words[k]!.start;
      const end = words[last]!.end;
      const source = text.slice(start, end);
      const decoded = transform === 'rot13' ? rot13(source) : reverse(source);
      if (readsAsEnglish(decoded, source)) out.push({ transform, start, end, text: decoded });
    }
    k = last + 1;
  }
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

export function rot13(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) out += String.fromCharCode(((c - 0x61 + 13) % 26) + 0x61);
    else if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(((c - 0x41 + 13) % 26) + 0x41);
    else out += text[i];
  }
  return out;
}

export function reverse(text: string): string {
  return Array.from(text).reverse().join('');
}
