import { codeAt } from './chars.js';
import { BIGRAM_SCORE } from './english.js';
import { isAlnum, isLetter } from './squash-splits.js';

/**
 * Leetspeak for the squashed view: leet digits and symbols inside letter tokens become letters (`h4ck` → `hack`,
 * `3m41l` → `email`). One character for one, so offsets never move.
 */

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
export const LEET_TABLE = new Uint8Array(256);
for (const [k, v] of Object.entries(LEET))
  if (k.charCodeAt(0) < 256) LEET_TABLE[k.charCodeAt(0)] = v.charCodeAt(0);
export const EURO = 0x20ac;
export function leetOf(c: number): number {
  return c < 256 ? LEET_TABLE[c]! : c === EURO ? 0x65 : 0;
}
const SYMBOL_TABLE = new Uint8Array(256);
for (const c of ['@', '$', '£']) SYMBOL_TABLE[c.charCodeAt(0)] = 1;
function isLeetSymbol(c: number): boolean {
  return c < 256 ? SYMBOL_TABLE[c] === 1 : c === EURO;
}
function isLeadDigit(c: number): boolean {
  return c === 0x30 || c === 0x31 || c === 0x33 || c === 0x34 || c === 0x35 || c === 0x37;
}
const MAX_LEET_TOKEN = 24;

/**
 * Replaces leet characters inside tokens that mix letters with leet digits/symbols; null if none. When
 * two or more tokens are clearly leet, the text is written in leet, and digit-heavy tokens ("91v3",
 * "80m8") are folded too.
 */
export function foldLeet(text: string): string | null {
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

/** End of the token holding `at`: the next space or line break (foldLeet splits tokens there). */
export function tokenEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  return end;
}

/**
 * Whether the token that holds `at` and ends at `end` is one foldLeet folds on its own: squashText skips foldLeet
 * on text where no leet cue is in such a token.
 */
export function isLeetToken(text: string, at: number, end: number): boolean {
  let start = at;
  while (start > 0 && end - start <= MAX_LEET_TOKEN && !isSpace(text.charCodeAt(start - 1))) start--;
  return end - start >= 3 && end - start <= MAX_LEET_TOKEN && leetToken(text, start, end);
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
