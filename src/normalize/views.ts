import type { Span } from '../core/types.js';
import { foldText } from './fold.js';
import { composeMaps, mapRange, type SpanMap } from './span-map.js';
import { squashText } from './squash.js';
import type { TextView } from './types.js';

/** Maps a range of some view back to the original text. */
export interface OffsetMapper {
  map(start: number, end: number): Span;
}

export function clampSpan(start: number, end: number, length: number): Span {
  const s = Math.min(Math.max(0, start), length);
  return { start: s, end: Math.min(Math.max(s, end), length) };
}

export class IdentityMapper implements OffsetMapper {
  constructor(private readonly length: number) {}
  map(start: number, end: number): Span {
    return clampSpan(start, end, this.length);
  }
}

/** Every range maps to one fixed span: the encoded segment a decoded view came from. */
export class ConstantMapper implements OffsetMapper {
  constructor(private readonly span: Span) {}
  map(): Span {
    return { start: this.span.start, end: this.span.end };
  }
}

/**
 * Folded text → original. The offset map is built on first use by folding again with the map on: most
 * texts never have a match to locate, so they never pay for it.
 */
export class FoldMapper implements OffsetMapper {
  private built: SpanMap | null | undefined;
  constructor(
    private readonly original: string,
    private readonly identity: boolean,
  ) {}

  spanMap(): SpanMap | null {
    if (this.built === undefined) this.built = this.identity ? null : foldText(this.original, null, true).map;
    return this.built;
  }

  /** Width in the original of folded character `i` (1 under the identity). */
  width(i: number): number {
    const m = this.spanMap();
    return m ? m.ends[i]! - m.starts[i]! : 1;
  }

  map(start: number, end: number): Span {
    const m = this.spanMap();
    return m ? mapRange(m, start, end) : clampSpan(start, end, this.original.length);
  }
}

/** Squashed text → folded text → original; the squash map is rebuilt on first use, like the fold map. */
export class SquashMapper implements OffsetMapper {
  private composed: SpanMap | null | undefined;
  constructor(
    private readonly folded: string,
    private readonly joined: boolean,
    private readonly outer: FoldMapper,
  ) {}

  map(start: number, end: number): Span {
    if (!this.joined) return this.outer.map(start, end);
    if (this.composed === undefined) {
      const inner = squashText(this.folded, (i) => this.outer.width(i), true)?.map ?? null;
      const outer = this.outer.spanMap();
      this.composed = inner && outer ? composeMaps(inner, outer) : inner;
    }
    return this.composed ? mapRange(this.composed, start, end) : this.outer.map(start, end);
  }
}

export class View implements TextView {
  constructor(
    readonly id: string,
    readonly text: string,
    readonly transforms: readonly string[],
    readonly depth: number,
    private readonly mapper: OffsetMapper,
  ) {}

  toOriginal(start: number, end: number): Span {
    return this.mapper.map(start, end);
  }
}
