import { invisibleKind, isLatinLetter, isLineBreak, isWhitespace, isWordChar } from './chars.js';
import { isLetterU, lowerU } from './char-cache.js';
import { confusableOf, isLatinConfusable } from './confusables.js';
import type { FindingList } from './findings.js';
import { decompose, type HiddenRun, ZW_BEFORE } from './decompose.js';
import { type OutBuffer, outBuffer } from './out-buffer.js';
import { CodeUnits } from './code-units.js';
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

/** Anything but printable ASCII and ASCII whitespace. */
const NOT_PLAIN_ASCII = /[^\t-\r -~]/;

/**
 * Whether a non-ASCII BMP code unit that is not a surrogate sends a text to the general fold: invisible,
 * whitespace other than the no-break space (handled below), or confusable (C1 controls are invisible).
 */
export function breaksInertFold(c: number): boolean {
  return c !== 0xa0 && (invisibleKind(c) !== null || isWhitespace(c) || confusableOf(c) !== 0);
}

/**
 * 1 for every code unit foldInertNoMap turns away: the units breaksInertFold accepts, and the high surrogates of
 * planes 14-16 (tag and variation-selector characters, private use). Filled on the first text with a non-ASCII
 * character.
 */
let NOT_INERT: Uint8Array | null = null;
function notInertTable(): Uint8Array {
  if (NOT_INERT) return NOT_INERT;
  const table = new Uint8Array(0x10000);
  for (let c = 0x80; c < 0x10000; c++) {
    const surrogate = c >= 0xd800 && c <= 0xdfff;
    if (surrogate ? c >= 0xdb40 && c <= 0xdbff : breaksInertFold(c)) table[c] = 1;
  }
  NOT_INERT = table;
  return table;
}
const INERT_UNITS = new CodeUnits();
const LOWERED_UNITS = new CodeUnits();

const NON_ASCII = /[^\0-\x7f]/g;
/** Non-ASCII units looked up one regex match at a time before the rest of the text is read in one loop. */
const FEW_NON_ASCII = 32;

/** Whether every code unit of `text` is one foldInertNoMap may keep (lone surrogates aside). */
function allInert(text: string): boolean {
  const table = notInertTable();
  // Most texts have a handful of non-ASCII units: a native search finds them. Text in another script has one in
  // nearly every word, and a loop over its units costs less than a search per unit.
  NON_ASCII.lastIndex = 0;
  for (let hits = 0; NON_ASCII.test(text); hits++) {
    const i = NON_ASCII.lastIndex - 1;
    if (table[text.charCodeAt(i)]) return false;
    if (hits === FEW_NON_ASCII) {
      const codes = INERT_UNITS.load(text);
      let bad = 0;
      // No early exit: a branch per unit cost more than reading the few units left after a rare hit.
      for (let j = i + 1; j < text.length; j++) bad |= table[codes[j]!]!;
      return bad === 0;
    }
  }
  return true;
}

/**
 * foldAscii without a map, with the same checks done by native scans instead of a per-character loop: one regex
 * for the characters that need the general fold, and isWellFormed for lone surrogates. C0 controls and DEL send
 * the text to the general fold too: collapseLowered finds them on its way.
 */
function foldInertNoMap(text: string): FoldResult | null {
  if (!NOT_PLAIN_ASCII.test(text)) return collapseAscii(text);
  if (!allInert(text) || !text.isWellFormed()) return null;
  const nbsp = text.includes('\u00a0');
  // The text has non-ASCII characters, or controls (NOT_PLAIN_ASCII matched).
  if (!nbsp) {
    const lower = text.toLowerCase();
    if (lower.length !== text.length || text.normalize('NFKC') !== text) return null;
    return collapseLowered(lower);
  }
  // No-break spaces (common in pasted text) would send the text to the general fold, which NFKC-folds them to
  // spaces (transform 'nfkc') and lowercases per character: the same result when the rest is inert and no
  // capital sigma is present (the one letter whole-text lowercasing treats by context).
  if (text.includes('\u03a3')) return null;
  const spaced = text.replaceAll('\u00a0', ' ');
  const lower = spaced.toLowerCase();
  if (lower.length !== spaced.length || spaced.normalize('NFKC') !== spaced) return null;
  const folded = collapseLowered(lower);
  return folded && { ...folded, identity: false, transforms: new Set(['nfkc']) };
}

/** A whitespace run the fold rewrites: two or more whitespace characters, or one that is neither ' ' nor '\n'. */
const REWRITTEN_RUN = /[\t-\r ]{2,}|[\t\v\f\r]/g;
const LINE_BREAK = /[\n-\r]/;

function collapsedRun(run: string): string {
  return LINE_BREAK.test(run) ? '\n' : ' ';
}

/**
 * collapseLowered for plain ASCII, natively: lowercase, then each whitespace run that must change replaced
 * (about a third cheaper than the loop on one-byte text; on the two-byte strings of non-ASCII text it is not).
 * Identity when no run was rewritten: the replace then returns the lowered text itself.
 */
function collapseAscii(text: string): FoldResult {
  const lower = text.toLowerCase();
  const folded = lower.replace(REWRITTEN_RUN, collapsedRun);
  return { text: folded, identity: folded === lower, map: null, transforms: new Set(), hidden: [] };
}

/**
 * The no-map end of foldAscii for lowercased text checked inert, in one pass into the scratch buffer: every ASCII
 * whitespace run collapsed to one newline when it holds a line break (\n, \v, \f, \r), else one space. Identity
 * when no run was rewritten (every run a single space or newline). Null at a C0 control or DEL (the general fold
 * removes those).
 */
function collapseLowered(text: string): FoldResult | null {
  const n = text.length;
  const out = outBuffer(n);
  const codes = out.scratch();
  const input = LOWERED_UNITS.load(text);
  let k = 0;
  let collapse = false;
  let inSpace = false;
  for (let i = 0; i < n; i++) {
    const c = input[i]!;
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      const br = c !== 0x20 && c !== 0x09;
      if (inSpace) {
        collapse = true;
        if (br) codes[k - 1] = 0x0a;
      } else {
        if (c !== 0x20 && c !== 0x0a) collapse = true;
        codes[k++] = br ? 0x0a : 0x20;
      }
      inSpace = true;
      continue;
    }
    if (c < 0x20 || c === 0x7f) return null;
    codes[k++] = c;
    inSpace = false;
  }
  out.length = k;
  return { text: out.toString(), identity: !collapse, map: null, transforms: new Set(), hidden: [] };
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
