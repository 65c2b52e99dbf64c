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
 * text decoded into `hidden`), each removal recorded in `transforms`. `reference` (tests) takes the slow
 * path each shortcut here must match: every cluster asked whether the rest of its run is stable, every cluster
 * normalised.
 */
export function decompose(
  text: string,
  transforms: Set<string>,
  hidden: HiddenRun[],
  findings: FindingList | null,
  reference = false,
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
  // The visible non-ASCII run i is in, and where in it per-cluster work ends (see firstStableCluster).
  let runEnd = -1;
  let stableFrom = -1;
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
      // A run of visible non-ASCII characters: NFKC calls tell from which cluster on it needs no per-cluster
      // work (see firstStableCluster). Asked again at every cluster, as before, a long run cost quadratic time.
      if (i >= runEnd) {
        runEnd = visibleRunEnd(text, i);
        stableFrom = reference
          ? firstStableClusterByEach(text, i, runEnd)
          : firstStableCluster(text, i, runEnd);
      }
      if (i >= stableFrom) {
        while (i < runEnd) {
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
    const j = clusterEnd(text, i);
    if (j === i + 1 && c >= 0x80 && !reference && nfkcKeeps(c)) {
      // One BMP character NFKC keeps: what normalising the cluster would push, without the call.
      units.push(c, i, j, pending);
      pending = 0;
      i = j;
      continue;
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

/** Per BMP code unit: 0 not known yet, 1 NFKC keeps it as it is (alone), 2 it does not. */
const NFKC_KEEPS = new Uint8Array(0x10000);

/** Whether NFKC leaves the one-unit string `c` unchanged (cached; the NFKC call was most of a cluster's cost). */
function nfkcKeeps(c: number): boolean {
  let known = NFKC_KEEPS[c]!;
  if (known === 0) {
    const ch = String.fromCharCode(c);
    known = ch.normalize('NFKC') === ch ? 1 : 2;
    NFKC_KEEPS[c] = known;
  }
  return known === 1;
}

/** End of the run of visible (not invisible) non-ASCII characters starting at i. */
function visibleRunEnd(text: string, i: number): number {
  const n = text.length;
  let j = i;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d < 0x80) break;
    const dp = text.codePointAt(j)!;
    if (invisibleKind(dp)) break;
    j += dp > 0xffff ? 2 : 1;
  }
  return j;
}

/** End of the cluster starting at i: a base character and the combining marks after it. */
export function clusterEnd(text: string, i: number): number {
  const n = text.length;
  let j = i + (text.codePointAt(i)! > 0xffff ? 2 : 1);
  while (j < n) {
    const next = text.codePointAt(j)!;
    if (next < 0x300 || invisibleKind(next) || !isMarkU(next)) break;
    j += next > 0xffff ? 2 : 1;
  }
  return j;
}

/** Whether the rest of the run, text[i, end), is NFKC as it is and no combining mark follows the run. */
function stableSuffix(text: string, i: number, end: number): boolean {
  const rest = text.slice(i, end);
  return rest.normalize('NFKC') === rest && !(text.charCodeAt(end) >= 0x300);
}

/**
 * The first cluster start in the run [start, end) from which the rest of the run is stableSuffix (end when none
 * is): decompose takes the run's clusters one by one before it and the rest whole from there, as it did when it
 * asked stableSuffix at each cluster. A suffix of an NFKC-normalised string is normalised (no decomposition,
 * reordering or composition in it needs anything before it), so past the first stable cluster start every one is
 * stable, and a binary search over the cluster starts finds it with a logarithmic number of NFKC calls.
 */
function firstStableCluster(text: string, start: number, end: number): number {
  if (stableSuffix(text, start, end)) return start;
  if (text.charCodeAt(end) >= 0x300) return end;
  const starts: number[] = [];
  for (let k = clusterEnd(text, start); k < end; k = clusterEnd(text, k)) starts.push(k);
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stableSuffix(text, starts[mid]!, end)) hi = mid;
    else lo = mid + 1;
  }
  return lo < starts.length ? starts[lo]! : end;
}

/** firstStableCluster the way decompose found it before, asking stableSuffix at every cluster: the reference for tests. */
function firstStableClusterByEach(text: string, start: number, end: number): number {
  for (let k = start; k < end; k = clusterEnd(text, k)) if (stableSuffix(text, k, end)) return k;
  return end;
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
