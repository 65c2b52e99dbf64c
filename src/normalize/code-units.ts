/**
 * A text's UTF-16 code units copied into a typed array, for the scanners that read every character of every text
 * (squash cues, cipher words, base-N runs, whitespace collapsing). In V8 a `charCodeAt` inside a hot loop
 * re-checks the string's representation on every call: reading a Uint16Array was about 3x faster per character
 * on 2 KB texts, and the copy itself is one native call (~0.2 µs per 2 KB, lone surrogates kept as they are).
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Zero units written after the text, so scanners may peek a few units past its end (codeAt's 0). */
export const UNIT_PADDING = 4;
/** Buffers grown past this many units by a huge text are not kept for the next one. */
const KEEP_UNITS = 1 << 16;

/**
 * A reusable code-unit buffer. Each scanner owns one: a buffer is overwritten by its next load, so two scanners
 * sharing one could read each other's text.
 */
export class CodeUnits {
  private bytes = Buffer.alloc(2 * 4096);
  private current = new Uint16Array(this.bytes.buffer, this.bytes.byteOffset, 4096);

  /** What the last load returned. */
  get units(): Uint16Array {
    return this.current;
  }

  /**
   * `text`'s code units at [0, text.length), then UNIT_PADDING zeros. Valid until the next load. Index -1 reads
   * undefined (not 0): callers check the start of the text themselves.
   */
  load(text: string): Uint16Array {
    const n = text.length;
    const size = n + UNIT_PADDING;
    let units = this.current;
    if (units.length < size || (units.length > KEEP_UNITS && size <= KEEP_UNITS)) {
      const capacity = size > KEEP_UNITS ? size : Math.max(size, 4096);
      this.bytes = Buffer.alloc(2 * capacity);
      units = new Uint16Array(this.bytes.buffer, this.bytes.byteOffset, capacity);
      this.current = units;
    }
    if (LITTLE_ENDIAN) this.bytes.write(text, 0, 2 * n, 'utf16le');
    else for (let i = 0; i < n; i++) units[i] = text.charCodeAt(i);
    for (let i = n; i < size; i++) units[i] = 0;
    return units;
  }
}
