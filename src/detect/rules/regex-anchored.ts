import { RE2JS } from 're2js';
import { type RegexStarts, regexStarts } from './regex-starts.js';

/**
 * `re.test(text)` answered by anchored DFA runs at the few offsets where a match can start (regex-starts.ts)
 * instead of one unanchored run over the whole text: rule regexes almost never match, and their start
 * literals rarely occur, so most texts cost a few native indexOf passes over the lower-cased view.
 *
 * Why it is exact: a match exists iff one exists starting at some offset p, and every match start is one of
 * the offsets tried (the analysis gives a superset, and lower-casing keeps offsets when lengths agree, see
 * below). re2js's DFA anchored at p decides "a match starts at p" given the context before p; the input
 * below gives it the real character before p (not "text start" as a sliced input would), so `^`, `(?m)^` and
 * `\b` see exactly what the unanchored run sees there (RE2 derives both from that one character). Only
 * match/no-match is decided here; the span still comes from `matcher(text).find()` on the rare match.
 *
 * Linear time: the attempts together may read at most half the text length + ATTEMPT_SLACK characters (an
 * anchored DFA step costs about two unanchored ones: re2js looks it up through a call), each attempt also
 * counting as ATTEMPT_CHARGE characters for its fixed cost. Overlapping attempts, e.g. `\n\s*` over a long
 * run of newlines, could otherwise read a text quadratically often, and a start at every character would
 * cost several full-text runs. Past that budget, and whenever re2js's DFA gives up (null), the full-text
 * `re.test` decides, so a hostile text costs at most about two full-text runs.
 */

interface RawDfa {
  match(input: unknown, pos: number, anchor: number): boolean | null;
}

// re2js RE2Flags.ANCHOR_START and MachineInputBase.EOF().
const ANCHOR_START = 1;
const EOF = -8;
const ATTEMPT_SLACK = 256;
/** An attempt's fixed cost (a DFA.match call: start state, closures) in characters read (~10 ns each). */
const ATTEMPT_CHARGE = 8;

function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

// re2js Utils.EMPTY_* flags.
const BEGIN_LINE = 1;
const END_LINE = 2;
const BEGIN_TEXT = 4;
const END_TEXT = 8;
const WORD_BOUNDARY = 16;
const NO_WORD_BOUNDARY = 32;

/**
 * re2js's MachineUTF16Input over text[offset..], except that `context` reads the character before the
 * offset, and every character read counts against a budget (past it, reads end the text and `exhausted`
 * says the answer is void).
 */
class OffsetInput {
  text = '';
  offset = 0;
  end = 0;
  budget = 0;
  exhausted = false;

  endPos(): number {
    return this.end - this.offset;
  }

  step(pos: number): number {
    if (--this.budget < 0) {
      this.exhausted = true;
      return EOF;
    }
    const at = pos + this.offset;
    if (at >= this.end) return EOF;
    const c1 = this.text.charCodeAt(at);
    if (c1 < 0xd800 || c1 > 0xdbff || at + 1 >= this.end) return (c1 << 3) | 1;
    const c2 = this.text.charCodeAt(at + 1);
    if (c2 >= 0xdc00 && c2 <= 0xdfff) return ((((c1 - 0xd800) << 10) + (c2 - 0xdc00) + 0x10000) << 3) | 2;
    return (c1 << 3) | 1;
  }

  /** Utils.emptyOpContext of the code units around the offset, as the unanchored run sees them. */
  context(pos: number): number {
    const at = pos + this.offset;
    const before = at > 0 && at <= this.end ? this.text.charCodeAt(at - 1) : -1;
    const after = at < this.end ? this.text.charCodeAt(at) : -1;
    let op = 0;
    if (before < 0) op |= BEGIN_TEXT | BEGIN_LINE;
    if (before === 10) op |= BEGIN_LINE;
    if (after < 0) op |= END_TEXT | END_LINE;
    if (after === 10) op |= END_LINE;
    op |= isWordCode(before) !== isWordCode(after) ? WORD_BOUNDARY : NO_WORD_BOUNDARY;
    return op;
  }
}

