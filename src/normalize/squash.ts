import { codeAt } from './chars.js';
import { BIGRAM_SCORE } from './english.js';
import { composeMaps, type SpanMap, SpanMapBuilder } from './span-map.js';

export interface SquashResult {
  text: string;
  /** Squashed → folded offsets: only built on request, and null when they are equal (no letters joined). */
  map: SpanMap | null;
  /** Whether spaced letters were joined (offsets then differ from the folded text). */
  joined: boolean;
  transforms: string[];
}

/** Leet digit / symbol → letter. One character each, so substitution never moves offsets. */
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '6': 'g',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '€': 'e',
  '£': 'l',
};
// Flat lookup tables: these run once per character of every text.
const LEET_TABLE = new Uint8Array(256);
for (const [k, v] of Object.entries(LEET))
  if (k.charCodeAt(0) < 256) LEET_TABLE[k.charCodeAt(0)] = v.charCodeAt(0);
const EURO = 0x20ac;
function leetOf(c: number): number {
  return c < 256 ? LEET_TABLE[c]! : c === EURO ? 0x65 : 0;
}
const SYMBOL_TABLE = new Uint8Array(256);
for (const c of ['@', '$', '£']) SYMBOL_TABLE[c.charCodeAt(0)] = 1;
function isLeetSymbol(c: number): boolean {
  return c < 256 ? SYMBOL_TABLE[c] === 1 : c === EURO;
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
function isLeadDigit(c: number): boolean {
  return c === 0x30 || c === 0x31 || c === 0x33 || c === 0x34 || c === 0x35 || c === 0x37;
}
const MIN_SPACED_LETTERS = 3;
const MAX_LEET_TOKEN = 24;

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
}

function isAlnum(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39);
}

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

/** Markdown marks that split a word without showing: `ig**no**re`, `prev*iou*s`, `sys`tem``, `ig~~no~~re`. */
function isInnerMark(c: number): boolean {
  return c === 0x2a || c === 0x60 || c === 0x7e;
}
const MAX_INNER_MARKS = 3;

/** Length of the run of inner marks at i when a letter stands right before it and right after it, else 0. */
function innerMarksAt(text: string, i: number): number {
  if (!isInnerMark(text.charCodeAt(i)) || !isLetter(codeAt(text, i - 1))) return 0;
  let j = i + 1;
  while (j < text.length && j - i < MAX_INNER_MARKS && isInnerMark(text.charCodeAt(j))) j++;
  return isLetter(codeAt(text, j)) ? j - i : 0;
}

/** Letters of a doubled token: "iiggnnoorree" is "ignore" written with every letter twice. */
const MIN_DOUBLED_PAIRS = 3;

/** Whether a token of at least MIN_DOUBLED_PAIRS doubled letters starts at i ("iiggnn…", not "aaaaaa"). */
function doubledAt(text: string, i: number): boolean {
  const a = text.charCodeAt(i);
  if (a !== text.charCodeAt(i + 1) || !isLetter(a)) return false;
  let distinct = false;
  for (let p = 1; p < MIN_DOUBLED_PAIRS; p++) {
    const c = text.charCodeAt(i + 2 * p);
    if (c !== text.charCodeAt(i + 2 * p + 1) || !isLetter(c)) return false;
    if (c !== a) distinct = true;
  }
  return distinct;
}

/**
 * End of the doubled token starting at i (every letter twice, even length, followed by no letter), or -1.
 */
function doubledTokenEnd(text: string, i: number): number {
  let j = i;
  while (j + 1 < text.length && isLetter(text.charCodeAt(j)) && text.charCodeAt(j) === text.charCodeAt(j + 1))
    j += 2;
  return j - i >= 2 * MIN_DOUBLED_PAIRS && !isLetter(codeAt(text, j)) ? j : -1;
}

/**
 * Drops what hides words without showing: markdown marks between two letters of a word, and the second letter
 * of every pair when the text is written with doubled letters (two doubled tokens or more; then also the short
 * ones, "aallll"). `source[i]` is the index in `text` of output unit i; the map (when asked for) folds each
 * dropped run into the letter before it. Null when there is nothing to drop.
 */
