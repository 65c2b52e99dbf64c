import { isTokenChar } from './text.js';

/**
 * Whole-text tests that let the secrets detector skip an unanchored global pattern. Each tests something
 * every match of its pattern contains, so a text failing it has no match and skipping the pattern changes
 * nothing; they exist because the regex engine tries such patterns at every position, which costs several
 * µs per 2 KB of prose while `indexOf` and a few character reads cost a fraction of that.
 */

/** Words one of which every keyword of the generic assignment pattern contains (case-insensitive, as it is). */
const SECRET_NAME_WORD = /pass|pwd|secret|key|token|credential/i;
/**
 * How far before its operator (`:` or `=`) a generic assignment starts: the longest keyword (`access_token`,
 * 12) plus the pattern's 24 name characters, a quote and 4 blanks.
 */
const NAME_REACH = 12 + 24 + 1 + 4;

/**
 * Whether some `:` or `=` has a secret-name word in the NAME_REACH characters before it (case-insensitive,
 * as the pattern is). Texts dense with operators (one in 16 characters or more) are not checked window by
 * window: the answer is then yes, and the pattern runs, which keeps hostile inputs linear.
 */
export function mayHoldNamedAssignment(text: string): boolean {
  const budget = text.length >> 4;
  let windows = 0;
  for (const operator of [':', '=']) {
    for (let at = text.indexOf(operator); at >= 0; at = text.indexOf(operator, at + 1)) {
      if (++windows > budget) return true;
      if (SECRET_NAME_WORD.test(text.slice(Math.max(0, at - NAME_REACH), at))) return true;
    }
  }
  return false;
}

/** Whether a `.` is followed by exactly six token characters and another `.` (a Discord bot token's middle). */
export function hasSixCharSegment(text: string): boolean {
  for (let at = text.indexOf('.'); at >= 0; at = text.indexOf('.', at + 1)) {
    if (text.charCodeAt(at + 7) !== 46 /* . */) continue;
    let k = 1;
    while (k <= 6 && isTokenChar(text.charCodeAt(at + k))) k++;
    if (k === 7) return true;
  }
  return false;
}

/**
 * Standard base64 characters (letters, digits, `+`, `/`) by UTF-16 code unit: one table read per character
 * where three range tests cost a third more on prose.
 */
const BASE64_CHARS = new Uint8Array(65536);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  BASE64_CHARS[char.charCodeAt(0)] = 1;

/**
 * Whether the text holds `length` consecutive standard base64 characters (letters, digits, `+`, `/`). Each
 * window of `length` is read from its end backwards; the first other character met moves the next window
 * past it, so prose (short words) is settled in a few reads per `length` characters, and no character is
 * read more than twice.
 */
export function hasBase64Run(text: string, length: number): boolean {
  for (let from = 0; from + length <= text.length; ) {
    let at = from + length - 1;
    while (at >= from && BASE64_CHARS[text.charCodeAt(at)] === 1) at--;
    if (at < from) return true;
    from = at + 1;
  }
  return false;
}
