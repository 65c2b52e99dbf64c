import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

/**
 * Loading of the WebAssembly kernels shipped with the package (wasm/*.wasm, built by `npm run build:wasm`).
 * Each kernel's host keeps a JavaScript path as the reference and the fallback, so a missing runtime API or
 * binary only gives null here, never an error.
 */

/** The slice of the WebAssembly JS API the kernels use (the project's TypeScript libs do not declare it). */
export interface WasmModule {
  readonly __brand?: 'WebAssembly.Module';
}
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
}

/** The runtime's WebAssembly API, or undefined where it has none. */
export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const modules = new Map<string, WasmModule | null>();

/**
 * The compiled module of a kernel binary (path relative to the package root), compiled once per process; null
 * when WebAssembly or the file is missing or the bytes do not compile.
 */
export function packagedWasmModule(file: string): WasmModule | null {
  let module = modules.get(file);
  if (module !== undefined) return module;
  module = null;
  try {
    const path = join(packageRoot(), file);
    if (wasmApi && existsSync(path)) module = new wasmApi.Module(readFileSync(path));
  } catch {
    module = null;
  }
  modules.set(file, module);
  return module;
}

/** WebAssembly's page size: a kernel's memory is a whole number of these. */
const PAGE_BYTES = 65_536;

/** A kernel instantiated on its own memory: its exports, the memory's buffer, and a Buffer over it for writes. */
export interface KernelInstance<Exports> {
  exports: Exports;
  buffer: ArrayBuffer;
  bytes: Buffer;
}

/**
 * The layout of a kernel's linear memory, as its host plans it: buffers placed one after another from `start`,
 * each aligned (8 bytes unless asked otherwise), then a memory of enough pages for all of them with the kernel
 * instantiated on it. Every host sizes its buffers once for its largest input, so the memory never grows and
 * views of it stay valid.
 */
export class WasmLayout {
  private end: number;

  constructor(start: number) {
    this.end = start;
  }

  /** Reserves `bytes` at the next offset aligned to `align`; returns that offset. */
  take(bytes: number, align = 8): number {
    const at = Math.ceil(this.end / align) * align;
    this.end = at + bytes;
    return at;
  }

  /** Instantiates `module` on a new memory holding everything taken; `env` adds imports besides `memory`. */
  instantiate<Exports>(
    api: WasmApi,
    module: WasmModule,
    env: Record<string, unknown> = {},
  ): KernelInstance<Exports> {
    const memory = new api.Memory({ initial: Math.ceil(this.end / PAGE_BYTES) });
    const instance = new api.Instance(module, { env: { memory, ...env } });
    return {
      exports: instance.exports as unknown as Exports,
      buffer: memory.buffer,
      bytes: Buffer.from(memory.buffer),
    };
  }
}