function dropMarksAndDoubles(
  text: string,
  withMap: boolean,
): { text: string; source: Int32Array; map: SpanMap | null; marks: boolean; doubles: boolean } | null {
  const n = text.length;
  // Most texts have neither, and the checks are native scans: marks by includes(), doubled words only at the
  // spaces they follow (where nextSquashCue finds them too).
  const mayMark = text.includes('*') || text.includes('`') || text.includes('~');
  let first = mayMark ? firstInnerMark(text) : -1;
  let doubledTokens = 0;
  for (let i = 0; i >= 0 && i < n; i = text.indexOf(' ', i) + 1 || -1) {
    if (!doubledAt(text, i) || doubledTokenEnd(text, i) < 0) continue;
    doubledTokens++;
    if (first < 0 || i < first) first = i;
  }
  const doubles = doubledTokens >= 2;
  if (first < 0 || (!doubles && !mayMark)) return null;
  if (!doubles) first = firstInnerMark(text);
  if (first < 0) return null;
  let out = '';
  let copied = 0;
  let marks = false;
  const source = new Int32Array(n + 1);
  for (let i = 0; i < first; i++) source[i] = i;
  let k = first;
  for (let i = first; i < n; i++) {
    const run = innerMarksAt(text, i);
    if (run > 0) {
      out += text.slice(copied, i);
      copied = i + run;
      marks = true;
      i += run - 1;
      continue;
    }
    if (doubles && (i === 0 || !isLetter(text.charCodeAt(i - 1)))) {
      // A token of letter pairs (two letters or more pairs, as "aall"), halved.
      let j = i;
      while (j + 1 < n && isLetter(text.charCodeAt(j)) && text.charCodeAt(j) === text.charCodeAt(j + 1))
        j += 2;
      if (j - i >= 4 && !isLetter(codeAt(text, j))) {
        out += text.slice(copied, i);
        for (let p = i; p < j; p += 2) {
          out += text[p];
          source[k++] = p;
        }
        copied = j;
        i = j - 1;
        continue;
      }
    }
    source[k++] = i;
  }
  out += text.slice(copied);
  source[k] = n;
  let map: SpanMap | null = null;
  if (withMap) {
    const builder = new SpanMapBuilder(k, true);
    for (let u = 0; u < k; u++) {
      const at = source[u]!;
      builder.push(at, u + 1 < k ? source[u + 1]! : at + 1); // a dropped run goes with the letter before it
    }
    map = builder.finish(n);
  }
  return { text: out, source, map, marks, doubles };
}

function firstInnerMark(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x2a || c === 0x60 || c === 0x7e) && innerMarksAt(text, i) > 0) return i;
  }
  return -1;
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

/**
 * Replaces leet characters inside tokens that mix letters with leet digits/symbols; null if none. When
 * two or more tokens are clearly leet, the text is written in leet, and digit-heavy tokens ("91v3",
 * "80m8") are folded too.
 */
function foldLeet(text: string): string | null {
  let chars: string[] | null = null;
  let strict = 0;
  let loose: number[] | null = null; // [start, end) pairs of digit-heavy candidates
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    let end = i;
    let leet = false;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 0x20 || c === 0x0a) break;
      if (!leet && leetOf(c)) leet = true;
      end++;
    }
    if (leet && end - i >= 2 && end - i <= MAX_LEET_TOKEN) {
      if (end - i >= 3 && leetToken(text, i, end)) {
        chars ??= text.split('');
        replaceLeet(text, i, end, chars);
        strict++;
      } else if (looseLeetToken(text, i, end)) {
        loose ??= [];
        loose.push(i, end);
      }
    }
    i = end;
  }
  if (chars && loose && strict >= 2) {
    for (let k = 0; k < loose.length; k += 2) replaceLeet(text, loose[k]!, loose[k + 1]!, chars);
  }
  return chars ? chars.join('') : null;
}

function replaceLeet(text: string, start: number, end: number, chars: string[]): void {
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    let to = leetOf(c);
    if (!to) continue;
    if (isLeetSymbol(c) && !(isAlnum(codeAt(text, k - 1)) && isAlnum(codeAt(text, k + 1)))) continue;
    if (c === 0x31) to = oneAsLetter(chars, text, k, start, end);
    chars[k] = String.fromCharCode(to);
  }
}

