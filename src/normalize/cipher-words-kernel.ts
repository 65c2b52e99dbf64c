import {
  packagedWasmModule,
  type WasmApi,
  type WasmModule,
  WasmLayout,
  wasmApi,
} from '../core/wasm-module.js';

/**
 * Host of the cipher word scan kernel (wasm/cipher-words.ts, built into CIPHER_WORDS_FILE): lays out its memory,
 * copies the scan's tables in once, and per text writes the code units and runs the scan. The word table and cue
 * candidates it fills are read through typed-array views of its memory (cipher-words.ts wraps them).
 */

/** The shipped binary, relative to the package root. */
export const CIPHER_WORDS_FILE = 'wasm/cipher-words.wasm';
/**
 * Longest text (code units) the kernel scans; longer ones take the JavaScript scan. A recorded word has two
 * letters and a unit after it, so a text never has more words than units.
 */
export const KERNEL_CAPACITY = 1 << 16;
/** Zero units written after each text: the scan peeks up to two units past a character, a word's end one. */
const PADDING = 4;
const HEADER_FIELDS = 12;
/** Start of the header (the first bytes of memory are left unused). */
const BASE = 64;

/** The tables the scan reads, as cipher-words.ts builds them for its own scan. */
export interface CipherWordsTables {
  /** Per letter pair a*26+b: its ROT13 gain at 2p, its reversal gain at 2p + 1. */
  gains: Int32Array;
  /** Word-hash table: (hash, bits) pairs, a power of two of them. */
  slots: Int32Array;
  /** Squash cue bits per code unit (squash-cues.ts). */
  cueUnits: Uint8Array;
  /** Cue candidates listed at most (the scan stops after one more). */
  maxCues: number;
}

interface KernelExports {
  init(header: number): void;
  scan(n: number, collect: number): number;
  cueCandidates(): number;
  wordsFor(kind: number): number;
}

export class CipherWordsKernel {
  readonly start: Int32Array<ArrayBuffer>;
  readonly end: Int32Array<ArrayBuffer>;
  readonly rot: Int8Array<ArrayBuffer>;
  readonly rev: Int8Array<ArrayBuffer>;
  readonly shift: Int8Array<ArrayBuffer>;
  private readonly exports: KernelExports;
  private readonly bytes: Buffer;
  private readonly textAt: number;
  private readonly cues: Int32Array;

  constructor(api: WasmApi, module: WasmModule, tables: CipherWordsTables) {
    const cap = KERNEL_CAPACITY;
    const layout = new WasmLayout(BASE + HEADER_FIELDS * 4);
    const take = (bytes: number) => layout.take(bytes);
    const gainsAt = take(tables.gains.byteLength);
    const slotsAt = take(tables.slots.byteLength);
    const unitsAt = take(tables.cueUnits.byteLength);
    // Two zero units before the text (never written), PADDING after it (written with each text).
    const textAt = take((2 + cap + PADDING) * 2) + 4;
    const startAt = take(cap * 4);
    const endAt = take(cap * 4);
    const rotAt = take(cap);
    const revAt = take(cap);
    const shiftAt = take(cap);
    const cuesAt = take((tables.maxCues + 1) * 4);
    const header = [
      gainsAt,
      slotsAt,
      tables.slots.length / 2 - 1,
      unitsAt,
      textAt,
      startAt,
      endAt,
      rotAt,
      revAt,
      shiftAt,
      cuesAt,
      tables.maxCues,
    ];
    if (header.length !== HEADER_FIELDS) throw new Error('cipher words kernel header');

    const { exports, buffer, bytes } = layout.instantiate<KernelExports>(api, module);
    this.exports = exports;
    new Int32Array(buffer, gainsAt, tables.gains.length).set(tables.gains);
    new Int32Array(buffer, slotsAt, tables.slots.length).set(tables.slots);
    new Uint8Array(buffer, unitsAt, tables.cueUnits.length).set(tables.cueUnits);
    new Int32Array(buffer, BASE, HEADER_FIELDS).set(header);
    this.exports.init(BASE);
    this.bytes = bytes;
    this.textAt = textAt;
    this.start = new Int32Array(buffer, startAt, cap);
    this.end = new Int32Array(buffer, endAt, cap);
    this.rot = new Int8Array(buffer, rotAt, cap);
    this.rev = new Int8Array(buffer, revAt, cap);
    this.shift = new Int8Array(buffer, shiftAt, cap);
    this.cues = new Int32Array(buffer, cuesAt, tables.maxCues + 1);
  }

  /**
   * Scans `text` (at most KERNEL_CAPACITY units) into the views and returns its word count; with `cues`, appends
   * the cue candidates found (at most maxCues + 1, as the JavaScript scan lists them).
   */
  scan(text: string, cues: number[] | null): number {
    const n = text.length;
    if (n > KERNEL_CAPACITY) throw new RangeError('cipher words kernel: text too long');
    const bytes = this.bytes;
    const at = this.textAt;
    bytes.write(text, at, 2 * n, 'utf16le');
    bytes.fill(0, at + 2 * n, at + 2 * (n + PADDING));
    const count = this.exports.scan(n, cues === null ? 0 : 1);
    if (cues !== null) {
      const found = this.exports.cueCandidates();
      const view = this.cues;
      for (let k = 0; k < found; k++) cues.push(view[k]!);
    }
    return count;
  }

  /** Words of the last scan voting for ROT13 or reversal, or common under a shift (FOR_ROT13, FOR_REVERSAL, SHIFTED). */
  wordsFor(kind: number): number {
    return this.exports.wordsFor(kind);
  }
}

/** Which votes CipherWordsKernel.wordsFor counts. */
export const FOR_ROT13 = 0;
export const FOR_REVERSAL = 1;
export const SHIFTED = 2;

/** A kernel over `tables`, or null when WebAssembly or the shipped binary is unavailable. */
export function createCipherWordsKernel(tables: CipherWordsTables): CipherWordsKernel | null {
  const module = packagedWasmModule(CIPHER_WORDS_FILE);
  if (!module || !wasmApi) return null;
  try {
    return new CipherWordsKernel(wasmApi, module, tables);
  } catch {
    return null;
  }
}
