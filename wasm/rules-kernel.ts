// AssemblyScript source of the rule detector's text kernel (built by `npm run build:wasm` into
// wasm/rules-kernel.wasm; a test checks the committed binary is the build of this file).
//
// It is src/detect/rules/text.ts canonicalEquals and word-automaton.ts readText + scanRead (and canonicalizeInto's
// maps for the texts readText takes), computing exactly the same codes, word ids, prefix hits, automaton hits
// (in the same order) and maps. The JavaScript passes stay the
// reference and the fallback; the rule matcher uses this kernel because those passes ran at ~18 ns per
// character as JIT-compiled JavaScript (hash-slot tests, typed-array bounds checks, a call per character).
//
// Memory (imported) is laid out by src/detect/rules/wasm-kernel.ts, which writes the tables' offsets and sizes
// as i32 fields of a header (read by init, in the order below) and the view text as UTF-16 at `raw`.

// Per UTF-16 unit: its spacedFold (units.ts): a folded code > 0, 0 for a separator, FOLD_MARK, FOLD_OTHER,
// or UNKNOWN until the host has been asked (the facts come from Unicode property regexes, host side).
const FOLD_MARK: i32 = -1;
const FOLD_OTHER: i32 = -2;
const UNKNOWN: i32 = -3;

const FNV_OFFSET: i32 = <i32>0x811c9dc5;
const FNV_PRIME: i32 = 0x01000193;

/** read()'s answer when the text canonicalises to the codes at `scanned` (canonicalEquals true). */
const SAME: i32 = -1;
/** read()'s answer when the text has a character the JavaScript general path folds. */
const FALLBACK: i32 = -2;

@external("env", "fold")
declare function hostFold(unit: i32): i32;
// surrogateSeparator(text, at) of the view text: the units an astral separator takes, else 0.
@external("env", "surrogate")
declare function hostSurrogate(at: i32): i32;
// The hit buffer is full: the host records its `count` hits (pattern, start, end, word), then the scan goes on.
@external("env", "flush")
declare function hostFlush(count: i32): void;

let fold: usize = 0; // i32[65536]
let wordSlots: usize = 0; // i32[2 * (wordMask + 1)]: (hash, id) pairs
let wordMask: i32 = 0;
let wordStart: usize = 0; // i32[words + 2]
let wordChars: usize = 0; // u16[]
let prefixSlots: usize = 0;
let prefixMask: i32 = 0;
let prefixStart: usize = 0;
let prefixChars: usize = 0;
let maxPrefixLength: i32 = 0;
let gate: usize = 0; // i32[2048]: a bit per top-16-bit hash value of the prefix words
let wordCount: i32 = 0;
let fail: usize = 0; // i32[states]
let dict: usize = 0; // i32[states]
let firstOut: usize = 0; // i32[states]
let outStart: usize = 0; // i32[states + 1]
let outList: usize = 0; // i32[]
let patternLength: usize = 0; // i32[patterns]
let rootNext: usize = 0; // i32[symbols]
let leaf: usize = 0; // u8[states]
let edgeSlots: usize = 0; // i32[2 * (edgeMask + 1)]: (key, target) pairs, key -1 empty
let edgeMask: i32 = 0;
let edgeShift: i32 = 0;
let symbols: i32 = 0;
let raw: usize = 0; // u16[capacity]: the view text
let cur: usize = 0; // u16[capacity]: its canonical codes
let scanned: usize = 0; // u16[capacity]: the codes the host's hit table was built from
let ids: usize = 0; // i32[capacity + 1]: each word's id
let ends: usize = 0; // i32[capacity + 1]: each word's end
let prefixWord: usize = 0; // i32[capacity]: each prefix hit's word, symbol and end
let prefixSymbol: usize = 0;
let prefixEnd: usize = 0;
let hits: usize = 0; // i32[4 * hitCapacity]: (pattern, start, end, word) per hit
let hitCapacity: i32 = 0;
let from: usize = 0; // i32[capacity]: canonicalizeInto's offset and word maps (see maps)
let to: usize = 0;
let wordOfCode: usize = 0;

let wordsRead: i32 = 0;
let prefixHitsRead: i32 = 0;
let hitCount: i32 = 0;

@inline function field(header: usize, k: i32): i32 {
  return load<i32>(header + (<usize>k << 2));
}

