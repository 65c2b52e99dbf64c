import { codeAt } from './chars.js';
import { CodeUnits } from './code-units.js';
import { isLeetToken, leetOf, tokenEnd } from './squash-leet.js';
import { doubledAt, innerMarksAt, isAlnum, isInnerMark, isLetter } from './squash-splits.js';

/**
 * Cues: the places where squashing (squash.ts) may change folded text. Every change it makes starts at or next
 * to one, so text without a cue is never squashed, and the squashed view of a long text holds only windows
 * around its cues (squash-window.ts).
 */

/** Separators attackers put between single letters: "i g n o r e", "i.g.n.o.r.e", "i-g-n-o-r-e". */
const SEPARATOR_TABLE = new Uint8Array(256);
for (const c of ' .,-_+=*#|/\\~:;^·') SEPARATOR_TABLE[c.charCodeAt(0)] = 1;
/** One-code-unit separators: the table above, bullets, and BMP symbols and dingbats (★, ✓, ❤, →). */
function isSeparator(c: number): boolean {
  return c < 256 ? SEPARATOR_TABLE[c] === 1 : c === 0x2022 || (c >= 0x2190 && c <= 0x2bff);
}
/** An emoji or other astral-plane symbol (U+1F000 and up, a surrogate pair) at i: "i🙂g🙂n🙂o🙂r🙂e". */
function isEmojiAt(text: string, i: number): boolean {
  const hi = text.charCodeAt(i);
  if (hi < 0xd83c || hi > 0xd83e) return false;
  const lo = text.charCodeAt(i + 1);
  return lo >= 0xdc00 && lo <= 0xdfff;
}
/** Length in code units of the separator at i (0: none). */
export function separatorAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return isSeparator(c) ? 1 : isEmojiAt(text, i) ? 2 : 0;
}

/**
 * Kinds of cue, as bits (cueKinds), each with the pass of squashText that can only change text holding one: any
 * cue at all; an inner mark or a doubled word (dropMarksAndDoubles drops nothing else); a leet cue in a token
 * foldLeet folds (every such token has one); two separator cues in a row with the same separator (how every run of
 * three or more spaced letters joinSpacedLetters joins begins).
 */
export const ANY_CUE = 1;
export const MARKED_CUE = 2;
export const LEET_CUE = 4;
export const SPACED_RUN_CUE = 8;

export function sameSeparator(text: string, at: number, first: number, length: number): boolean {
  if (text.charCodeAt(at) !== text.charCodeAt(first)) return false;
  return length === 1 || text.charCodeAt(at + 1) === text.charCodeAt(first + 1);
}

/** A word of doubled letters ("iiggnnoorree") starting at i + 1, after a space. */
function doubledCueAt(text: string, i: number): boolean {
  return text.charCodeAt(i) === 0x20 && doubledAt(text, i + 1);
}

/**
 * A leet character at i before a letter, either after a letter (the end of a leet group: "h4ck", "h00k") or
 * leading a word ("4ll"). A digit run glued to a word ("p95", "mp3", "4th") is ordinary, and folding only
 * starts from those.
 */
function leetCueAt(text: string, i: number): boolean {
  if (!leetOf(text.charCodeAt(i)) || !isLetter(codeAt(text, i + 1))) return false;
  let j = i - 1; // start of the leet group ending at i ("h00k")
  while (j >= 0 && leetOf(text.charCodeAt(j))) j--;
  const prev = codeAt(text, j);
  return isLetter(prev) || (j === i - 1 && !isAlnum(prev) && isLetter(codeAt(text, i + 2)));
}

/** A separator at i between two single letters ("i g", "i.g"): a one-letter word on either side. */
function separatorCueAt(text: string, i: number): boolean {
  const len = separatorAt(text, i);
  if (!len || !isLetter(codeAt(text, i - 1)) || !isLetter(codeAt(text, i + len))) return false;
  return !(isAlnum(codeAt(text, i - 2)) && i >= 2) && !isAlnum(codeAt(text, i + len + 1));
}

/** The cue at i, as CueScan reports it (a doubled word is reported where it starts), or -1. */
function cueAt(text: string, i: number): number {
  if (doubledCueAt(text, i)) return i + 1;
  if (innerMarksAt(text, i) > 0 || leetCueAt(text, i) || separatorCueAt(text, i)) return i;
  return -1;
}

