import { hasCommonWords } from './english.js';
import { type EncodedSegment, pushDecoded } from './encodings.js';
import { bytesToText } from './printable.js';

/**
 * Text written as numbers, jailbreak staples: bytes in binary (`01001001 01100111 ...`, with one separator
 * throughout or none), character codes in decimal or octal (`73 103 110 ...`, `111 147 156 ...`, `73,103,110`),
 * octal escapes (`\111\147\156...`) and code point notation (`U+0049 U+0067 ...`). All are linear scans with
 * no backtracking; each decoded run must read as text (binary, escapes, code points) or as English (spaced
 * numbers, since lists of small numbers are everywhere in ordinary data).
 */

/** Fewest bytes / character codes worth decoding. */
const MIN_BINARY_BYTES = 4;
const MIN_CHAR_CODES = 8;

function isBit(c: number): boolean {
  return c === 0x30 || c === 0x31;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A separator between numbers: space, comma, semicolon, or a comma or semicolon followed by a space. */
function separatorLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x20) return 1;
  if (c === 0x2c || c === 0x3b) return text.charCodeAt(i + 1) === 0x20 ? 2 : 1;
  return 0;
}

/**
 * The separator after a number ending at i when the run may go on: the run's first separator fixes it
 * (`fixed` undefined), later ones must equal it. Undefined where the run ends (another separator).
 */
function runSeparator(text: string, i: number, fixed: string | undefined): string | undefined {
  const here = text.slice(i, i + separatorLength(text, i));
  return fixed === undefined || here === fixed ? here : undefined;
}

/**
 * Native pre-checks (linear: no nested quantifiers) that skip the scanners on the many texts without a byte of
 * bits or a run of small numbers; most texts have neither.
 */
const MAYBE_BINARY = /(?:^|[^0-9A-Za-z_])[01]{8}/;
const MAYBE_CHAR_CODES = /\d{2,3}(?:[ ,;] ?\d{2,3}){7}/;
/** Either of the two, loosely, in one scan (~1.8 µs per 2 KB against ~3.4 for both). */
const MAYBE_EITHER = /[01]{8}|\d{2,3}[ ,;] ?\d{2,3}[ ,;] ?\d{2,3}[ ,;] ?\d/;

/**
 * Binary bytes, decimal and octal character codes, octal escapes and code point notation in `text` (see the
 * finders below). The last two are looked for only in text holding a backslash or `U+` (one native search).
 */
export function findNumberEncoded(text: string, budget: { left: number }): EncodedSegment[] {
  const out = MAYBE_EITHER.test(text) ? [...findBinary(text, budget), ...findCharCodes(text, budget)] : [];
  if (text.includes('\\')) out.push(...findOctalEscapes(text, budget));
  if (text.includes('U+') || text.includes('u+')) out.push(...findCodePoints(text, budget));
  return out;
}

/** Binary bytes, eight bits each, separated by one separator throughout or by none. */
export function findBinary(text: string, budget: { left: number }): EncodedSegment[] {
  if (!MAYBE_BINARY.test(text)) return [];
  const out: EncodedSegment[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && budget.left > 0) {
    if (!isBit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    if (i > 0 && isWordCode(text.charCodeAt(i - 1))) {
      // Inside a token ("x01", "2010"): skip the rest of it.
      while (i < n && isWordCode(text.charCodeAt(i))) i++;
      continue;
    }
    // The first group fixes the layout: eight bits, then a separator (or the next group straight away).
    let p = i;
    while (p < n && isBit(text.charCodeAt(p))) p++;
    const firstRun = p - i;
    const glued = firstRun >= 8 * MIN_BINARY_BYTES && firstRun % 8 === 0;
    if (firstRun !== 8 && !glued) {
      i = p + 1;
      continue;
    }
    const bytes: number[] = [];
    let end = i;
    if (glued) {
      for (let q = i; q + 8 <= p; q += 8) bytes.push(Number.parseInt(text.slice(q, q + 8), 2));
      end = p;
    } else {
      const sep = separatorLength(text, p);
      const sepText = text.slice(p, p + sep);
      let q = i;
      for (;;) {
        let r = q;
        while (r < n && r - q < 9 && isBit(text.charCodeAt(r))) r++;
        if (r - q !== 8) break;
        bytes.push(Number.parseInt(text.slice(q, r), 2));
        end = r;
        if (!sep || text.slice(r, r + sep) !== sepText || !isBit(text.charCodeAt(r + sep))) break;
        q = r + sep;
      }
    }
    if (bytes.length >= MIN_BINARY_BYTES && (end >= n || !isWordCode(text.charCodeAt(end)))) {
      const decoded = bytesToText(Uint8Array.from(bytes));
      if (decoded) {
        pushDecoded(out, budget, { transform: 'binary', start: i, end, text: decoded });
      }
    }
    i = Math.max(end, i + 1);
  }
  return out;
}

/**
 * Character codes (printable ASCII and line breaks) in decimal, then in octal (every digit 0-7), one separator
 * throughout: the same runs read both ways, and only a reading that spells English is kept.
 */
export function findCharCodes(text: string, budget: { left: number }): EncodedSegment[] {
  if (!MAYBE_CHAR_CODES.test(text)) return [];
  return [...findCodeRuns(text, budget, 10), ...findCodeRuns(text, budget, 8)];
}

function findCodeRuns(text: string, budget: { left: number }, radix: 8 | 10): EncodedSegment[] {
  const isRadixDigit = radix === 8 ? isOctalDigit : isDigit;
  const out: EncodedSegment[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && budget.left > 0) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) || (i > 0 && (isWordCode(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === 0x2e))) {
      i++;
      continue;
    }
    let decoded = '';
    let count = 0;
    let q = i;
    let end = i;
    let sepText: string | undefined;
    for (;;) {
      let r = q;
      let value = 0;
      while (r < n && r - q < 3 && isRadixDigit(text.charCodeAt(r)))
        value = value * radix + text.charCodeAt(r++) - 0x30;
      if (r === q || (r < n && isDigit(text.charCodeAt(r)))) break;
      if (!(value === 10 || (value >= 32 && value <= 126))) break;
      decoded += String.fromCharCode(value);
      count++;
      end = r;
      sepText = runSeparator(text, r, sepText);
      if (!sepText || !isDigit(text.charCodeAt(r + sepText.length))) break;
      q = r + sepText.length;
    }
    if (count >= MIN_CHAR_CODES && hasCommonWords(decoded, 2)) {
      pushDecoded(out, budget, {
        transform: radix === 8 ? 'octal' : 'char_codes',
        start: i,
        end,
        text: decoded,
      });
    }
    i = Math.max(end, i + 1);
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  return out;
}