export function init(header: usize): void {
  fold = field(header, 0);
  wordSlots = field(header, 1);
  wordMask = field(header, 2);
  wordStart = field(header, 3);
  wordChars = field(header, 4);
  prefixSlots = field(header, 5);
  prefixMask = field(header, 6);
  prefixStart = field(header, 7);
  prefixChars = field(header, 8);
  maxPrefixLength = field(header, 9);
  gate = field(header, 10);
  wordCount = field(header, 11);
  fail = field(header, 12);
  dict = field(header, 13);
  firstOut = field(header, 14);
  outStart = field(header, 15);
  outList = field(header, 16);
  patternLength = field(header, 17);
  rootNext = field(header, 18);
  leaf = field(header, 19);
  edgeSlots = field(header, 20);
  edgeMask = field(header, 21);
  edgeShift = field(header, 22);
  symbols = field(header, 23);
  raw = field(header, 24);
  cur = field(header, 25);
  scanned = field(header, 26);
  ids = field(header, 27);
  ends = field(header, 28);
  prefixWord = field(header, 29);
  prefixSymbol = field(header, 30);
  prefixEnd = field(header, 31);
  hits = field(header, 32);
  hitCapacity = field(header, 33);
  from = field(header, 34);
  to = field(header, 35);
  wordOfCode = field(header, 36);
}

@inline function i32At(base: usize, k: i32): i32 {
  return load<i32>(base + (<usize>k << 2));
}

@inline function unitAt(base: usize, k: i32): i32 {
  return <i32>load<u16>(base + (<usize>k << 1));
}

@inline function foldOf(unit: i32): i32 {
  const at = fold + (<usize>unit << 2);
  let folded = load<i32>(at);
  if (folded == UNKNOWN) {
    folded = hostFold(unit);
    store<i32>(at, folded);
  }
  return folded;
}

/**
 * canonicalEquals(text, scanned, length) for the view text at `raw`. spacedFold is stricter than the facts
 * canonicalEquals reads (FOLD_OTHER also for a fold to an ASCII separator or an unspaced character), so this
 * may answer false where canonicalEquals answers true, never the reverse: the caller then compares the codes.
 */
function equalsScanned(textLength: i32, length: i32): bool {
  let k = 0;
  // A separator was read after a code and the next scanned code is not a space: the next code cannot match.
  let pendingSpace = false;
  // The last code matched is a space, matched as soon as its separator run began rather than with the code
  // after it (canonicalEquals's pendingSpace, one code on): separators after it belong to the same run.
  let taken = false;
  let i = 0;
  while (i < textLength) {
    // Eight units at a time: later views are mostly lower-case words, digits and single spaces (the folded
    // view of the text the hit table was built from) between ASCII separator runs. See plainLanes.
    if (!pendingSpace) {
      while (i + 8 <= textLength && k + 8 <= length) {
        const units = v128.load(raw + (<usize>i << 1));
        const lanes = plainLanes(units, scanned + (<usize>k << 1), k == 0 || taken);
        const run = ctz(lanes & 0x1ff); // the lanes matched before the first unmatched one
        if (run != 0) {
          i += run;
          k += run;
          taken = unitAt(scanned, k - 1) == 32;
          if (run == 8) continue;
        }
        // ASCII separators from lane `run` on (lanes' bits 16-23): one separator run, or part of one.
        const separators = ctz(~(lanes >> (16 + run)));
        if (separators == 0) break;
        if (k != 0 && !taken) {
          if (unitAt(scanned, k) != 32) break;
          k++;
          taken = true;
        }
        i += separators;
      }
      if (i >= textLength) break;
    }
    const folded = foldOf(unitAt(raw, i++));
    if (folded == FOLD_MARK) continue;
    if (folded < 0) return false;
    if (folded == 0) {
      if (k != 0 && !taken) {
        if (k < length && unitAt(scanned, k) == 32) {
          k++;
          taken = true;
        } else pendingSpace = true;
      }
      continue;
    }
    if (pendingSpace) return false;
    if (k >= length || unitAt(scanned, k) != folded) return false;
    k++;
    taken = false;
  }
  return k == length && !taken;
}

/**
 * For eight units (lowest lane first) and the eight scanned codes at `codes`: bits 0-7 mark the lanes that
 * equalsScanned's steps would NOT match one by one, bit 8 is set (ends a full run), bits 16-23 mark the ASCII
 * separators (fold to 0). A matched lane is a unit equal to its code and a lower-case ASCII letter, a digit
 * (both fold to themselves) or a space, but no space right after a space nor after `spaceBefore` (a space
 * just matched, or nothing matched yet): a space matched in a run is matched as its separator run begins.
 */
