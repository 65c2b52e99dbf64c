import { DOCS_EXAMPLE_SCORE, type LeakFinding } from './finding.js';
import { luhnValid, windowIncludes } from './text.js';

/**
 * The formats a number run is classified as (payment card, US SSN, phone number, IPv4 address), each given
 * the run's groups; the run itself is found and parsed in pii-numbers.ts.
 */

/** One digit group of a number run. */
export interface Group {
  start: number;
  end: number;
  digits: string;
  /** Separator before this group: '' for the first group, ')' after a closing parenthesis. */
  sep: string;
  paren: boolean;
}

const SEPARATORS = new Set([' ', '-', '.', '/']);

// Well-known test PANs published by card networks and payment processors.
const TEST_CARDS = new Set([
  '4111111111111111',
  '4242424242424242',
  '4012888888881881',
  '4000056655665556',
  '5555555555554444',
  '5105105105105100',
  '2223003122003222',
  '378282246310005',
  '371449635398431',
  '6011111111111117',
  '6011000990139424',
  '3056930009020004',
  '36227206271667',
  '3566002020360505',
  '6200000000000005',
]);

function cardNetwork(digits: string): boolean {
  const length = digits.length;
  const two = Number(digits.slice(0, 2));
  const three = Number(digits.slice(0, 3));
  const four = Number(digits.slice(0, 4));
  if (digits[0] === '4') return length === 13 || length === 16 || length === 19; // Visa
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return length === 16; // Mastercard
  if (two === 34 || two === 37) return length === 15; // Amex
  if (four === 6011 || two === 65 || (three >= 644 && three <= 649)) return length >= 16 && length <= 19; // Discover
  if (four >= 3528 && four <= 3589) return length >= 16 && length <= 19; // JCB
  if (two === 36 || two === 38 || two === 39 || (three >= 300 && three <= 305))
    return length >= 14 && length <= 19; // Diners
  if (two === 62) return length >= 16 && length <= 19; // UnionPay
  return false;
}

