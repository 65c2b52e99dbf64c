import { codeAt } from './chars.js';
import {
  B32,
  B64,
  B64URL,
  CLASS,
  DIGIT,
  HEX,
  LOWER,
  MIN_WRAPPED_LINE,
  SHORT_RUNS,
  scanShortRuns,
  UPPER,
} from './base-runs.js';
import { bytesToText, looksLikeText } from './printable.js';

export type EncodingName = 'base64' | 'base32' | 'hex';

export interface EncodedSegment {
  transform:
    | EncodingName
    | 'url_encoding'
    | 'html_entities'
    | 'binary'
    | 'char_codes'
    | 'octal'
    | 'code_points'
    | 'morse'
    | 'upside_down';
  /** Range of the encoded run in the scanned text. */
  start: number;
  end: number;
  /** Decoded text. */
  text: string;
}

/** Adds a decoded segment, cut to what the decode budget has left, and charges the budget. */
export function pushDecoded(out: EncodedSegment[], budget: { left: number }, segment: EncodedSegment): void {
  const text = segment.text.length > budget.left ? segment.text.slice(0, budget.left) : segment.text;
  budget.left -= text.length;
  out.push({ ...segment, text });
}

function cls(text: string, i: number): number {
  const c = codeAt(text, i);
  return c < 128 ? CLASS[c]! : 0;
}

/** Encoded characters decoded before a candidate is judged; rejects binary runs without decoding them whole. */
const PROBE_CHARS = 256;

/**
 * Finds base64 (standard and url-safe), base32 and hex runs in `text` with hand-written linear scanners and
 * decodes the ones that turn into readable text. `budget` bounds the total decoded characters.
 */
export function findBaseEncoded(text: string, minLength: number, budget: { left: number }): EncodedSegment[] {
  const out: EncodedSegment[] = [];
  const n = text.length;
  const long = Math.max(1, Math.min(minLength, MIN_WRAPPED_LINE));
  const short = SHORT_RUNS;
  short.hexPairs = 0; // two-character hex runs: candidate "69 67 6e" byte lists
  short.letteredPairs = 0;
  short.pairEnd = -MIN_WRAPPED_LINE;
  short.chain = 0;
  short.longestChain = 0;
  let i = 0;
  while (i < n && budget.left > 0) {
    // Runs shorter than `long` are only counted (see scanShortRuns); the next long one is read here.
    i = scanShortRuns(text, i, long).end;
    if (i >= n) break;
    // Maximal run of base64 alphabet characters (a run may wrap at line breaks, as MIME base64 does).
    const start = i;
    let seen = 0;
    let lineStart = i;
    let pieces: string[] | null = null;
    while (i < n) {
      const ci = text.charCodeAt(i);
      const b = ci < 128 ? CLASS[ci]! : 0;
      if (b & (B64 | B64URL)) {
        seen |= b;
        i++;
        continue;
      }
      const c = text.charCodeAt(i);
      const br = c === 0x0a ? 1 : c === 0x0d && codeAt(text, i + 1) === 0x0a ? 2 : 0;
      if (br && i - lineStart >= MIN_WRAPPED_LINE && cls(text, i + br) & B64) {
        pieces ??= [];
        pieces.push(text.slice(lineStart, i));
        i += br;
        lineStart = i;
        continue;
      }
      break;
    }
    let end = i;
    while (end < n && end - i < 2 && text.charCodeAt(end) === 0x3d) end++;
    const runLength = i - start - (pieces ? pieces.length : 0);
    if (runLength === 2 && isAll(text.slice(start, i), HEX)) {
      short.hexPairs++;
      if (seen & (UPPER | LOWER)) short.letteredPairs++;
    }
    if (runLength >= minLength && (start === 0 || !isWordLike(codeAt(text, start - 1)))) {
      const body = pieces ? [...pieces, text.slice(lineStart, i)].join('') : text.slice(start, i);
      const segment = decodeRun(body, seen, budget);
      if (segment) out.push({ ...segment, start, end });
    }
    i = Math.max(end, i);
  }
  const minBytes = Math.max(4, Math.ceil(minLength / 2));
  // A list of minBytes separated bytes ("69 67 6e ...") holds a chain of minBytes - 2 hex runs or more: all its
  // bytes but the last are two-character runs one or two characters apart (the first may have been read as the
  // end of a wrapped run). Only scanShortRuns sees every two-character run, so the chain counts when long > 2.
  const chained = long <= 2 || short.longestChain >= minBytes - 2;
  if (
    (short.hexPairs >= minBytes && short.letteredPairs > 0 && chained) ||
    text.includes('\\x') ||
    text.includes('\\X') ||
    text.includes('0x') ||
    text.includes('0X')
  ) {
    findSeparatedHex(text, minBytes, budget, out);
  }
  if (text.includes('\\u')) findUnicodeEscapes(text, Math.max(4, Math.ceil(minLength / 4)), budget, out);
  return out;
}

