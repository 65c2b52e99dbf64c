import type { Span } from '../core/types.js';
import type { NormalizeFinding } from './findings.js';

export type { NormalizeFinding } from './findings.js';

/**
 * A view of the input text after some de-obfuscation. Every detector scans every view; a match in a view is
 * reported against the original text through `toOriginal`.
 */
export interface TextView {
  /** Stable, content-free id: `original`, `folded`, `base64@120`, `base64@120>rot13@0`, ... */
  id: string;
  text: string;
  /** Transforms applied to produce this view, in order (e.g. ['nfkc','homoglyph','zero_width']). */
  transforms: readonly string[];
  /** Number of decoding steps from the original (0 for original and folded views). */
  depth: number;
  /** Maps a [start, end) range in this view's text to a span in the original text. */
  toOriginal(start: number, end: number): Span;
}

export interface NormalizeLimits {
  /** Max nesting of decoders (base64 inside hex inside ...). */
  maxDepth: number;
  /** Max total characters across all decoded views (bounds work on hostile input). */
  maxDecodedChars: number;
  /** Max number of views produced. */
  maxViews: number;
  /** Shortest encoded run worth decoding (base64/hex/base32). */
  minEncodedLength: number;
}

export interface Normalized {
  original: string;
  /** views[0] is always the original text; views[1] (when different) the folded text. */
  views: readonly TextView[];
  /** Every transform that fired anywhere, deduplicated (e.g. 'zero_width', 'base64', 'leetspeak'). */
  transforms: readonly string[];
  /**
   * Located obfuscation signals for the obfuscation detector (hidden text, spoofed words, bidi controls,
   * decoded segments). Optional so that hand-built `Normalized` values in tests stay valid.
   */
  findings?: readonly NormalizeFinding[];
}

export type Normalizer = (text: string) => Normalized;
