import { isAlnum, isTokenChar, windowIncludes } from './text.js';

/**
 * Whole-text tests that let the secrets detector skip an unanchored global pattern. Each tests something
 * every match of its pattern contains, so a text failing it has no match and skipping the pattern changes
 * nothing; they exist because the regex engine tries such patterns at every position, which costs several
 * µs per 2 KB of prose while `indexOf` and a few character reads cost a fraction of that.
 */

/** Lower-case words one of which every keyword of the generic assignment pattern contains. */
const SECRET_NAME_WORDS = ['pass', 'pwd', 'secret', 'key', 'token', 'credential'];
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
      if (windowIncludes(text, at - NAME_REACH, at, SECRET_NAME_WORDS)) return true;
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

function isBase64Char(code: number): boolean {
  return isAlnum(code) || code === 43 /* + */ || code === 47 /* / */;
}

/**
 * Whether the text holds `length` consecutive standard base64 characters (letters, digits, `+`, `/`). Any such
 * run covers one of the positions length - 1, 2 * length - 1, ...: only those are probed, and the run through
 * a probe is measured only when the probe is a base64 character. Prose, whose words are short, is settled in
 * about one read per `length / 4` characters; no character is read more than twice.
 */
export function hasBase64Run(text: string, length: number): boolean {
  const n = text.length;
  for (let probe = length - 1; probe < n; probe += length) {
    if (!isBase64Char(text.charCodeAt(probe))) continue;
    let start = probe;
    while (start > 0 && isBase64Char(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < n && end - start < length && isBase64Char(text.charCodeAt(end))) end++;
    if (end - start >= length) return true;
  }
  return false;
}
