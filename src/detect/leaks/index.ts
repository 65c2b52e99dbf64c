import type { ScreeningConfig } from '../../config/sections/screening.js';
import type { Detector } from '../types.js';
import { createPiiDetector, type PiiType } from './pii.js';
import { createSecretsDetector } from './secrets.js';

export { type LeakFinding, severityForScore } from './finding.js';
export { labelForEvidence, labelForRule } from './labels.js';
export {
  createPiiDetector,
  createPiiScanner,
  PII_DETECTOR_ID,
  PII_RULE_IDS,
  PII_TYPES,
  type PiiDetectorOptions,
  type PiiType,
  scanPii,
} from './pii.js';
export {
  type RedactionEntry,
  type RedactionResult,
  type RedactionSpan,
  type RedactionStyle,
  type RedactOptions,
  redact,
  redactVerdict,
  toOriginalOffset,
  toRedactedOffset,
} from './redact.js';
export { createSecretsDetector, SECRET_RULE_IDS, SECRETS_DETECTOR_ID, scanSecrets } from './secrets.js';

/** The leak detectors a screening config asks for (`screening.leaks`). */
export function leakDetectorsFor(config: Pick<ScreeningConfig, 'leaks'>): Detector[] {
  const out: Detector[] = [];
  const leaks = config.leaks;
  if (leaks.secrets) out.push(createSecretsDetector());
  if (leaks.pii) {
    const types: readonly PiiType[] | undefined = leaks.piiTypes;
    out.push(createPiiDetector(types ? { types } : {}));
  }
  return out;
}