export class AnchoredTest {
  private readonly input = new OffsetInput();

  private constructor(
    private readonly re: RE2JS,
    private readonly dfa: RawDfa,
    readonly starts: RegexStarts,
  ) {}

  /** The anchored test for a compiled rule regex, or null when its starts cannot be derived. */
  static for(re: RE2JS): AnchoredTest | null {
    AnchoredTest.probed ??= AnchoredTest.probe();
    if (!AnchoredTest.probed) return null;
    return AnchoredTest.derive(re);
  }

  private static probed: boolean | undefined;

  /** Whether every probe (PROBES) gives the expected starts and answers. */
  private static probe(): boolean {
    return PROBES.every(({ source, starts, texts }) => {
      try {
        const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
        const test = AnchoredTest.derive(re);
        if (!test) return false;
        const { literals, textStart, lineStart } = test.starts;
        if (`${JSON.stringify(literals.toSorted())} ${textStart} ${lineStart}` !== starts) return false;
        return texts.every(
          ([text, expected]) =>
            test.search(text, text.toLowerCase()) === expected && re.test(text) === expected,
        );
      } catch {
        return false;
      }
    });
  }

  private static derive(re: RE2JS): AnchoredTest | null {
    const starts = regexStarts(re);
    if (!starts) return null;
    let dfa: RawDfa | undefined;
    try {
      dfa = (re as unknown as { re2Input?: { dfa?: RawDfa } }).re2Input?.dfa;
    } catch {
      return null;
    }
    if (!dfa || typeof dfa.match !== 'function') return null;
    return new AnchoredTest(re, dfa, starts);
  }

  /** Same as `re.test(text)`; `lower` is lowerForFilter(text). */
  test(text: string, lower: string): boolean {
    const found = lower.length === text.length ? this.search(text, lower) : null;
    return found ?? this.re.test(text);
  }

  /** Whether a match starts at any candidate offset; null when the runs could not decide. */
  private search(text: string, lower: string): boolean | null {
    const input = this.input;
    input.text = text;
    input.end = text.length;
    input.budget = (text.length >> 1) + ATTEMPT_SLACK;
    input.exhausted = false;
    const { literals, textStart, lineStart } = this.starts;
    let found: boolean | null = false;
    if (textStart || lineStart) found = this.attempt(0);
    if (lineStart) {
      for (let i = text.indexOf('\n'); i >= 0 && found === false; i = text.indexOf('\n', i + 1)) {
        found = this.attempt(i + 1);
      }
    }
    for (let l = 0; l < literals.length && found === false; l++) {
      const literal = literals[l]!;
      for (let i = lower.indexOf(literal); i >= 0 && found === false; i = lower.indexOf(literal, i + 1)) {
        found = this.attempt(i);
      }
    }
    input.text = '';
    return found;
  }

  private attempt(offset: number): boolean | null {
    const input = this.input;
    input.budget -= ATTEMPT_CHARGE;
    if (input.budget < 0) return null;
    input.offset = offset;
    const matched = this.dfa.match(input, 0, ANCHOR_START);
    return input.exhausted || matched === null ? null : matched;
  }
}

/**
 * Probes of the re2js internals the analysis reads (instruction numbering, flags, the DFA's anchored match
 * and input interface): regexes with known starts and texts with known answers. A re2js whose internals
 * changed shape fails a probe, and every regex then keeps the full-text path.
 */
const PROBES: { source: string; starts: string; texts: [string, boolean][] }[] = [
  {
    source: String.raw`\b(?:ak|c[dD])x`,
    starts: '["akx","cdx"] false false',
    texts: [
      ['zz AKX', true],
      ['zzakx', false],
      ['a\u212Ax', true],
      ['cdy akz', false],
    ],
  },
  {
    source: String.raw`(?m)^\s*q`,
    starts: '[] false true',
    texts: [
      ['a\n  Q', true],
      ['a q', false],
    ],
  },
  {
    source: '(?:^|-)w',
    starts: '["-w"] true false',
    texts: [
      ['w', true],
      ['aw', false],
      ['a-W', true],
    ],
  },
];
