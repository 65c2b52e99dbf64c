// AssemblyScript source of the normaliser's fold kernel: plain-ASCII fold, unit kinds, inert-unit collapse (built by
// `npm run build:wasm` into wasm/fold-kernel.wasm; a test checks the committed binary is the build of this file).
//
// It is src/normalize/collapse-ascii.ts collapseAscii together with the test that sends a text there (printable
// ASCII and ASCII whitespace only): one pass lowercases the text, collapses each whitespace run (one newline when
// it holds a line break, else one space) and finds whether any unit is not plain ASCII. The JavaScript paths stay
// the reference and the fallback; the normaliser uses this kernel because the regex test and the byte loop it
// replaces cost ~1 µs and ~3.5 ns per unit of every plain-ASCII text as JIT-compiled JavaScript. foldInert is
// src/normalize/fold-inert.ts collapse(text, true), the same fold for text with non-ASCII units of kind 0 (most text
// with a few accents, dashes or quotes, or another script), which ran at ~4 ns per unit there.
//
// Memory (imported) is laid out by src/normalize/fold-kernel.ts, which writes the offsets below as i32
// fields of a header (read by init), the text as UTF-16 at `text` after one zero unit; the fold is written at
// `folded`, as bytes by fold, as UTF-16 by foldInert.

// Unit class bits (collapse-ascii.ts CLASS), plus NOT_PLAIN for a unit that is not printable ASCII or ASCII
// whitespace (indexes 0x80 and up read as 0x80).
const WS: i32 = 1;
const BREAK: i32 = 2;
const REWRITTEN: i32 = 4;
const NOT_PLAIN: i32 = 8;

let classes: usize = 0; // u8[129]: class bits per ASCII unit, then one entry for every other unit
let lowered: usize = 0; // u8[129]: each unit lowercased, whitespace as a space
let text: usize = 0; // u16[capacity]
let folded: usize = 0; // u8[capacity]; u16[capacity] for foldInert
let lowerUnits: usize = 0; // u16[65536]: the lowercase of each non-ASCII unit of kind 0 (fold-inert.ts LOWER)
let kindUnits: usize = 0; // u8[65536]: the kind of each unit (fold-inert.ts KINDS), 0 for ASCII
let rewritten: i32 = 0;
let sawNoBreakSpace: i32 = 0;

export function init(header: usize): void {
  classes = load<i32>(header);
  lowered = load<i32>(header, 4);
  text = load<i32>(header, 8);
  folded = load<i32>(header, 12);
  lowerUnits = load<i32>(header, 16);
  kindUnits = load<i32>(header, 20);
}

/** Whether the last foldInert read a no-break space (as a space). */
export function sawNbsp(): i32 {
  return sawNoBreakSpace;
}

/** Whether the last fold rewrote a whitespace run (its text is not the lowercased input). */
export function rewroteRun(): i32 {
  return rewritten;
}

/**
 * Whether the units of the text's whole blocks of 8 are all printable ASCII (0x20-0x7e) or ASCII whitespace
 * (0x09-0x0d), eight at a time: a text with another unit leaves at its block, before any folding (most texts
 * with one have it within their first few hundred units).
 */
function plainBlocks(n: i32): bool {
  const printable = i16x8.splat(0x5f);
  const whitespace = i16x8.splat(5);
  const space = i16x8.splat(0x20);
  const tab = i16x8.splat(0x09);
  const end = text + (<usize>(n & ~7) << 1);
  for (let at = text; at < end; at += 16) {
    const units = v128.load(at);
    const plain = v128.or(
      i16x8.lt_u(i16x8.sub(units, space), printable),
      i16x8.lt_u(i16x8.sub(units, tab), whitespace),
    );
    if (!i16x8.all_true(plain)) return false;
  }
  return true;
}

// The scalar fold's state between units: output length, whether the last unit was whitespace, whether its run
// holds a line break, and the class bits seen (REWRITTEN for a rewritten run).
let k = 0;
let inSpace = 0;
let runBreak = 0;
let seen = 0;

