import { isWordCharU } from './char-cache.js';

/**
 * Character classes for folding. Kept as plain code-point tests (no regex) because they run once per
 * character of every screened text.
 */

/**
 * `text.charCodeAt(i)`, or 0 outside the string. Reading past either end makes V8 leave its fast path for
 * the whole loop (a NaN result), so scanners that peek at neighbours go through this.
 */
export function codeAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) : 0;
}

/** Transform names for characters that folding removes. */
export type InvisibleKind = 'zero_width' | 'bidi' | 'tag_chars' | 'variation_selector' | 'control_chars';

/** Which invisible class a code point belongs to, or null for a visible character. Call for cp >= 0x7f only. */
export function invisibleKind(cp: number): InvisibleKind | null {
  if (cp < 0xa0) return cp >= 0x7f && cp !== 0x85 ? 'control_chars' : null;
  // Fast exits for the blocks most text lives in (Greek, Cyrillic, Hebrew, most CJK and Hangul).
  if ((cp > 0x34f && cp < 0x61c) || (cp > 0x3164 && cp < 0xd800)) return null;
  if (cp === 0xad || cp === 0x34f || cp === 0x180e || cp === 0x17b4 || cp === 0x17b5) return 'zero_width';
  if (cp === 0x115f || cp === 0x1160 || cp === 0x3164 || cp === 0xffa0) return 'zero_width';
  if (cp >= 0x200b && cp <= 0x200d) return 'zero_width';
  if (cp >= 0x2060 && cp <= 0x2064) return 'zero_width';
  if (cp === 0xfeff) return 'zero_width';
  if (cp === 0x200e || cp === 0x200f || cp === 0x61c) return 'bidi';
  if (cp >= 0x202a && cp <= 0x202e) return 'bidi';
  if (cp >= 0x2066 && cp <= 0x2069) return 'bidi';
  if (cp >= 0xfe00 && cp <= 0xfe0f) return 'variation_selector';
  if (cp >= 0xe0100 && cp <= 0xe01ef) return 'variation_selector';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag_chars';
  // Lone surrogates (a well-formed pair never reaches here as a single unit) carry no text.
  if (cp >= 0xd800 && cp <= 0xdfff) return 'control_chars';
  return null;
}

/** C0 controls other than the whitespace ones. */
export function isAsciiControl(cp: number): boolean {
  return cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0b && cp !== 0x0c && cp !== 0x0d;
}

export function isWhitespace(cp: number): boolean {
  if (cp === 0x20 || (cp >= 0x09 && cp <= 0x0d)) return true;
  if (cp < 0x85) return false;
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

export function isLineBreak(cp: number): boolean {
  return (
    cp === 0x0a || cp === 0x0d || cp === 0x0b || cp === 0x0c || cp === 0x85 || cp === 0x2028 || cp === 0x2029
  );
}

/** Bidi controls that reorder or embed text (as opposed to the LRM/RLM/ALM marks used in RTL writing). */
export function bidiKind(cp: number): 'override' | 'embedding' | 'isolate' | 'mark' | 'close' {
  if (cp === 0x202d || cp === 0x202e) return 'override';
  if (cp === 0x202a || cp === 0x202b) return 'embedding';
  if (cp >= 0x2066 && cp <= 0x2068) return 'isolate';
  if (cp === 0x202c || cp === 0x2069) return 'close';
  return 'mark';
}

/** Part of a word: letters, combining marks and digits of any script. */
export function isWordChar(cp: number): boolean {
  if (cp < 0x80) {
    return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x30 && cp <= 0x39);
  }
  return isWordCharU(cp);
}

/** Latin-script letters (ASCII and the Latin extension blocks). */
export function isLatinLetter(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
  return (
    (cp >= 0xc0 && cp <= 0x24f && cp !== 0xd7 && cp !== 0xf7) ||
    (cp >= 0x1e00 && cp <= 0x1eff) ||
    (cp >= 0x2c60 && cp <= 0x2c7f) ||
    (cp >= 0xa720 && cp <= 0xa7ff)
  );
}

/** Combining marks (diacritics) keep the script of the letter they sit on. */
export function isCombiningMark(cp: number): boolean {
  return (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe20 && cp <= 0xfe2f)
  );
}

/** Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, ...), where bidi marks are ordinary. */
export function isRtlLetter(cp: number): boolean {
  return (cp >= 0x590 && cp <= 0x8ff) || (cp >= 0xfb1d && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfefc);
}
