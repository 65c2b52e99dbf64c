// AssemblyScript: the learned kernel's character stream (FeatureExtractor.prepare() in
// src/detect/learned/features.ts), part of wasm/learned-kernel.ts's build, which exports prepare() and
// hasUnlisted(). Memory is laid out by src/detect/learned/kernel.ts.

let raw: usize = 0; // u16[]: the text to prepare (written by the host)
let codes: usize = 0; // u16[]: the prepared character stream
let wordTable: usize = 0; // u8[65536]: 1 = word character, 2 = not, 0 = not known yet (host-filled)
let caseTable: usize = 0; // u8[65536]: 1 = lower-cases to itself, 2 = does not, 0 = not known yet (host-filled)
let unlisted = false; // the last prepare() met a code unit the word table does not know yet

/** Where the kernel's init() placed the buffers this file reads and writes. */
export function placeStream(rawAt: usize, codesAt: usize, wordTableAt: usize, caseTableAt: usize): void {
  raw = rawAt;
  codes = codesAt;
  wordTable = wordTableAt;
  caseTable = caseTableAt;
}

/**
 * FeatureExtractor.prepare()'s loop over the `len` code units at `raw`: ASCII capitals lowered, whitespace
 * runs collapsed to one space (one newline when the run holds a line break), digits folded to 0, at most
 * `limit` units written to `codes`. Returns the stream's length. The host writes the capped text there, and
 * with `checkCase` the kernel checks that its non-ASCII units lower-case to themselves (then the text's
 * toLowerCase() would only have lowered ASCII capitals: the same stream without the copy); it gives up on the
 * first that does not (-1, the host then writes toLowerCase()'s text and calls again without the check:
 * lowering A-Z again changes nothing, toLowerCase() never yields an ASCII capital) or that the case table
 * does not know yet (-2, the host fills it in and calls again).
 * Eight units go at once when they are ASCII and none is whitespace right after whitespace: then no run
 * collapses and each unit maps on its own (prose is mostly such blocks); other blocks go unit by unit.
 */
export function prepare(len: i32, limit: i32, checkCase: bool): i32 {
  let n: i32 = 0;
  let i: i32 = 0;
  let prevSpace = true;
  let unknown = false;
  // Locals for the globals the loop reads: the engine reloads a global on every use.
  const src = raw;
  const dst = codes;
  const cases = caseTable;
  const kinds = wordTable;
  while (i < len && n < limit) {
    // The unit before i is whitespace exactly when prevSpace is set, so the block test reads it from `raw`.
    if (i > 0 && i + 8 <= len && n + 8 <= limit) {
      const at = src + (<usize>i << 1);
      const units = v128.load(at);
      const space = isSpace8(units);
      const wide = i16x8.gt_u(units, i16x8.splat(0x7f));
      if (!v128.any_true(v128.or(wide, v128.and(space, isSpace8(v128.load(at - 2)))))) {
        store8(dst, n, units, space);
        prevSpace = i16x8.extract_lane_u(space, 7) != 0;
        i += 8;
        n += 8;
        continue;
      }
    }
    const stop = i + 8 < len ? i + 8 : len;
    for (; i < stop && n < limit; i++) {
      let c = <i32>load<u16>(src + (<usize>i << 1));
      if (c > 0x7f && checkCase) {
        const known = load<u8>(cases + <usize>c);
        if (known != 1) return known == 0 ? -2 : -1;
      }
      if (<u32>(c - 65) < 26) c += 32;
      if (c == 32 || c == 9 || c == 10 || c == 13 || c == 0xa0) {
        if (prevSpace) {
          if (c == 10 && n > 0) store<u16>(dst + (<usize>(n - 1) << 1), 10);
          continue;
        }
        c = c == 10 ? 10 : 32;
        prevSpace = true;
      } else {
        prevSpace = false;
        if (<u32>(c - 48) < 10) c = 48;
        unknown = unknown || load<u8>(kinds + <usize>c) == 0;
      }
      store<u16>(dst + (<usize>n << 1), <u16>c);
      n++;
    }
  }
  unlisted = unknown;
  return n;
}

/** Lanes holding one of prepare()'s whitespace units (space, tab, line feed, carriage return, no-break space). */
@inline function isSpace8(units: v128): v128 {
  const a = v128.or(i16x8.eq(units, i16x8.splat(32)), i16x8.eq(units, i16x8.splat(9)));
  const b = v128.or(i16x8.eq(units, i16x8.splat(10)), i16x8.eq(units, i16x8.splat(13)));
  return v128.or(v128.or(a, b), i16x8.eq(units, i16x8.splat(0xa0)));
}

/** prepare()'s mapping of eight ASCII units, none collapsing, stored at stream position n. */
@inline function store8(dst: usize, n: i32, units: v128, space: v128): void {
  const upper = i16x8.lt_u(i16x8.sub(units, i16x8.splat(65)), i16x8.splat(26));
  let out = i16x8.add(units, v128.and(upper, i16x8.splat(32)));
  const digit = i16x8.lt_u(i16x8.sub(units, i16x8.splat(48)), i16x8.splat(10));
  out = v128.bitselect(i16x8.splat(48), out, digit);
  const gap = v128.bitselect(i16x8.splat(10), i16x8.splat(32), i16x8.eq(units, i16x8.splat(10)));
  v128.store(dst + (<usize>n << 1), v128.bitselect(gap, out, space));
}

/** Whether the last prepare() met code units missing from the word table (the host then fills them in). */
export function hasUnlisted(): bool {
  return unlisted;
}
