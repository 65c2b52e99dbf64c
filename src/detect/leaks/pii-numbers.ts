import { DOCS_EXAMPLE_SCORE, type LeakFinding } from './finding.js';
import { isAlnum, isDigit, luhnValid, windowIncludes } from './text.js';

/**
 * Number-shaped PII (payment cards, US SSNs, phone numbers, IPv4 addresses) from one hand-written pass over
 * the text. A "number run" is a maximal stretch of digit groups joined by single separators (space - . / and
 * parentheses); runs longer than MAX_RUN are tables or ids and are skipped whole, so the pass is linear and
 * each run is classified in bounded time.
 */

export type NumberKind = 'card' | 'ssn' | 'phone' | 'ip';

interface Group {
  start: number;
  end: number;
  digits: string;
  /** Separator before this group: '' for the first group, ')' after a closing parenthesis. */
  sep: string;
  paren: boolean;
}

const MAX_RUN = 40;
const MAX_GROUPS = 10;
/** No format we classify spans more than this many groups (E.164 with spaces, FR pairs, 4-4-4-4-3 cards). */
const MAX_FORMAT_GROUPS = 6;
const SEPARATORS = new Set([' ', '-', '.', '/']);

/** Characters that make a digit the continuation of something else (a word, an amount, a path, a version). */
function blocksStart(code: number): boolean {
  return (
    isAlnum(code) ||
    code === 95 /* _ */ ||
    code === 46 /* . */ ||
    code === 47 /* / */ ||
    code === 92 /* \ */ ||
    code === 36 /* $ */ ||
    code === 35 /* # */ ||
    code === 64 /* @ */ ||
    code === 45 /* - */ ||
    code === 43 /* + */ ||
    code === 0x20ac /* € */ ||
    code === 0xa3 /* £ */ ||
    code === 0xa5 /* ¥ */
  );
}

function blocksEnd(code: number): boolean {
  return isAlnum(code) || code === 95 || code === 64 || code === 37 /* % */;
}

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

