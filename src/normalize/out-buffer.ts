/** The UTF-16 buffer folding writes its output into, reused across calls. */

// Decoding the buffer natively beats String.fromCharCode for longer texts. Node's Buffer UTF-16 decode copies the
// units as they are (lone surrogates kept, as String.fromCharCode keeps them); TextDecoder, which this replaced,
// went through ICU at ~2.5 µs per 2 KB against ~1. Uint16Array is platform-endian: only used on little-endian hosts.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** UTF-16 output buffer. */
export class OutBuffer {
  private codes: Uint16Array;
  length = 0;

  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
  }

  push(code: number): void {
    if (this.length === this.codes.length) {
      const next = new Uint16Array(this.codes.length * 2 + 16);
      next.set(this.codes);
      this.codes = next;
    }
    this.codes[this.length++] = code;
  }

  /** The backing array, at least as long as the last reset's capacity, for callers that write directly. */
  scratch(): Uint16Array {
    return this.codes;
  }

  reset(capacity: number): void {
    this.length = 0;
    if (this.codes.length < capacity) this.codes = new Uint16Array(capacity);
  }

  setLast(code: number): void {
    if (this.length > 0) this.codes[this.length - 1] = code;
  }

  toString(): string {
    if (this.length > 512 && LITTLE_ENDIAN) {
      const codes = this.codes;
      return Buffer.from(codes.buffer, codes.byteOffset, 2 * this.length).toString('utf16le');
    }
    let s = '';
    for (let i = 0; i < this.length; i += 8192) {
      s += String.fromCharCode.apply(
        null,
        this.codes.subarray(i, Math.min(this.length, i + 8192)) as unknown as number[],
      );
    }
    return s;
  }
}

// Scratch output buffer reused across calls (folding is synchronous and never re-entered).
let SCRATCH_OUT: OutBuffer | null = null;
export function outBuffer(capacity: number): OutBuffer {
  SCRATCH_OUT ??= new OutBuffer(4096);
  SCRATCH_OUT.reset(capacity);
  return SCRATCH_OUT;
}
