import type { Span } from '../core/types.js';

/**
 * Per-character source ranges of a derived text: output unit `i` came from `[starts[i], ends[i])` of the
 * source. Both arrays hold one extra trailing entry (the source length) so empty ranges at the end map too.
 */
export interface SpanMap {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** Grows two Int32Arrays while a derived text is built one UTF-16 unit at a time. */
export class SpanMapBuilder {
  private starts: Int32Array;
  private ends: Int32Array;
  length = 0;

  /** A disabled builder records nothing: the text is built first, its map only when a match needs it. */
  constructor(
    capacity: number,
    private readonly enabled = true,
  ) {
    const size = enabled ? Math.max(16, capacity + 1) : 0;
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
  }

  push(start: number, end: number): void {
    if (!this.enabled) return;
    if (this.length + 1 >= this.starts.length) this.grow();
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length++;
  }

  /** Widens the source range of the last pushed unit (e.g. to swallow removed invisible characters). */
  extendLast(end: number): void {
    if (this.enabled && this.length > 0 && end > this.ends[this.length - 1]!)
      this.ends[this.length - 1] = end;
  }

  finish(sourceLength: number): SpanMap {
    const starts = this.starts.subarray(0, this.length + 1);
    const ends = this.ends.subarray(0, this.length + 1);
    starts[this.length] = sourceLength;
    ends[this.length] = sourceLength;
    return { starts, ends };
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}

/** Maps a [start, end) range of the derived text to the source range it came from. */
export function mapRange(map: SpanMap, start: number, end: number): Span {
  const last = map.starts.length - 1;
  const s = Math.min(Math.max(0, start), last);
  const e = Math.min(Math.max(s, end), last);
  if (e === s) {
    const at = map.starts[s]!;
    return { start: at, end: at };
  }
  return { start: map.starts[s]!, end: map.ends[e - 1]! };
}

/** Composes `inner` (derived → intermediate) with `outer` (intermediate → original). */
export function composeMaps(inner: SpanMap, outer: SpanMap): SpanMap {
  const n = inner.starts.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const outerLast = outer.starts.length - 1;
  for (let i = 0; i < n; i++) {
    const s = Math.min(inner.starts[i]!, outerLast);
    const e = Math.min(inner.ends[i]!, outerLast);
    starts[i] = outer.starts[s]!;
    ends[i] = e > s ? outer.ends[e - 1]! : outer.starts[s]!;
  }
  return { starts, ends };
}