function classifyCard(groups: readonly Group[], text: string, start: number): LeakFinding | null {
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

function classifySsn(groups: readonly Group[], text: string, start: number): LeakFinding | null {
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

function classifyPhone(
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

function classifyIpv4(groups: readonly Group[], text: string, start: number): LeakFinding | null {
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

/** Parses the number run starting at `from`; returns its groups (empty when the run is too long). */
/**
 * A digit run's groups, parsed into reused scratch arrays (no objects: most digit runs in prose are short
 * numbers that no classifier wants, and parsing every one into objects was the screening engine's largest
 * allocation). `count` is 0 when the run is not a number shape we classify.
 */
const RUN = {
  count: 0,
  plus: false,
  end: 0,
  start: new Int32Array(MAX_GROUPS + 2),
  groupEnd: new Int32Array(MAX_GROUPS + 2),
  digitsFrom: new Int32Array(MAX_GROUPS + 2),
  digitsTo: new Int32Array(MAX_GROUPS + 2),
  /** Separator before each group as a char code: 0 for the first group, 41 `)` after a closing parenthesis. */
  sep: new Int32Array(MAX_GROUPS + 2),
  paren: new Uint8Array(MAX_GROUPS + 2),
};

function parseRun(text: string, from: number): void {
  const n = text.length;
  let count = 0;
  let j = from;
  RUN.plus = false;
  if (text.charCodeAt(j) === 43) {
    RUN.plus = true;
    j++;
  }
  let sep = 0;
  for (;;) {
    let paren = false;
    if (text.charCodeAt(j) === 40 /* ( */ && isDigit(text.charCodeAt(j + 1))) {
      paren = true;
      j++;
    }
    const start = paren ? j - 1 : j;
    const digitsFrom = j;
    while (j < n && isDigit(text.charCodeAt(j)) && j - from <= MAX_RUN) j++;
    const digitsTo = j;
    let nextSep = 0;
    if (paren) {
      if (text.charCodeAt(j) !== 41 /* ) */) {
        RUN.count = 0;
        RUN.end = j;
        return;
      }
      j++;
      nextSep = 41;
    }
    if (count <= MAX_GROUPS) {
      RUN.start[count] = count === 0 && RUN.plus ? from : start;
      RUN.groupEnd[count] = j;
      RUN.digitsFrom[count] = digitsFrom;
      RUN.digitsTo[count] = digitsTo;
      RUN.sep[count] = sep;
      RUN.paren[count] = paren ? 1 : 0;
    }
    count++;
    if (j - from > MAX_RUN || count > MAX_GROUPS) {
      // Too long for any identifier we classify: skip the rest of the run without parsing it.
      while (
        j < n &&
        (isDigit(text.charCodeAt(j)) || isRunSeparator(text.charCodeAt(j)) || isParen(text.charCodeAt(j)))
      )
        j++;
      RUN.count = 0;
      RUN.end = j;
      return;
    }
    const code = text.charCodeAt(j);
    const after = text.charCodeAt(j + 1);
    if (isRunSeparator(code) && (isDigit(after) || (after === 40 && isDigit(text.charCodeAt(j + 2))))) {
      sep = nextSep === 41 && code === 32 ? 32 : code;
      j++;
    } else if (nextSep === 41 && (isDigit(code) || code === 40)) {
      sep = 41;
    } else {
      RUN.count = count;
      RUN.end = j;
      return;
    }
  }
}

/** The parsed run as Group objects, for the classifiers (built only for runs long enough to classify). */
function runGroups(text: string): Group[] {
  const groups: Group[] = new Array(RUN.count);
  for (let g = 0; g < RUN.count; g++) {
    const sep = RUN.sep[g]!;
    groups[g] = {
      start: RUN.start[g]!,
      end: RUN.groupEnd[g]!,
      digits: text.slice(RUN.digitsFrom[g]!, RUN.digitsTo[g]!),
      sep: sep === 0 ? '' : String.fromCharCode(sep),
      paren: RUN.paren[g] === 1,
    };
  }
  return groups;
}

/** ` `, `-`, `.`, `/` (SEPARATORS) by char code. */
function isRunSeparator(code: number): boolean {
  return code === 32 || code === 45 || code === 46 || code === 47;
}

function isParen(code: number): boolean {
  return code === 40 || code === 41;
}

const RUN_START = /[+(]?[0-9]/;

/** `-`, `.`, `/`: separators that keep a token together (a space may start a new one). */
function isInnerSeparator(code: number): boolean {
  return code === 45 || code === 46 || code === 47;
}

type Classifier = (
  groups: readonly Group[],
  plus: boolean,
  text: string,
  start: number,
) => LeakFinding | null;

/** Scans `text` for number-shaped PII of the given kinds. */
export function scanNumbers(text: string, kinds: ReadonlySet<NumberKind>): LeakFinding[] {
  const classifiers: { kind: NumberKind; cut: readonly string[]; run: Classifier }[] = [];
  if (kinds.has('ip'))
    classifiers.push({
      kind: 'ip',
      cut: [' ', '/'],
      run: (g, p, t, s) => (p ? null : classifyIpv4(g, t, s)),
    });
  if (kinds.has('card'))
    classifiers.push({ kind: 'card', cut: [' '], run: (g, p, t, s) => (p ? null : classifyCard(g, t, s)) });
  if (kinds.has('ssn'))
    classifiers.push({ kind: 'ssn', cut: [' '], run: (g, p, t, s) => (p ? null : classifySsn(g, t, s)) });
  if (kinds.has('phone')) classifiers.push({ kind: 'phone', cut: [' '], run: classifyPhone });
  const out: LeakFinding[] = [];
  if (classifiers.length === 0) return out;
  const n = text.length;
  // The regex engine finds candidate starts (a digit, or + / ( before one) far faster than a JS loop.
  const starts = new RegExp(RUN_START.source, 'g');
  // test() instead of exec(): no match array per digit run. A match is one digit, or `+` / `(` and a digit,
  // and it ends at lastIndex; it started one character earlier when that character is `+` or `(` at or after
  // where the search began (the regex prefers the earliest start).
  for (let searchFrom = 0; starts.test(text); searchFrom = starts.lastIndex) {
    const end = starts.lastIndex;
    const before = end - 2;
    const plusOrParen = text.charCodeAt(before) === 43 || text.charCodeAt(before) === 40;
    let i = before >= searchFrom && plusOrParen ? before : end - 1;
    if (i > 0 && blocksStart(text.charCodeAt(i - 1))) {
      // Part of a word, amount or version: skip the whole token.
      i++;
      while (i < n && (isAlnum(text.charCodeAt(i)) || isInnerSeparator(text.charCodeAt(i)))) i++;
      starts.lastIndex = i;
      continue;
    }
    parseRun(text, i);
    starts.lastIndex = Math.max(RUN.end, i + 1);
    if (RUN.count === 0 || blocksEnd(text.charCodeAt(RUN.end))) continue;
    // Nothing we classify has fewer than 7 characters except a dotted quad: most numbers in prose stop here.
    if (RUN.count < 4 && RUN.end - i < 7) continue;
    const plus = RUN.plus;
    const groups = runGroups(text);
    let from = 0;
    while (from < groups.length) {
      let matched = 0;
      for (let to = Math.min(groups.length, from + MAX_FORMAT_GROUPS); to > from && matched === 0; to--) {
        const slice = groups.slice(from, to);
        const nextSep = groups[to]?.sep;
        for (const classifier of classifiers) {
          if (nextSep !== undefined && !classifier.cut.includes(nextSep)) continue;
          const found = classifier.run(slice, plus && from === 0, text, slice[0]!.start);
          if (found) {
            out.push(found);
            matched = to - from;
            break;
          }
        }
      }
      // A new identifier may only start after a space (never inside "415-555-...").
      from += Math.max(1, matched);
      while (from < groups.length && groups[from]!.sep !== ' ') from++;
    }
  }
  return out;
}