/**
 * JavaScript / JSON escapes (`\u0069\u0067...`, `\u{69}`) are hex written per code unit; a run of them
 * decodes like the other hex forms and is reported as `hex`.
 */
function findUnicodeEscapes(
  text: string,
  minEscapes: number,
  budget: { left: number },
  out: EncodedSegment[],
): void {
  let i = text.indexOf('\\u');
  while (i >= 0 && budget.left > 0) {
    const start = i;
    let decoded = '';
    let count = 0;
    let p = i;
    while (p < text.length && text.charCodeAt(p) === 0x5c && codeAt(text, p + 1) === 0x75) {
      let q = p + 2;
      let value = 0;
      let digits = 0;
      const braced = codeAt(text, q) === 0x7b;
      if (braced) q++;
      while (digits < (braced ? 6 : 4) && hexDigit(codeAt(text, q)) >= 0) {
        value = value * 16 + hexDigit(codeAt(text, q));
        digits++;
        q++;
      }
      if (braced ? digits === 0 || codeAt(text, q) !== 0x7d : digits !== 4) break;
      if (braced) q++;
      if (value > 0x10ffff) break;
      decoded += braced ? String.fromCodePoint(value) : String.fromCharCode(value);
      count++;
      p = q;
    }
    if (count >= minEscapes) {
      const wellFormed = decoded.toWellFormed();
      if (looksLikeText(wellFormed)) {
        pushDecoded(out, budget, { transform: 'hex', start, end: p, text: wellFormed });
      }
    }
    i = text.indexOf('\\u', Math.max(p, start + 2));
  }
}

function isWordLike(c: number): boolean {
  return c < 128 ? (CLASS[c]! & (B64 | B64URL)) !== 0 : false;
}

function decodeRun(
  body: string,
  seen: number,
  budget: { left: number },
): Pick<EncodedSegment, 'transform' | 'text'> | null {
  const classes = (seen & UPPER ? 1 : 0) + (seen & LOWER ? 1 : 0) + (seen & DIGIT ? 1 : 0);
  // All-digit runs are numbers; hex of text always has some a-f digits.
  if (seen & DIGIT && body.length % 2 === 0 && isAll(body, HEX) && hasHexLetter(body)) {
    const text = decodeLimited(body, budget, 2, hexToBytes);
    if (text) return { transform: 'hex', text };
  }
  if (!(seen & LOWER) && isAll(body, B32) && seen & DIGIT) {
    const text = decodeLimited(body, budget, 8, base32ToBytes);
    if (text) return { transform: 'base32', text };
  }
  // Ordinary words and identifiers use one or two character classes; base64 of text uses all three.
  if (classes < 2 || (classes === 2 && !(seen & DIGIT) && body.length < 24)) return null;
  const text = decodeLimited(body, budget, 4, base64ToBytes);
  return text ? { transform: 'base64', text } : null;
}

function hasHexLetter(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (cls(s, k) & (UPPER | LOWER)) return true;
  return false;
}

function isAll(s: string, bit: number): boolean {
  for (let k = 0; k < s.length; k++) if (!(cls(s, k) & bit)) return false;
  return true;
}

