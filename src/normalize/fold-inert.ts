import { invisibleKind, isWhitespace } from './chars.js';
import { CodeUnits } from './code-units.js';
import { foldPlainAscii, kernel as collapseKernel } from './collapse-ascii.js';
import { type FoldKernel, KERNEL_CAPACITY } from './fold-kernel.js';
import { confusableOf } from './confusables.js';
import type { FoldResult } from './fold.js';
import { outBuffer } from './out-buffer.js';

/**
 * The fold without an offset map for text that needs only lowercasing and whitespace collapsing (see foldAscii in
 * fold.ts): plain ASCII, and "inert" non-ASCII characters that are not invisible, not whitespace, not confusable,
 * NFKC-stable and keep their length when lowercased. Returns null for anything else (the general fold takes it).
 */

/**
 * Whether a non-ASCII BMP code unit that is not a surrogate sends a text to the general fold: invisible,
 * whitespace other than the no-break space (handled below), or confusable (C1 controls are invisible).
 */
export function breaksInertFold(c: number): boolean {
  return c !== 0xa0 && (invisibleKind(c) !== null || isWhitespace(c) || confusableOf(c) !== 0);
}

// What foldInertNoMap makes of a non-ASCII code unit, as bits (0: lowercased in one pass with the rest).
/** Sends the text to the general fold. */
const BREAKS = 1;
/**
 * Needs the native path: the whole-text toLowerCase and NFKC check (a character NFKC changes, composes or reorders,
 * one whose lowercase is not one non-ASCII BMP unit, the capital sigma lowercased by context, a surrogate).
 */
const NATIVE = 2;
/** Not looked at yet (see kindOf). */
const UNKNOWN = 4;
/**
 * NFKC changes it alone, into printable ASCII and units of kind 0 (fullwidth forms, superscripts, ligatures, the
 * fullwidth comma, the double prime): text of these and kind-0 units is folded the way the general fold folds it.
 */
const MAPPED = 8;

/**
 * Per code unit: BREAKS for what breaksInertFold accepts and the high surrogates of planes 14-16 (tag and
 * variation-selector characters, private use), NATIVE for other surrogates, UNKNOWN for the rest until kindOf looks;
 * 0 for ASCII (the loops handle it). Filled on the first text with a non-ASCII character, then moved into the fold
 * kernel's memory when there is one (its unitKinds reads what kindOf writes).
 */
let KINDS: Uint8Array | null = null;
function kindTable(): Uint8Array {
  if (KINDS) return KINDS;
  let table: Uint8Array = new Uint8Array(0x10000);
  for (let c = 0x80; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) table[c] = c >= 0xdb40 && c <= 0xdbff ? BREAKS : NATIVE;
    else table[c] = breaksInertFold(c) ? BREAKS : UNKNOWN;
  }
  const kernel = inertKernel();
  if (kernel !== null) {
    kernel.kindUnits.set(table);
    table = kernel.kindUnits;
  }
  KINDS = table;
  return table;
}
/**
 * Lowercase of each code unit of kind 0 (filled by kindOf): the fold kernel's own table once it is loaded (see
 * inertKernel), so the kernel reads what kindOf writes.
 */
let LOWER: Uint16Array = new Uint16Array(0x10000);
/** The fold kernel (null when unavailable), with LOWER moved into its memory: created on first use. */
let INERT_KERNEL: FoldKernel | null | undefined;

function inertKernel(): FoldKernel | null {
  if (INERT_KERNEL !== undefined) return INERT_KERNEL;
  INERT_KERNEL = collapseKernel();
  if (INERT_KERNEL !== null) {
    INERT_KERNEL.lowerUnits.set(LOWER);
    LOWER = INERT_KERNEL.lowerUnits;
  }
  return INERT_KERNEL;
}
/** NFKC of each code unit of kind MAPPED, lowercased per character as the general fold lowercases it. */
const MAPPED_TO: string[] = [];
const MARK = /^\p{M}$/u;

/**
 * Decides an UNKNOWN unit's kind. Text of kind-0 units is NFKC-normalised as it is: each is NFKC-stable alone, and
 * none is a combining mark or a Hangul vowel or trailing jamo, the only characters that compose with or reorder
 * against a character before them (fold-inert.test.ts checks this against every decomposition Unicode has). Lowercased
 * one by one they give what toLowerCase gives the whole text: the capital sigma, lowercased by context, is NATIVE.
 */
