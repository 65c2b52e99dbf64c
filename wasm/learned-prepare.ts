// AssemblyScript: the learned kernel's character stream (FeatureExtractor.prepare() in
// src/detect/learned/features.ts), part of wasm/learned-kernel.ts's build, which exports prepare() and
// hasUnlisted(). Memory is laid out by src/detect/learned/kernel.ts.

let raw: usize = 0; // u16[]: the text to prepare (written by the host)
let codes: usize = 0; // u16[]: the prepared character stream
let wordTable: usize = 0; // u8[65536]: 1 = word character, 2 = not, 0 = not known yet (host-filled)
let caseTable: usize = 0; // u8[65536]: 1 = lower-cases to itself, 2 = does not, 0 = not known yet (host-filled)
let compaction: usize = 0; // v128[256]: per 8-bit mask of the lanes kept, the swizzle packing them (filled here)
let unlisted = false; // the last prepare() met a code unit the word table does not know yet

/** Where the kernel's init() placed the buffers this file reads and writes; fills the compaction table. */
export function placeStream(
  rawAt: usize,
  codesAt: usize,
  wordTableAt: usize,
  caseTableAt: usize,
  compactionAt: usize,
): void {
  raw = rawAt;
  codes = codesAt;
  wordTable = wordTableAt;
  caseTable = caseTableAt;
  compaction = compactionAt;
  // Mask k's entry: the two bytes of each kept lane (bit j set) in order, then 0xff bytes (swizzle gives 0).
  for (let k = 0; k < 256; k++) {
    const entry = compactionAt + (<usize>k << 4);
    let at: usize = 0;
    for (let j = 0; j < 8; j++) {
      if (((k >> j) & 1) == 0) continue;
      store<u8>(entry + at, <u8>(2 * j));
      store<u8>(entry + at + 1, <u8>(2 * j + 1));
      at += 2;
    }
    for (; at < 16; at++) store<u8>(entry + at, 0xff);
  }
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
 * Eight units go at once when they are ASCII: each unit maps on its own, and a whitespace unit right after
 * whitespace is dropped (packed out of the block with a swizzle). The one effect such a unit can have beyond
 * its own lane, a line feed turning its run's kept unit into a line feed, is left to the unit-by-unit loop:
 * a block goes there when a dropped line feed does not follow a line feed (after one, the run's kept unit is
 * a line feed already, or the run leads the text and has none). Other blocks go unit by unit too.
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
      const before = v128.load(at - 2);
      const space = isSpace8(units);
      const drop = v128.and(space, isSpace8(before));
      const wide = i16x8.gt_u(units, i16x8.splat(0x7f));
      const lineFeed = i16x8.splat(10);
      // A dropped line feed that does not follow a line feed: the unit-by-unit loop rewrites the kept unit.
      const rewrite = v128.andnot(v128.and(drop, i16x8.eq(units, lineFeed)), i16x8.eq(before, lineFeed));
      if (!v128.any_true(v128.or(wide, rewrite))) {
        const out = map8(units, space);
        if (!v128.any_true(drop)) {
          v128.store(dst + (<usize>n << 1), out);
          n += 8;
        } else {
          const kept = i16x8.bitmask(v128.not(drop));
          v128.store(dst + (<usize>n << 1), i8x16.swizzle(out, v128.load(compaction + (<usize>kept << 4))));
          n += <i32>popcnt(kept);
        }
        prevSpace = i16x8.extract_lane_u(space, 7) != 0;
        i += 8;
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

/** prepare()'s mapping of eight ASCII units, each on its own (a whitespace unit that starts a run: its gap). */
@inline function map8(units: v128, space: v128): v128 {
  const upper = i16x8.lt_u(i16x8.sub(units, i16x8.splat(65)), i16x8.splat(26));
  let out = i16x8.add(units, v128.and(upper, i16x8.splat(32)));
  const digit = i16x8.lt_u(i16x8.sub(units, i16x8.splat(48)), i16x8.splat(10));
  out = v128.bitselect(i16x8.splat(48), out, digit);
  const gap = v128.bitselect(i16x8.splat(10), i16x8.splat(32), i16x8.eq(units, i16x8.splat(10)));
  return v128.bitselect(gap, out, space);
}

/** Whether the last prepare() met code units missing from the word table (the host then fills them in). */
export function hasUnlisted(): bool {
  return unlisted;
}
