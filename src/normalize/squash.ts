import { codeAt } from './chars.js';
import { composeMaps, type SpanMap, SpanMapBuilder } from './span-map.js';
import { EURO, foldLeet, LEET_TABLE, leetOf } from './squash-leet.js';
import { doubledAt, dropMarksAndDoubles, innerMarksAt, isAlnum, isLetter } from './squash-splits.js';

export interface SquashResult {
  text: string;
  /** Squashed → folded offsets: only built on request, and null when they are equal (no letters joined). */
  map: SpanMap | null;
  /** Whether spaced letters were joined (offsets then differ from the folded text). */
  joined: boolean;
  transforms: string[];
}

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
function separatorAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return isSeparator(c) ? 1 : isEmojiAt(text, i) ? 2 : 0;
}
function sameSeparator(text: string, at: number, first: number, length: number): boolean {
  if (text.charCodeAt(at) !== text.charCodeAt(first)) return false;
  return length === 1 || text.charCodeAt(at + 1) === text.charCodeAt(first + 1);
}
/** What a code unit below 256 can start (nextSquashCue): a leet character, a separator, an inner mark. */
const LEET_CUE = 1;
const SEPARATOR_CUE = 2;
const MARK_CUE = 4;
const CUE_KIND = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  if (LEET_TABLE[c]) CUE_KIND[c]! |= LEET_CUE;
  else if (SEPARATOR_TABLE[c]) CUE_KIND[c]! |= SEPARATOR_CUE;
  if (c === 0x2a || c === 0x60 || c === 0x7e) CUE_KIND[c]! |= MARK_CUE;
}
const MIN_SPACED_LETTERS = 3;
/**
 * Undoes the two cheap letter-level disguises on folded (lowercase, whitespace-collapsed) text: spaced or
 * punctuated single letters are re-joined, and leet digits/symbols inside letter tokens become letters.
 * `gapWidth(i)` gives the width in the original text of the folded space at `i`, so that a wider gap
 * between spaced letters ("i g n o r e   a l l") still separates words. Returns null when nothing changed.
 */
export function squashText(
  folded: string,
  gapWidth: (index: number) => number,
  withMap = false,
): SquashResult | null {
  if (!mayNeedSquash(folded)) return null;
  const unmarked = dropMarksAndDoubles(folded, withMap);
  const stage = unmarked?.text ?? folded;
  // Spaced-letter gaps are measured in the folded text: map stripped offsets back to it first.
  const gaps = unmarked ? (i: number) => gapWidth(unmarked.source[i]!) : gapWidth;
  const joined = joinSpacedLetters(stage, gaps, withMap);
  const base = joined?.text ?? stage;
  const leet = foldLeet(base);
  if (!unmarked && !joined && leet === null) return null;
  const transforms: string[] = [];
  if (unmarked?.marks) transforms.push('markup_split');
  if (unmarked?.doubles) transforms.push('doubled_letters');
  if (joined) transforms.push('spaced_letters');
  if (leet !== null) transforms.push('leetspeak');
  let map: SpanMap | null = null;
  if (withMap) {
    if (joined?.map && unmarked?.map) map = composeMaps(joined.map, unmarked.map);
    else map = joined?.map ?? unmarked?.map ?? null;
  }
  return { text: leet ?? base, map, joined: joined !== null || unmarked !== null, transforms };
}

/**
 * One cheap pass: is there a leet character touching a letter, or a single letter followed by a separator
 * and another letter? Ordinary prose usually has neither, and then the two real passes are skipped.
 */
function mayNeedSquash(text: string): boolean {
  return nextSquashCue(text, 0) >= 0;
}

/**
 * Index of the next place at or after `from` where squashing may change the text (the cue mayNeedSquash
 * looks for), or -1. Every change squashText makes starts at or next to such a cue, except digit-heavy
 * tokens folded because the text is clearly leet elsewhere ("80m8" beside "m4k3").
 */