function kindOf(c: number, table: Uint8Array): number {
  let kind = table[c]!;
  if (kind !== UNKNOWN) return kind;
  const ch = String.fromCharCode(c);
  const lower = ch.toLowerCase();
  const lowerUnit = lower.charCodeAt(0);
  const nfkc = ch.normalize('NFKC');
  if (c === 0xa0)
    kind = 0; // a space on this path, as on the native one
  else if (nfkc !== ch && c !== 0x03a3 && !MARK.test(ch) && !isComposingJamo(c)) {
    kind = NATIVE;
    table[c] = NATIVE; // while its NFKC's units are looked at
    let folded = '';
    for (let u = 0; u < nfkc.length; u++) {
      const unit = nfkc.charCodeAt(u);
      if (unit >= 0x21 && unit <= 0x7e)
        folded += String.fromCharCode(unit >= 0x41 && unit <= 0x5a ? unit + 32 : unit);
      else if (unit >= 0x80 && kindOf(unit, table) === 0) folded += String.fromCharCode(LOWER[unit]!);
      else {
        folded = '';
        break;
      }
    }
    if (folded) {
      kind = MAPPED;
      MAPPED_TO[c] = folded;
    }
  } else if (
    c === 0x03a3 ||
    nfkc !== ch ||
    MARK.test(ch) ||
    isComposingJamo(c) ||
    lower.length !== 1 ||
    lowerUnit < 0x80 ||
    (lowerUnit >= 0xd800 && lowerUnit <= 0xdfff)
  )
    kind = NATIVE;
  else {
    kind = 0;
    LOWER[c] = lowerUnit;
  }
  table[c] = kind;
  return kind;
}

/** Hangul vowel and trailing-consonant jamo: they compose with the jamo before them. */
export function isComposingJamo(c: number): boolean {
  return (c >= 0x1161 && c <= 0x1175) || (c >= 0x11a8 && c <= 0x11c2);
}

const INERT_UNITS = new CodeUnits();
const LOWERED_UNITS = new CodeUnits();

const NON_ASCII = /[^\0-\x7f]/g;
/** Non-ASCII units looked up one regex match at a time before the rest of the text is read in one loop. */
const FEW_NON_ASCII = 32;

/** The kinds of the text's non-ASCII units, or'ed (BREAKS alone as soon as one breaks). Exported for its test. */
export function inertKinds(text: string): number {
  const table = kindTable();
  // Most texts have a handful of non-ASCII units: a native search finds them. Text in another script has one in
  // nearly every word, and a loop over its units costs less than a search per unit.
  let kinds = 0;
  NON_ASCII.lastIndex = 0;
  for (let hits = 0; NON_ASCII.test(text); hits++) {
    const i = NON_ASCII.lastIndex - 1;
    const kind = kindOf(text.charCodeAt(i), table);
    if (kind & BREAKS) return BREAKS;
    kinds |= kind;
    if (hits === FEW_NON_ASCII) {
      const codes = INERT_UNITS.load(text);
      let rest = 0;
      // No early exit: a branch per unit cost more than reading the few units left after a rare hit.
      for (let j = i + 1; j < text.length; j++) rest |= table[codes[j]!]!;
      if (rest & UNKNOWN) {
        rest = 0;
        for (let j = i + 1; j < text.length; j++) rest |= kindOf(codes[j]!, table);
      }
      return rest & BREAKS ? BREAKS : kinds | rest;
    }
  }
  return kinds;
}

/**
 * inertKinds(text), by the fold kernel (wasm/fold-kernel.ts unitKinds, one pass over every unit) when it is
 * available, the text fits it and every unit's kind is known; else by inertKinds, which looks the unknown ones up.
 */
export function textKinds(text: string): number {
  kindTable();
  const kernel = inertKernel();
  if (kernel !== null && text.length <= KERNEL_CAPACITY) {
    const kinds = kernel.unitKinds(text);
    if (!(kinds & UNKNOWN)) return kinds & BREAKS ? BREAKS : kinds;
  }
  return inertKinds(text);
}

/**
 * foldAscii without a map. Plain ASCII is lowercased and collapsed natively. Otherwise each non-ASCII unit's kind is
 * looked up: text whose units are all of kind 0 (most text with a few accents, quotes or another script) is
 * lowercased and collapsed in one pass; the rest lowercases and checks NFKC natively, as the whole text, and checks
 * lone surrogates with isWellFormed. C0 controls and DEL send the text to the general fold too: collapse finds them
 * on its way. `reference` (tests) always takes the native path, the one the one-pass fold must match.
 */
export function foldInertNoMap(text: string, reference = false): FoldResult | null {
  const plain = foldPlainAscii(text);
  if (plain !== null) return plain;
  const kinds = reference ? inertKinds(text) : textKinds(text);
  if (kinds & BREAKS) return null;
  // Every non-ASCII unit of kind 0 (so no surrogate): lowercased and collapsed in one pass. With MAPPED units as
  // well, the general fold would have taken the text (NFKC changes it): mapped and folded here as it does.
  if (!(kinds & NATIVE) && !reference) return kinds & MAPPED ? collapseMapped(text) : collapseInert(text);
  if (kinds & MAPPED) return null;
  if (!text.isWellFormed()) return null;
  const nbsp = text.includes('\u00a0');
  // The text has non-ASCII characters, or controls (NOT_PLAIN_ASCII matched).
  if (!nbsp) {
    const lower = text.toLowerCase();
    if (lower.length !== text.length || text.normalize('NFKC') !== text) return null;
    return collapseInert(lower, false, false);
  }
  // No-break spaces (common in pasted text) would send the text to the general fold, which NFKC-folds them to
  // spaces (transform 'nfkc') and lowercases per character: the same result when the rest is inert and no
  // capital sigma is present (the one letter whole-text lowercasing treats by context).
  if (text.includes('\u03a3')) return null;
  const spaced = text.replaceAll('\u00a0', ' ');
  const lower = spaced.toLowerCase();
  if (lower.length !== spaced.length || spaced.normalize('NFKC') !== spaced) return null;
  const folded = collapseInert(lower, false, false);
  return folded && { ...folded, identity: false, transforms: new Set(['nfkc']) };
}

