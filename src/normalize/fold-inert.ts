import { invisibleKind, isWhitespace } from './chars.js';
import { CodeUnits } from './code-units.js';
import { confusableOf } from './confusables.js';
import type { FoldResult } from './fold.js';
import { outBuffer } from './out-buffer.js';

/**
 * The fold without an offset map for text that needs only lowercasing and whitespace collapsing (see foldAscii in
 * fold.ts): plain ASCII, and "inert" non-ASCII characters that are not invisible, not whitespace, not confusable,
 * NFKC-stable and keep their length when lowercased. Returns null for anything else (the general fold takes it).
 */

/** Anything but printable ASCII and ASCII whitespace. */
const NOT_PLAIN_ASCII = /[^\t-\r -~]/;

/**
 * Whether a non-ASCII BMP code unit that is not a surrogate sends a text to the general fold: invisible,
 * whitespace other than the no-break space (handled below), or confusable (C1 controls are invisible).
 */
export function breaksInertFold(c: number): boolean {
  return c !== 0xa0 && (invisibleKind(c) !== null || isWhitespace(c) || confusableOf(c) !== 0);
}

/**
 * 1 for every code unit foldInertNoMap turns away: the units breaksInertFold accepts, and the high surrogates of
 * planes 14-16 (tag and variation-selector characters, private use). Filled on the first text with a non-ASCII
 * character.
 */
let NOT_INERT: Uint8Array | null = null;
function notInertTable(): Uint8Array {
  if (NOT_INERT) return NOT_INERT;
  const table = new Uint8Array(0x10000);
  for (let c = 0x80; c < 0x10000; c++) {
    const surrogate = c >= 0xd800 && c <= 0xdfff;
    if (surrogate ? c >= 0xdb40 && c <= 0xdbff : breaksInertFold(c)) table[c] = 1;
  }
  NOT_INERT = table;
  return table;
}
const INERT_UNITS = new CodeUnits();
const LOWERED_UNITS = new CodeUnits();

const NON_ASCII = /[^\0-\x7f]/g;
/** Non-ASCII units looked up one regex match at a time before the rest of the text is read in one loop. */
const FEW_NON_ASCII = 32;

/** Whether every code unit of `text` is one foldInertNoMap may keep (lone surrogates aside). */
function allInert(text: string): boolean {
  const table = notInertTable();
  // Most texts have a handful of non-ASCII units: a native search finds them. Text in another script has one in
  // nearly every word, and a loop over its units costs less than a search per unit.
  NON_ASCII.lastIndex = 0;
  for (let hits = 0; NON_ASCII.test(text); hits++) {
    const i = NON_ASCII.lastIndex - 1;
    if (table[text.charCodeAt(i)]) return false;
    if (hits === FEW_NON_ASCII) {
      const codes = INERT_UNITS.load(text);
      let bad = 0;
      // No early exit: a branch per unit cost more than reading the few units left after a rare hit.
      for (let j = i + 1; j < text.length; j++) bad |= table[codes[j]!]!;
      return bad === 0;
    }
  }
  return true;
}

/**
 * foldAscii without a map, with the same checks done by native scans instead of a per-character loop: one regex
 * for the characters that need the general fold, and isWellFormed for lone surrogates. C0 controls and DEL send
 * the text to the general fold too: collapseLowered finds them on its way.
 */
export function foldInertNoMap(text: string): FoldResult | null {
  if (!NOT_PLAIN_ASCII.test(text)) return collapseAscii(text);
  if (!allInert(text) || !text.isWellFormed()) return null;
  const nbsp = text.includes('\u00a0');
  // The text has non-ASCII characters, or controls (NOT_PLAIN_ASCII matched).
  if (!nbsp) {
    const lower = text.toLowerCase();
    if (lower.length !== text.length || text.normalize('NFKC') !== text) return null;
    return collapseLowered(lower);
  }
  // No-break spaces (common in pasted text) would send the text to the general fold, which NFKC-folds them to
  // spaces (transform 'nfkc') and lowercases per character: the same result when the rest is inert and no
  // capital sigma is present (the one letter whole-text lowercasing treats by context).
  if (text.includes('\u03a3')) return null;
  const spaced = text.replaceAll('\u00a0', ' ');
  const lower = spaced.toLowerCase();
  if (lower.length !== spaced.length || spaced.normalize('NFKC') !== spaced) return null;
  const folded = collapseLowered(lower);
  return folded && { ...folded, identity: false, transforms: new Set(['nfkc']) };
}

/** A whitespace run the fold rewrites: two or more whitespace characters, or one that is neither ' ' nor '\n'. */
const REWRITTEN_RUN = /[\t-\r ]{2,}|[\t\v\f\r]/g;
const LINE_BREAK = /[\n-\r]/;

function collapsedRun(run: string): string {
  return LINE_BREAK.test(run) ? '\n' : ' ';
}

/**
 * collapseLowered for plain ASCII, natively: lowercase, then each whitespace run that must change replaced
 * (about a third cheaper than the loop on one-byte text; on the two-byte strings of non-ASCII text it is not).
 * Identity when no run was rewritten: the replace then returns the lowered text itself.
 */
function collapseAscii(text: string): FoldResult {
  const lower = text.toLowerCase();
  const folded = lower.replace(REWRITTEN_RUN, collapsedRun);
  return { text: folded, identity: folded === lower, map: null, transforms: new Set(), hidden: [] };
}

/**
 * The no-map end of foldAscii for lowercased text checked inert, in one pass into the scratch buffer: every ASCII
 * whitespace run collapsed to one newline when it holds a line break (\n, \v, \f, \r), else one space. Identity
 * when no run was rewritten (every run a single space or newline). Null at a C0 control or DEL (the general fold
 * removes those).
 */
function collapseLowered(text: string): FoldResult | null {
  const n = text.length;
  const out = outBuffer(n);
  const codes = out.scratch();
  const input = LOWERED_UNITS.load(text);
  let k = 0;
  let collapse = false;
  let inSpace = false;
  for (let i = 0; i < n; i++) {
    const c = input[i]!;
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      const br = c !== 0x20 && c !== 0x09;
      if (inSpace) {
        collapse = true;
        if (br) codes[k - 1] = 0x0a;
      } else {
        if (c !== 0x20 && c !== 0x0a) collapse = true;
        codes[k++] = br ? 0x0a : 0x20;
      }
      inSpace = true;
      continue;
    }
    if (c < 0x20 || c === 0x7f) return null;
    codes[k++] = c;
    inSpace = false;
  }
  out.length = k;
  return { text: out.toString(), identity: !collapse, map: null, transforms: new Set(), hidden: [] };
}
