import type { Detector, DetectInput, DetectorResult } from '../types.js';
import type { LeakFinding } from './finding.js';
import { NUMBER_PII_SHAPES, type NumberKind, scanNumbers } from './pii-numbers.js';
import { NINO_DIGITS_SHAPE, scanEmails, scanIbans, scanIpv6, scanNino, scanPassports } from './pii-text.js';
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

/** Every card, SSN, phone number, IPv4 address and NINO contains one of these digit shapes. */
export const DIGIT_PII_SHAPES: readonly string[] = [...NUMBER_PII_SHAPES, NINO_DIGITS_SHAPE];

const DIGIT = '[0-9]';
// Each shape must start with one unquantified digit or `+` (`[0-9]{2}` is written `[0-9][0-9]`): the digit is
// factored out below, and a `+` shape is tried only where the text has a `+`.
if (DIGIT_PII_SHAPES.some((shape) => !/^(?:\[0-9\]|\\\+)(?![{*+?])/.test(shape)))
  throw new Error('every digit PII shape starts with a single digit or a +');

/**
 * The shapes that start with a digit, as one pattern with that digit factored out (`[0-9](?:a|b|c)` matches
 * where `[0-9]a|[0-9]b|[0-9]c` does), and those that start with a `+`, tried at each `+` of the text (where
 * every match of theirs starts). Either way the text holds a shape exactly when the plain alternation of all
 * of them matches somewhere; the `+` shape made the regex engine's scan of every position a third dearer,
 * and `+` is rare in prose.
 */
const DIGIT_FIRST = new RegExp(
  `${DIGIT}(?:${DIGIT_PII_SHAPES.filter((shape) => shape.startsWith(DIGIT))
    .map((shape) => shape.slice(DIGIT.length))
    .join('|')})`,
);
const PLUS_SHAPES = DIGIT_PII_SHAPES.filter((shape) => shape.startsWith('\\+'));
/** Sticky: tried at each `+` of the text only, where all their matches start. */
const PLUS_FIRST = PLUS_SHAPES.map((shape) => new RegExp(shape, 'y'));
/**
 * The same shapes as one scan, for texts dense in `+`: past one per 64 characters the sticky tries cost more
 * than a scan of the rest (one try costs about what the scan spends on 50-100 characters).
 */
const PLUS_SCAN = new RegExp(PLUS_SHAPES.join('|'), 'g');

/**
 * Whether the text may hold number-shaped PII or a NINO (some DIGIT_PII_SHAPES matches): false for nearly all
 * prose, which spares the number-run scan and the NINO pattern (each a pass costing more).
 */
export function mayHoldDigitPii(text: string): boolean {
  if (DIGIT_FIRST.test(text)) return true;
  if (PLUS_FIRST.length === 0) return false;
  let budget = text.length >> 6;
  for (let plus = text.indexOf('+'); plus >= 0; plus = text.indexOf('+', plus + 1)) {
    if (--budget < 0) {
      // A shape matches from a `+` at or after this one exactly when the scan from here finds one.
      PLUS_SCAN.lastIndex = plus;
      return PLUS_SCAN.test(text);
    }
    for (const shape of PLUS_FIRST) {
      shape.lastIndex = plus;
      if (shape.test(text)) return true;
    }
  }
  return false;
}

/** Builds a scanner for the selected PII kinds (all of them by default). */
export function createPiiScanner(types: readonly PiiType[] = PII_TYPES): (text: string) => LeakFinding[] {
  const selected = new Set<PiiType>(types);
  const numberKinds = new Set<NumberKind>(NUMBER_KINDS.filter((kind) => selected.has(kind)));
  return (text: string): LeakFinding[] => {
    const out: LeakFinding[] = [];
    const structured: LeakFinding[] = [];
    const digits = (numberKinds.size > 0 || selected.has('nino')) && mayHoldDigitPii(text);
    if (selected.has('email')) structured.push(...scanEmails(text));
    if (selected.has('iban')) structured.push(...scanIbans(text));
    // Digits inside an IBAN or an e-mail address are part of it, whatever their score: never a phone.
    if (numberKinds.size > 0 && digits) out.push(...outside(scanNumbers(text, numberKinds), structured));
    out.push(...structured);
    if (selected.has('ip')) out.push(...scanIpv6(text));
    if (selected.has('nino') && digits) out.push(...scanNino(text));
    if (selected.has('passport')) out.push(...scanPassports(text));
    return out;
  };
}

/** Findings of `items` that overlap none of `blockers` (both sorted by start: one merge pass). */
function outside(items: LeakFinding[], blockers: LeakFinding[]): LeakFinding[] {
  if (blockers.length === 0) return items;
  const sorted = [...blockers].sort((a, b) => a.start - b.start);
  const out: LeakFinding[] = [];
  let k = 0;
  let reach = -1; // furthest end among blockers that start before the current item ends
  for (const item of [...items].sort((a, b) => a.start - b.start)) {
    while (k < sorted.length && sorted[k]!.start < item.end) {
      reach = Math.max(reach, sorted[k]!.end);
      k++;
    }
    const overlapsLast = reach > item.start;
    if (!overlapsLast) out.push(item);
  }
  return out;
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