/**
 * The no-map end of foldAscii, in one pass into the scratch buffer: every ASCII whitespace run collapsed to one
 * newline when it holds a line break (\n, \v, \f, \r), else one space. Identity when no run was rewritten (every
 * run a single space or newline). Null at a C0 control or DEL (the general fold removes those). The text is
 * lowercased already, or (`lower`) of units of kind 0 only: then lowercased here, no-break spaces read as spaces
 * (reported as the native path reports them).
 */
function collapse(text: string, lower: boolean): FoldResult | null {
  const n = text.length;
  const out = outBuffer(n);
  const codes = out.scratch();
  const input = LOWERED_UNITS.load(text);
  let k = 0;
  let collapsed = false;
  let inSpace = false;
  let nbsp = false;
  for (let i = 0; i < n; i++) {
    let c = input[i]!;
    if (lower && c === 0xa0) {
      nbsp = true;
      c = 0x20;
    }
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      const br = c !== 0x20 && c !== 0x09;
      if (inSpace) {
        collapsed = true;
        if (br) codes[k - 1] = 0x0a;
      } else {
        if (c !== 0x20 && c !== 0x0a) collapsed = true;
        codes[k++] = br ? 0x0a : 0x20;
      }
      inSpace = true;
      continue;
    }
    if (c < 0x20 || c === 0x7f) return null;
    if (lower) c = c < 0x80 ? (c >= 0x41 && c <= 0x5a ? c + 32 : c) : LOWER[c]!;
    codes[k++] = c;
    inSpace = false;
  }
  out.length = k;
  const folded = out.toString();
  if (nbsp) return { text: folded, identity: false, map: null, transforms: new Set(['nfkc']), hidden: [] };
  return { text: folded, identity: !collapsed, map: null, transforms: new Set(), hidden: [] };
}

/**
 * collapse(text, lower), for text whose non-ASCII units are all of kind 0 (`lower`) or that is lowercased already:
 * by the fold kernel (wasm/fold-kernel.ts foldInert) when it is available and the text fits it. `javascript`
 * (tests) forces collapse.
 */
export function collapseInert(text: string, javascript = false, lower = true): FoldResult | null {
  const k = javascript ? null : inertKernel();
  if (k === null || text.length > KERNEL_CAPACITY) return collapse(text, lower);
  const folded = k.foldInert(text, lower);
  if (folded === null) return null;
  if (k.sawNbsp())
    return { text: folded, identity: false, map: null, transforms: new Set(['nfkc']), hidden: [] };
  return { text: folded, identity: !k.rewroteRun(), map: null, transforms: new Set(), hidden: [] };
}

/**
 * What the general fold (decompose, then foldUnicode) makes of text of kind-0 and MAPPED units: no marks, so every
 * character is a cluster of its own and NFKC-folded alone; nothing confusable or invisible, so no word is folded;
 * each code point lowercased alone, whitespace runs collapsed; reported as 'nfkc', offsets moved. Null at a C0
 * control or DEL (decompose removes those, reported).
 */
function collapseMapped(text: string): FoldResult | null {
  const n = text.length;
  const out = outBuffer(n + 16);
  const input = LOWERED_UNITS.load(text);
  let inSpace = false;
  for (let i = 0; i < n; i++) {
    let c = input[i]!;
    if (c === 0xa0) c = 0x20;
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      const br = c !== 0x20 && c !== 0x09;
      if (inSpace) {
        if (br) out.setLast(0x0a);
      } else out.push(br ? 0x0a : 0x20);
      inSpace = true;
      continue;
    }
    inSpace = false;
    if (c < 0x80) {
      if (c < 0x20 || c === 0x7f) return null;
      out.push(c >= 0x41 && c <= 0x5a ? c + 32 : c);
      continue;
    }
    const mapped = MAPPED_TO[c];
    if (mapped === undefined) out.push(LOWER[c]!);
    else for (let u = 0; u < mapped.length; u++) out.push(mapped.charCodeAt(u));
  }
  return { text: out.toString(), identity: false, map: null, transforms: new Set(['nfkc']), hidden: [] };
}