/** Octal escapes, `\NNN` each (one to three octal digits), back to back: bytes that must read as text. */
export function findOctalEscapes(text: string, budget: { left: number }): EncodedSegment[] {
  const out: EncodedSegment[] = [];
  const n = text.length;
  for (let i = text.indexOf('\\'); i >= 0 && i < n && budget.left > 0; ) {
    const bytes: number[] = [];
    let q = i;
    while (q < n && text.charCodeAt(q) === 0x5c && isOctalDigit(text.charCodeAt(q + 1))) {
      let r = q + 1;
      let value = 0;
      while (r < n && r - q <= 3 && isOctalDigit(text.charCodeAt(r)))
        value = value * 8 + text.charCodeAt(r++) - 0x30;
      if (value > 0xff) break;
      bytes.push(value);
      q = r;
    }
    if (bytes.length >= MIN_CHAR_CODES) {
      const decoded = bytesToText(Uint8Array.from(bytes));
      if (decoded) pushDecoded(out, budget, { transform: 'octal', start: i, end: q, text: decoded });
    }
    i = text.indexOf('\\', Math.max(q, i + 1));
  }
  return out;
}

/** Code point notation, `U+` and four to six hex digits each, with one separator throughout or none. */
export function findCodePoints(text: string, budget: { left: number }): EncodedSegment[] {
  const out: EncodedSegment[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && budget.left > 0) {
    const at = nextCodePointMark(text, i);
    if (at < 0) break;
    let decoded = '';
    let count = 0;
    let q = at;
    let end = at;
    let sepText: string | undefined;
    for (;;) {
      let r = q + 2;
      while (r < n && r - q - 2 < 6 && isHexDigit(text.charCodeAt(r))) r++;
      const digits = r - q - 2;
      // Glued notation (`U+0049U+0067`) ends each number at the next mark; anything else must not go on a word.
      if (digits < 4 || (r < n && isWordCode(text.charCodeAt(r)) && !isCodePointMark(text, r))) break;
      const value = Number.parseInt(text.slice(q + 2, r), 16);
      if (!printableCodePoint(value)) break;
      decoded += String.fromCodePoint(value);
      count++;
      end = r;
      sepText = runSeparator(text, r, sepText);
      if (sepText === undefined || !isCodePointMark(text, r + sepText.length)) break;
      q = r + sepText.length;
    }
    if (count >= MIN_CHAR_CODES)
      pushDecoded(out, budget, { transform: 'code_points', start: at, end, text: decoded });
    i = Math.max(end, at + 2);
  }
  return out;
}

function isCodePointMark(text: string, i: number): boolean {
  return (text.charCodeAt(i) | 0x20) === 0x75 && text.charCodeAt(i + 1) === 0x2b;
}

/** The next `U+` / `u+` at or after `from` that does not continue a word, or -1. */
function nextCodePointMark(text: string, from: number): number {
  for (let i = text.indexOf('+', from + 1); i > 0; i = text.indexOf('+', i + 1)) {
    if (isCodePointMark(text, i - 1) && (i < 2 || !isWordCode(text.charCodeAt(i - 2)))) return i - 1;
  }
  return -1;
}

/** A code point that can be text: no surrogate, no C0 control but tab and line breaks, no DEL or C1 control. */
function printableCodePoint(value: number): boolean {
  if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return false;
  if (value < 0x20) return value === 9 || value === 10 || value === 13;
  return value < 0x7f || value > 0x9f;
}

function isOctalDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function isWordCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f;
}
