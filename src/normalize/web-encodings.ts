import { codeAt } from './chars.js';
import type { EncodedSegment } from './encodings.js';
import { bytesToText, looksLikeText } from './printable.js';

/** Escapes closer than this (and on one line) belong to one encoded region. */
const MAX_GAP = 40;
const MIN_ESCAPES = 3;

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  sol: '/',
  bsol: '\\',
  colon: ':',
  lpar: '(',
  rpar: ')',
  lsqb: '[',
  rsqb: ']',
  lcub: '{',
  rcub: '}',
  excl: '!',
  quest: '?',
  num: '#',
  period: '.',
  comma: ',',
  semi: ';',
  equals: '=',
  plus: '+',
  minus: '-',
  ast: '*',
  percnt: '%',
  dollar: '$',
  commat: '@',
  grave: '`',
  tab: '\t',
  newline: '\n',
  hyphen: '-',
  lowbar: '_',
  verbar: '|',
  tilde: '~',
};

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function hasLineBreak(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 0x0a) return true;
  return false;
}

/** Groups escape positions into regions (gaps short and on one line), widened to whole tokens. */
function regions(
  text: string,
  positions: number[],
  lengths: number[],
): Array<{ start: number; end: number; count: number }> {
  const out: Array<{ start: number; end: number; count: number }> = [];
  let k = 0;
  while (k < positions.length) {
    let last = k;
    while (
      last + 1 < positions.length &&
      positions[last + 1]! - (positions[last]! + lengths[last]!) <= MAX_GAP &&
      !hasLineBreak(text, positions[last]! + lengths[last]!, positions[last + 1]!)
    ) {
      last++;
    }
    let start = positions[k]!;
    let end = positions[last]! + lengths[last]!;
    while (start > 0 && !isSpace(codeAt(text, start - 1)) && positions[k]! - start < MAX_GAP) start--;
    while (end < text.length && !isSpace(text.charCodeAt(end)) && end - positions[last]! < MAX_GAP * 2) end++;
    out.push({ start, end, count: last - k + 1 });
    k = last + 1;
  }
  return out;
}

/** `%69%67%6e...` and `ignore%20all%20previous` decoded (UTF-8 aware). */
export function findUrlEncoded(text: string, budget: { left: number }): EncodedSegment[] {
  if (text.indexOf('%') < 0) return [];
  const positions: number[] = [];
  const lengths: number[] = [];
  for (let i = text.indexOf('%'); i >= 0 && i < text.length; i = text.indexOf('%', i + 1)) {
    if (hexDigit(codeAt(text, i + 1)) >= 0 && hexDigit(codeAt(text, i + 2)) >= 0) {
      positions.push(i);
      lengths.push(3);
    }
  }
  const out: EncodedSegment[] = [];
  for (const r of regions(text, positions, lengths)) {
    if (r.count < MIN_ESCAPES || budget.left <= 0) continue;
    // Each byte yields at most one character, so decoding stops once the budget is covered.
    const bytes = new Uint8Array(Math.min(r.end - r.start, budget.left) + 4);
    let b = 0;
    for (let i = r.start; i < r.end && b < bytes.length - 4; i++) {
      const c = text.charCodeAt(i);
      const hi = c === 0x25 ? hexDigit(codeAt(text, i + 1)) : -1;
      const lo = hi >= 0 ? hexDigit(codeAt(text, i + 2)) : -1;
      if (lo >= 0) {
        bytes[b++] = hi * 16 + lo;
        i += 2;
      } else if (c < 0x80) bytes[b++] = c;
      else {
        const cp = text.codePointAt(i)!;
        for (const byte of Buffer.from(String.fromCodePoint(cp))) bytes[b++] = byte;
        if (cp > 0xffff) i++;
      }
    }
    const decoded = bytesToText(bytes.subarray(0, b))?.slice(0, budget.left);
    if (!decoded) continue;
    budget.left -= decoded.length;
    out.push({ transform: 'url_encoding', start: r.start, end: r.end, text: decoded });
  }
  return out;
}

/** `&#105;&#x67;&lt;...` decoded. Numeric entities may omit the semicolon, as browsers allow. */
export function findHtmlEntities(text: string, budget: { left: number }): EncodedSegment[] {
  if (text.indexOf('&') < 0) return [];
  const positions: number[] = [];
  const lengths: number[] = [];
  const values: string[] = [];
  for (let i = text.indexOf('&'); i >= 0 && i < text.length; i = text.indexOf('&', i + 1)) {
    const entity = parseEntity(text, i);
    if (entity) {
      positions.push(i);
      lengths.push(entity.length);
      values.push(entity.value);
    }
  }
  const out: EncodedSegment[] = [];
  let v = 0;
  for (const r of regions(text, positions, lengths)) {
    while (v < positions.length && positions[v]! < r.start) v++;
    if (r.count < MIN_ESCAPES || budget.left <= 0) {
      v += r.count;
      continue;
    }
    let decoded = '';
    let at = r.start;
    while (v < positions.length && positions[v]! < r.end) {
      decoded += text.slice(at, positions[v]) + values[v];
      at = positions[v]! + lengths[v]!;
      v++;
    }
    decoded += text.slice(at, r.end);
    if (!looksLikeText(decoded)) continue;
    decoded = decoded.slice(0, budget.left);
    budget.left -= decoded.length;
    out.push({ transform: 'html_entities', start: r.start, end: r.end, text: decoded });
  }
  return out;
}

function parseEntity(text: string, at: number): { length: number; value: string } | null {
  if (codeAt(text, at + 1) === 0x23) {
    const hex = (codeAt(text, at + 2) | 0x20) === 0x78;
    let i = at + (hex ? 3 : 2);
    let value = 0;
    const digitsStart = i;
    while (i < text.length && i - digitsStart < 7) {
      const c = text.charCodeAt(i);
      const d = hex ? hexDigit(c) : c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
      if (d < 0) break;
      value = value * (hex ? 16 : 10) + d;
      i++;
    }
    if (i === digitsStart || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return null;
    if (text.charCodeAt(i) === 0x3b) i++;
    return { length: i - at, value: String.fromCodePoint(value) };
  }
  let i = at + 1;
  while (i < text.length && i - at <= 8 && /[a-zA-Z]/.test(text[i]!)) i++;
  if (text.charCodeAt(i) !== 0x3b) return null;
  const value = NAMED[text.slice(at + 1, i).toLowerCase()];
  return value === undefined ? null : { length: i + 1 - at, value };
}
