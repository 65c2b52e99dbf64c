import {
  packagedWasmModule,
  type WasmApi,
  type WasmModule,
  WasmLayout,
  wasmApi,
} from '../core/wasm-module.js';

/**
 * Host of the normaliser's fold kernel (wasm/fold-kernel.ts, built into FOLD_KERNEL_FILE: the plain-ASCII fold, unit
 * kinds and the inert-unit collapse): lays out its memory, copies its two unit tables in once, and per text writes the code units, runs the fold and reads the
 * folded units back as a string (collapse-ascii.ts foldPlainAscii runs fold, fold-inert.ts collapseInert foldInert).
 */

/** The shipped binary, relative to the package root. */
export const FOLD_KERNEL_FILE = 'wasm/fold-kernel.wasm';
/** Longest text (code units) the kernel folds; longer ones take the JavaScript path. */
export const KERNEL_CAPACITY = 1 << 16;
const HEADER_FIELDS = 6;
/** Start of the header (the first bytes of memory are left unused). */
const BASE = 64;
/** Table entries: one per ASCII unit, then the one every other unit reads. */
export const TABLE_UNITS = 0x81;

interface KernelExports {
  init(header: number): void;
  fold(n: number): number;
  foldInert(n: number, lowerOthers: number): number;
  rewroteRun(): number;
  sawNbsp(): number;
  unitKinds(n: number): number;
}

export class FoldKernel {
  /** The lowercase of each non-ASCII unit of kind 0, as foldInert reads it (fold-inert.ts fills it). */
  readonly lowerUnits: Uint16Array;
  /** The kind of each unit, as unitKinds reads it (fold-inert.ts fills it). */
  readonly kindUnits: Uint8Array;
  private readonly exports: KernelExports;
  private readonly bytes: Buffer;
  private readonly textAt: number;
  private readonly foldedAt: number;
  /** The text the kernel's memory holds (the last one written). */
  private loaded: string | null = null;

  /** `classes` and `lowered`: TABLE_UNITS entries each, as wasm/fold-kernel.ts reads them. */
  constructor(api: WasmApi, module: WasmModule, classes: Uint8Array, lowered: Uint8Array) {
    const cap = KERNEL_CAPACITY;
    const layout = new WasmLayout(BASE + HEADER_FIELDS * 4);
    const take = (bytes: number) => layout.take(bytes);
    const classesAt = take(TABLE_UNITS);
    const loweredAt = take(TABLE_UNITS);
    // One zero unit before the text (never written): the kernel reads the unit before each block of eight.
    const textAt = take(2 + cap * 2) + 2;
    // Bytes for fold, UTF-16 for foldInert.
    const foldedAt = take(cap * 2);
    const lowerAt = take(0x10000 * 2);
    const kindsAt = take(0x10000);
    const { exports, buffer, bytes } = layout.instantiate<KernelExports>(api, module);
    this.exports = exports;
    new Uint8Array(buffer, classesAt, TABLE_UNITS).set(classes.subarray(0, TABLE_UNITS));
    new Uint8Array(buffer, loweredAt, TABLE_UNITS).set(lowered.subarray(0, TABLE_UNITS));
    new Int32Array(buffer, BASE, HEADER_FIELDS).set([
      classesAt,
      loweredAt,
      textAt,
      foldedAt,
      lowerAt,
      kindsAt,
    ]);
    this.exports.init(BASE);
    this.bytes = bytes;
    this.textAt = textAt;
    this.foldedAt = foldedAt;
    this.lowerUnits = new Uint16Array(buffer, lowerAt, 0x10000);
    this.kindUnits = new Uint8Array(buffer, kindsAt, 0x10000);
  }

  /** Writes `text` (at most KERNEL_CAPACITY units) unless it is the text the memory holds. */
  private load(text: string): void {
    if (text.length > KERNEL_CAPACITY) throw new RangeError('collapse ascii kernel: text too long');
    if (text === this.loaded) return;
    this.bytes.write(text, this.textAt, 2 * text.length, 'utf16le');
    this.loaded = text;
  }

  /** The kinds of `text`'s units (at most KERNEL_CAPACITY), or'ed (see wasm/fold-kernel.ts unitKinds). */
  unitKinds(text: string): number {
    this.load(text);
    return this.exports.unitKinds(text.length);
  }

  /** The fold of `text` (at most KERNEL_CAPACITY units), or null when the text is not plain ASCII. */
  fold(text: string): string | null {
    this.load(text);
    const k = this.exports.fold(text.length);
    if (k < 0) return null;
    const at = this.foldedAt;
    return this.bytes.toString('latin1', at, at + k);
  }

  /**
   * fold-inert.ts collapse(text, lowerOthers) of `text` (at most KERNEL_CAPACITY units; with `lowerOthers`, every
   * non-ASCII unit of kind 0, lowerUnits filled for them), or null at a C0 control or DEL.
   */
  foldInert(text: string, lowerOthers: boolean): string | null {
    this.load(text);
    const k = this.exports.foldInert(text.length, lowerOthers ? 1 : 0);
    if (k < 0) return null;
    const at = this.foldedAt;
    return this.bytes.toString('utf16le', at, at + 2 * k);
  }

  /** Whether the last foldInert read a no-break space (as a space). */
  sawNbsp(): boolean {
    return this.exports.sawNbsp() !== 0;
  }

  /** Whether the last fold or foldInert rewrote a whitespace run (its text is not the lowercased input). */
  rewroteRun(): boolean {
    return this.exports.rewroteRun() !== 0;
  }
}

/** A kernel over the tables, or null when WebAssembly or the shipped binary is unavailable. */
export function createFoldKernel(classes: Uint8Array, lowered: Uint8Array): FoldKernel | null {
  const module = packagedWasmModule(FOLD_KERNEL_FILE);
  if (!module || !wasmApi) return null;
  try {
    return new FoldKernel(wasmApi, module, classes, lowered);
  } catch {
    return null;
  }
}
