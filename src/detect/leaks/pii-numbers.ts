import type { LeakFinding } from './finding.js';
import { classifyCard, classifyIpv4, classifyPhone, classifySsn, type Group } from './pii-number-formats.js';
import { isAlnum, isDigit } from './text.js';

/**
 * Number-shaped PII (payment cards, US SSNs, phone numbers, IPv4 addresses) from one hand-written pass over
 * the text. A "number run" is a maximal stretch of digit groups joined by single separators (space - . / and
 * parentheses); runs longer than MAX_RUN are tables or ids and are skipped whole, so the pass is linear and
 * each run is classified in bounded time.
 */

export type NumberKind = 'card' | 'ssn' | 'phone' | 'ip';

const MAX_RUN = 40;
const MAX_GROUPS = 10;
/** No format we classify spans more than this many groups (E.164 with spaces, FR pairs, 4-4-4-4-3 cards). */
const MAX_FORMAT_GROUPS = 6;

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

/** Parses the number run starting at `from` into RUN (count 0 when it is too long or malformed). */
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

/** Between two digits of one run: a separator, a parenthesis, or both (`) (` at most: three characters). */
const GAP = '[ \\-.\\/()]{0,3}';

/**
 * Regex sources for what every finding's digits look like in the text. A card, SSN or phone number holds nine
 * digits or more (eight after a `+`), all in one run, so each at most a GAP from the next; an IPv4 address is
 * four dot-joined groups of at most three digits. A text without any of these shapes has no finding, and one
 * native pass says so, where the run-by-run scan costs several times more on prose full of years, dates and
 * list numbers.
 */
export const NUMBER_PII_SHAPES: readonly string[] = [
  `[0-9]${`${GAP}[0-9]`.repeat(8)}`,
  `\\+\\(?[0-9]${`${GAP}[0-9]`.repeat(7)}`,
  '[0-9]\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]',
];

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
