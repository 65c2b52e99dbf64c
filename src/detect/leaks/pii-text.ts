import { DOCS_EXAMPLE_SCORE, type LeakFinding } from './finding.js';
import { ibanChecksumValid, isAlnum, isDigit, isHex, isLower, isUpper } from './text.js';

/**
 * Text-shaped PII: e-mail addresses, IBANs, IPv6 addresses, and (only with explicit context) UK National
 * Insurance numbers and passport numbers. Scanners anchor on a cheap character ('@', ':', a country code)
 * and expand a bounded distance from it, never re-reading a region they already expanded over.
 */

function isLocalChar(code: number): boolean {
  // RFC 5322 atext subset that real addresses use.
  return isAlnum(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45;
}

function isDomainChar(code: number): boolean {
  return isAlnum(code) || code === 46 || code === 45;
}

/** RFC 2606 / 6761 reserved names: addresses there are examples, not people. */
const RESERVED_DOMAINS = ['example.com', 'example.org', 'example.net'];
const RESERVED_TLDS = ['example', 'test', 'invalid', 'localhost', 'local'];
/** Template addresses from tutorials and forms (`username@domain.com`, `foo@gmail.com`). */
const PLACEHOLDER_LOCALS = new Set([
  'user',
  'username',
  'your',
  'yourname',
  'youremail',
  'your.name',
  'your_email',
  'name',
  'email',
  'someone',
  'somebody',
  'foo',
  'bar',
  'foobar',
  'test',
  'john.doe',
  'jane.doe',
  'johndoe',
  'janedoe',
  'firstname.lastname',
  'first.last',
]);
const PLACEHOLDER_DOMAINS = new Set([
  'domain.com',
  'yourdomain.com',
  'mydomain.com',
  'email.com',
  'company.com',
  'domain.tld',
]);
/** `icon@2x.png`, `module@1.2.js`: file names that look like addresses. */
const FILE_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'js',
  'ts',
  'css',
  'json',
  'md',
  'txt',
]);

