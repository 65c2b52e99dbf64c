// AssemblyScript source of the normaliser's short base-N run scan (built by `npm run build:wasm` into
// wasm/base-runs.wasm; a test checks the committed binary is the build of this file).
//
// It is the loop of src/normalize/base-runs.ts scanShortRuns: it measures runs of base64 / base64url alphabet
// units up to the first run of `long` units, and lists where each run of exactly two units starts, in order. The
// host counts those pairs as scanShortRuns does (a handful per text). The JavaScript scan stays the reference and
// the fallback; the normaliser uses this kernel because that loop, which reads every unit of every text, ran at
// ~2-3 ns per unit as JIT-compiled JavaScript.
//
// Memory (imported) is laid out by src/normalize/base-runs-kernel.ts, which writes the offsets below as i32 fields
// of a header (read by init) and the text as UTF-16 at `text`.

let alphabet: usize = 0; // i8[65536]: -1 for a base64 / base64url alphabet unit, else 0
let text: usize = 0; // u16[capacity]
let pairs: usize = 0; // i32[capacity / 2 + 1]: starts of two-unit runs
let pairCount: i32 = 0;

export function init(header: usize): void {
  alphabet = load<i32>(header);
  text = load<i32>(header, 4);
  pairs = load<i32>(header, 8);
}

/** Two-unit runs the last scan listed. */
export function pairsFound(): i32 {
  return pairCount;
}

// @ts-ignore: decorator
@inline function pair(start: i32): void {
  store<i32>(pairs + (<usize>pairCount << 2), start);
  pairCount++;
}

/**
 * Scans units [from, n) and returns the start of the first run of `long` alphabet units or more, or n; lists the
 * two-unit runs ended on the way (and one ending the text when no long run was found).
 */
export function scan(n: i32, from: i32, long: i32): i32 {
  pairCount = 0;
  let run = 0;
  for (let i = from; i < n; i++) {
    const inRun = <i32>load<i8>(alphabet + <usize>load<u16>(text + (<usize>i << 1)));
    if (((run ^ 2) | inRun) == 0) pair(i - 2);
    run = (run + 1) & inRun;
    if (run >= long) return i + 1 - run;
  }
  if (run == 2) pair(n - 2);
  return n;
}
