import { join } from 'node:path';
import {
  packagedWasmModule,
  type WasmApi,
  type WasmModule,
  WasmLayout,
  wasmApi,
} from '../../core/wasm-module.js';
import {
  capText,
  type FeatureOptions,
  isWordCode,
  LEGACY_CHAR_ORDERS,
  MAX_CHAR_ORDER,
  MAX_TOUCHED,
  MIN_CHAR_ORDER,
} from './features.js';

/**
 * Host side of the WebAssembly scoring kernel (wasm/learned-kernel.ts): the same features and per-head sums as
 * FeatureExtractor.extractPrepared() followed by LearnedModel's dot product, computed in one call. The
 * JavaScript path remains the reference and the fallback (no WebAssembly, or the binary missing).
 */

/** prepare()'s answer when the text has a unit the case table does not know yet. */
const UNKNOWN_CASE = -2;

/** The kernel binary shipped with the package. */
export const KERNEL_FILE = join('wasm', 'learned-kernel.wasm');

interface KernelExports {
  init(
    wordTable: number,
    caseTable: number,
    logTf: number,
    raw: number,
    codes: number,
    acc: number,
    touched: number,
    values: number,
    mixed: number,
    rows: number,
    touchedCapacity: number,
    weights: number,
    out: number,
    emit: number,
    compaction: number,
    bits: number,
    heads: number,
    minOrder: number,
    maxOrder: number,
  ): void;
  prepare(length: number, limit: number, checkCase: boolean): number;
  hasUnlisted(): boolean;
  wordBlock(n: number, pairs: number, table: number, width: number): number;
  finishWords(lengthBucket: number, n: number): void;
}

/** Bytes left free at the bottom of memory (the compiler's own statics, if it ever emits any). */
const BASE = 1024;

/** A packed weight table: the rows of a subset of the heads, `width` bytes a row (see packedWidth). */
interface PackedTable {
  readonly at: number;
  readonly width: number;
}

/**
 * Row width of a packed table for a number of heads: 2, 4 or 8 bytes (one aligned load, never across a cache
 * line), or 0 when the heads are too many to pack (the full table is used).
 */
function packedWidth(heads: number): number {
  if (heads <= 2) return 2;
  if (heads <= 4) return 4;
  return heads <= 8 ? 8 : 0;
}

/** One kernel instance with its own memory, holding one model's weights. Not re-entrant. */
export class LearnedKernel {
  private readonly exports: KernelExports;
  private readonly options: FeatureOptions;
  private readonly wordTable: Uint8Array;
  private readonly caseTable: Uint8Array;
  /** The kernel's memory as a Buffer, to write texts into it natively (Buffer.write). */
  private readonly memoryBytes: Buffer;
  private readonly rawAt: number;
  private readonly rawBytes: number;
  private readonly codes: Uint16Array;
  private readonly sumsView: Float64Array;
  private readonly pairs: number;
  private readonly weightsAt: number;
  private readonly packed: (PackedTable | null)[];

  /**
   * headSets: subsets of the heads that callers score together (a side's heads); each that fits a packed table
   * gets one, rows holding those heads' weights in the set's order, so scoring it reads less memory.
   */
  constructor(
    api: WasmApi,
    module: WasmModule,
    weights: Int8Array,
    heads: number,
    options: FeatureOptions,
    headSets: readonly (readonly number[])[] = [],
  ) {
    const buckets = 1 << options.bits;
    const codeUnits = options.head + options.tail + 2;
    // The text to prepare: capText() yields at most head + tail + 1 units and toLowerCase() at most doubles a
    // length (U+0130 is the one unit that grows, to two; a test checks every code point).
    const rawUnits = 2 * codeUnits;
    const layout = new WasmLayout(BASE);
    const take = (bytes: number, align = 8) => layout.take(bytes, align);
    const wordTableAt = take(65_536);
    const caseTableAt = take(65_536);
    const logTfAt = take(511 * 8);
    const emitAt = take(16);
    // prepare()'s swizzles packing the kept lanes of a block (16 bytes for each of the 256 masks).
    const compactionAt = take(256 * 16, 16);
    const rawAt = take(rawUnits * 2);
    // Eight lanes at least: a packed table's sums use up to eight.
    const outAt = take(Math.max(heads, 8) * 8);
    const codesAt = take(codeUnits * 2);
    const accAt = take(buckets * 2);
    const touchedAt = take(MAX_TOUCHED * 4);
    const valuesAt = take(MAX_TOUCHED * 4);
    // A block's features as mixed hashes: at most one per emitted order and position (character block) or
    // four per word, a word being followed by a separator (word block).
    // The kernel gathers a flushed block's table rows here too (eight bytes a row at most, after the block's
    // hashes were counted): the lines the hashes were just written to are in cache.
    const mixedAt = take(
      Math.max(codeUnits * Math.max(4, MAX_CHAR_ORDER - MIN_CHAR_ORDER + 1) * 4, MAX_TOUCHED * 8),
      16,
    );
    // 16 bytes of slack after the table: the kernel reads a row of ten weights with one 16-byte load.
    const weightsAt = take(buckets * heads + 16);
    const packedAt = headSets.map((set) => {
      const width = packedWidth(set.length);
      return width && set.length ? { at: take(buckets * width, 64), width } : null;
    });
    const { exports, buffer, bytes } = layout.instantiate<KernelExports>(api, module, { log: Math.log });
    this.exports = exports;
    this.options = options;
    this.memoryBytes = bytes;
    this.rawAt = rawAt;
    this.rawBytes = rawUnits * 2;
    this.wordTable = new Uint8Array(buffer, wordTableAt, 65_536);
    for (let c = 0; c < 128; c++) this.wordTable[c] = isWordCode(c) ? 1 : 2;
    this.caseTable = new Uint8Array(buffer, caseTableAt, 65_536);
    // A count's value (sub-linear tf with the count's sign) for counts -255..255, count 0 in the middle.
    const logTf = new Float64Array(buffer, logTfAt, 511);
    for (let c = 1; c < 256; c++) {
      logTf[255 + c] = 1 + Math.log(c);
      logTf[255 - c] = -(1 + Math.log(c));
    }
    const orders = options.charOrders ?? LEGACY_CHAR_ORDERS;
    const emit = new Uint8Array(buffer, emitAt, 16);
    for (const o of orders)
      if (Number.isInteger(o) && o >= MIN_CHAR_ORDER && o <= MAX_CHAR_ORDER) emit[o] = 1;
    const minOrder = orders.length ? Math.max(MIN_CHAR_ORDER, Math.min(...orders)) : MAX_CHAR_ORDER + 1;
    const maxOrder = orders.length ? Math.min(MAX_CHAR_ORDER, Math.max(...orders)) : 0;
    new Int8Array(buffer, weightsAt, buckets * heads).set(weights.subarray(0, buckets * heads));
    headSets.forEach((set, s) => {
      const table = packedAt[s];
      if (!table) return;
      const rows = new Int8Array(buffer, table.at, buckets * table.width);
      for (let b = 0; b < buckets; b++)
        for (let j = 0; j < set.length; j++) rows[b * table.width + j] = weights[b * heads + set[j]!]!;
    });
    this.weightsAt = weightsAt;
    this.packed = packedAt;
    this.codes = new Uint16Array(buffer, codesAt, codeUnits);
    this.sumsView = new Float64Array(buffer, outAt, Math.max(heads, 8));
    this.pairs = options.pairs ?? 0;
    this.exports.init(
      wordTableAt,
      caseTableAt,
      logTfAt + 255 * 8,
      rawAt,
      codesAt,
      accAt,
      touchedAt,
      valuesAt,
      mixedAt,
      mixedAt,
      MAX_TOUCHED,
      weightsAt,
      outAt,
      emitAt,
      compactionAt,
      options.bits,
      heads,
      minOrder,
      maxOrder,
    );
  }