// What each code unit can take part in, as bits: one table read per character in nextCandidate.
const ALNUM = 1;
const LETTER = 2;
const SPACE = 4;
const SEPARATOR = 8;
const LEET = 16;
const MARK = 32;
/** A high surrogate: the separator is an emoji of two units (a letter after it stands two units on). */
const PAIR = 64;
const UNIT = new Uint8Array(0x10000);
/** UNIT, for the cipher word scan kernel (cipher-words.ts), which collects candidates as isCueCandidate does. */
export const CUE_UNITS = UNIT;
for (let c = 0; c < 0x10000; c++) {
  let bits = isAlnum(c) ? ALNUM : 0;
  if (isLetter(c)) bits |= LETTER;
  if (c === 0x20) bits |= SPACE;
  // A high surrogate may start an emoji separator (separatorAt checks its low half).
  if (isSeparator(c)) bits |= SEPARATOR;
  if (c >= 0xd83c && c <= 0xd83e) bits |= SEPARATOR | PAIR;
  if (leetOf(c)) bits |= LEET;
  if (isInnerMark(c)) bits |= MARK;
  UNIT[c] = bits;
}

/**
 * Index of the next place at or after `from` where a cue may be, or -1: a superset of cueAt's positions found
 * with the cheap half of each test (a separator between one-character words, a space before two equal
 * characters, a leet character before a letter, an inner mark after a letter), of the unit kinds in `tests`.
 * Most characters cost one table read: the per-character scan this replaced checked every space's neighbours
 * in full. Reads the text's `n` code units from `codes` (a CodeUnits copy; exported for the squash-cue test).
 */
export function nextCandidate(codes: Uint16Array, n: number, from: number, tests: number): number {
  // Letters and digits in a row just before i: 0, 1 or more (only "exactly one" matters).
  let run = 0;
  if (from > 0 && isAlnum(codes[from - 1]!)) run = from > 1 && isAlnum(codes[from - 2]!) ? 2 : 1;
  // Past the text the units are zeros (CodeUnits' padding), as codeAt reads them.
  for (let i = from; i < n; i++) {
    const unit = UNIT[codes[i]!]!;
    if (unit & tests) {
      if (unit & tests & SEPARATOR && run === 1) {
        // separatorCueAt needs a one-letter word after the separator (two units on after an emoji).
        if (unit & PAIR || (UNIT[codes[i + 1]!]! & LETTER && !(UNIT[codes[i + 2]!]! & ALNUM))) return i;
      }
      if (unit & tests & SPACE && codes[i + 1] === codes[i + 2]) return i;
      if (unit & tests & LEET && UNIT[codes[i + 1]!]! & LETTER) return i;
      if (unit & tests & MARK && run > 0) return i;
    }
    run = (run + 1) * (unit & ALNUM);
  }
  return -1;
}

export const EVERY_TEST = SPACE | SEPARATOR | LEET | MARK;

/**
 * Whether nextCandidate (with every test) stops at i: the same tests, with the run of letters and digits before i
 * read from the two units before it. No letter a-z can be a candidate, so the cipher word scan (rot-reverse.ts),
 * which visits every other unit of the folded text anyway, collects the candidates for CueScan in the same pass.
 */
export function isCueCandidate(codes: Uint16Array, i: number): boolean {
  const unit = UNIT[codes[i]!]!;
  if ((unit & EVERY_TEST) === 0) return false;
  const run = i > 0 && UNIT[codes[i - 1]!]! & ALNUM ? (i > 1 && UNIT[codes[i - 2]!]! & ALNUM ? 2 : 1) : 0;
  if (unit & SEPARATOR && run === 1) {
    if (unit & PAIR || (UNIT[codes[i + 1]!]! & LETTER && !(UNIT[codes[i + 2]!]! & ALNUM))) return true;
  }
  if (unit & SPACE && codes[i + 1] === codes[i + 2]) return true;
  if (unit & LEET && UNIT[codes[i + 1]!]! & LETTER) return true;
  return (unit & MARK) !== 0 && run > 0;
}

