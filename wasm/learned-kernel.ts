// AssemblyScript source of the learned detector's scoring kernel (built by `npm run build:wasm` into
// wasm/learned-kernel.wasm; a test checks the committed binary is the build of this file).
//
// It is src/detect/learned/features.ts (extractPrepared: word block, character block, flush) followed by
// model.ts's dot product, computing exactly the same numbers: the same hashes and buckets, the same signed
// Int16 counts, f32-rounded feature values as FeatureExtractor stores them, and the per-head sums in the same
// order. The JavaScript extractor stays the reference (training uses it); the detector uses this kernel
// because hashing millions of n-grams runs 2-3x faster as WebAssembly than as JIT-compiled JavaScript.
//
// Memory (imported, laid out by src/detect/learned/kernel.ts; offsets in bytes are passed to init()).

let wordTable: usize = 0; // u8[65536]: 1 = word character, 2 = not (filled by the host before each call)
let logTf: usize = 0; // f64[256]: 1 + ln(c)
let codes: usize = 0; // u16[]: the prepared character stream
let acc: usize = 0; // i16[2^bits]
let touched: usize = 0; // i32[maxTouched]
let values: usize = 0; // f32[maxTouched]: feature values of the block being flushed
let weights: usize = 0; // i8[2^bits * heads]
let out: usize = 0; // f64[heads]: raw per-head sums
let emit: usize = 0; // u8[9]: emit[o] = 1 when character o-grams are features

let shift: i32 = 0;
let mask: i32 = 0;
let heads: i32 = 0;
let maxTouched: i32 = 0;
let minOrder: i32 = 0;
let maxOrder: i32 = 0;
let touchedCount: i32 = 0;

const COUNT_LIMIT: i32 = 32767;
const LOG_TF_SIZE: i32 = 256;

const SEED_WORD: i32 = 0x2f1b3c4d;
const SEED_BIGRAM: i32 = 0x5a17e3b9;
const SEED_LEAD1: i32 = 0x1c8e4f27;
const SEED_LEAD2: i32 = 0x6b43a1d3;
const SEED_CHAR: i32 = 0x7e95c0a1;
const SEED_LEN: i32 = 0x3d2c9b81;
const SEED_PAIR: i32 = 0x4b1d7a3f;
const FNV_OFFSET: i32 = <i32>0x811c9dc5;
const FNV_PRIME: i32 = 16777619;

// ln(c) for counts beyond the table (a text repeating one n-gram hundreds of times): from the host's Math.log.
@external("env", "log")
declare function hostLog(x: f64): f64;