export function nextSquashCue(text: string, from: number): number {
  const n = text.length;
  if (from === 0 && doubledAt(text, 0)) return 0;
  for (let i = from; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 && doubledAt(text, i + 1)) return i + 1;
    // Letters, digits outside leet and most punctuation are no cue: one table read decides (code units over
    // 255 are rare and checked directly).
    const kind = c < 256 ? CUE_KIND[c]! : c === EURO ? LEET_CUE : SEPARATOR_CUE;
    if (kind === 0) continue;
    if (kind & MARK_CUE && innerMarksAt(text, i) > 0) return i;
    if (kind & LEET_CUE) {
      // Leet needs a leet character between letters ("h4ck") or a leading digit on a word ("4ll"); a
      // digit run glued to a word ("p95", "mp3", "4th") is ordinary, and folding only starts from those.
      const next = codeAt(text, i + 1);
      if (isLetter(next)) {
        let j = i - 1; // start of the leet group ending at i ("h00k")
        while (j >= 0 && leetOf(text.charCodeAt(j))) j--;
        const prev = codeAt(text, j);
        if (isLetter(prev) || (j === i - 1 && !isAlnum(prev) && isLetter(codeAt(text, i + 2)))) return i;
      }
    } else if (kind & SEPARATOR_CUE) {
      const len = separatorAt(text, i);
      if (len && isLetter(codeAt(text, i - 1)) && isLetter(codeAt(text, i + len))) {
        const before = codeAt(text, i - 2);
        if (!(isAlnum(before) && i >= 2)) {
          const after = codeAt(text, i + len + 1);
          if (!isAlnum(after)) return i;
        }
      }
      if (len === 2) i++;
    }
  }
  return -1;
}

function joinSpacedLetters(
  text: string,
  gapWidth: (index: number) => number,
  withMap: boolean,
): { text: string; map: SpanMap | null } | null {
  let out = '';
  let joinedAny = false;
  const map = new SpanMapBuilder(withMap ? text.length : 0, withMap);
  let copied = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isAlnum(c)) {
      i++;
      continue;
    }
    // Skip whole words: a run starts only at a one-letter word followed by a separator.
    let w = i + 1;
    while (w < n && isAlnum(text.charCodeAt(w))) w++;
    const sepLen = w < n ? separatorAt(text, w) : 0;
    if (w - i !== 1 || !isLetter(c) || sepLen === 0) {
      i = w;
      continue;
    }
    const sep = text.charCodeAt(w);
    const step = sepLen + 1; // a letter and the separator after it
    let letters = 1;
    let j = i + 1; // j: index of a separator after a letter
    let minGap = Number.POSITIVE_INFINITY;
    while (j + sepLen < n && sameSeparator(text, j, w, sepLen) && isLetter(codeAt(text, j + sepLen))) {
      const after = codeAt(text, j + step);
      if (j + step < n && isAlnum(after)) break; // next item is a word, not a single letter
      if (sep === 0x20) minGap = Math.min(minGap, gapWidth(j));
      letters++;
      j += step;
    }
    if (letters < MIN_SPACED_LETTERS) {
      // Too short to be a run ("a p" before "p,h,i,s,h"): the next letter may start a run of its own.
      i = w;
      continue;
    }
    joinedAny = true;
    out += text.slice(copied, i);
    for (let k = copied; k < i; k++) map.push(k, k + 1);
    let letterRun = '';
    for (let k = i; k < j; k += step) {
      if (k > i && sep === 0x20 && gapWidth(k - 1) > minGap) {
        letterRun += ' ';
        map.push(k - 1, k);
      }
      letterRun += text[k]!;
      map.push(k, k + 1);
    }
    out += letterRun;
    copied = j;
    i = j;
  }
  if (!joinedAny) return null;
  out += text.slice(copied);
  for (let k = copied; k < n; k++) map.push(k, k + 1);
  return { text: out, map: withMap ? map.finish(n) : null };
}
