// AssemblyScript source of the learned detector's scoring kernel (built by `npm run build:wasm` into
// wasm/learned-kernel.wasm; a test checks the committed binary is the build of this file).
//
// It is src/detect/learned/features.ts (prepare's character stream; extractPrepared: word block, character
// block, flush) followed by model.ts's dot product, computing exactly the same numbers: the same stream, hashes
// and buckets, the same signed Int16 counts, f32-rounded feature values as FeatureExtractor stores them, and
// the per-head sums in the same order. The JavaScript extractor stays the reference (training uses it); the
// detector uses this kernel because hashing millions of n-grams runs 2-3x faster as WebAssembly than as
// JIT-compiled JavaScript, and SIMD lanes (v128) hash, map and sum several units or heads at once.
//
// The character stream is built by learned-prepare.ts (exported from here), the character n-gram hashes by
// learned-grams.ts, the per-head sums by learned-dot.ts.
//
// Memory (imported, laid out by src/detect/learned/kernel.ts; offsets in bytes are passed to init()).

import { dot10, dotPacked, dotRows, placeSums } from './learned-dot';
import { FNV_OFFSET, FNV_PRIME, fmix, hashGrams } from './learned-grams';
import { placeStream } from './learned-prepare';

export { hasUnlisted, prepare } from './learned-prepare';

let wordTable: usize = 0; // u8[65536]: 1 = word character, 2 = not (filled by the host before each call)
let logTf: usize = 0; // f64 for counts c = -255..255 (at logTf + 8c): the value copysign(1 + ln|c|, c)
let codes: usize = 0; // u16[]: the prepared character stream
let acc: usize = 0; // i16[2^bits]
let touched: usize = 0; // i32[maxTouched]
let values: usize = 0; // f32[maxTouched]: feature values of the block being flushed
let rows: usize = 0; // u8[maxTouched * 8]: the packed table's rows of the block's buckets, in touched order
let mixed: usize = 0; // i32[]: the block's features as mixed hashes, in the order they are counted
let weights: usize = 0; // i8[2^bits * heads]
let out: usize = 0; // f64[max(heads, 8)]: raw per-head sums (or per-lane sums of a packed table)
// The table the current text is scored with: `weights` (rowWidth 0) or a packed table of the heads one side
// needs, rows of rowWidth = 2, 4 or 8 bytes (see wordBlock and dotPacked).
let table: usize = 0;
let rowWidth: i32 = 0;
let emit: usize = 0; // u8[9]: emit[o] = 1 when character o-grams are features

let shift: i32 = 0;
let mask: i32 = 0;
let heads: i32 = 0;
let maxTouched: i32 = 0;
let minOrder: i32 = 0;
let maxOrder: i32 = 0;
let touchedCount: i32 = 0;
let pending: i32 = 0; // entries in `mixed` not counted yet

const COUNT_LIMIT: i32 = 32767;
const LOG_TF_SIZE: i32 = 256;

const SEED_WORD: i32 = 0x2f1b3c4d;
const SEED_BIGRAM: i32 = 0x5a17e3b9;
const SEED_LEAD1: i32 = 0x1c8e4f27;
const SEED_LEAD2: i32 = 0x6b43a1d3;
const SEED_LEN: i32 = 0x3d2c9b81;
const SEED_PAIR: i32 = 0x4b1d7a3f;

// ln(c) for counts beyond the table (a text repeating one n-gram hundreds of times): from the host's Math.log.
@external("env", "log")
declare function hostLog(x: f64): f64;

export function init(
  wordTableAt: usize,
  caseTableAt: usize,
  logTfAt: usize,
  rawAt: usize,
  codesAt: usize,
  accAt: usize,
  touchedAt: usize,
  valuesAt: usize,
  mixedAt: usize,
  rowsAt: usize,
  touchedCapacity: i32,
  weightsAt: usize,
  outAt: usize,
  emitAt: usize,
  compactionAt: usize,
  bits: i32,
  headCount: i32,
  lowestOrder: i32,
  highestOrder: i32,
): void {
  wordTable = wordTableAt;
  logTf = logTfAt;
  codes = codesAt;
  placeStream(rawAt, codesAt, wordTableAt, caseTableAt, compactionAt);
  placeSums(touchedAt, valuesAt, outAt);
  acc = accAt;
  touched = touchedAt;
  values = valuesAt;
  mixed = mixedAt;
  rows = rowsAt;
  maxTouched = touchedCapacity;
  weights = weightsAt;
  out = outAt;
  emit = emitAt;
  shift = 32 - bits;
  mask = (1 << bits) - 1;
  heads = headCount;
  minOrder = lowestOrder;
  maxOrder = highestOrder;
}

// Hot loops read the buffers' addresses through locals (`stream` = codes, `kinds` = wordTable): the engine
// reloads a global on every use.
@inline function code(stream: usize, i: i32): i32 {
  return <i32>load<u16>(stream + (<usize>i << 1));
}