/** Index of the first of the sorted `candidates` at or after `from` (their length when none is). */
function firstAtOrAfter(candidates: readonly number[], from: number): number {
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (candidates[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// One buffer for CueScan, one for cueKinds: squashing a window (cueKinds) may run while a CueScan is still in use.
const SCAN_UNITS = new CodeUnits();
let SCAN_OWNER: CueScan | null = null;
const KINDS_UNITS = new CodeUnits();

/**
 * The kinds of cue at candidate i, as cueKinds finds them (0: none), for cueKinds and CueScan:
 * `leetChecked` is where the last leet token checked ends (leet cues before it are not checked again).
 */
function kindsAt(text: string, i: number, tests: number, leetChecked: { end: number }): number {
  let kinds = 0;
  if (doubledCueAt(text, i) || innerMarksAt(text, i) > 0) kinds |= ANY_CUE | MARKED_CUE;
  if (tests & LEET && i >= leetChecked.end && leetCueAt(text, i)) {
    kinds |= ANY_CUE;
    leetChecked.end = tokenEnd(text, i);
    if (isLeetToken(text, i, leetChecked.end)) kinds |= LEET_CUE;
  }
  if (tests & SEPARATOR && separatorCueAt(text, i)) {
    kinds |= ANY_CUE;
    const next = i + separatorAt(text, i) + 1;
    if (separatorCueAt(text, next) && sameSeparator(text, next, i, next - i - 1)) kinds |= SPACED_RUN_CUE;
  }
  return kinds;
}

/**
 * Bits of every kind of cue in `text` (0: none, squashing changes nothing). Candidates are only looked for with
 * the tests of kinds not found yet, and each token is checked for leet once: every unit costs a bounded amount
 * of work, however many cues a hostile text holds.
 */
export function cueKinds(text: string): number {
  let kinds = doubledAt(text, 0) ? ANY_CUE | MARKED_CUE : 0;
  let tests = EVERY_TEST;
  const leetChecked = { end: 0 };
  const codes = KINDS_UNITS.load(text);
  const n = text.length;
  for (let i = nextCandidate(codes, n, 0, tests); i >= 0; i = nextCandidate(codes, n, i + 1, tests)) {
    kinds |= kindsAt(text, i, tests, leetChecked);
    if (kinds & MARKED_CUE) tests &= ~(SPACE | MARK);
    if (kinds & LEET_CUE) tests &= ~LEET;
    if (kinds & SPACED_RUN_CUE) tests &= ~SEPARATOR;
    if (tests === 0) break;
  }
  return kinds;
}

/**
 * The cues of a text, in order (where squashing may change the text; a doubled word's start), each with the kinds
 * cueKinds finds there on request. Every change squashText makes starts at or next to a cue, except digit-heavy
 * tokens folded because the text is clearly leet elsewhere ("80m8" beside "m4k3").
 */
export class CueScan {
  /** The candidate the last cue was found at. */
  at = -1;
  private atStart = false;
  private readonly leetChecked = { end: 0 };
  /** `candidates`: every candidate of the text in order (isCueCandidate's), when a scan has collected them. */
  constructor(
    private readonly text: string,
    private readonly candidates: readonly number[] | null = null,
  ) {}

  /** The first cue found at a candidate at or after `from`, or -1. */
  next(from: number): number {
    const text = this.text;
    // A doubled word at the very start is the one cue with no candidate (no cue test looks before the text).
    this.atStart = from === 0 && doubledAt(text, 0);
    if (this.atStart) {
      this.at = 0; // a letter: no candidate there to find again
      return 0;
    }
    const candidates = this.candidates;
    if (candidates) {
      for (let k = firstAtOrAfter(candidates, from); k < candidates.length; k++) {
        const cue = cueAt(text, candidates[k]!);
        if (cue >= 0) {
          this.at = candidates[k]!;
          return cue;
        }
      }
      return -1;
    }
    // The shared buffer holds the last CueScan's text: reloaded when another scan has used it since.
    if (SCAN_OWNER !== this) {
      SCAN_UNITS.load(text);
      SCAN_OWNER = this;
    }
    const codes = SCAN_UNITS.units;
    const n = text.length;
    for (
      let i = nextCandidate(codes, n, from, EVERY_TEST);
      i >= 0;
      i = nextCandidate(codes, n, i + 1, EVERY_TEST)
    ) {
      const cue = cueAt(text, i);
      if (cue >= 0) {
        this.at = i;
        return cue;
      }
    }
    return -1;
  }

  /**
   * The kinds of the last cue found. Asked for every cue in order, their union is cueKinds(text); asked for fewer,
   * at least the kinds of those asked for (a leet token is checked at the first of its cues asked for).
   */
  kinds(): number {
    if (this.atStart) return ANY_CUE | MARKED_CUE;
    return kindsAt(this.text, this.at, EVERY_TEST, this.leetChecked);
  }
}
