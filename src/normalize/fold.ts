import { invisibleKind, isLatinLetter, isLineBreak, isWhitespace, isWordChar } from './chars.js';
import { isLetterU, lowerU } from './char-cache.js';
import { confusableOf, isLatinConfusable } from './confusables.js';
import type { FindingList } from './findings.js';
import { decompose, type HiddenRun, ZW_BEFORE } from './decompose.js';
import { foldInertNoMap } from './fold-inert.js';
import { type OutBuffer, outBuffer } from './out-buffer.js';
import { type SpanMap, SpanMapBuilder } from './span-map.js';

export type { HiddenRun } from './decompose.js';

export interface FoldResult {
  text: string;
  /** True when folded offsets equal original offsets. */
  identity: boolean;
  /** Folded → original offsets; only built when asked for, null for the identity. */
  map: SpanMap | null;
  transforms: Set<string>;
  hidden: HiddenRun[];
}

/**
 * Folds text into one canonical form: NFKC, confusable folding inside spoofed words, removal of invisible
 * characters, lowercase, whitespace runs collapsed to one space (or one newline when the run had a line
 * break). Returns the per-character map back to `text`.
 */
export function foldText(text: string, findings: FindingList | null, withMap = false): FoldResult {
  const ascii = foldAscii(text, withMap);
  if (ascii) return ascii;
  return foldUnicode(text, findings, withMap);
}

/**
 * Fast path for text that needs only lowercasing and whitespace collapsing: printable ASCII plus "inert"
 * non-ASCII characters (curly quotes, dashes, accented letters, CJK, emoji...) that are not invisible,
 * not whitespace, not confusable, NFKC-stable and keep their length when lowercased. Offsets then only
 * move where whitespace collapses. Returns null for anything else.
 */
function foldAscii(text: string, withMap: boolean): FoldResult | null {
  if (!withMap) return foldInertNoMap(text);
  let collapse = false;
  let prevSpace = false;
  let nonAscii = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x21 && c <= 0x7e) {
      prevSpace = false;
      continue;
    }
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      if (prevSpace || (c !== 0x20 && c !== 0x0a)) collapse = true;
      prevSpace = true;
      continue;
    }
    if (c < 0xa0) return null; // C0 / C1 controls, DEL
    prevSpace = false;
    nonAscii = true;
    if (c >= 0xd800 && c <= 0xdfff) {
      // Only well-formed pairs outside the tag / variation-selector planes.
      const cp = text.codePointAt(i)!;
      if (cp <= 0xffff || cp >= 0xe0000) return null;
      i++;
      continue;
    }
    if (invisibleKind(c) || isWhitespace(c) || confusableOf(c)) return null;
  }
  let lower = text.toLowerCase();
  if (nonAscii && (lower.length !== n || text.normalize('NFKC') !== text)) return null;
  const transforms = new Set<string>();
  if (!collapse) return { text: lower, identity: true, map: null, transforms, hidden: [] };
  const out = outBuffer(n);
  const map = new SpanMapBuilder(n, withMap);
  let inSpace = false;
  for (let i = 0; i < n; i++) {
    const c = lower.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      const br = c !== 0x20 && c !== 0x09;
      if (inSpace) {
        map.extendLast(i + 1);
        if (br) out.setLast(0x0a);
      } else {
        out.push(br ? 0x0a : 0x20);
        map.push(i, i + 1);
      }
      inSpace = true;
      continue;
    }
    inSpace = false;
    out.push(c);
    map.push(i, i + 1);
  }
  lower = out.toString();
  return { text: lower, identity: false, map: withMap ? map.finish(n) : null, transforms, hidden: [] };
}

