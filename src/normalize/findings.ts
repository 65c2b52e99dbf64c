import type { Span } from '../core/types.js';

/**
 * Something suspicious the normaliser saw, for the obfuscation detector. Content-free: a transform name,
 * where it happened and how much of it.
 */
export interface NormalizeFinding {
  /**
   * `zero_width`, `homoglyph`, `bidi`, `tag_chars`, `variation_selector`, `rot13`, `reversed`, `base64`...;
   * `depth_limit`: text still encoded where decoding stopped (its `view` is the deepest decoded one).
   */
  transform: string;
  /** Location in the original text. */
  span: Span;
  /** Characters removed, substituted or hidden (hidden text: decoded length). */
  count: number;
  /** Finer kind, e.g. bidi `override` / `embedding` / `isolate` / `mark`. */
  detail?: string;
  /** View holding the decoded text, for hidden text and decoded segments. */
  view?: string;
  /** Decoding depth of `view` (1 = decoded straight from the original). */
  depth?: number;
}

/** At most this many findings per transform: enough for scoring, bounded on hostile input. */
export const MAX_FINDINGS_PER_TRANSFORM = 64;

export class FindingList {
  readonly items: NormalizeFinding[] = [];
  private readonly counts = new Map<string, number>();

  add(finding: NormalizeFinding): void {
    const seen = this.counts.get(finding.transform) ?? 0;
    if (seen >= MAX_FINDINGS_PER_TRANSFORM) return;
    this.counts.set(finding.transform, seen + 1);
    this.items.push(finding);
  }
}
