// AssemblyScript source of the normaliser's cipher word scan (built by `npm run build:wasm` into
// wasm/cipher-words.wasm; a test checks the committed binary is the build of this file).
//
// It is src/normalize/rot-reverse.ts scanWords with its squash cue collection (squash-cues.ts isCueCandidate),
// computing exactly the same words, votes, shifts and cue candidates. The JavaScript scan stays the reference and
// the fallback (texts longer than the kernel's capacity, runtimes without WebAssembly); the normaliser uses this
// kernel because that scan, which reads every code unit of every folded text, was its most expensive pass as
// JIT-compiled JavaScript (~7 ns per unit on 2 KB texts: typed-array bounds checks, a branch per word edge).
//
// Memory (imported) is laid out by src/normalize/cipher-words-kernel.ts, which writes the tables' offsets as i32
// fields of a header (read by init, in the order below) and the folded text as UTF-16 at `text`, after two zero
// units and followed by at least three (reads past the end see zeros, as CodeUnits' padding gives the JavaScript
// scan; reads before the start see zeros, which no test takes for a letter or digit).

// Word table bits (rot-reverse.ts): a common word as it is, after ROT13, reversed; shifts at bits 1..25, Atbash 27.
const PLAIN: i32 = 1;
const ROT: i32 = 1 << 13;
const REV: i32 = 1 << 26;
const SHIFTED: i32 = (((1 << 26) - 2) & ~ROT) | (1 << 27);
// Votes.
const AGAINST: i8 = -1;
const NEUTRAL: i8 = 0;
const FOR: i8 = 1;
// Squash cue unit bits (squash-cues.ts UNIT).
const ALNUM: i32 = 1;
const LETTER: i32 = 2;
const SPACE: i32 = 4;
const SEPARATOR: i32 = 8;
const LEET: i32 = 16;
const MARK: i32 = 32;
const PAIR: i32 = 64;
const EVERY_TEST: i32 = SPACE | SEPARATOR | LEET | MARK;

let gains: usize = 0; // i32[676 * 2]: per letter pair a*26+b, (ROT13 gain, reversal gain)
let slots: usize = 0; // i32[2 * (slotMask + 1)]: (word hash, bits) pairs, bits 0 for an empty slot
let slotMask: i32 = 0;
let units: usize = 0; // u8[65536]: squash cue bits per code unit
let text: usize = 0; // u16[capacity + padding]
let wordStart: usize = 0; // i32[capacity]
let wordEnd: usize = 0; // i32[capacity]
let wordRot: usize = 0; // i8[capacity]
let wordRev: usize = 0; // i8[capacity]
let wordShift: usize = 0; // i8[capacity]
let cues: usize = 0; // i32[maxCues + 1]
let maxCues: i32 = 0;
let cueCount: i32 = 0;
// Words of the last scan that vote for ROT13, for reversal, and that are common words under some shift or Atbash.
let rotFor: i32 = 0;
let revFor: i32 = 0;
let shifted: i32 = 0;

export function init(header: usize): void {
  gains = load<i32>(header);
  slots = load<i32>(header, 4);
  slotMask = load<i32>(header, 8);
  units = load<i32>(header, 12);
  text = load<i32>(header, 16);
  wordStart = load<i32>(header, 20);
  wordEnd = load<i32>(header, 24);
  wordRot = load<i32>(header, 28);
  wordRev = load<i32>(header, 32);
  wordShift = load<i32>(header, 36);
  cues = load<i32>(header, 40);
  maxCues = load<i32>(header, 44);
}

/**
 * Words of the last scan voting for ROT13 (`kind` 0), for reversal (1), or shifted (2): a cipher run needs three
 * (rot-reverse.ts), so fewer means none is looked for.
 */
export function wordsFor(kind: i32): i32 {
  return kind == 0 ? rotFor : kind == 1 ? revFor : shifted;
}

/** Cue candidates the last scan collected (more than maxCues: it stopped collecting). */
export function cueCandidates(): i32 {
  return cueCount;
}

// @ts-ignore: decorator
@inline function unitAt(i: i32): i32 {
  return <i32>load<u16>(text + (<usize>i << 1));
}

// @ts-ignore: decorator
@inline function bitsOfUnit(c: i32): i32 {
  return <i32>load<u8>(units + <usize>c);
}

// @ts-ignore: decorator
@inline function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

/**
 * isCueCandidate(codes, i), with its tests combined as bits rather than branches (a branch per test mispredicted
 * at most spaces). Units before the text read as zeros (the host writes two there), as i > 0 / i > 1 do.
 */