function foldUnicode(text: string, findings: FindingList | null, withMap: boolean): FoldResult {
  const transforms = new Set<string>();
  const hidden: HiddenRun[] = [];
  const units = decompose(text, transforms, hidden, findings);
  const out = outBuffer(units.length + 16);
  const map = new SpanMapBuilder(units.length, withMap);
  const { cps, starts, ends, flags } = units;
  const n = units.length;
  let inSpace = false;
  let k = 0;
  let prevScript: WordScript = 'none';
  while (k < n) {
    const cp = cps[k]!;
    if (isWhitespace(cp)) {
      if (inSpace) {
        map.extendLast(ends[k]!);
        if (isLineBreak(cp)) out.setLast(0x0a);
      } else {
        out.push(isLineBreak(cp) ? 0x0a : 0x20);
        map.push(starts[k]!, ends[k]!);
      }
      inSpace = true;
      k++;
      continue;
    }
    inSpace = false;
    if (!isWordChar(cp)) {
      pushLower(cp, starts[k]!, ends[k]!, out, map, 0);
      k++;
      continue;
    }
    // One word: decide whether it is a spoof of a Latin word, then emit it.
    let end = k;
    let latin = 0;
    let foreign = 0;
    let confusable = 0;
    let latinConfusable = 0;
    let greekAtEdge = 0;
    let zwInside = 0;
    while (end < n && isWordChar(cps[end]!)) {
      const c = cps[end]!;
      if (end > k && flags[end]! & ZW_BEFORE) zwInside++;
      if (c < 0x80) {
        if (c > 0x39) latin++;
      } else if (confusableOf(c)) {
        confusable++;
        if (isLatinConfusable(c)) latinConfusable++;
        if (isGreek(c) && (end === k || end + 1 >= n || !isWordChar(cps[end + 1]!))) greekAtEdge++;
      } else if (isLatinLetter(c)) latin++;
      else if (isLetterU(c)) foreign++;
      end++;
    }
    const script = wordScript(latin, foreign, confusable);
    let fold = false;
    if (confusable > 0 && foreign === 0) {
      // A Greek letter leading or ending a Latin word is scientific notation (NF-κB, PPARγ), not a spoof.
      if (latin > 0) fold = !(greekAtEdge === confusable && confusable === 1);
      // A word spelled only in Latin small capitals / IPA letters (ɪɢɴᴏʀᴇ) is Latin whatever its neighbours:
      // unlike Cyrillic or Greek look-alikes, no other language writes its words with them.
      else if (latinConfusable === confusable && end - k >= 2) fold = true;
      else if (end - k >= 2 && prevScript !== 'foreign') {
        const next = nextWordScript(cps, n, end);
        fold = next !== 'foreign' && (prevScript === 'latin' || next === 'latin');
      }
    }
    if (fold || zwInside > 0) {
      const span = { start: starts[k]!, end: ends[end - 1]! };
      if (fold) {
        transforms.add('homoglyph');
        findings?.add({ transform: 'homoglyph', span, count: confusable });
      }
      if (zwInside > 0 && (latin > 0 || fold))
        findings?.add({ transform: 'zero_width', span, count: zwInside });
    }
    for (let j = k; j < end; j++)
      pushLower(cps[j]!, starts[j]!, ends[j]!, out, map, fold ? confusableOf(cps[j]!) : 0);
    prevScript = fold ? 'latin' : script;
    k = end;
  }
  return {
    text: out.toString(),
    identity: false,
    map: withMap ? map.finish(text.length) : null,
    transforms,
    hidden,
  };
}

function isGreek(cp: number): boolean {
  return cp >= 0x370 && cp <= 0x3ff;
}

type WordScript = 'latin' | 'foreign' | 'mixed' | 'none';

function wordScript(latin: number, foreign: number, confusable: number): WordScript {
  if (foreign > 0) return latin > 0 ? 'mixed' : 'foreign';
  if (latin > 0) return 'latin';
  return confusable > 0 ? 'foreign' : 'none';
}

/** Script of the next word after `from` (skipping spaces and punctuation), looking a short way ahead. */
function nextWordScript(cps: Int32Array, n: number, from: number): WordScript {
  let i = from;
  const limit = Math.min(n, from + 64);
  while (i < limit && !isWordChar(cps[i]!)) i++;
  let latin = 0;
  let foreign = 0;
  let confusable = 0;
  while (i < limit && isWordChar(cps[i]!)) {
    const c = cps[i]!;
    if (confusableOf(c)) confusable++;
    else if (isLatinLetter(c)) latin++;
    else if (c >= 0x80 && isLetterU(c)) foreign++;
    i++;
  }
  const s = wordScript(latin, foreign, confusable);
  return s === 'mixed' ? 'latin' : s;
}

function pushLower(
  cp: number,
  start: number,
  end: number,
  out: OutBuffer,
  map: SpanMapBuilder,
  folded: number,
): void {
  if (folded) {
    out.push(folded);
    map.push(start, end);
    return;
  }
  if (cp < 0x80) {
    out.push(cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp);
    map.push(start, end);
    return;
  }
  const lower = lowerU(cp);
  if (lower >= 0) {
    if (lower > 0xffff) {
      out.push(0xd800 + ((lower - 0x10000) >> 10));
      out.push(0xdc00 + ((lower - 0x10000) & 0x3ff));
      map.push(start, end);
    } else out.push(lower);
    map.push(start, end);
    return;
  }
  const s = String.fromCodePoint(cp).toLowerCase();
  for (let u = 0; u < s.length; u++) {
    out.push(s.charCodeAt(u));
    map.push(start, end);
  }
}
