import type { Category, Evidence, ScreenRequest } from '../core/types.js';
import type { Normalized, TextView } from '../normalize/types.js';

export interface DetectInput {
  request: ScreenRequest;
  normalized: Normalized;
  /**
   * Scratch for derived data that several detectors of one screening need, filled by the first that computes
   * it. The screener passes one input object, with one scratch, to every detector of a request; callers that
   * build inputs themselves may leave it out (each detector then derives what it needs alone).
   */
  shared?: SharedScratch;
}

export interface SharedScratch {
  /** The leak detectors' cleaned view of the original text (null: computed, the text needs none). */
  cleanedView?: TextView | null;
}

export interface DetectorResult {
  evidence: Evidence[];
  /**
   * Optional calibrated per-category probabilities (learned detectors). Rule and leak detectors express
   * themselves through evidence scores only.
   */
  scores?: Partial<Record<Category, number>>;
}

/**
 * A detector is a pure function of the normalised input. It never throws on content: a detector failure is
 * caught by the screener and reported as evidence-free with an error note (a verdict is a value).
 */
export interface Detector {
  readonly id: string;
  detect(input: DetectInput): DetectorResult;
}