@inline function plainLanes(units: v128, codes: usize, spaceBefore: bool): i32 {
  const letter = i16x8.lt_u(i16x8.sub(units, i16x8.splat(97)), i16x8.splat(26));
  const upper = i16x8.lt_u(i16x8.sub(units, i16x8.splat(65)), i16x8.splat(26));
  const digit = i16x8.lt_u(i16x8.sub(units, i16x8.splat(48)), i16x8.splat(10));
  const space = i16x8.eq(units, i16x8.splat(32));
  const same = i16x8.eq(units, v128.load(codes));
  const alnum = v128.or(letter, digit);
  const good = i16x8.bitmask(v128.and(same, v128.or(alnum, space)));
  const spaces = i16x8.bitmask(space);
  const ascii = i16x8.lt_u(units, i16x8.splat(128));
  const separators = i16x8.bitmask(v128.andnot(ascii, v128.or(alnum, upper)));
  const matched = good & ~(spaces & ((spaces << 1) | <i32>spaceBefore));
  return (~matched & 0xff) | 0x100 | (separators << 16);
}

/** WordTable.find over `cur`: the id of the word cur[from..from + length) with hash h, or 0. */
function find(slots: usize, mask: i32, start: usize, chars: usize, h: i32, from: i32, length: i32): i32 {
  for (let slot = h & mask; ; slot = (slot + 1) & mask) {
    const id = i32At(slots, 2 * slot + 1);
    if (id == 0) return 0;
    if (i32At(slots, 2 * slot) != h) continue;
    const at = i32At(start, id);
    if (i32At(start, id + 1) - at != length) continue;
    // Four units at a time (words are a few letters long), then the rest.
    const a = chars + (<usize>at << 1);
    const b = cur + (<usize>from << 1);
    let k = 0;
    while (k + 4 <= length && load<u64>(a + (<usize>k << 1)) == load<u64>(b + (<usize>k << 1))) k += 4;
    while (k < length && load<u16>(a + (<usize>k << 1)) == load<u16>(b + (<usize>k << 1))) k++;
    if (k == length) return id;
  }
  return 0; // not reached: the table always has an empty slot
}

@inline function wordOf(h: i32, start: i32, end: i32): i32 {
  return i32At(wordSlots, 2 * (h & wordMask) + 1) == 0
    ? 0
    : find(wordSlots, wordMask, wordStart, wordChars, h, start, end - start);
}

/** notePrefix of word-automaton.ts: records a prefix hit when cur[start..end) is a prefix word. */
@inline function notePrefix(h: i32, start: i32, end: i32, word: i32, count: i32): i32 {
  if (end - start > maxPrefixLength) return count;
  if ((i32At(gate, <i32>(<u32>h >> 21)) & (1 << ((h >>> 16) & 31))) == 0) return count;
  const q = find(prefixSlots, prefixMask, prefixStart, prefixChars, h, start, end - start);
  if (q == 0) return count;
  store<i32>(prefixWord + (<usize>count << 2), word);
  store<i32>(prefixSymbol + (<usize>count << 2), wordCount + q);
  store<i32>(prefixEnd + (<usize>count << 2), end);
  return count + 1;
}

/**
 * readText of word-automaton.ts for the view text at `raw` (textLength units), writing the codes at `cur`;
 * returns their length, or FALLBACK. With checkSame, first answers SAME when equalsScanned(scannedLength).
 */
export function read(textLength: i32, checkSame: bool, scannedLength: i32): i32 {
  if (checkSame && equalsScanned(textLength, scannedLength)) return SAME;
  let n = 0;
  let words = 0;
  let prefixHits = 0;
  let i = 0;
  for (;;) {
    let code = 0;
    while (i < textLength) {
      const unit = unitAt(raw, i++);
      const folded = foldOf(unit);
      if (folded > 0) {
        code = folded;
        break;
      }
      if (folded == FOLD_OTHER) {
        const taken = unit >= 0xd800 && unit <= 0xdfff ? hostSurrogate(i - 1) : 0;
        if (taken == 0) return FALLBACK;
        i += taken - 1;
      }
    }
    if (code == 0) break;
    if (n != 0) {
      store<u16>(cur + (<usize>n << 1), 32);
      n++;
    }
    const start = n;
    let h = FNV_OFFSET;
    for (;;) {
      store<u16>(cur + (<usize>n << 1), <u16>code);
      n++;
      h = (h ^ code) * FNV_PRIME;
      prefixHits = notePrefix(h, start, n, words, prefixHits);
      code = 0;
      while (i < textLength) {
        const folded = foldOf(unitAt(raw, i));
        if (folded != FOLD_MARK) {
          code = folded;
          break;
        }
        i++;
      }
      if (code <= 0) break;
      i++;
    }
    store<i32>(ids + (<usize>words << 2), wordOf(h, start, n));
    store<i32>(ends + (<usize>words << 2), n);
    words++;
  }
  wordsRead = words;
  prefixHitsRead = prefixHits;
  return n;
}

