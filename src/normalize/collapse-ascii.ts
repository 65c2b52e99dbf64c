import { type FoldKernel, createFoldKernel, KERNEL_CAPACITY, TABLE_UNITS } from './fold-kernel.js';
import type { FoldResult } from './fold.js';

/**
 * The fold of plain ASCII text (printable ASCII and ASCII whitespace only, see foldInertNoMap): lowercased, each
 * whitespace run that must change collapsed to one newline when it holds a line break (\n, \v, \f, \r), else one
 * space. Identity when no run was rewritten (every run a single space or newline).
 */

// What a unit is, as bits: whitespace; a line break; whitespace rewritten even alone (neither ' ' nor '\n').
const WS = 1;
const BREAK = 2;
const REWRITTEN = 4;
/** Not printable ASCII or ASCII whitespace (the kernel's table only). */
const NOT_PLAIN = 8;
const CLASS = new Uint8Array(256);
/** Each unit lowercased; whitespace as a space (a run's newline is made from it, see collapseAscii). */
const FOLDED = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  FOLDED[c] = c >= 0x41 && c <= 0x5a ? c + 32 : c;
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
    CLASS[c] = WS | (c !== 0x20 && c !== 0x09 ? BREAK : 0) | (c !== 0x20 && c !== 0x0a ? REWRITTEN : 0);
    FOLDED[c] = 0x20;
  }
}

/** Anything but printable ASCII and ASCII whitespace. */
export const NOT_PLAIN_ASCII = /[^\t-\r -~]/;

/** The kernel (null when unavailable), created by the first fold. */
let KERNEL: FoldKernel | null | undefined;

/** The fold kernel (null when unavailable), created on first use; fold-inert.ts folds with it too. */
export function kernel(): FoldKernel | null {
  if (KERNEL !== undefined) return KERNEL;
  // The kernel's tables: CLASS and FOLDED for ASCII, NOT_PLAIN for controls, DEL and (at 0x80) every other unit.
  const classes = new Uint8Array(TABLE_UNITS);
  const lowered = new Uint8Array(TABLE_UNITS);
  for (let c = 0; c < TABLE_UNITS; c++) {
    classes[c] = NOT_PLAIN_ASCII.test(String.fromCharCode(c)) ? NOT_PLAIN : CLASS[c]!;
    lowered[c] = FOLDED[c]!;
  }
  KERNEL = createFoldKernel(classes, lowered);
  return KERNEL;
}

/**
 * collapseAscii(text) when the text is plain ASCII (NOT_PLAIN_ASCII finds nothing), else null: in one pass of the
 * kernel (wasm/fold-kernel.ts) when it is available and the text fits it. `javascript` (tests) forces the regex
 * test and collapseAscii.
 */
export function foldPlainAscii(text: string, javascript = false): FoldResult | null {
  const k = javascript ? null : kernel();
  if (k === null || text.length > KERNEL_CAPACITY)
    return NOT_PLAIN_ASCII.test(text) ? null : collapseAscii(text);
  const folded = k.fold(text);
  if (folded === null) return null;
  return { text: folded, identity: !k.rewroteRun(), map: null, transforms: new Set(), hidden: [] };
}

/** Whether foldPlainAscii uses the kernel (for tests: false where WebAssembly or the binary is missing). */
export function usesFoldKernel(): boolean {
  return kernel() !== null;
}

/** Scratch bytes kept for the next text unless a huge text grew them past this. */
const KEEP_BYTES = 1 << 16;
let BYTES = Buffer.alloc(4096);
let VIEW = new Uint8Array(BYTES.buffer, BYTES.byteOffset, BYTES.length);

/**
 * collapseAsciiReference in one pass over the text's bytes, without a branch per unit: the regex replace it
 * replaced called back for every run (a 2 KB text has ~27) and lowercased the whole text first. Every unit is
 * written, one that continues a whitespace run over the run's one output unit, which becomes a newline (0x20 - 0x16)
 * once the run holds a line break. The text is ASCII, so its Latin-1 bytes are its code units, and the result is
 * a one-byte string as the lowercase of one-byte text is.
 */
export function collapseAscii(text: string): FoldResult {
  const n = text.length;
  if (VIEW.length < n || (VIEW.length > KEEP_BYTES && n <= KEEP_BYTES)) {
    BYTES = Buffer.alloc(Math.max(n, 4096));
    VIEW = new Uint8Array(BYTES.buffer, BYTES.byteOffset, BYTES.length);
  }
  BYTES.write(text, 0, n, 'latin1');
  const bytes = VIEW;
  let k = 0;
  let inSpace = 0;
  let runBreak = 0;
  let seen = 0;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    const cls = CLASS[c]!;
    const ws = cls & WS;
    const more = ws & inSpace;
    runBreak = (runBreak & -more) | ((cls & BREAK) >> 1);
    // In place: k never passes i.
    k -= more;
    bytes[k] = FOLDED[c]! - 0x16 * runBreak;
    k++;
    // A run of two or more is rewritten, as one \t, \v, \f or \r is.
    seen |= cls | (more << 2);
    inSpace = ws;
  }
  const folded = BYTES.toString('latin1', 0, k);
  return { text: folded, identity: (seen & REWRITTEN) === 0, map: null, transforms: new Set(), hidden: [] };
}

/** A whitespace run the fold rewrites: two or more whitespace characters, or one that is neither ' ' nor '\n'. */
const REWRITTEN_RUN = /[\t-\r ]{2,}|[\t\v\f\r]/g;
const LINE_BREAK = /[\n-\r]/;

function collapsedRun(run: string): string {
  return LINE_BREAK.test(run) ? '\n' : ' ';
}

/** collapseAscii natively (lowercase, then each run that must change replaced): the reference its test checks. */
export function collapseAsciiReference(text: string): FoldResult {
  const lower = text.toLowerCase();
  const folded = lower.replace(REWRITTEN_RUN, collapsedRun);
  return { text: folded, identity: folded === lower, map: null, transforms: new Set(), hidden: [] };
}