export function init(
  wordTableAt: usize,
  logTfAt: usize,
  codesAt: usize,
  accAt: usize,
  touchedAt: usize,
  valuesAt: usize,
  touchedCapacity: i32,
  weightsAt: usize,
  outAt: usize,
  emitAt: usize,
  bits: i32,
  headCount: i32,
  lowestOrder: i32,
  highestOrder: i32,
): void {
  wordTable = wordTableAt;
  logTf = logTfAt;
  codes = codesAt;
  acc = accAt;
  touched = touchedAt;
  values = valuesAt;
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

@inline function code(i: i32): i32 {
  return <i32>load<u16>(codes + (<usize>i << 1));
}

@inline function isWord(c: i32): bool {
  return load<u8>(wordTable + <usize>c) == 1;
}

@inline function isSentenceEnd(c: i32): bool {
  return c == 10 || c == 46 || c == 33 || c == 63 || c == 58 || c == 59 || c == 0x3002 || c == 0xff1f || c == 0xff01;
}

/** FeatureExtractor.add(): murmur3 fmix32, bucket from the high bits, sign from bit 0, saturating count. */
@inline function add(hash: i32): void {
  let x = hash;
  x ^= <i32>(<u32>x >> 16);
  x = x * <i32>0x85ebca6b;
  x ^= <i32>(<u32>x >> 13);
  x = x * <i32>0xc2b2ae35;
  x ^= <i32>(<u32>x >> 16);
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
 * FeatureExtractor.flush() fused with the dot product: each touched bucket's value (sub-linear tf, signed,
 * rounded to f32 as the extractor's Float32Array stores it) is scaled by the block's inverse L2 norm (rounded
 * to f32 again, as the extractor does in place) and added into the per-head sums in touched order.
 */
function flushInto(): void {
  // First pass exactly as flush(): read and clear each bucket once (a bucket whose count cancelled back to
  // zero can be listed twice; its second listing then reads 0 and is skipped), keep the f32 value.
  let norm: f64 = 0;
  for (let i = 0; i < touchedCount; i++) {
    const slot = touched + (<usize>i << 2);
    const b = load<i32>(slot);
    const at = acc + (<usize>b << 1);
    const c = <i32>load<i16>(at);
    store<i16>(at, 0);
    if (c == 0) {
      store<i32>(slot, -1);
      continue;
    }
    const m = c > 0 ? c : -c;
    const t: f64 = m < LOG_TF_SIZE ? load<f64>(logTf + (<usize>m << 3)) : 1 + hostLog(<f64>m);
    const v: f64 = c > 0 ? t : -t;
    store<f32>(values + (<usize>i << 2), <f32>v);
    norm += v * v;
  }
  const inv: f64 = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  if (heads == 10) dot10(inv, norm > 0);
  else {
    for (let i = 0; i < touchedCount; i++) {
      const b = load<i32>(touched + (<usize>i << 2));
      if (b < 0) continue;
      const stored = load<f32>(values + (<usize>i << 2));
      const value: f64 = norm > 0 ? <f64>(<f32>(<f64>stored * inv)) : <f64>stored;
      const row = weights + <usize>b * <usize>heads;
      for (let j = 0; j < heads; j++) {
        const o = out + (<usize>j << 3);
        store<f64>(o, load<f64>(o) + <f64>load<i8>(row + <usize>j) * value);
      }
    }
  }
  touchedCount = 0;
}

/** The shipped head count: the ten sums in locals (same additions in the same order as the general loop). */
function dot10(inv: f64, scale: bool): void {
  let a0 = load<f64>(out);
  let a1 = load<f64>(out + 8);
  let a2 = load<f64>(out + 16);
  let a3 = load<f64>(out + 24);
  let a4 = load<f64>(out + 32);
  let a5 = load<f64>(out + 40);
  let a6 = load<f64>(out + 48);
  let a7 = load<f64>(out + 56);
  let a8 = load<f64>(out + 64);
  let a9 = load<f64>(out + 72);
  for (let i = 0; i < touchedCount; i++) {
    const b = load<i32>(touched + (<usize>i << 2));
    if (b < 0) continue;
    const stored = load<f32>(values + (<usize>i << 2));
    const v: f64 = scale ? <f64>(<f32>(<f64>stored * inv)) : <f64>stored;
    const row = weights + <usize>b * 10;
    a0 += <f64>load<i8>(row) * v;
    a1 += <f64>load<i8>(row, 1) * v;
    a2 += <f64>load<i8>(row, 2) * v;
    a3 += <f64>load<i8>(row, 3) * v;
    a4 += <f64>load<i8>(row, 4) * v;
    a5 += <f64>load<i8>(row, 5) * v;
    a6 += <f64>load<i8>(row, 6) * v;
    a7 += <f64>load<i8>(row, 7) * v;
    a8 += <f64>load<i8>(row, 8) * v;
    a9 += <f64>load<i8>(row, 9) * v;
  }
  store<f64>(out, a0);
  store<f64>(out + 8, a1);
  store<f64>(out + 16, a2);
  store<f64>(out + 24, a3);
  store<f64>(out + 32, a4);
  store<f64>(out + 40, a5);
  store<f64>(out + 48, a6);
  store<f64>(out + 56, a7);
  store<f64>(out + 64, a8);
  store<f64>(out + 72, a9);
}

/**
 * The word block of the prepared stream of length n into the accumulator; returns the number of words (the
 * host adds the length-bucket feature, which needs Math.log2, then calls finishWords).
 */
export function wordBlock(n: i32, pairs: i32): i32 {
  for (let j = 0; j < heads; j++) store<f64>(out + (<usize>j << 3), 0);
  touchedCount = 0;
  let prevWord: i32 = 0;
  let haveWord = false;
  let lead: i32 = 0;
  let prevLead: i32 = 0;
  let words: i32 = 0;
  let i: i32 = 0;
  while (i < n) {
    const c = code(i);
    if (!isWord(c)) {
      if (isSentenceEnd(c)) lead = 0;
      i++;
      continue;
    }
    let h: i32 = FNV_OFFSET ^ SEED_WORD;
    const begin = i;
    while (i < n && isWord(code(i))) {
      h = (h ^ code(i)) * FNV_PRIME;
      i++;
    }
    if (i - begin > 40) continue;
    words++;
    add(h);
    if (haveWord) add((prevWord * <i32>0x9e3779b1) ^ h ^ SEED_BIGRAM);
    if (lead == 0) add(h ^ SEED_LEAD1);
    else {
      if (lead == 1) add((prevLead * <i32>0x9e3779b1) ^ h ^ SEED_LEAD2);
      if (lead <= pairs) add((prevLead * 0x2545f491) ^ h ^ SEED_PAIR);
    }
    prevLead = lead == 0 ? h : prevLead;
    lead++;
    prevWord = h;
    haveWord = true;
  }
  return words;
}

/** Adds the length-bucket feature, closes the word block and scores the character block. */
export function finishWords(lengthBucket: i32, n: i32): void {
  add(SEED_LEN ^ lengthBucket);
  flushInto();
  const seed: i32 = FNV_OFFSET ^ SEED_CHAR;
  const start: i32 = seed * FNV_PRIME;
  for (let p: i32 = 0; p + minOrder <= n; p++) {
    let h: i32 = start;
    const end = maxOrder < n - p ? maxOrder : n - p;
    for (let o: i32 = 1; o <= end; o++) {
      h = (h ^ code(p + o - 1)) * FNV_PRIME;
      if (o >= minOrder && load<u8>(emit + <usize>o) == 1) add(h ^ o);
    }
  }
  flushInto();
}