/** Copies the `n` codes read (at `cur`) to `scanned`, the text the next read() compares with. */
export function keepRead(n: i32): void {
  memory.copy(scanned, cur, <usize>n << 1);
}

@inline function edge(state: i32, symbol: i32): i32 {
  const key = state * symbols + symbol;
  for (let slot = <i32>(<u32>(key * <i32>0x9e3779b1) >> edgeShift); ; slot = (slot + 1) & edgeMask) {
    const k = i32At(edgeSlots, 2 * slot);
    if (k == key) return i32At(edgeSlots, 2 * slot + 1);
    if (k == -1) return -1;
  }
  return -1; // not reached: the table always has an empty slot
}

function next(state: i32, symbol: i32): i32 {
  for (let s = state; s != 0; s = i32At(fail, s)) {
    if (load<u8>(leaf + <usize>s) == 1) continue;
    const t = edge(s, symbol);
    if (t >= 0) return t;
  }
  return i32At(rootNext, symbol);
}

function report(state: i32, end: i32, word: i32): void {
  for (let k = i32At(outStart, state), last = i32At(outStart, state + 1); k < last; k++) {
    const index = i32At(outList, k);
    if (hitCount == hitCapacity) {
      hostFlush(hitCount);
      hitCount = 0;
    }
    const at = hits + (<usize>hitCount << 4);
    store<i32>(at, index);
    store<i32>(at, end - i32At(patternLength, index), 4);
    store<i32>(at, end, 8);
    store<i32>(at, word, 12);
    hitCount++;
  }
}

/**
 * scanRead of word-automaton.ts over the words the last read() read: the hits go to the buffer at `hits`
 * (flushed to the host when full); returns the number left there.
 */
export function scan(): i32 {
  hitCount = 0;
  let state = 0;
  let p = 0;
  for (let w = 0; w < wordsRead; w++) {
    for (; p < prefixHitsRead && i32At(prefixWord, p) == w; p++) {
      const symbol = i32At(prefixSymbol, p);
      for (let s = state; ; s = i32At(fail, s)) {
        const t = s == 0 ? i32At(rootNext, symbol) : load<u8>(leaf + <usize>s) == 1 ? -1 : edge(s, symbol);
        if (t > 0) report(t, i32At(prefixEnd, p), w);
        if (s == 0) break;
      }
    }
    const id = i32At(ids, w);
    state = id == 0 ? 0 : next(state, id);
    for (let s = i32At(firstOut, state); s > 0; s = i32At(dict, s)) report(s, i32At(ends, w), w);
  }
  return hitCount;
}

/**
 * canonicalizeInto of text.ts for the view text at `raw`, which read() took (answered SAME or a length for):
 * writes the codes at `cur` and the `from`, `to` and word maps; returns the codes' length. Such a text has
 * no character of an unspaced script, none with an expanding fold and no astral letter, digit or mark, so
 * only canonicalizeInto's single-unit folds, marks and separators occur.
 */
export function maps(textLength: i32): i32 {
  let n = 0;
  let words = -1;
  let pendingSpace = false;
  let i = 0;
  while (i < textLength) {
    let folded = foldOf(unitAt(raw, i));
    let next = i + 1;
    if (folded < FOLD_MARK) {
      // An astral separator or a lone surrogate (read() took the text): one character of 1 or 2 units.
      next = i + hostSurrogate(i);
      folded = 0;
    }
    if (folded == FOLD_MARK) {
      // A combining mark belongs to the previous character: extend its range, emit nothing.
      if (n != 0 && !pendingSpace) store<i32>(to + (<usize>(n - 1) << 2), next);
    } else if (folded == 0) {
      if (n != 0) pendingSpace = true;
    } else {
      if (pendingSpace || words < 0) {
        words++;
        if (pendingSpace) {
          writeMapped(n, 32, i, i, words);
          n++;
        }
        pendingSpace = false;
      }
      writeMapped(n, folded, i, next, words);
      n++;
    }
    i = next;
  }
  return n;
}

@inline function writeMapped(n: i32, code: i32, start: i32, end: i32, word: i32): void {
  store<u16>(cur + (<usize>n << 1), <u16>code);
  store<i32>(from + (<usize>n << 2), start);
  store<i32>(to + (<usize>n << 2), end);
  store<i32>(wordOfCode + (<usize>n << 2), word);
}
