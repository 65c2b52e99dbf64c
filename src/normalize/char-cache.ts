/**
 * Lazily filled per-code-point caches for the BMP, so the Unicode property regexes and `toLowerCase` run
 * once per distinct character rather than once per character of every text.
 */
const WORD_LETTER = 1;
const WORD_OTHER = 2; // digits and combining marks: part of a word, not a letter
const NOT_WORD = 3;
const MARK_FLAG = 4;

const PROPS = new Uint8Array(0x10000);
/** Lowercase of a BMP code point when it is one BMP unit; 0 = not computed yet, 0xffff... see below. */
const LOWER = new Int32Array(0x10000).fill(-1);

const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;
const WORDISH = /^[\p{M}\p{N}]$/u;

function props(cp: number): number {
  if (cp < 0x10000) {
    const cached = PROPS[cp]!;
    if (cached) return cached;
  }
  const ch = String.fromCodePoint(cp);
  let value = LETTER.test(ch) ? WORD_LETTER : WORDISH.test(ch) ? WORD_OTHER : NOT_WORD;
  if (MARK.test(ch)) value |= MARK_FLAG;
  if (cp < 0x10000) PROPS[cp] = value;
  return value;
}

/** Letter, mark or digit of any script (call for cp >= 0x80). */
export function isWordCharU(cp: number): boolean {
  return (props(cp) & 3) !== NOT_WORD;
}

export function isLetterU(cp: number): boolean {
  return (props(cp) & 3) === WORD_LETTER;
}

export function isMarkU(cp: number): boolean {
  return (props(cp) & MARK_FLAG) !== 0;
}

/** Lowercase of a non-ASCII code point: a code point, or -2 when lowercasing changes the length. */
export function lowerU(cp: number): number {
  if (cp < 0x10000) {
    const cached = LOWER[cp]!;
    if (cached !== -1) return cached;
  }
  const lower = String.fromCodePoint(cp).toLowerCase();
  const single = lower.codePointAt(0)!;
  const value = lower.length === (single > 0xffff ? 2 : 1) ? single : -2;
  if (cp < 0x10000) LOWER[cp] = value;
  return value;
}
