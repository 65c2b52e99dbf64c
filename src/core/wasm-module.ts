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
