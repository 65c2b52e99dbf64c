import { ATBASH, MAX_COLLECTED_CUES, scanFoldedWords, Vote, type WordTable } from './cipher-words.js';
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

const MIN_RUN_LETTERS = 12;
/**
 * Mean letter-pair score (0..15) under which a word reads as not English: real English words score ~11-13,
 * shifted ones mostly 3-9 ("decode" 12.4, its shift by 3 "ghfrgh" 9.0).
 */
const ODD_WORD_SCORE = 10;
const MIN_RUN_WORDS = 3;

/** The words scanFolded last scanned, of the text SCANNED (null once anything else has been scanned). */
let WORDS: WordTable | null = null;
let SCANNED: string | null = null;

/**
 * Scans the words of a folded text ahead of findCipherRuns, which then reuses them, and returns the text's squash
 * cue candidates, collected on the way (one pass over the text instead of two; see isCueCandidate), or null when
 * there are too many to be worth listing.
 */
export function scanFolded(text: string): number[] | null {
  const cues: number[] = [];
  WORDS = scanFoldedWords(text, cues);
  SCANNED = text;
  return cues.length > MAX_COLLECTED_CUES ? null : cues;
}

/**
 * Finds runs of lowercase text that read as English once ROT13 or reversal is undone, and read worse as
 * they are. ROT13 and reversal keep the alphabet, so they can only be told apart from ordinary text by
 * plausibility: common words (seen through the cipher) and letter-bigram scores pick candidate words in one
 * pass, then a common-word check on the decoded run confirms it. Ordinary English and other languages get no
 * runs.
 */
export function findCipherRuns(text: string): CipherRun[] {
  const words = SCANNED === text && WORDS !== null ? WORDS : scanFoldedWords(text, null);
  SCANNED = null;
  WORDS = null;
  if (words.count < MIN_RUN_WORDS) return [];
  const runs: CipherRun[] = [];
  // A run needs MIN_RUN_WORDS words voting for its cipher: with fewer in the whole text (most text) there is none.
  if (mayHoldRun(words.rotFor)) collect(text, words, words.rot, 'rot13', runs);
  if (mayHoldRun(words.revFor)) collect(text, words, words.rev, 'reversed', runs);
  if (mayHoldRun(words.shifted)) collectShifted(text, words, runs);
  return runs;
}

/** Whether a text with `votes` words voting for a cipher (-1: not counted) may hold a run of it. */
function mayHoldRun(votes: number): boolean {
  return votes < 0 || votes >= MIN_RUN_WORDS;
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
