import { hasCommonWords } from './english.js';
import { type EncodedSegment, pushDecoded } from './encodings.js';
import { bytesToText } from './printable.js';

/**
 * Text written as numbers, two jailbreak staples: bytes in binary (`01001001 01100111 ...`, with one separator
 * throughout or none) and character codes in decimal (`73 103 110 111 ...`, `73,103,110`). Both are linear
 * scans with no backtracking; each decoded run must read as text (binary) or as English (decimal, since lists
 * of small numbers are everywhere in ordinary data).
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
 * Native pre-checks (linear: no nested quantifiers) that skip the scanners on the many texts without a byte of
 * bits or a run of small numbers; most texts have neither.
 */
const MAYBE_BINARY = /(?:^|[^0-9A-Za-z_])[01]{8}/;
const MAYBE_CHAR_CODES = /\d{2,3}(?:[ ,;] ?\d{2,3}){7}/;
/** Either of the two, loosely, in one scan (~1.8 µs per 2 KB against ~3.4 for both). */
const MAYBE_EITHER = /[01]{8}|\d{2,3}[ ,;] ?\d{2,3}[ ,;] ?\d{2,3}[ ,;] ?\d/;

/** Binary bytes and decimal character codes in `text` (see findBinary and findCharCodes). */
export function findNumberEncoded(text: string, budget: { left: number }): EncodedSegment[] {
  if (!MAYBE_EITHER.test(text)) return [];
  return [...findBinary(text, budget), ...findCharCodes(text, budget)];
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

/** Decimal character codes (printable ASCII and line breaks), one separator throughout. */
export function findCharCodes(text: string, budget: { left: number }): EncodedSegment[] {
  if (!MAYBE_CHAR_CODES.test(text)) return [];
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
      while (r < n && r - q < 3 && isDigit(text.charCodeAt(r)))
        value = value * 10 + text.charCodeAt(r++) - 0x30;
      if (r === q || (r < n && isDigit(text.charCodeAt(r)))) break;
      if (!(value === 10 || (value >= 32 && value <= 126))) break;
      decoded += String.fromCharCode(value);
      count++;
      end = r;
      const sep = separatorLength(text, r);
      if (!sep) break;
      const here = text.slice(r, r + sep);
      if (sepText === undefined) sepText = here;
      else if (here !== sepText) break;
      if (!isDigit(text.charCodeAt(r + sep))) break;
      q = r + sep;
    }
    if (count >= MIN_CHAR_CODES && hasCommonWords(decoded, 2)) {
      pushDecoded(out, budget, { transform: 'char_codes', start: i, end, text: decoded });
    }
    i = Math.max(end, i + 1);
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  return out;
}

function isWordCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f;
}
