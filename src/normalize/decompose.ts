import {
  bidiKind,
  codeAt,
  type InvisibleKind,
  invisibleKind,
  isAsciiControl,
  isLatinLetter,
  isWordChar,
} from './chars.js';
import { isMarkU } from './char-cache.js';
import type { FindingList } from './findings.js';

/** Text hidden in invisible characters (Unicode tags, variation-selector bytes), decoded. */
export interface HiddenRun {
  transform: 'tag_chars' | 'variation_selector';
  start: number;
  end: number;
  text: string;
}

/** Flag on a unit: a zero-width character was removed right before it. */
export const ZW_BEFORE = 1;
/** A variation-selector run this long is data, not an emoji or ideograph variant. */
const MIN_VS_RUN = 4;
const TAG_FLAG_BASE = 0x1f3f4;

/** Code points after NFKC with their source ranges, in growable typed arrays. */
export class Units {
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

// Scratch units reused across calls (folding is synchronous and never re-entered), so ordinary texts
// allocate no typed arrays.
const SCRATCH_UNITS = new Units(4096);

/**
 * First pass: code points after NFKC with their source ranges; invisible characters dropped (hidden
 * text decoded into `hidden`), each removal recorded in `transforms`.
 */
export function decompose(
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
