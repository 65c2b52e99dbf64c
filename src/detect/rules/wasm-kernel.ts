import { join } from 'node:path';
import {
  packagedWasmModule,
  type WasmApi,
  type WasmModule,
  WasmLayout,
  wasmApi,
} from '../../core/wasm-module.js';
import { CanonicalBuffer } from './text.js';
import { ASCII_FOLD, spacedFold, surrogateSeparator } from './units.js';
import type { HitCallback, WordAutomatonTables } from './word-automaton.js';
import type { WordTable } from './word-tables.js';

/**
 * Host side of the rule detector's WebAssembly text kernel (wasm/rules-kernel.ts): canonicalEquals, the word
 * automaton's readText and its scanRead, and canonicalizeInto's maps for the texts readText takes, in one
 * module that reads the view text from its own memory.
 * The JavaScript passes (text.ts, word-automaton.ts) remain the reference and the fallback: for texts the
 * kernel cannot take (longer than KERNEL_CAPACITY, or with a character readText leaves to the general path),
 * and when WebAssembly or the binary is missing.
 */

/** The kernel binary shipped with the package. */
export const RULES_KERNEL_FILE = join('wasm', 'rules-kernel.wasm');

/** read()'s answer: the text canonicalises to the kept codes (canonicalEquals true). */
export const KERNEL_SAME = -1;
/** read()'s answer: the text has a character the general path folds (readText false). */
export const KERNEL_FALLBACK = -2;

/**
 * Longest view text the kernel takes, in UTF-16 units. Its memory is sized for this once (about 3.2 MB with the shipped rules);
 * longer views are rare and keep the JavaScript path.
 */
export const KERNEL_CAPACITY = 1 << 16;

/** Hits buffered in the kernel before it hands them to the host. */
const HIT_CAPACITY = 1024;
/** The kernel's spacedFold table entry of a unit the host has not been asked about yet. */
const UNKNOWN = -3;
/** Bytes left free at the bottom of memory (the compiler's own statics, if it ever emits any). */
const BASE = 1024;
const HEADER_FIELDS = 37;

interface KernelExports {
  init(header: number): void;
  read(textLength: number, checkSame: boolean, scannedLength: number): number;
  keepRead(n: number): void;
  scan(): number;
  maps(textLength: number): number;
}

/** One kernel instance with its own memory, holding one word automaton's tables. Not re-entrant. */
export class RulesKernel {
  private readonly exports: KernelExports;
  private readonly bytes: Buffer;
  private readonly rawAt: number;
  private readonly hitView: Int32Array;
  /** The codes the last read() wrote (valid for its answer's length). */
  readonly codes: Uint16Array;
  /** The codes read() compares with when asked to (see keep and mirror). */
  readonly kept: Uint16Array;
  /** The view text being read: the surrogate import reads it. */
  private text = '';
  private onHit: HitCallback = () => undefined;
  private readonly mapped: CanonicalBuffer;

