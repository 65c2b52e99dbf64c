import type { RE2JS } from 're2js';
import { ATTEMPT_COST, occurrences, scanCost } from './literal-odds.js';

/**
 * Where a match of a case-insensitive rule regex can START, read from re2js's compiled program: a short set
 * of literal strings (in lowerForFilter's lower-cased form) one of which every match begins with, and/or the
 * text or line start when a path reaches `^` / `(?m)^` before reading a character.
 *
 * The analysis walks the program from its start instruction, expanding each character instruction into the
 * lower-cased characters it can match, up to a depth chosen per regex by a rough cost model (regex-anchored.ts
 * then searches each string with native indexOf). A path that can match without reading a character, an
 * instruction matching many characters or one whose lower-casing is not exact (any cased non-ASCII
 * character other than KELVIN SIGN and LONG S, which RE2 folds onto `k` and `s` and lowerForFilter lower-cases
 * to them) ends the string there; if that leaves it empty the regex gets no analysis (full-text path).
 * Empty-width assertions other than a leading `^` are passed over: they can only remove matches, so the
 * starts stay a superset. Read from re2js internals; an unexpected shape gives null (full-text path).
 */
export interface RegexStarts {
  /** Lower-cased strings every match not covered by the anchors below starts with (none is a prefix of another). */
  literals: string[];
  /** A match can start at offset 0 (a leading `^`). */
  textStart: boolean;
  /** A match can start at offset 0 or right after any `\n` (a leading `(?m)^`). */
  lineStart: boolean;
}

interface RawInst {
  op: number;
  out: number;
  arg: number;
  runes: ArrayLike<number>;
}

interface RawProg {
  inst: RawInst[];
  start: number;
  numLb?: number;
}

// re2js Inst ops and RE2Flags / Utils constants (checked against the program shape below).
const ALT = 1;
const ALT_MATCH = 2;
const CAPTURE = 3;
const EMPTY_WIDTH = 4;
const FAIL = 5;
const MATCH = 6;
const NOP = 7;
const RUNE = 8; // RUNE1 = 9 (one exact rune) takes the default branches.
const RUNE_ANY = 10;
const RUNE_ANY_NOT_NL = 11;
const EMPTY_BEGIN_LINE = 1;
const EMPTY_BEGIN_TEXT = 4;

/** A character instruction matching more distinct lower-cased characters than this ends a start string. */
const MAX_CLASS = 8;
/** More start strings than this are not worth one indexOf each. */
const MAX_LITERALS = 12;
const MAX_DEPTH = 6;
/** Guard on the walk itself (programs of rule regexes have a few hundred instructions). */
const MAX_VISITS = 5_000;

/** The program of a compiled regex, or null when re2js internals do not have the expected shape. */
export function programOf(re: RE2JS): RawProg | null {
  const prog = (re as unknown as { re2Input?: { prog?: unknown } }).re2Input?.prog as RawProg | undefined;
  if (!prog || !Array.isArray(prog.inst) || typeof prog.start !== 'number') return null;
  if (prog.numLb !== 0) return null;
  for (const inst of prog.inst) {
    if (typeof inst?.op !== 'number' || typeof inst.out !== 'number' || typeof inst.arg !== 'number') {
      return null;
    }
    if (inst.op < ALT || inst.op > RUNE_ANY_NOT_NL || !inst.runes || typeof inst.runes.length !== 'number') {
      return null;
    }
  }
  return prog;
}

/**
 * The one code unit (or astral pair) lowerForFilter leaves at a character's position, or null when it is not
 * exact: ASCII lower-cases, KELVIN SIGN to `k`, LONG S to `s`, caseless characters stay.
 */
function loweredChar(cp: number): string | null {
  if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
  if (cp < 0x80) return String.fromCharCode(cp).toLowerCase();
  if (cp === 0x212a) return 'k';
  if (cp === 0x17f) return 's';
  const ch = String.fromCodePoint(cp);
  return ch.toLowerCase() === ch && ch.toUpperCase() === ch ? ch : null;
}