/**
 * Folds unit `unit` (plain ASCII): every unit is written, one that continues a whitespace run over the run's one
 * output unit, which becomes a newline (0x20 - 0x16) once the run holds a line break.
 */
// @ts-ignore: decorator
@inline function foldUnit(unit: i32): void {
  const cls = <i32>load<u8>(classes + <usize>unit);
  const ws = cls & WS;
  const more = ws & inSpace;
  runBreak = (runBreak & -more) | ((cls & BREAK) >> 1);
  // In place over the run: k never passes the unit's index.
  k -= more;
  store<u8>(folded + <usize>k, <i32>load<u8>(lowered + <usize>unit) - 0x16 * runBreak);
  k++;
  seen |= cls | (more << 2);
  inSpace = ws;
}

/**
 * Folds the `n` units at `text` into `folded` and returns the fold's length, or -1 when a unit is not plain ASCII
 * (nothing is folded then). Eight units at a time: a block with no whitespace run to rewrite (no whitespace unit
 * after another, none but ' ' and '\n') is only lowercased, in one step; the others (a 2 KB text has a few dozen)
 * and the last units are folded one by one.
 */
export function fold(n: i32): i32 {
  if (!plainBlocks(n)) return -1;
  for (let i = n & ~7; i < n; i++) if (<i32>load<u8>(classes + <usize>min(<i32>load<u16>(text + (<usize>i << 1)), 0x80)) & NOT_PLAIN) return -1;
  k = 0;
  inSpace = 0;
  runBreak = 0;
  seen = 0;
  const upper = i16x8.splat(0x41);
  const letters = i16x8.splat(26);
  const caseBit = i16x8.splat(0x20);
  const tab = i16x8.splat(0x09);
  const whitespace = i16x8.splat(5);
  const newline = i16x8.splat(0x0a);
  const blocks = n & ~7;
  for (let i = 0; i < blocks; i += 8) {
    const at = text + (<usize>i << 1);
    const units = v128.load(at);
    // The units one before (the unit before the text is a zero the host leaves there).
    const before = v128.load(at - 2);
    const ws = v128.or(i16x8.lt_u(i16x8.sub(units, tab), whitespace), i16x8.eq(units, caseBit));
    const wsBefore = v128.or(i16x8.lt_u(i16x8.sub(before, tab), whitespace), i16x8.eq(before, caseBit));
    const kept = v128.or(i16x8.eq(units, caseBit), i16x8.eq(units, newline));
    const rewrite = v128.or(v128.and(ws, wsBefore), v128.andnot(ws, kept));
    if (v128.any_true(rewrite)) {
      for (let j = i; j < i + 8; j++) foldUnit(<i32>load<u16>(text + (<usize>j << 1)));
      continue;
    }
    const lower = i16x8.add(units, v128.and(i16x8.lt_u(i16x8.sub(units, upper), letters), caseBit));
    store<u64>(folded + <usize>k, i64x2.extract_lane(i8x16.narrow_i16x8_u(lower, lower), 0));
    k += 8;
    const last = i16x8.extract_lane_u(units, 7);
    inSpace = <i32>(last == 0x20 || last == 0x0a);
    runBreak = <i32>(last == 0x0a);
  }
  for (let i = blocks; i < n; i++) foldUnit(<i32>load<u16>(text + (<usize>i << 1)));
  rewritten = <i32>((seen & REWRITTEN) != 0);
  return k;
}

/**
 * Folds `unit`, any code unit, as fold-inert.ts collapse(text, lowerOthers) does: ASCII as fold does (lowercasing
 * changes no unit of lowercased text), written as UTF-16; with `lowerOthers` (the caller checked that every
 * non-ASCII unit is of kind 0) a no-break space reads as a space and other units are lowercased by `lowerUnits`,
 * else they are kept. False at a C0 control or DEL (collapse gives up there).
 */
