import type { ScreeningConfig } from '../config/sections/screening.js';
import { createNormalizer } from '../normalize/index.js';
import { createLearnedDetector } from './learned/detector.js';
import { leakDetectorsFor } from './leaks/index.js';
import { createObfuscationDetector } from './obfuscation.js';
import { createPromptEchoDetector } from './prompt-echo.js';
import { ruleDetectorFor } from './rules/index.js';
import { createScreenerFromParts, type Screener } from './screener.js';
import type { Detector } from './types.js';

export type { Screener } from './screener.js';
export { createScreenerFromParts, validateRequest } from './screener.js';
export type { Detector, DetectInput, DetectorResult } from './types.js';

/** The default detector line-up for a screening config. */
export function defaultDetectors(config: ScreeningConfig): Detector[] {
  return [
    ruleDetectorFor(config),
    createLearnedDetector(config),
    ...leakDetectorsFor(config),
    createObfuscationDetector(),
    createPromptEchoDetector(),
  ].filter((d): d is Detector => d !== null);
}

/** Builds the screening engine: one normalisation stage feeding every detector. */
export function createScreener(config: ScreeningConfig): Screener {
  return createScreenerFromParts(config, {
    normalize: createNormalizer(config.normalize),
    detectors: defaultDetectors(config),
  });
}
