import type { Detector, DetectInput, DetectorResult } from '../types.js';
import type { LeakFinding } from './finding.js';
import { type NumberKind, scanNumbers } from './pii-numbers.js';
import { scanEmails, scanIbans, scanIpv6, scanNino, scanPassports } from './pii-text.js';
import { scanViews } from './views.js';

export const PII_DETECTOR_ID = 'pii';

/** PII kinds the detector knows; config `screening.leaks.piiTypes` selects a subset. */
export const PII_TYPES = ['email', 'phone', 'card', 'iban', 'ssn', 'ip', 'nino', 'passport'] as const;
export type PiiType = (typeof PII_TYPES)[number];

export const PII_RULE_IDS: Readonly<Record<PiiType, string>> = {
  email: 'PII-EMAIL',
  phone: 'PII-PHONE',
  card: 'PII-CARD',
  iban: 'PII-IBAN',
  ssn: 'PII-SSN',
  ip: 'PII-IP',
  nino: 'PII-NINO',
  passport: 'PII-PASSPORT',
};

const NUMBER_KINDS: readonly NumberKind[] = ['card', 'ssn', 'phone', 'ip'];

/** Builds a scanner for the selected PII kinds (all of them by default). */
export function createPiiScanner(types: readonly PiiType[] = PII_TYPES): (text: string) => LeakFinding[] {
  const selected = new Set<PiiType>(types);
  const numberKinds = new Set<NumberKind>(NUMBER_KINDS.filter((kind) => selected.has(kind)));
  return (text: string): LeakFinding[] => {
    const out: LeakFinding[] = [];
    if (numberKinds.size > 0) out.push(...scanNumbers(text, numberKinds));
    if (selected.has('email')) out.push(...scanEmails(text));
    if (selected.has('iban')) out.push(...scanIbans(text));
    if (selected.has('ip')) out.push(...scanIpv6(text));
    if (selected.has('nino')) out.push(...scanNino(text));
    if (selected.has('passport')) out.push(...scanPassports(text));
    return out;
  };
}

/** Scans one text for PII of every kind. */
export const scanPii = createPiiScanner();

export interface PiiDetectorOptions {
  /** Kinds to report; default all. */
  types?: readonly PiiType[];
}

/** Detector `pii`: e-mail, phone, payment card, IBAN, SSN, IP and (with context) NINO / passport numbers. */
export function createPiiDetector(options: PiiDetectorOptions = {}): Detector {
  const scan = createPiiScanner(options.types ?? PII_TYPES);
  return {
    id: PII_DETECTOR_ID,
    detect(input: DetectInput): DetectorResult {
      return { evidence: scanViews(input, PII_DETECTOR_ID, 'pii', scan, { foldedViews: true }) };
    },
  };
}