@inline function isWord(kinds: usize, c: i32): bool {
  return load<u8>(kinds + <usize>c) == 1;
}

/** The ASCII sentence ends as bits of a 64-bit mask: \n ! . : ; ? (10, 33, 46, 58, 59, 63). */
const ASCII_SENTENCE_ENDS: u64 = (1 << 10) | (1 << 33) | (1 << 46) | (1 << 58) | (1 << 59) | (1 << 63);

@inline function isSentenceEnd(c: i32): bool {
  // One shift and test for ASCII (most separators) instead of nine comparisons.
  if (c < 64) return ((ASCII_SENTENCE_ENDS >> <u64>c) & 1) != 0;
  return c == 0x3002 || c == 0xff1f || c == 0xff01;
}

/**
 * FeatureExtractor.add(), in two steps: the hash is mixed (murmur3 fmix32) and queued here, and countPending()
 * counts the queue, so the counting runs in a tight loop of its own.
 */
@inline function add(hash: i32): void {
  store<i32>(mixed + (<usize>pending << 2), fmix(hash));
  pending++;
}

/** add() with the queue's address and length in locals: queues the mixed hash, returns the new length. */
@inline function enqueue(queue: usize, queued: i32, hash: i32): i32 {
  store<i32>(queue + (<usize>queued << 2), fmix(hash));
  return queued + 1;
}

/** The count update of add() for a mixed hash: bucket from the high bits, sign from bit 0, saturating count. */
@inline function countMixed(x: i32): void {
  const bucket = <i32>(<u32>x >> shift) & mask;
  const at = acc + (<usize>bucket << 1);
  const c = <i32>load<i16>(at);
  if (c == 0) {
    if (touchedCount >= maxTouched) return;
    store<i32>(touched + (<usize>touchedCount << 2), bucket);
    touchedCount++;
  } else if (c == COUNT_LIMIT || c == -COUNT_LIMIT) return;
  store<i16>(at, <i16>(x & 1 ? c - 1 : c + 1));
}

/**
 * countMixed() for the queued entries, emptying the queue. When there are fewer than the touched list has
 * room for and than the count limit (always, for the capped texts of the shipped options), neither of its
 * limits can be reached, so the loop runs without them and without branches: the bucket is written to the
 * list's next slot every time and the slot is kept only when the bucket was empty.
 */
function countPending(): void {
  const count = pending;
  pending = 0;
  if (count > maxTouched - touchedCount || count >= COUNT_LIMIT) {
    for (let i = 0; i < count; i++) countMixed(load<i32>(mixed + (<usize>i << 2)));
    return;
  }
  // Locals for the globals the loop reads (the engine reloads a global on every use).
  const from = mixed;
  const counts = acc;
  const list = touched;
  const by = shift;
  let listed = touchedCount;
  for (let i = 0; i < count; i++) {
    const x = load<i32>(from + (<usize>i << 2));
    // shift = 32 - bits leaves exactly `bits` bits: the bucket without countMixed's mask.
    const bucket = <i32>(<u32>x >> by);
    const at = counts + (<usize>bucket << 1);
    const c = <i32>load<i16>(at);
    store<i32>(list + (<usize>listed << 2), bucket);
    listed += <i32>(c == 0);
    store<i16>(at, <i16>(c + 1 - ((x & 1) << 1)));
  }
  touchedCount = listed;
}

/**
 * FeatureExtractor.flush() fused with the dot product: each touched bucket's value (sub-linear tf, signed,
 * rounded to f32 as the extractor's Float32Array stores it) is scaled by the block's inverse L2 norm (rounded
 * to f32 again, as the extractor does in place) and added into the per-head sums in touched order.
 */
function flushInto(): void {
  if (rowWidth == 8) flushPacked(8);
  else if (rowWidth == 4) flushPacked(4);
  else if (rowWidth == 2) flushPacked(2);
  else {
    // First pass exactly as flush(): read and clear each bucket once (a bucket whose count cancelled back to
    // zero can be listed twice; its second listing then reads 0 and is skipped), keep the f32 value.
    let norm: f64 = 0;
    for (let i = 0; i < touchedCount; i++) {
      const slot = touched + (<usize>i << 2);
      const b = load<i32>(slot);
      const at = acc + (<usize>b << 1);
      const c = <i32>load<i16>(at);
      store<i16>(at, 0);
      norm += countValue(c, slot, values + (<usize>i << 2));
    }
    const inv: f64 = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    if (heads == 10) dot10(touchedCount, inv, norm > 0, weights);
    else dotRows(touchedCount, inv, norm > 0, weights, heads);
  }
  touchedCount = 0;
}

/**
 * The value of a bucket's count c, stored as f32 at `value`; returns its square for the norm. A count of 0 (a
 * bucket listed a second time after cancelling back to zero) marks its touched slot -1 instead (skipped).
 */