/** "1" stands for i or l: pick whichever reads better next to its neighbours ("s1mple" vs "51mp13"). */
function oneAsLetter(chars: string[], text: string, k: number, start: number, end: number): number {
  // A word that spells an l as "l" writes its i's as "1" ("3m41l" is "email", "k1ll" is "kill").
  for (let p = start; p < end; p++) if (text.charCodeAt(p) === 0x6c) return 0x69;
  const left = k > start ? chars[k - 1]!.charCodeAt(0) - 97 : -1;
  const rightRaw = k + 1 < end ? codeAt(text, k + 1) : 0;
  const right = (leetOf(rightRaw) || rightRaw) - 97;
  const score = (letter: number) =>
    (left >= 0 && left < 26 ? BIGRAM_SCORE[left * 26 + letter]! : 8) +
    (right >= 0 && right < 26 ? BIGRAM_SCORE[letter * 26 + right]! : 8);
  return score(11) > score(8) ? 0x6c : 0x69;
}

/** Any letter next to a leet digit, outside URLs, paths and e-mail addresses. */
function looseLeetToken(text: string, start: number, end: number): boolean {
  let letter = false;
  let touching = false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x2f || c === 0x5c || c === 0x3d || c === 0x40) return false;
    if (isLetter(c)) {
      letter = true;
      if (leetOf(codeAt(text, k - 1)) || leetOf(codeAt(text, k + 1))) touching = true;
    }
  }
  return letter && touching;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a;
}

/** Unit and ordinal suffixes after a number ("4th", "3d", "5g", "10am"): ordinary text, not leet. */
const NUMBER_SUFFIXES = new Set([
  'st',
  'nd',
  'rd',
  'th',
  'd',
  'g',
  'k',
  'x',
  'h',
  'm',
  's',
  'am',
  'pm',
  'ms',
  'kb',
  'mb',
  'gb',
  'tb',
  'px',
  'mm',
  'cm',
  'km',
  'kg',
  'hz',
  'fa',
  'ft',
  'in',
  'lb',
  'mg',
  'ml',
  'oz',
  'yd',
  'mi',
  'hr',
  'min',
  'kw',
  'mph',
  'sec',
  'yr',
  'yrs',
  'pc',
  'pcs',
  'ghz',
  'mhz',
  'bit',
  'gen',
  'way',
  'day',
  'kids',
]);

/**
 * A token is leet when a group of leet characters sits between letters ("h4ck", "pr3v10us"), or when one
 * leet character leads a word of letters ("4ll", "1gnore") that is not a number with a unit ("4th", "5pm").
 * URLs, paths, e-mail addresses and hex hashes are left alone.
 */
function leetToken(text: string, start: number, end: number): boolean {
  // Trim surrounding punctuation that is not itself leet.
  while (start < end && !isAlnum(text.charCodeAt(start)) && !leetOf(text.charCodeAt(start))) start++;
  while (end > start && !isAlnum(codeAt(text, end - 1))) end--;
  if (end - start < 3) return false;
  let letters = 0;
  let leet = 0;
  let between = false;
  let hexOnly = true;
  let leetBefore = false; // a leet group started after a letter
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x2f || c === 0x5c || c === 0x3d) return false; // paths, URLs, base64 padding
    if (c === 0x40 && text.indexOf('.', k) !== -1 && text.indexOf('.', k) < end) return false; // e-mail
    if (isLetter(c)) {
      letters++;
      if (c > 0x66) hexOnly = false;
      if (leetBefore) between = true;
      leetBefore = false;
    } else if (leetOf(c)) {
      leet++;
      if (k > start && isLetter(codeAt(text, k - 1))) leetBefore = true;
      if (!(c >= 0x30 && c <= 0x39)) hexOnly = false;
    } else {
      hexOnly = false;
      leetBefore = false;
    }
  }
  // Measurements and codes ("61x51cm") have more digits than letters; leet words have fewer or as many.
  if (letters < 2 || leet > letters || (hexOnly && end - start >= 6)) return false;
  if (between) return true;
  // Only the digits that commonly stand in for a first letter, and only on short words: "8clients" is a typo.
  const lead = text.charCodeAt(start);
  if (!isLeadDigit(lead) || end - start > 9) return false;
  for (let k = start + 1; k < end; k++) if (!isLetter(text.charCodeAt(k))) return false;
  return !NUMBER_SUFFIXES.has(text.slice(start + 1, end));
}