// @ts-ignore: decorator
@inline function foldInertUnit(unit: i32, lowerOthers: bool): bool {
  if (lowerOthers && unit == 0xa0) {
    sawNoBreakSpace = 1;
    unit = 0x20;
  }
  if (unit >= 0x80) {
    store<u16>(folded + (<usize>k << 1), lowerOthers ? load<u16>(lowerUnits + (<usize>unit << 1)) : <u16>unit);
    k++;
    inSpace = 0;
    runBreak = 0;
    return true;
  }
  const cls = <i32>load<u8>(classes + <usize>unit);
  if (cls & NOT_PLAIN) return false;
  const ws = cls & WS;
  const more = ws & inSpace;
  runBreak = (runBreak & -more) | ((cls & BREAK) >> 1);
  k -= more;
  store<u16>(folded + (<usize>k << 1), <i32>load<u8>(lowered + <usize>unit) - 0x16 * runBreak);
  k++;
  seen |= cls | (more << 2);
  inSpace = ws;
  return true;
}

/**
 * fold-inert.ts collapse(text, lowerOthers != 0) of the `n` units at `text` (every non-ASCII unit of kind 0) into `folded` as
 * UTF-16: returns the fold's length, or -1 at a C0 control or DEL. Eight units at a time as fold does: a block of
 * printable ASCII with no whitespace run to rewrite is only lowercased; the others are folded one by one.
 */
export function foldInert(n: i32, lowerOthers: bool): i32 {
  k = 0;
  inSpace = 0;
  runBreak = 0;
  seen = 0;
  sawNoBreakSpace = 0;
  const upper = i16x8.splat(0x41);
  const letters = i16x8.splat(26);
  const caseBit = i16x8.splat(0x20);
  const printable = i16x8.splat(0x5f);
  const newline = i16x8.splat(0x0a);
  const blocks = n & ~7;
  for (let i = 0; i < blocks; i += 8) {
    const at = text + (<usize>i << 1);
    const units = v128.load(at);
    const before = v128.load(at - 2);
    // Simple: printable ASCII, and spaces and newlines that follow no whitespace.
    const printed = i16x8.lt_u(i16x8.sub(units, caseBit), printable);
    const ws = v128.or(i16x8.eq(units, caseBit), i16x8.eq(units, newline));
    // The unit before the block may be a no-break space or other whitespace: its run state says.
    const wsBefore = i16x8.replace_lane(v128.or(i16x8.eq(before, caseBit), i16x8.eq(before, newline)), 0, <i16>-inSpace);
    const simple = v128.andnot(v128.or(printed, ws), v128.and(ws, wsBefore));
    if (!i16x8.all_true(simple)) {
      for (let j = i; j < i + 8; j++) if (!foldInertUnit(<i32>load<u16>(text + (<usize>j << 1)), lowerOthers)) return -1;
      continue;
    }
    const lower = i16x8.add(units, v128.and(i16x8.lt_u(i16x8.sub(units, upper), letters), caseBit));
    v128.store(folded + (<usize>k << 1), lower);
    k += 8;
    const last = i16x8.extract_lane_u(units, 7);
    inSpace = <i32>(last == 0x20 || last == 0x0a);
    runBreak = <i32>(last == 0x0a);
  }
  for (let i = blocks; i < n; i++) if (!foldInertUnit(<i32>load<u16>(text + (<usize>i << 1)), lowerOthers)) return -1;
  rewritten = <i32>((seen & REWRITTEN) != 0);
  return k;
}

/**
 * The kinds (fold-inert.ts KINDS) of the `n` units at `text`, or'ed: blocks of eight ASCII units (kind 0) are
 * passed over in one step, the others read unit by unit.
 */
export function unitKinds(n: i32): i32 {
  const ascii = i16x8.splat(0x80);
  const blocks = n & ~7;
  let kinds = 0;
  for (let i = 0; i < blocks; i += 8) {
    const at = text + (<usize>i << 1);
    if (i16x8.all_true(i16x8.lt_u(v128.load(at), ascii))) continue;
    for (let j = 0; j < 8; j++) kinds |= <i32>load<u8>(kindUnits + <usize>load<u16>(at + (<usize>j << 1)));
  }
  for (let i = blocks; i < n; i++) kinds |= <i32>load<u8>(kindUnits + <usize>load<u16>(text + (<usize>i << 1)));
  return kinds;
}