@inline function countValue(c: i32, slot: usize, value: usize): f64 {
  if (c == 0) {
    store<i32>(slot, -1);
    return 0;
  }
  // Signed counts index the table directly (no branch on the sign: signs are random, such a branch
  // mispredicts every other bucket); beyond it, the host's ln with the count's sign copied on.
  let v: f64;
  if (<u32>(c + LOG_TF_SIZE - 1) < <u32>(2 * LOG_TF_SIZE - 1)) v = load<f64>(logTf + (<usize>c << 3));
  else v = copysign<f64>(1 + hostLog(<f64>(c > 0 ? c : -c)), <f64>c);
  store<f32>(value, <f32>v);
  return v * v;
}

/**
 * flushInto() with a packed table of `width` bytes a row (a constant once inlined). The random reads come
 * first, in a loop of their own: each listed bucket's count (cleared as it is read, in touched order, so a
 * second listing reads 0 as in flushInto) and its table row are copied into sequential buffers (the count
 * into the bucket's `values` slot, which the value then replaces). That loop is a few instructions an entry,
 * so many more of those reads (cache misses once the rest of the engine has evicted the tables) are in flight
 * at once than when each waits among the arithmetic; the value and dot product loops then read memory in
 * order. Same values, same sums in the same order.
 */
@inline function flushPacked(width: i32): void {
  const count = touchedCount;
  const rowShift: usize = width == 8 ? 3 : width == 4 ? 2 : 1;
  const list = touched;
  const counts = acc;
  const from = table;
  const to = rows;
  const slots = values;
  for (let i = 0; i < count; i++) {
    const b = load<i32>(list + (<usize>i << 2));
    const row = from + (<usize>b << rowShift);
    const copy = to + (<usize>i << rowShift);
    if (width == 8) store<u64>(copy, load<u64>(row));
    else if (width == 4) store<u32>(copy, load<u32>(row));
    else store<u16>(copy, load<u16>(row));
    const at = counts + (<usize>b << 1);
    store<i16>(slots + (<usize>i << 2), load<i16>(at));
    store<i16>(at, 0);
  }
  let norm: f64 = 0;
  for (let i = 0; i < count; i++) {
    const slot = slots + (<usize>i << 2);
    norm += countValue(<i32>load<i16>(slot), list + (<usize>i << 2), slot);
  }
  const inv: f64 = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  dotPacked(count, inv, norm > 0, to, width);
}

/**
 * The word block of the prepared stream of length n into the accumulator; returns the number of words (the
 * host adds the length-bucket feature, which needs Math.log2, then calls finishWords). The sums are taken with
 * the weights at tableAt: the full table (width 0, every head) or a packed one of `width` bytes a row.
 */
export function wordBlock(n: i32, pairs: i32, tableAt: usize, width: i32): i32 {
  table = tableAt;
  rowWidth = width;
  const lanes = width > heads ? width : heads;
  for (let j = 0; j < lanes; j++) store<f64>(out + (<usize>j << 3), 0);
  touchedCount = 0;
  // The queue (add()'s `mixed` and `pending`) in locals while the loop runs.
  const queue = mixed;
  let queued: i32 = 0;
  let prevWord: i32 = 0;
  let haveWord = false;
  let lead: i32 = 0;
  let prevLead: i32 = 0;
  let words: i32 = 0;
  let i: i32 = 0;
  const stream = codes;
  const kinds = wordTable;
  while (i < n) {
    const c = code(stream, i);
    if (!isWord(kinds, c)) {
      if (isSentenceEnd(c)) lead = 0;
      i++;
      continue;
    }
    let h: i32 = FNV_OFFSET ^ SEED_WORD;
    const begin = i;
    while (i < n) {
      const w = code(stream, i);
      if (!isWord(kinds, w)) break;
      h = (h ^ w) * FNV_PRIME;
      i++;
    }
    if (i - begin > 40) continue;
    words++;
    queued = enqueue(queue, queued, h);
    if (haveWord) queued = enqueue(queue, queued, (prevWord * <i32>0x9e3779b1) ^ h ^ SEED_BIGRAM);
    if (lead == 0) queued = enqueue(queue, queued, h ^ SEED_LEAD1);
    else {
      if (lead == 1) queued = enqueue(queue, queued, (prevLead * <i32>0x9e3779b1) ^ h ^ SEED_LEAD2);
      if (lead <= pairs) queued = enqueue(queue, queued, (prevLead * 0x2545f491) ^ h ^ SEED_PAIR);
    }
    prevLead = lead == 0 ? h : prevLead;
    lead++;
    prevWord = h;
    haveWord = true;
  }
  pending = queued;
  return words;
}

/** Adds the length-bucket feature, closes the word block and scores the character block. */
export function finishWords(lengthBucket: i32, n: i32): void {
  add(SEED_LEN ^ lengthBucket);
  countPending();
  flushInto();
  pending = hashGrams(n, codes, emit, mixed, minOrder, maxOrder);
  countPending();
  flushInto();
}
