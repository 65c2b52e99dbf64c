/**
 * Per-character facts of canonical matching text (text.ts): which UTF-16 units are letters or digits, combining
 * marks or characters of scripts written without spaces, and what each folds to. Each fact is computed once per
 * code unit with Unicode property regexes and cached in a 64 K table.
 */

/** Scripts written without spaces between words: a term boundary is implied around each character. */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}]/u;
const TOKEN = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
const MARKS = /\p{M}+/gu;

/** True for a character of a script written without spaces (each character counts as a word). */
export function isUnspaced(ch: string): boolean {
  return UNSPACED.test(ch);
}

/** Per code unit: 0 not yet known, 1 spaced script, 2 unspaced script (isUnspaced, cached). */
const UNSPACED_UNIT = new Uint8Array(65_536);

/** isUnspaced for one UTF-16 code unit (a lone surrogate counts as spaced), cached per unit. */
export function unspacedUnit(code: number): boolean {
  if (code < 128) return false;
  let known = UNSPACED_UNIT[code]!;
  if (known === 0) {
    known = isUnspaced(String.fromCharCode(code)) ? 2 : 1;
    UNSPACED_UNIT[code] = known;
  }
  return known === 2;
}

const foldCache = new Map<string, string>();

/** Lowercase and strip combining marks from one code point (cached: texts reuse a small alphabet). */
export function foldChar(ch: string): string {
  let out = foldCache.get(ch);
  if (out === undefined) {
    out = ch.normalize('NFD').replace(MARKS, '').toLowerCase();
    if (foldCache.size < 65_536) foldCache.set(ch, out);
  }
  return out;
}

/** Per-character facts canonicalisation needs, as bits (see charInfo). */
const INFO_KNOWN = 1;
export const INFO_MARK = 2;
export const INFO_TOKEN = 4;
export const INFO_UNSPACED = 8;
/** The character folds to exactly one BMP code unit, cached in UNIT_FOLD. */
export const INFO_SINGLE = 16;

export function charInfo(ch: string): number {
  let info = INFO_KNOWN;
  if (MARK.test(ch)) info |= INFO_MARK;
  if (TOKEN.test(ch)) info |= INFO_TOKEN;
  if (UNSPACED.test(ch)) info |= INFO_UNSPACED;
  return info;
}

/**
 * charInfo and foldChar per BMP code unit, filled on first sight: non-ASCII text (CJK, Cyrillic, accented
 * Latin) would otherwise cost three Unicode property regexes and a string-keyed lookup per character.
 */
const UNIT_INFO = new Uint8Array(65_536);
export const UNIT_FOLD = new Uint16Array(65_536);

export function unitInfo(unit: number): number {
  let info = UNIT_INFO[unit]!;
  if (info === 0) {
    const ch = String.fromCharCode(unit);
    info = charInfo(ch);
    const folded = foldChar(ch);
    if (folded.length === 1 && folded.charCodeAt(0) < 0xd800) {
      info |= INFO_SINGLE;
      UNIT_FOLD[unit] = folded.charCodeAt(0);
    }
    UNIT_INFO[unit] = info;
  }
  return info;
}

/** ASCII code → canonical code (lowercase letter or digit), or 0 for a separator. */
export const ASCII_FOLD = new Uint16Array(128);
for (let c = 48; c <= 57; c++) ASCII_FOLD[c] = c;
for (let c = 97; c <= 122; c++) ASCII_FOLD[c] = c;
for (let c = 65; c <= 90; c++) ASCII_FOLD[c] = c + 32;

/** spacedFold of a combining mark: it belongs to the previous character and writes nothing. */
export const FOLD_MARK = -1;
/** spacedFold of a character that canonicalisation folds in its general path. */
export const FOLD_OTHER = -2;

/**
 * The canonical code of one non-ASCII UTF-16 unit for text read word by word: a folded letter or digit of a
 * spaced script, 0 for a separator, FOLD_MARK, or FOLD_OTHER for a surrogate, a character of an unspaced
 * script, or a letter whose fold is not one code unit of a spaced script outside ASCII's separators.
 */
export function spacedFold(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return FOLD_OTHER;
  const info = unitInfo(unit);
  if (info & INFO_MARK) return FOLD_MARK;
  if (!(info & INFO_TOKEN)) return 0;
  if ((info & (INFO_UNSPACED | INFO_SINGLE)) !== INFO_SINGLE) return FOLD_OTHER;
  const folded = UNIT_FOLD[unit]!;
  if (folded < 128 ? ASCII_FOLD[folded] === 0 : unspacedUnit(folded)) return FOLD_OTHER;
  return folded;
}

/** Per astral code point (and lone surrogate): whether canonicalisation treats it as a separator. */
const SURROGATE_SEPARATOR = new Map<number, boolean>();

/**
 * For the character at `at`, which starts with a surrogate: the code units it takes when canonicalisation
 * treats it as a separator (emoji and other astral symbols, lone surrogates), else 0.
 */
export function surrogateSeparator(text: string, at: number): number {
  const point = text.codePointAt(at)!;
  let separator = SURROGATE_SEPARATOR.get(point);
  if (separator === undefined) {
    separator = (charInfo(String.fromCodePoint(point)) & (INFO_MARK | INFO_TOKEN)) === 0;
    if (SURROGATE_SEPARATOR.size < 65_536) SURROGATE_SEPARATOR.set(point, separator);
  }
  return separator ? (point > 0xffff ? 2 : 1) : 0;
}