/** Probes a prefix first, then decodes at most what the budget allows (aligned to the encoding's block). */
function decodeLimited(
  body: string,
  budget: { left: number },
  block: number,
  decode: (s: string) => Uint8Array,
): string | null {
  const probeLen = Math.min(body.length, PROBE_CHARS - (PROBE_CHARS % block));
  if (probeLen < body.length && !bytesToText(trimUtf8(decode(body.slice(0, probeLen))))) return null;
  const maxChars = Math.floor((budget.left * block) / (block === 2 ? 1 : block === 4 ? 3 : 5));
  let usable = Math.min(body.length, Math.max(block, maxChars));
  if (usable < body.length) usable -= usable % block;
  const text = bytesToText(decode(body.slice(0, usable)));
  if (!text) return null;
  const kept = text.length > budget.left ? text.slice(0, budget.left) : text;
  budget.left -= kept.length;
  return kept;
}

/** Drops a partial UTF-8 sequence at the end of a probe so it is not judged as invalid text. */
function trimUtf8(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  let back = 0;
  while (end > 0 && back < 3 && (bytes[end - 1]! & 0xc0) === 0x80) {
    end--;
    back++;
  }
  if (end > 0 && bytes[end - 1]! >= 0xc0) end--;
  else end = bytes.length;
  return bytes.subarray(0, end);
}

export function base64ToBytes(s: string): Uint8Array {
  const len = s.length % 4 === 1 ? s.length - 1 : s.length;
  return Buffer.from(s.slice(0, len), 'base64');
}

export function hexToBytes(s: string): Uint8Array {
  return Buffer.from(s.length % 2 ? s.slice(0, -1) : s, 'hex');
}

export function base32ToBytes(s: string): Uint8Array {
  const out = new Uint8Array(Math.floor((s.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    const v = c >= 0x41 && c <= 0x5a ? c - 0x41 : c >= 0x32 && c <= 0x37 ? c - 0x32 + 26 : -1;
    if (v < 0) break;
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/**
 * Hex written as separate bytes: `\x69\x67`, `0x69 0x67`, `69 67 6e`, `69:67:6e`. A run keeps one prefix and
 * one separator style throughout.
 */
function findSeparatedHex(
  text: string,
  minBytes: number,
  budget: { left: number },
  out: EncodedSegment[],
): void {
  const n = text.length;
  let i = 0;
  while (i < n && budget.left > 0) {
    const c = text.charCodeAt(i);
    let prefix = '';
    if (c === 0x5c && (codeAt(text, i + 1) | 0x20) === 0x78) prefix = text.slice(i, i + 2);
    else if (
      c === 0x30 &&
      (codeAt(text, i + 1) | 0x20) === 0x78 &&
      (i === 0 || !isWordLike(codeAt(text, i - 1)))
    )
      prefix = text.slice(i, i + 2);
    else if (hexDigit(c) < 0 || (i > 0 && isWordLike(codeAt(text, i - 1)))) {
      i++;
      continue;
    }
    const first = i + prefix.length;
    if (hexDigit(codeAt(text, first)) < 0 || hexDigit(codeAt(text, first + 1)) < 0) {
      i++;
      continue;
    }
    let sepEnd = first + 2;
    while (sepEnd < n && sepEnd - first - 2 < 2 && ' ,:;'.includes(text[sepEnd]!)) sepEnd++;
    const sep = text.slice(first + 2, sepEnd);
    if (!prefix && !sep) {
      i++;
      continue;
    }
    const bytes: number[] = [];
    let p = i;
    let end = i;
    while (p < n) {
      if (prefix && text.slice(p, p + prefix.length).toLowerCase() !== prefix.toLowerCase()) break;
      const q = p + prefix.length;
      const hi = hexDigit(text.charCodeAt(q));
      const lo = hexDigit(codeAt(text, q + 1));
      if (hi < 0 || lo < 0 || hexDigit(codeAt(text, q + 2)) >= 0) break;
      bytes.push(hi * 16 + lo);
      end = q + 2;
      if (sep && text.slice(end, end + sep.length) !== sep) break;
      p = end + sep.length;
    }
    // Plain "61 66 66" byte lists need an a-f digit somewhere: number lists are not hex.
    const lettered = prefix !== '' || hasHexLetter(text.slice(i, end));
    if (bytes.length >= minBytes && lettered) {
      const decoded = bytesToText(Uint8Array.from(bytes));
      if (decoded && decoded.length <= budget.left) {
        budget.left -= decoded.length;
        out.push({ transform: 'hex', start: i, end, text: decoded });
      }
      i = end;
    } else i = Math.max(i + 1, end);
  }
}