  /**
   * FeatureExtractor.prepare() of text into the kernel's memory, where sums() reads it: the text is written
   * there natively and prepared by the kernel. Returns the stream's length; preparedCodes() shows it.
   */
  prepare(text: string): number {
    const cut = capText(text, this.options);
    const limit = this.codes.length - 1;
    this.memoryBytes.write(cut, this.rawAt, this.rawBytes, 'utf16le');
    let n = this.exports.prepare(cut.length, limit, true);
    if (n === UNKNOWN_CASE) {
      this.listCases(cut);
      n = this.exports.prepare(cut.length, limit, true);
    }
    if (n < 0) {
      // A unit that lower-cases to something else: the stream of toLowerCase()'s text, as the extractor does.
      const lowered = cut.toLowerCase();
      this.memoryBytes.write(lowered, this.rawAt, this.rawBytes, 'utf16le');
      n = this.exports.prepare(lowered.length, limit, false);
    }
    if (this.exports.hasUnlisted()) {
      const table = this.wordTable;
      const codes = this.codes;
      for (let i = 0; i < n; i++) {
        const c = codes[i]!;
        if (table[c] === 0) table[c] = isWordCode(c) ? 1 : 2;
      }
    }
    return n;
  }

  /**
   * Fills the case table for text's non-ASCII units: 1 when toLowerCase() maps the unit to itself, 2 when it
   * does not or may not (surrogate halves: astral letters have cases). toLowerCase() maps code points one by
   * one (its only context rule, the final sigma, concerns a capital, which is 2 here), so a text whose units
   * are all 1 lower-cases to itself with its ASCII capitals lowered.
   */
  private listCases(text: string): void {
    const table = this.caseTable;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80 || table[c] !== 0) continue;
      const unit = String.fromCharCode(c);
      table[c] = (c >= 0xd800 && c <= 0xdfff) || unit.toLowerCase() !== unit ? 2 : 1;
    }
  }

  /** The first n units of the prepared stream (a view into the kernel's memory, valid until the next prepare). */
  preparedCodes(n: number): Uint16Array {
    return this.codes.subarray(0, n);
  }

  /** Whether sums() with this head set gives only the set's sums (it has a packed table). */
  packs(headSet: number): boolean {
    return this.packed[headSet] != null;
  }

  /**
   * Raw per-head sums (before scale and bias) of the prepared stream of length n: a view into the kernel's
   * memory, valid until the next call. With a head set (an index into the constructor's headSets) that has a
   * packed table, only that set's sums, in its order; otherwise every head's, in head order.
   */
  sums(n: number, headSet = -1): Float64Array {
    const table = this.packed[headSet];
    const words = this.exports.wordBlock(n, this.pairs, table?.at ?? this.weightsAt, table?.width ?? 0);
    this.exports.finishWords(Math.min(15, Math.floor(Math.log2(words + 1))), n);
    return this.sumsView;
  }
}

/** A kernel for a model, or null when WebAssembly or the shipped binary is unavailable (use the JS path). */
export function createKernel(
  weights: Int8Array,
  heads: number,
  options: FeatureOptions,
  headSets: readonly (readonly number[])[] = [],
): LearnedKernel | null {
  const module = packagedWasmModule(KERNEL_FILE);
  if (!module || !wasmApi) return null;
  try {
    return new LearnedKernel(wasmApi, module, weights, heads, options, headSets);
  } catch {
    return null;
  }
}
