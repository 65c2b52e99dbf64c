import {
  packagedWasmModule,
  type WasmApi,
  type WasmModule,
  WasmLayout,
  wasmApi,
} from '../core/wasm-module.js';

/**
 * Host of the short base-N run scan kernel (wasm/base-runs.ts, built into BASE_RUNS_FILE): lays out its memory,
 * copies the alphabet table in once, and per text writes the code units (base-runs.ts scanShortRuns runs it).
 */

/** The shipped binary, relative to the package root. */
export const BASE_RUNS_FILE = 'wasm/base-runs.wasm';
/** Longest text (code units) the kernel scans; longer ones take the JavaScript scan. */
export const KERNEL_CAPACITY = 1 << 16;
const HEADER_FIELDS = 3;
/** Start of the header (the first bytes of memory are left unused). */
const BASE = 64;

interface KernelExports {
  init(header: number): void;
  scan(n: number, from: number, long: number): number;
  pairsFound(): number;
}

export class BaseRunsKernel {
  /** The loaded text's code units (valid up to its length). */
  readonly units: Uint16Array;
  /** Starts of the two-unit runs the last scan listed, in order (pairsFound of them). */
  readonly pairs: Int32Array;
  private readonly exports: KernelExports;
  private readonly bytes: Buffer;
  private readonly textAt: number;

  /** `alphabet`: per code unit, -1 for a base64 / base64url alphabet unit, else 0. */
  constructor(api: WasmApi, module: WasmModule, alphabet: Int8Array) {
    const cap = KERNEL_CAPACITY;
    const layout = new WasmLayout(BASE + HEADER_FIELDS * 4);
    const take = (bytes: number) => layout.take(bytes);
    const alphabetAt = take(alphabet.byteLength);
    const textAt = take(cap * 2);
    const pairsAt = take((cap / 2 + 1) * 4);
    const { exports, buffer, bytes } = layout.instantiate<KernelExports>(api, module);
    this.exports = exports;
    new Int8Array(buffer, alphabetAt, alphabet.length).set(alphabet);
    new Int32Array(buffer, BASE, HEADER_FIELDS).set([alphabetAt, textAt, pairsAt]);
    this.exports.init(BASE);
    this.bytes = bytes;
    this.textAt = textAt;
    this.units = new Uint16Array(buffer, textAt, cap);
    this.pairs = new Int32Array(buffer, pairsAt, cap / 2 + 1);
  }

  /** Writes `text` (at most KERNEL_CAPACITY units) for the scans that follow. */
  load(text: string): void {
    if (text.length > KERNEL_CAPACITY) throw new RangeError('base runs kernel: text too long');
    this.bytes.write(text, this.textAt, 2 * text.length, 'utf16le');
  }

  /** Scans the loaded text's units [from, n): the start of the first run of `long` or more, or n. */
  scan(n: number, from: number, long: number): number {
    return this.exports.scan(n, from, long);
  }

  /** Two-unit runs the last scan listed. */
  pairsFound(): number {
    return this.exports.pairsFound();
  }
}

/** A kernel over `alphabet`, or null when WebAssembly or the shipped binary is unavailable. */
export function createBaseRunsKernel(alphabet: Int8Array): BaseRunsKernel | null {
  const module = packagedWasmModule(BASE_RUNS_FILE);
  if (!module || !wasmApi) return null;
  try {
    return new BaseRunsKernel(wasmApi, module, alphabet);
  } catch {
    return null;
  }
}
