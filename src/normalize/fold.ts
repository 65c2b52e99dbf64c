import {
  bidiKind,
  codeAt,
  type InvisibleKind,
  invisibleKind,
  isAsciiControl,
  isLatinLetter,
  isLineBreak,
  isWhitespace,
  isWordChar,
} from './chars.js';
import { isLetterU, isMarkU, lowerU } from './char-cache.js';
import { confusableOf, isLatinConfusable } from './confusables.js';
import type { FindingList } from './findings.js';
import { type SpanMap, SpanMapBuilder } from './span-map.js';

/** Text hidden in invisible characters (Unicode tags, variation-selector bytes), decoded. */
export interface HiddenRun {
  transform: 'tag_chars' | 'variation_selector';
  start: number;
  end: number;
  text: string;
}

export interface FoldResult {
  text: string;
  /** True when folded offsets equal original offsets. */
  identity: boolean;
  /** Folded → original offsets; only built when asked for, null for the identity. */
  map: SpanMap | null;
  transforms: Set<string>;
  hidden: HiddenRun[];
}

const ZW_BEFORE = 1;
/** A variation-selector run this long is data, not an emoji or ideograph variant. */
const MIN_VS_RUN = 4;
const TAG_FLAG_BASE = 0x1f3f4;

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

/** Code points after NFKC with their source ranges, in growable typed arrays. */
class Units {
  cps: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.cps = new Int32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  push(cp: number, start: number, end: number, flags: number): void {
    if (this.length === this.cps.length) this.grow();
    const k = this.length++;
    this.cps[k] = cp;
    this.starts[k] = start;
    this.ends[k] = end;
    this.flags[k] = flags;
  }

  last(): number {
    return this.length > 0 ? this.cps[this.length - 1]! : 0;
  }

  private grow(): void {
    const size = this.cps.length * 2 + 16;
    const cps = new Int32Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const flags = new Uint8Array(size);
    cps.set(this.cps);
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    this.cps = cps;
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }
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
      else if (end - k >= 2 && prevScript !== 'foreign' && nextWordScript(cps, n, end) !== 'foreign') {
        fold =
          latinConfusable === confusable || prevScript === 'latin' || nextWordScript(cps, n, end) === 'latin';
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

// Scratch buffers reused across calls (folding is synchronous and never re-entered), so ordinary texts
// allocate no typed arrays.
const SCRATCH_UNITS = new Units(4096);
let SCRATCH_OUT: OutBuffer | null = null;
function outBuffer(capacity: number): OutBuffer {
  SCRATCH_OUT ??= new OutBuffer(4096);
  SCRATCH_OUT.reset(capacity);
  return SCRATCH_OUT;
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

// Decoding the buffer natively beats String.fromCharCode for longer texts; the buffer holds no lone
// surrogates, so nothing is replaced. Uint16Array is platform-endian: only used on little-endian hosts.
const UTF16 = new TextDecoder('utf-16le');
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** UTF-16 output buffer. */
class OutBuffer {
  private codes: Uint16Array;
  length = 0;

  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
  }

  push(code: number): void {
    if (this.length === this.codes.length) {
      const next = new Uint16Array(this.codes.length * 2 + 16);
      next.set(this.codes);
      this.codes = next;
    }
    this.codes[this.length++] = code;
  }

  reset(capacity: number): void {
    this.length = 0;
    if (this.codes.length < capacity) this.codes = new Uint16Array(capacity);
  }

  setLast(code: number): void {
    if (this.length > 0) this.codes[this.length - 1] = code;
  }

  toString(): string {
    if (this.length > 512 && LITTLE_ENDIAN) return UTF16.decode(this.codes.subarray(0, this.length));
    let s = '';
    for (let i = 0; i < this.length; i += 8192) {
      s += String.fromCharCode.apply(
        null,
        this.codes.subarray(i, Math.min(this.length, i + 8192)) as unknown as number[],
      );
    }
    return s;
  }
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

/**
 * First pass: code points after NFKC with their source ranges; invisible characters dropped (hidden
 * text decoded into `hidden`), each removal recorded in `transforms`.
 */
function decompose(
  text: string,
  transforms: Set<string>,
  hidden: HiddenRun[],
  findings: FindingList | null,
): Units {
  const needNfkc = text.normalize('NFKC') !== text;
  const units = SCRATCH_UNITS;
  units.length = 0;
  let pending = 0;
  let bidiOpen = -1;
  let bidiDetail = '';
  let bidiCount = 0;
  const closeBidi = (end: number) => {
    if (bidiOpen >= 0)
      findings?.add({
        transform: 'bidi',
        span: { start: bidiOpen, end },
        count: bidiCount,
        detail: bidiDetail,
      });
    bidiOpen = -1;
    bidiCount = 0;
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (isAsciiControl(c) || c === 0x7f) {
        transforms.add('control_chars');
        i++;
        continue;
      }
      if (bidiOpen >= 0 && (c === 0x0a || c === 0x0d)) closeBidi(i);
      if (!needNfkc || !(codeAt(text, i + 1) >= 0x300)) {
        units.push(c, i, i + 1, pending);
        pending = 0;
        i++;
        continue;
      }
    }
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const kind = c < 0x80 ? null : invisibleKind(cp);
    if (kind) {
      i = removeInvisible(text, i, cp, kind, units, transforms, hidden);
      // Soft hyphens are ordinary hyphenation hints in scraped text; other zero-width characters inside a
      // word are not.
      if (kind === 'zero_width' && cp !== 0xad) pending = ZW_BEFORE;
      else if (kind === 'bidi') {
        const bk = bidiKind(cp);
        if (bk === 'close') closeBidi(i);
        else if (bk === 'mark')
          findings?.add({ transform: 'bidi', span: { start: i - width, end: i }, count: 1, detail: bk });
        else {
          if (bidiOpen < 0) {
            bidiOpen = i - width;
            bidiDetail = bk;
          } else if (bk === 'override') bidiDetail = bk;
          bidiCount++;
        }
      }
      continue;
    }
    if (!needNfkc) {
      units.push(cp, i, i + width, pending);
      pending = 0;
      i += width;
      continue;
    }
    if (c >= 0x80) {
      // A run of visible non-ASCII characters: one NFKC call tells whether it needs per-cluster work.
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d < 0x80) break;
        const dp = text.codePointAt(j)!;
        if (invisibleKind(dp)) break;
        j += dp > 0xffff ? 2 : 1;
      }
      const run = text.slice(i, j);
      if (run.normalize('NFKC') === run && !(text.charCodeAt(j) >= 0x300)) {
        while (i < j) {
          const rp = text.codePointAt(i)!;
          const w = rp > 0xffff ? 2 : 1;
          units.push(rp, i, i + w, pending);
          pending = 0;
          i += w;
        }
        continue;
      }
    }
    // A base character with its combining marks normalises as one cluster.
    let j = i + width;
    while (j < n) {
      const next = text.codePointAt(j)!;
      if (next < 0x300 || invisibleKind(next) || !isMarkU(next)) break;
      j += next > 0xffff ? 2 : 1;
    }
    const cluster = text.slice(i, j);
    const nf = cluster.normalize('NFKC');
    if (nf !== cluster) transforms.add('nfkc');
    for (let u = 0; u < nf.length; ) {
      const np = nf.codePointAt(u)!;
      units.push(np, i, j, pending);
      pending = 0;
      u += np > 0xffff ? 2 : 1;
    }
    i = j;
  }
  closeBidi(text.length);
  return units;
}