/** The lower-cased characters an instruction can match, or null when there are too many or one is inexact. */
function loweredChars(inst: RawInst): string[] | null {
  if (inst.op === RUNE_ANY || inst.op === RUNE_ANY_NOT_NL) return null;
  const runes = inst.runes;
  if (runes.length === 1) {
    // Folded or not, one rune gives one lowered character: an ASCII letter's case orbit (with KELVIN SIGN /
    // LONG S for k and s) lower-cases to that letter, a caseless one is its own orbit, and loweredChar
    // refuses every other cased character.
    const ch = loweredChar(runes[0]!);
    return ch === null ? null : [ch];
  }
  if (inst.op !== RUNE || runes.length % 2 !== 0) return null;
  const chars = new Set<string>();
  for (let i = 0; i < runes.length; i += 2) {
    const lo = runes[i]!;
    const hi = runes[i + 1]!;
    if (hi < lo || hi - lo > 4 * MAX_CLASS) return null;
    for (let cp = lo; cp <= hi; cp++) {
      const ch = loweredChar(cp);
      if (ch === null) return null;
      chars.add(ch);
      if (chars.size > MAX_CLASS) return null;
    }
  }
  return [...chars];
}

/** Start strings up to `depth` characters deep, or null (a path with no character, or too many strings). */
function startsAtDepth(prog: RawProg, depth: number): RegexStarts | null {
  const found = new Set<string>();
  const seen = new Set<string>();
  let textStart = false;
  let lineStart = false;
  let visits = 0;
  const stack: [number, string, number][] = [[prog.start, '', 0]];
  while (stack.length > 0) {
    const [pc, prefix, chars] = stack.pop()!;
    const key = `${pc}\u0000${prefix}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (++visits > MAX_VISITS) return null;
    const inst = prog.inst[pc];
    if (!inst) return null;
    switch (inst.op) {
      case ALT:
      case ALT_MATCH:
        stack.push([inst.out, prefix, chars], [inst.arg, prefix, chars]);
        break;
      case CAPTURE:
      case NOP:
        stack.push([inst.out, prefix, chars]);
        break;
      case EMPTY_WIDTH:
        if (prefix === '' && (inst.arg & EMPTY_BEGIN_TEXT) !== 0) textStart = true;
        else if (prefix === '' && (inst.arg & EMPTY_BEGIN_LINE) !== 0) lineStart = true;
        else stack.push([inst.out, prefix, chars]);
        break;
      case FAIL:
        break;
      case MATCH:
        if (prefix === '') return null;
        found.add(prefix);
        break;
      default: {
        const next = chars < depth ? loweredChars(inst) : null;
        if (next === null) {
          if (prefix === '') return null;
          found.add(prefix);
        } else {
          for (const ch of next) stack.push([inst.out, prefix + ch, chars + 1]);
        }
      }
    }
    if (found.size > 4 * MAX_LITERALS) return null;
  }
  // A string with another as its prefix adds no start the shorter one does not give.
  const literals = [...found].filter((s) => ![...found].some((t) => t !== s && s.startsWith(t)));
  if (literals.length > MAX_LITERALS) return null;
  return { literals, textStart, lineStart };
}

/** Expected CPU µs of the search on a 2 KB text: an indexOf pass per string, an attempt per start found. */
export function searchCost(starts: RegexStarts): number {
  let total = starts.lineStart ? scanCost('\n') + ATTEMPT_COST * (1 + occurrences('\n')) : 0;
  if (starts.textStart) total += ATTEMPT_COST;
  for (const s of starts.literals) total += scanCost(s) + ATTEMPT_COST * occurrences(s);
  return total;
}

/** The start analysis of a compiled rule regex (see RegexStarts), or null for the full-text path. */
export function regexStarts(re: RE2JS): RegexStarts | null {
  const prog = programOf(re);
  if (!prog) return null;
  let best: RegexStarts | null = null;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let depth = 1; depth <= MAX_DEPTH; depth++) {
    const starts = startsAtDepth(prog, depth);
    // A path without a character fails at every depth, and deeper walks only split strings further: once
    // too many, deeper ones are too.
    if (!starts) break;
    const c = searchCost(starts);
    if (c < bestCost) {
      best = starts;
      bestCost = c;
    }
  }
  return best;
}
