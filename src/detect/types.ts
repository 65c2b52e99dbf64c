import type { Category, Evidence, ScreenRequest } from '../core/types.js';
import type { Normalized } from '../normalize/types.js';

export interface DetectInput {
  request: ScreenRequest;
  normalized: Normalized;
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
