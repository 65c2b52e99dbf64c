/**
 * The base-N alphabets' character classes, and the scan that measures runs of them before findBaseEncoded
 * (encodings.ts) reads a run in full.
 */
import { type BaseRunsKernel, createBaseRunsKernel, KERNEL_CAPACITY } from './base-runs-kernel.js';
import { CodeUnits } from './code-units.js';

// ASCII class bits, one lookup per character.
export const B64 = 1;
export const B64URL = 2;
export const HEX = 4;
export const B32 = 8;
export const UPPER = 16;
export const LOWER = 32;
export const DIGIT = 64;
export const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let bits = 0;
  if (/[A-Z]/.test(ch)) bits |= B64 | B64URL | B32 | UPPER;
  if (/[a-z]/.test(ch)) bits |= B64 | B64URL | LOWER;
  if (/[0-9]/.test(ch)) bits |= B64 | B64URL | DIGIT;
  if (/[2-7]/.test(ch)) bits |= B32;
  if (/[0-9a-fA-F]/.test(ch)) bits |= HEX;
  if (ch === '+' || ch === '/') bits |= B64;
  if (ch === '-' || ch === '_') bits |= B64URL;
  CLASS[c] = bits;
}

/** A run wraps onto the next line (MIME base64) only after a line of at least this many characters. */
export const MIN_WRAPPED_LINE = 40;

/** -1 for a base64 / base64url alphabet character, else 0, by code unit (no range test per character). */
const ALPHABET_MASK = new Int8Array(0x10000);
for (let c = 0; c < 128; c++) ALPHABET_MASK[c] = CLASS[c]! & (B64 | B64URL) ? -1 : 0;

/** The code units of the text scanShortRuns reads (see code-units.ts), and which text they are. */
const UNITS = new CodeUnits();
let loadedText: string | null = null;
/** The kernel (null when unavailable), created by the first scan, and the text loaded into it. */
let KERNEL: BaseRunsKernel | null | undefined;
let kernelText: string | null = null;

/** What scanShortRuns has seen of the text findBaseEncoded is reading (reset for each text). */
export const SHORT_RUNS = {
  /** Start of the long run the last scan stopped at, or the text's length. */
  end: 0,
  hexPairs: 0,
  letteredPairs: 0,
  /** End of the last two-character hex run. */
  pairEnd: 0,
  /** Hex runs in a row, each one or two characters after the one before ("69 67", "69, 67"): the last chain. */
  chain: 0,
  longestChain: 0,
};

/**
 * Skips from `from` to the next alphabet run of `long` characters or more (`end`: its start, or the text's
 * length), counting the two-character hex runs on the way as findBaseEncoded counts them. A shorter run can
 * neither be decoded nor wrap onto the next line (both need a run that long), so this scan only measures runs:
 * most texts have no long run, and the full per-run bookkeeping was half the cost of finding that out.
 */
export function scanShortRuns(
  text: string,
  from: number,
  long: number,
  javascript = false,
): typeof SHORT_RUNS {
  const n = text.length;
  if (KERNEL === undefined) KERNEL = createBaseRunsKernel(ALPHABET_MASK);
  if (KERNEL !== null && !javascript && n <= KERNEL_CAPACITY) {
    // The same loop in WebAssembly (wasm/base-runs.ts), which lists the two-unit runs for countPair.
    const kernel = KERNEL;
    if (from === 0 || kernelText !== text) {
      kernel.load(text);
      kernelText = text;
    }
    const runs = SHORT_RUNS;
    runs.end = kernel.scan(n, from, long);
    const found = kernel.pairsFound();
    const pairs = kernel.pairs;
    for (let k = 0; k < found; k++) countPair(kernel.units, pairs[k]!, runs);
    return runs;
  }
  return scanShortRunsJs(text, from, long);
}

/** scanShortRuns in JavaScript: the kernel's reference, and the scan of texts longer than its capacity. */
function scanShortRunsJs(text: string, from: number, long: number): typeof SHORT_RUNS {
  const runs = SHORT_RUNS;
  const n = text.length;
  runs.end = n;
  // Loaded once per text: findBaseEncoded starts at 0, then calls again after each long run it reads.
  if (from === 0 || loadedText !== text) {
    UNITS.load(text);
    loadedText = text;
  }
  const codes = UNITS.units;
  // One loop with the run length as a number (0 outside a run) rather than a loop per run: a word boundary is
  // unpredictable, and this way it costs no branch until a run of exactly two has ended. The mask (-1 in the
  // alphabet, else 0) keeps the count's dependency chain at an add and an and, where a multiply was.
  let run = 0;
  for (let i = from; i < n; i++) {
    const inRun = ALPHABET_MASK[codes[i]!]!;
    // One branch, rarely taken, for "a run of exactly two has just ended": as two tests (run === 2, then inRun)
    // the first mispredicted at the second unit of most words.
    if (((run ^ 2) | inRun) === 0) countPair(codes, i - 2, runs);
    run = (run + 1) & inRun;
    if (run >= long) {
      runs.end = i + 1 - run;
      return runs;
    }
  }
  if (run === 2) countPair(codes, n - 2, runs);
  return runs;
}

/** Counts a two-character run at `start` if it is two hex digits, and whether it extends a chain of them. */
function countPair(codes: Uint16Array, start: number, runs: typeof SHORT_RUNS): void {
  const a = CLASS[codes[start]!]!;
  const b = CLASS[codes[start + 1]!]!;
  if (!(a & b & HEX)) return;
  runs.hexPairs++;
  if ((a | b) & (UPPER | LOWER)) runs.letteredPairs++;
  const gap = start - runs.pairEnd;
  runs.chain = gap >= 1 && gap <= 2 ? runs.chain + 1 : 1;
  runs.longestChain = Math.max(runs.longestChain, runs.chain);
  runs.pairEnd = start + 2;
}