export function scanEmails(text: string): LeakFinding[] {
  const out: LeakFinding[] = [];
  const n = text.length;
  let floor = 0; // nothing before this index may be re-read as a local part
  let at = text.indexOf('@');
  while (at >= 0) {
    let start = at;
    while (start > floor && at - start < 64 && isLocalChar(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charCodeAt(start) === 46) start++; // no leading dot
    let end = at + 1;
    while (end < n && end - at <= 253 && isDomainChar(text.charCodeAt(end))) end++;
    floor = end;
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    const finding = start < at ? classifyEmail(text, start, at, end) : null;
    if (finding) out.push(finding);
    at = text.indexOf('@', Math.max(at + 1, floor));
  }
  return out;
}

function classifyEmail(text: string, start: number, at: number, end: number): LeakFinding | null {
  const before = text.charCodeAt(start - 1);
  if (start > 0 && (isLocalChar(before) || before === 64)) return null; // local part longer than 64
  if (text.charCodeAt(at - 1) === 46) return null;
  const local = text.slice(start, at);
  // `git@github.com:org/repo` is an SSH remote; `xxx@corp.com` a template.
  if (local === 'git' || /^(.)\1{2,}$/.test(local)) return null;
  const domain = text.slice(at + 1, end).toLowerCase();
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((label) => label.length === 0 || label.length > 63)) return null;
  const tld = labels[labels.length - 1]!;
  if (tld.length < 2 || tld.length > 24 || !/^[a-z]+$/.test(tld) || FILE_EXTENSIONS.has(tld)) return null;
  if (labels.some((label) => label.startsWith('-') || label.endsWith('-'))) return null;
  const reserved =
    RESERVED_TLDS.includes(tld) || RESERVED_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`));
  if (reserved)
    return { ruleId: 'PII-EMAIL', start, end, score: DOCS_EXAMPLE_SCORE, note: 'reserved-domain' };
  if (PLACEHOLDER_LOCALS.has(local.toLowerCase()) || PLACEHOLDER_DOMAINS.has(domain)) {
    return { ruleId: 'PII-EMAIL', start, end, score: DOCS_EXAMPLE_SCORE, note: 'placeholder-address' };
  }
  return { ruleId: 'PII-EMAIL', start, end, score: 0.55, note: 'email' };
}

/** IBAN length by country (ISO 13616 registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** Example IBANs printed by banks, ECBS and Wikipedia. */
const IBAN_EXAMPLES = new Set([
  'DE89370400440532013000',
  'GB82WEST12345698765432',
  'GB29NWBK60161331926819',
  'FR1420041010050500013M02606',
]);

/**
 * Two capitals and two digits: where an IBAN can start unless inside a word, which nextIbanStart checks by
 * hand after a match (a lookbehind in the pattern is tested at every position and made the scan a fifth
 * slower).
 */
const IBAN_START = /[A-Z]{2}[0-9]{2}/g;

/** The first IBAN start at or after `from`: two capitals and two digits not preceded by a letter or digit. */
export function nextIbanStart(text: string, from: number): number {
  IBAN_START.lastIndex = from;
  // test(), not exec(): no match array per candidate (a text of `AB12AB12...` is one candidate per 4 characters).
  // Every match is four characters long, so it starts four before lastIndex.
  while (IBAN_START.test(text)) {
    const at = IBAN_START.lastIndex - 4;
    if (at === 0 || !isAlnum(text.charCodeAt(at - 1))) return at;
    IBAN_START.lastIndex = at + 1; // `AAB12`: a start may follow at the next position
  }
  return -1;
}

export function scanIbans(text: string): LeakFinding[] {
  const out: LeakFinding[] = [];
  const n = text.length;
  let from = 0;
  for (let i = nextIbanStart(text, 0); i >= 0; i = nextIbanStart(text, from)) {
    from = i + 4; // a candidate that is no IBAN: the search goes on after its four characters
    const length = IBAN_LENGTHS[text.slice(i, i + 2)];
    if (!length) continue;
    let compact = '';
    let j = i;
    // Printed form groups by four with single spaces; the electronic form has none.
    while (j < n && compact.length < length) {
      const code = text.charCodeAt(j);
      if (isDigit(code) || isUpper(code)) {
        compact += text[j];
        j++;
      } else if (code === 32 && compact.length % 4 === 0 && isAlnum(text.charCodeAt(j + 1))) {
        j++;
      } else {
        break;
      }
    }
    if (compact.length !== length || (j < n && isAlnum(text.charCodeAt(j)))) continue;
    if (!ibanChecksumValid(compact)) continue;
    const docs = IBAN_EXAMPLES.has(compact);
    out.push({
      ruleId: 'PII-IBAN',
      start: i,
      end: j,
      score: docs ? DOCS_EXAMPLE_SCORE : 0.8,
      note: docs ? 'docs-example' : 'mod97-valid',
    });
    from = j;
  }
  return out;
}

function isIpv6Char(code: number): boolean {
  return isHex(code) || code === 58 /* : */ || code === 46 /* . */;
}

function parseIpv6(candidate: string): number[] | null {
  const halves = candidate.split('::');
  if (halves.length > 2 || candidate.includes(':::')) return null;
  const groups: number[] = [];
  let count = 0;
  for (const half of halves) {
    if (half.length === 0) continue;
    const parts = half.split(':');
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k]!;
      if (part.includes('.')) {
        // Embedded IPv4 in the last position only.
        const isLast = k === parts.length - 1 && half === halves[halves.length - 1];
        if (!isLast || !/^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/.test(part))
          return null;
        count += 2;
        continue;
      }
      if (part.length === 0 || part.length > 4 || !/^[0-9a-fA-F]+$/.test(part)) return null;
      groups.push(Number.parseInt(part, 16));
      count++;
    }
  }
  if (halves.length === 2 ? count < 3 || count > 7 : count !== 8) return null;
  return groups;
}

/**
 * Whether text[start, end) holds a colon besides the one at `at`. An address has two at least (`::`, or seven
 * in full) and parseIpv6 rejects anything less; prose colons ("Note: ...") stand alone, so this spares a parse.
 */
function hasOtherColon(text: string, at: number, start: number, end: number): boolean {
  const next = text.indexOf(':', at + 1);
  return (next >= 0 && next < end) || (at > start && text.lastIndexOf(':', at - 1) >= start);
}

export function scanIpv6(text: string): LeakFinding[] {
  const out: LeakFinding[] = [];
  const n = text.length;
  let floor = 0;
  let colon = text.indexOf(':');
  while (colon >= 0) {
    let start = colon;
    while (start > floor && colon - start < 39 && isIpv6Char(text.charCodeAt(start - 1))) start--;
    let end = colon + 1;
    while (end < n && end - start < 45 && isIpv6Char(text.charCodeAt(end))) end++;
    floor = end;
    while (end > start && text.charCodeAt(end - 1) === 46) end--;
    const before = start > 0 ? text.charCodeAt(start - 1) : 32;
    const after = end < n ? text.charCodeAt(end) : 32;
    const bounded = !isAlnum(before) && before !== 95 && !isAlnum(after) && after !== 95 && after !== 58;
    const groups =
      bounded && hasOtherColon(text, colon, start, end) ? parseIpv6(text.slice(start, end)) : null;
    if (groups) {
      const first = groups[0] ?? 0;
      const docs = first === 0x2001 && groups[1] === 0xdb8;
      const internal =
        (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || text.startsWith('::', start);
      out.push({
        ruleId: 'PII-IP',
        start,
        end,
        score: docs || internal ? DOCS_EXAMPLE_SCORE : 0.3,
        note: docs ? 'docs-range' : internal ? 'internal-ip' : 'public-ip',
      });
    }
    colon = text.indexOf(':', Math.max(colon + 1, floor));
  }
  return out;
}

const NINO =
  /(?<![A-Za-z0-9])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/g;
/** Regex source for the digits of every NINO (for a shared shape test that lets scanNino be skipped). */
export const NINO_DIGITS_SHAPE = '[0-9][0-9] ?[0-9]{2} ?[0-9]{2} ?[A-D]';
const NINO_CONTEXT = /national insurance|\bnino\b|\bni (?:no|number)/i;

/** UK National Insurance numbers, only where the text names them (the shape alone is too common). */
export function scanNino(text: string): LeakFinding[] {
  const out: LeakFinding[] = [];
  NINO.lastIndex = 0;
  for (let m = NINO.exec(text); m; m = NINO.exec(text)) {
    out.push({
      ruleId: 'PII-NINO',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.7,
      note: 'nino-context',
    });
  }
  // The shape first: it fails sooner than the context regex on nearly every text.
  return out.length > 0 && NINO_CONTEXT.test(text) ? out : [];
}

const PASSPORT =
  /passport(?:\s{0,3}(?:no\.?|number|num|#|id))?\s{0,3}[:#]?\s{0,3}([A-Z0-9]{6,9})(?![A-Za-z0-9])/gi;

/** Passport numbers: 6-9 characters, mostly digits, directly after the word "passport". */
export function scanPassports(text: string): LeakFinding[] {
  const out: LeakFinding[] = [];
  PASSPORT.lastIndex = 0;
  for (let m = PASSPORT.exec(text); m; m = PASSPORT.exec(text)) {
    const value = m[1] ?? '';
    let digits = 0;
    let lower = false;
    for (let k = 0; k < value.length; k++) {
      const code = value.charCodeAt(k);
      if (isDigit(code)) digits++;
      else if (isLower(code)) lower = true;
    }
    if (digits < 5 || lower) continue;
    const start = m.index + m[0].length - value.length;
    out.push({
      ruleId: 'PII-PASSPORT',
      start,
      end: start + value.length,
      score: 0.6,
      note: 'passport-context',
    });
  }
  return out;
}
