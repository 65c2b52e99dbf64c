// AssemblyScript: the learned kernel's dot products, part of wasm/learned-kernel.ts's build (its flushInto()
// calls them once a block's values are known). Each adds, in touched order, every listed bucket's value
// (rounded to f32 after scaling by `inv` when `scale`, as the extractor does) times the bucket's weights into
// per-head f64 sums; buckets listed as -1 are skipped. Memory is laid out by src/detect/learned/kernel.ts.

let touched: usize = 0; // i32[]: the block's buckets in touched order, -1 where skipped
let values: usize = 0; // f32[]: their values, unscaled
let out: usize = 0; // f64[max(heads, 8)]: the sums, added to

/** Where the kernel's init() placed the buffers this file reads and writes. */
export function placeSums(touchedAt: usize, valuesAt: usize, outAt: usize): void {
  touched = touchedAt;
  values = valuesAt;
  out = outAt;
}

/**
 * The per-head sums of a flushed block for any head count: each touched bucket's value times its row of
 * `heads` int8 weights at `weights`, added head by head in touched order.
 */
export function dotRows(count: i32, inv: f64, scale: bool, weights: usize, heads: i32): void {
  for (let i = 0; i < count; i++) {
    const b = load<i32>(touched + (<usize>i << 2));
    if (b < 0) continue;
    const stored = load<f32>(values + (<usize>i << 2));
    const value: f64 = scale ? <f64>(<f32>(<f64>stored * inv)) : <f64>stored;
    const row = weights + <usize>b * <usize>heads;
    for (let j = 0; j < heads; j++) {
      const o = out + (<usize>j << 3);
      store<f64>(o, load<f64>(o) + <f64>load<i8>(row + <usize>j) * value);
    }
  }
}

/**
 * The shipped head count: the ten sums in five f64x2 locals, each lane adding the same products in the same
 * order as dotRows() (two-lane multiplies and adds round exactly as scalar ones). A row's ten int8
 * weights come in one 16-byte load (the host leaves slack after the table) and are widened to f64 in lanes.
 */
export function dot10(count: i32, inv: f64, scale: bool, weights: usize): void {
  let a01 = v128.load(out);
  let a23 = v128.load(out, 16);
  let a45 = v128.load(out, 32);
  let a67 = v128.load(out, 48);
  let a89 = v128.load(out, 64);
  for (let i = 0; i < count; i++) {
    const b = load<i32>(touched + (<usize>i << 2));
    if (b < 0) continue;
    const stored = load<f32>(values + (<usize>i << 2));
    const v = f64x2.splat(scale ? <f64>(<f32>(<f64>stored * inv)) : <f64>stored);
    const row = v128.load(weights + <usize>b * 10);
    const low = i16x8.extend_low_i8x16_s(row);
    const w0123 = i32x4.extend_low_i16x8_s(low);
    const w4567 = i32x4.extend_high_i16x8_s(low);
    const w89 = i32x4.extend_low_i16x8_s(i16x8.extend_high_i8x16_s(row));
    a01 = f64x2.add(a01, f64x2.mul(f64x2.convert_low_i32x4_s(w0123), v));
    a23 = f64x2.add(a23, f64x2.mul(f64x2.convert_low_i32x4_s(i64x2.shuffle(w0123, w0123, 1, 0)), v));
    a45 = f64x2.add(a45, f64x2.mul(f64x2.convert_low_i32x4_s(w4567), v));
    a67 = f64x2.add(a67, f64x2.mul(f64x2.convert_low_i32x4_s(i64x2.shuffle(w4567, w4567, 1, 0)), v));
    a89 = f64x2.add(a89, f64x2.mul(f64x2.convert_low_i32x4_s(w89), v));
  }
  v128.store(out, a01);
  v128.store(out, a23, 16);
  v128.store(out, a45, 32);
  v128.store(out, a67, 48);
  v128.store(out, a89, 64);
}

/**
 * dot10() over a packed table (width = 2, 4 or 8 bytes a row, a constant once inlined): the heads one side
 * needs, each lane adding the same products in the same order as the full table's head would, so the same
 * bits. The table is 1/5 to 4/5 of the full one, so a text touches fewer cache lines (the random reads of the
 * weights are most of the dot product's cost). Entry i's row is read from `rows` + i * width: the kernel has
 * gathered the listed buckets' rows there in touched order (see flushPacked), so this loop reads in order.
 */
@inline
export function dotPacked(count: i32, inv: f64, scale: bool, rows: usize, width: i32): void {
  let a01 = v128.load(out);
  let a23 = v128.load(out, 16);
  let a45 = v128.load(out, 32);
  let a67 = v128.load(out, 48);
  const list = touched;
  const stored = values;
  for (let i = 0; i < count; i++) {
    if (load<i32>(list + (<usize>i << 2)) < 0) continue;
    const value = load<f32>(stored + (<usize>i << 2));
    const v = f64x2.splat(scale ? <f64>(<f32>(<f64>value * inv)) : <f64>value);
    const at = rows + (<usize>i << <usize>(width == 8 ? 3 : width == 4 ? 2 : 1));
    const row = width == 8 ? v128.load64_zero(at) : width == 4 ? v128.load32_zero(at) : v128.load16_splat(at);
    const low = i16x8.extend_low_i8x16_s(row);
    const w0123 = i32x4.extend_low_i16x8_s(low);
    a01 = f64x2.add(a01, f64x2.mul(f64x2.convert_low_i32x4_s(w0123), v));
    if (width >= 4)
      a23 = f64x2.add(a23, f64x2.mul(f64x2.convert_low_i32x4_s(i64x2.shuffle(w0123, w0123, 1, 0)), v));
    if (width == 8) {
      const w4567 = i32x4.extend_high_i16x8_s(low);
      a45 = f64x2.add(a45, f64x2.mul(f64x2.convert_low_i32x4_s(w4567), v));
      a67 = f64x2.add(a67, f64x2.mul(f64x2.convert_low_i32x4_s(i64x2.shuffle(w4567, w4567, 1, 0)), v));
    }
  }
  v128.store(out, a01);
  v128.store(out, a23, 16);
  v128.store(out, a45, 32);
  v128.store(out, a67, 48);
}