function isCueCandidate(i: i32): bool {
  const unit = bitsOfUnit(unitAt(i));
  if ((unit & EVERY_TEST) == 0) return false;
  const before = bitsOfUnit(unitAt(i - 1)) & ALNUM;
  const runOfOne = before & ~bitsOfUnit(unitAt(i - 2));
  const next = bitsOfUnit(unitAt(i + 1));
  const letterAfter = (next & LETTER) != 0;
  const separator =
    (unit & SEPARATOR) != 0 &&
    runOfOne != 0 &&
    ((unit & PAIR) != 0 || (letterAfter && (bitsOfUnit(unitAt(i + 2)) & ALNUM) == 0));
  const space = (unit & SPACE) != 0 && unitAt(i + 1) == unitAt(i + 2);
  const leet = (unit & LEET) != 0 && letterAfter;
  const mark = (unit & MARK) != 0 && before != 0;
  return <bool>(<i32>separator | <i32>space | <i32>leet | <i32>mark);
}

/** The table bits of a word hash (rot-reverse.ts bitsOf). */
function bitsOf(hash: i32): i32 {
  let slot = <i32>(<u32>(hash * <i32>0x9e3779b1) >> 18) & slotMask;
  let at = slots + (<usize>slot << 3);
  while (load<i32>(at, 4) != 0 && load<i32>(at) != hash) {
    slot = (slot + 1) & slotMask;
    at = slots + (<usize>slot << 3);
  }
  return load<i32>(at, 4);
}

/** rot-reverse.ts vote: WORD_GAIN 1.5 and AGAINST_GAIN 2 per letter pair, in integers. */
function vote(common: bool, gain: i32, pairs: i32): i8 {
  if (common) return FOR;
  if (pairs < 2) return NEUTRAL;
  if (2 * gain >= 3 * pairs) return FOR;
  return gain <= -2 * pairs ? AGAINST : NEUTRAL;
}

// @ts-ignore: decorator
@inline function push(w: i32, start: i32, end: i32, rot: i8, rev: i8, shift: i8): void {
  store<i32>(wordStart + (<usize>w << 2), start);
  store<i32>(wordEnd + (<usize>w << 2), end);
  store<i8>(wordRot + <usize>w, rot);
  store<i8>(wordRev + <usize>w, rev);
  store<i8>(wordShift + <usize>w, shift);
}

/**
 * Scans the `n` units at `text` into the word table and returns its word count; with `collect`, also lists the
 * cue candidates between words (stopping after maxCues + 1, as the JavaScript scan does).
 */
export function scan(n: i32, collect: bool): i32 {
  let count = 0;
  let collecting = collect;
  cueCount = 0;
  rotFor = 0;
  revFor = 0;
  shifted = 0;
  let i = 0;
  while (i < n) {
    let c = unitAt(i) - 97;
    if (<u32>c > 25) {
      if (collecting && isCueCandidate(i)) {
        store<i32>(cues + (<usize>cueCount << 2), i);
        cueCount++;
        if (cueCount > maxCues) collecting = false;
      }
      i++;
      continue;
    }
    const start = i;
    let rotGain = 0;
    let revGain = 0;
    let prev = c;
    let hash = c + 97;
    i++;
    // The padding after the text is not a letter: no length test needed.
    for (;;) {
      c = unitAt(i) - 97;
      if (<u32>c > 25) break;
      const at = gains + (<usize>(prev * 26 + c) << 3);
      rotGain += load<i32>(at);
      revGain += load<i32>(at, 4);
      hash = hash * 31 + c + 97;
      prev = c;
      i++;
    }
    const pairs = i - start - 1;
    if (pairs == 0) continue;
    if (pairs >= 2 && rotGain <= -2 * pairs && revGain <= -2 * pairs) {
      push(count++, 0, 0, AGAINST, AGAINST, -1);
      continue;
    }
    const glued = (start > 0 && isDigit(unitAt(start - 1))) || isDigit(unitAt(i));
    const bits = glued ? 0 : bitsOf(hash);
    if (glued || bits & PLAIN) {
      push(count++, 0, 0, AGAINST, AGAINST, -1);
      continue;
    }
    const shifts = pairs >= 2 ? bits & SHIFTED : 0;
    const rot = vote((bits & ROT) != 0, rotGain, pairs);
    const rev = vote((bits & REV) != 0, revGain, pairs);
    rotFor += <i32>(rot == FOR);
    revFor += <i32>(rev == FOR);
    shifted += <i32>(shifts != 0);
    push(count++, start, i, rot, rev, shifts ? <i8>ctz(shifts) : 0);
  }
  return count;
}