const CARD_CONTEXT = [
  'card',
  'visa',
  'mastercard',
  'amex',
  'credit',
  'debit',
  'payment',
  'cc#',
  'cc:',
  'pan',
];
const PHONE_CONTEXT = [
  'phone',
  'tel',
  'mobile',
  'call',
  'cell',
  'fax',
  'whatsapp',
  'contact',
  'sms',
  'text me',
];
const SSN_CONTEXT = ['ssn', 'social security', 'social-security'];
const NOT_PHONE_CONTEXT =
  /(?:order|invoice|ref|reference|tracking|isbn|serial|sku|ticket|case|issue|id|account|acct)\s{0,2}(?:no\.?|number|num|#)?\s{0,2}[:#]?\s{0,2}$/i;

function sameSeparators(groups: readonly Group[], allowed: readonly string[]): boolean {
  const first = groups[1]?.sep ?? '';
  if (groups.length > 1 && !allowed.includes(first)) return false;
  for (let i = 2; i < groups.length; i++) if (groups[i]!.sep !== first) return false;
  return groups.every((g) => !g.paren);
}

export function classifyCard(groups: readonly Group[], text: string, start: number): LeakFinding | null {
  if (!sameSeparators(groups, [' ', '-'])) return null;
  const digits = groups.map((g) => g.digits).join('');
  if (digits.length < 13 || digits.length > 19) return null;
  const sizes = groups.map((g) => g.digits.length);
  const grouped =
    groups.length > 1 &&
    ((sizes.slice(0, -1).every((s) => s === 4) && sizes.length >= 4) ||
      (sizes.length === 3 && sizes[0] === 4 && sizes[1] === 6 && (sizes[2] === 5 || sizes[2] === 4)));
  if (groups.length > 1 && !grouped) return null;
  if (!cardNetwork(digits) || !luhnValid(digits)) return null;
  const end = groups[groups.length - 1]!.end;
  if (TEST_CARDS.has(digits))
    return { ruleId: 'PII-CARD', start, end, score: DOCS_EXAMPLE_SCORE, note: 'test-card' };
  if (grouped || digits.length === 16 || windowIncludes(text, start - 40, start, CARD_CONTEXT)) {
    return { ruleId: 'PII-CARD', start, end, score: 0.85, note: 'luhn-valid' };
  }
  return { ruleId: 'PII-CARD', start, end, score: 0.5, note: 'luhn-valid-ungrouped' };
}

const SSN_EXAMPLES = new Set(['078051120', '219099999', '123456789']);

export function classifySsn(groups: readonly Group[], text: string, start: number): LeakFinding | null {
  const dashed = groups.length === 3 && groups[0]!.digits.length === 3 && groups[1]!.digits.length === 2;
  const bare = groups.length === 1 && groups[0]!.digits.length === 9;
  if (!dashed && !bare) return null;
  const context = windowIncludes(text, start - 40, start, SSN_CONTEXT);
  let digits: string;
  if (dashed && sameSeparators(groups, ['-', ' '])) {
    if (groups[2]!.digits.length !== 4) return null;
    if (groups[1]!.sep === ' ' && !context) return null;
    digits = groups.map((g) => g.digits).join('');
  } else if (groups.length === 1 && groups[0]!.digits.length === 9 && context) {
    digits = groups[0]!.digits;
  } else {
    return null;
  }
  const area = Number(digits.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return null;
  if (digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return null;
  const end = groups[groups.length - 1]!.end;
  if (SSN_EXAMPLES.has(digits))
    return { ruleId: 'PII-SSN', start, end, score: DOCS_EXAMPLE_SCORE, note: 'docs-example' };
  return {
    ruleId: 'PII-SSN',
    start,
    end,
    score: context ? 0.85 : 0.75,
    note: context ? 'ssn-context' : 'ssn-format',
  };
}

export function classifyPhone(
  groups: readonly Group[],
  plus: boolean,
  text: string,
  start: number,
): LeakFinding | null {
  const digits = groups.map((g) => g.digits).join('');
  const sizes = groups.map((g) => g.digits.length);
  const end = groups[groups.length - 1]!.end;
  let note: string | undefined;
  if (plus) {
    const ok = digits.length >= 8 && digits.length <= 15 && digits[0] !== '0';
    const seps = groups
      .slice(1)
      .every((g) => g.sep === ' ' || g.sep === '-' || g.sep === '.' || g.sep === ')');
    if (ok && seps) note = 'e164';
  } else if (digits[0] === '0' && digits[1] !== '0') {
    // National trunk formats (UK, FR, DE, ...): 0 + area code, 10-12 digits, uniform separators.
    const first = groups[0]!.digits.length;
    const rest = groups.slice(1);
    const uniform =
      rest.length > 0 &&
      rest.every((g, i) => g.sep === rest[rest.length > 1 ? 1 : 0]!.sep || (i === 0 && g.sep === '/')) &&
      rest.every((g) => SEPARATORS.has(g.sep) && g.digits.length >= 2) &&
      groups.every((g) => !g.paren);
    if (uniform && first >= 2 && first <= 5 && digits.length >= 10 && digits.length <= 12)
      note = 'national-format';
    else if (groups.length === 1 && (digits.length === 10 || digits.length === 11)) {
      if (windowIncludes(text, start - 30, start, PHONE_CONTEXT)) note = 'phone-context';
    }
  } else {
    // North American: [1] NXX NXX XXXX with consistent separators, area code optionally in parentheses.
    const body = sizes.length === 4 && groups[0]!.digits === '1' ? groups.slice(1) : groups;
    const bodySizes = body.map((g) => g.digits.length);
    if (bodySizes.length === 3 && bodySizes[0] === 3 && bodySizes[1] === 3 && bodySizes[2] === 4) {
      const area = body[0]!;
      const seps = [body[1]!.sep, body[2]!.sep];
      const parenForm =
        area.paren && (seps[0] === ')' || seps[0] === ' ') && (seps[1] === '-' || seps[1] === ' ');
      const plainForm =
        !area.paren && seps[0] === seps[1] && (seps[0] === '-' || seps[0] === '.' || seps[0] === ' ');
      const valid =
        area.digits[0] !== '0' &&
        area.digits[0] !== '1' &&
        body[1]!.digits[0] !== '0' &&
        body[1]!.digits[0] !== '1';
      if (valid && (parenForm || plainForm)) note = 'nanp-format';
    } else if (groups.length === 1 && (digits.length === 10 || (digits.length === 11 && digits[0] === '1'))) {
      if (windowIncludes(text, start - 30, start, PHONE_CONTEXT)) note = 'phone-context';
    }
  }
  if (!note) return null;
  if (NOT_PHONE_CONTEXT.test(text.slice(Math.max(0, start - 30), start))) return null;
  const context = windowIncludes(text, start - 30, start, PHONE_CONTEXT);
  return { ruleId: 'PII-PHONE', start, end, score: context ? 0.6 : 0.55, note };
}

const VERSION_BEFORE = /\b(?:version|ver|v|release|build|firmware)\.?:?\s{0,2}$/i;

/** Private, loopback, link-local, documentation and other non-identifying IPv4 ranges. */
function ipv4Note(octets: readonly number[]): { score: number; note: string } {
  const [a, b, c] = octets as [number, number, number, number];
  const docs =
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113);
  if (docs) return { score: DOCS_EXAMPLE_SCORE, note: 'docs-range' };
  const internal =
    a === 10 ||
    a === 127 ||
    a === 0 ||
    a >= 224 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127);
  return internal ? { score: DOCS_EXAMPLE_SCORE, note: 'internal-ip' } : { score: 0.3, note: 'public-ip' };
}

export function classifyIpv4(groups: readonly Group[], text: string, start: number): LeakFinding | null {
  if (groups.length !== 4 || groups.some((g, i) => g.paren || (i > 0 && g.sep !== '.'))) return null;
  const octets: number[] = [];
  for (const g of groups) {
    if (g.digits.length > 3 || (g.digits.length > 1 && g.digits[0] === '0')) return null;
    const value = Number(g.digits);
    if (value > 255) return null;
    octets.push(value);
  }
  if (VERSION_BEFORE.test(text.slice(Math.max(0, start - 16), start))) return null;
  return { ruleId: 'PII-IP', start, end: groups[3]!.end, ...ipv4Note(octets) };
}