  constructor(api: WasmApi, module: WasmModule, tables: WordAutomatonTables) {
    const units = KERNEL_CAPACITY;
    const parts: { at: number; data?: Int32Array | Uint16Array | Uint8Array; bytes: number }[] = [];
    const layout = new WasmLayout(BASE + HEADER_FIELDS * 4);
    // Eight bytes at least, so that an empty table still has an offset of its own.
    const take = (bytes: number, data?: Int32Array | Uint16Array | Uint8Array) => {
      const start = layout.take(Math.max(bytes, 8));
      parts.push({ at: start, bytes, ...(data ? { data } : {}) });
      return start;
    };
    const table = (t: Int32Array | Uint16Array | Uint8Array) => take(t.byteLength, t);
    const words = (t: WordTable) => [table(t.slots), t.mask, table(t.start), table(t.chars)];
    const foldAt = take(65_536 * 4);
    const header = [
      foldAt,
      ...words(tables.wordTable),
      ...words(tables.prefixWords),
      tables.maxPrefixLength,
      table(tables.prefixGate),
      tables.wordCount,
      table(tables.fail),
      table(tables.dictOf),
      table(tables.firstOut),
      table(tables.outStart),
      table(tables.outList),
      table(tables.patternLength),
      table(tables.rootNext),
      table(tables.leaf),
      table(tables.edges.slots),
      tables.edges.mask,
      tables.edges.shift,
      tables.edges.symbols,
    ];
    const rawAt = take(units * 2);
    const curAt = take(units * 2);
    const keptAt = take(units * 2);
    header.push(rawAt, curAt, keptAt);
    // Word ids and ends (a word per unit at most), prefix hits (one per code at most), the hit buffer.
    header.push(take((units + 1) * 4), take((units + 1) * 4));
    header.push(take(units * 4), take(units * 4), take(units * 4));
    const hitsAt = take(HIT_CAPACITY * 16);
    header.push(hitsAt, HIT_CAPACITY);
    const fromAt = take(units * 4);
    const toAt = take(units * 4);
    const wordAt = take(units * 4);
    header.push(fromAt, toAt, wordAt);
    if (header.length !== HEADER_FIELDS) throw new Error('rules kernel header');

    const { exports, buffer, bytes } = layout.instantiate<KernelExports>(api, module, {
      fold: (unit: number) => spacedFold(unit),
      surrogate: (at: number) => surrogateSeparator(this.text, at),
      flush: (count: number) => this.drain(count),
    });
    this.exports = exports;
    for (const part of parts) {
      if (part.data)
        new Uint8Array(buffer, part.at, part.bytes).set(
          new Uint8Array(part.data.buffer, part.data.byteOffset, part.bytes),
        );
    }
    const fold = new Int32Array(buffer, foldAt, 65_536).fill(UNKNOWN);
    for (let c = 0; c < 128; c++) fold[c] = ASCII_FOLD[c]!;
    new Int32Array(buffer, BASE, HEADER_FIELDS).set(header);
    this.exports.init(BASE);
    this.bytes = bytes;
    this.rawAt = rawAt;
    this.codes = new Uint16Array(buffer, curAt, units);
    this.kept = new Uint16Array(buffer, keptAt, units);
    this.hitView = new Int32Array(buffer, hitsAt, HIT_CAPACITY * 4);
    this.mapped = new CanonicalBuffer(0);
    this.mapped.codes = this.codes;
    this.mapped.from = new Int32Array(buffer, fromAt, units);
    this.mapped.to = new Int32Array(buffer, toAt, units);
    this.mapped.word = new Int32Array(buffer, wordAt, units);
  }

  /**
   * canonicalizeInto(text) for the text of the last read(), when it answered KERNEL_SAME or a length: a
   * buffer of views into the kernel's memory, valid until the next read() or maps(). Read it, never grow it.
   */
  maps(text: string): CanonicalBuffer {
    const mapped = this.mapped;
    mapped.length = this.exports.maps(text.length);
    mapped.unspaced = false;
    return mapped;
  }

  /**
   * Writes `text` (at most KERNEL_CAPACITY units) into the kernel and reads it: KERNEL_SAME when `checkSame`
   * and it canonicalises to the kept codes (their length `keptLength`), KERNEL_FALLBACK when readText would
   * return false, else the length of the codes written (in `codes`), whose words scan() then steps through.
   */
  read(text: string, checkSame: boolean, keptLength: number): number {
    if (text.length > KERNEL_CAPACITY) throw new RangeError('rules kernel: text too long');
    this.text = text;
    this.bytes.write(text, this.rawAt, text.length * 2, 'utf16le');
    return this.exports.read(text.length, checkSame, keptLength);
  }

  /** Reports the hits of the words the last read() read (scanRead; onHit's answer is not read). */
  scan(onHit: HitCallback): void {
    this.onHit = onHit;
    this.drain(this.exports.scan());
  }

  /** Keeps the `n` codes the last read() wrote as the codes read() compares with. */
  keep(n: number): void {
    this.exports.keepRead(n);
  }

  /** Keeps `codes[0..n)` (n at most KERNEL_CAPACITY) as the codes read() compares with. */
  mirror(codes: Uint16Array, n: number): void {
    this.kept.set(codes.subarray(0, n));
  }

  private drain(count: number): void {
    const view = this.hitView;
    const onHit = this.onHit;
    for (let k = 0; k < 4 * count; k += 4) onHit(view[k]!, view[k + 1]!, view[k + 2]!, view[k + 3]!);
  }
}

/** A kernel for a word automaton, or null when WebAssembly or the shipped binary is unavailable. */
export function createRulesKernel(tables: WordAutomatonTables): RulesKernel | null {
  const module = packagedWasmModule(RULES_KERNEL_FILE);
  if (!module || !wasmApi) return null;
  try {
    return new RulesKernel(wasmApi, module, tables);
  } catch {
    return null;
  }
}