/** Drops one invisible character (or a whole tag / variation-selector run); returns the next index. */
function removeInvisible(
  text: string,
  i: number,
  cp: number,
  kind: InvisibleKind,
  units: Units,
  transforms: Set<string>,
  hidden: HiddenRun[],
): number {
  const width = cp > 0xffff ? 2 : 1;
  if (kind === 'tag_chars') {
    let j = i;
    let decoded = '';
    let last = 0;
    while (j < text.length) {
      const t = text.codePointAt(j)!;
      if (t < 0xe0000 || t > 0xe007f) break;
      if (t >= 0xe0020 && t <= 0xe007e) decoded += String.fromCharCode(t - 0xe0000);
      last = t;
      j += 2;
    }
    // Subdivision flags (England, Scotland, Wales) are a black flag, a few tag letters and a cancel tag.
    const flag = text.codePointAt(i - 2) === TAG_FLAG_BASE && last === 0xe007f && decoded.length <= 6;
    if (!flag) {
      transforms.add('tag_chars');
      if (decoded.length > 0) hidden.push({ transform: 'tag_chars', start: i, end: j, text: decoded });
    }
    return j;
  }
  if (kind === 'variation_selector') {
    let j = i;
    const bytes: number[] = [];
    while (j < text.length) {
      const v = text.codePointAt(j)!;
      if (v >= 0xfe00 && v <= 0xfe0f) bytes.push(v - 0xfe00);
      else if (v >= 0xe0100 && v <= 0xe01ef) bytes.push(v - 0xe0100 + 16);
      else break;
      j += v > 0xffff ? 2 : 1;
    }
    if (bytes.length >= MIN_VS_RUN) {
      transforms.add('variation_selector');
      const decoded = new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
      hidden.push({ transform: 'variation_selector', start: i, end: j, text: decoded });
    } else if (bytes.length > 1 || (units.last() < 0x80 && isWordChar(units.last()))) {
      // One selector after an emoji, a symbol or an ideograph picks a glyph variant: ordinary text.
      transforms.add('variation_selector');
    }
    return j;
  }
  // ZWJ / ZWNJ after a non-Latin character join emoji sequences or shape Indic and Arabic script.
  const prev = units.last();
  const joiner = (cp === 0x200d || cp === 0x200c) && prev >= 0x300 && !isLatinLetter(prev);
  const bom = cp === 0xfeff && i === 0;
  if (!joiner && !bom) transforms.add(kind);
  return i + width;
}
