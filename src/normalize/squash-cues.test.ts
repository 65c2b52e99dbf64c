import { describe, expect, it } from 'vitest';
import { codeAt } from './chars.js';
import { joinSpacedLetters } from './squash.js';
import { CodeUnits } from './code-units.js';
import { scanFolded } from './rot-reverse.js';
import {
  ANY_CUE,
  CueScan,
  cueKinds,
  EVERY_TEST,
  LEET_CUE,
  MARKED_CUE,
  nextCandidate,
  SPACED_RUN_CUE,
} from './squash-cues.js';
import { foldLeet, leetOf } from './squash-leet.js';
import { doubledAt, dropMarksAndDoubles, innerMarksAt, isAlnum, isLetter } from './squash-splits.js';
import { rng } from './test-helpers.js';

/** The first cue found at a candidate at or after `from` (what cueWindows looks for next), or -1. */
function nextSquashCue(text: string, from: number): number {
  return new CueScan(text).next(from);
}

/** The kinds of every cue, asked for in order. */
function scannedKinds(text: string): number {
  const cues = new CueScan(text);
  let all = 0;
  for (let cue = cues.next(0); cue >= 0; cue = cues.next(cues.at + 1)) all |= cues.kinds();
  return all;
}

/** The per-character scan the cue search replaced (kept here as the specification its native scan must meet). */
function referenceCue(text: string, from: number): number {
  const separator = (i: number): number => {
    const c = text.charCodeAt(i);
    if (c < 256) return ' .,-_+=*#|/\\~:;^·'.includes(String.fromCharCode(c)) ? 1 : 0;
    if (c === 0x2022 || (c >= 0x2190 && c <= 0x2bff)) return 1;
    const lo = text.charCodeAt(i + 1);
    return c >= 0xd83c && c <= 0xd83e && lo >= 0xdc00 && lo <= 0xdfff ? 2 : 0;
  };
  if (from === 0 && doubledAt(text, 0)) return 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 && doubledAt(text, i + 1)) return i + 1;
    if (innerMarksAt(text, i) > 0) return i;
    if (leetOf(c)) {
      if (isLetter(codeAt(text, i + 1))) {
        let j = i - 1;
        while (j >= 0 && leetOf(text.charCodeAt(j))) j--;
        const prev = codeAt(text, j);
        if (isLetter(prev) || (j === i - 1 && !isAlnum(prev) && isLetter(codeAt(text, i + 2)))) return i;
      }
      continue;
    }
    const len = separator(i);
    if (len && isLetter(codeAt(text, i - 1)) && isLetter(codeAt(text, i + len))) {
      if (!(isAlnum(codeAt(text, i - 2)) && i >= 2) && !isAlnum(codeAt(text, i + len + 1))) return i;
    }
    if (len === 2) i++;
  }
  return -1;
}

const PIECES = [
  ...'aeioustxyzAÉéßÿ×÷ĀƏɏɐ0123456789@$£€ .,-_+=*#|/\\~:;^·`!?"\'()\n',
  '•',
  '★',
  '→',
  '⯿',
  'Ⰰ',
  '🙂',
  '🌍',
  '\ud83d',
  '\ude00',
  'ii',
  'gg',
  'nn',
  '  ',
  'i g n',
  'h4ck',
  '1gn',
  'ig**no',
  'iiggnnoo',
];

function randomText(next: () => number): string {
  let text = '';
  const length = Math.floor(next() * 30);
  for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)]!;
  return text;
}

describe('squash cues', () => {
  it('finds the same cue as the per-character scan, from every offset', () => {
    const next = rng(21);
    for (let round = 0; round < 4000; round++) {
      const text = randomText(next);
      for (let from = 0; from <= text.length; from++) {
        expect(nextSquashCue(text, from), JSON.stringify([text, from])).toBe(referenceCue(text, from));
      }
    }
  });

  it('finds the same cues from the candidates the cipher word scan collects as from its own scan', () => {
    const next = rng(29);
    for (let round = 0; round < 4000; round++) {
      const text = randomText(next);
      const codes = new CodeUnits().load(text);
      const scanned: number[] = [];
      for (
        let i = nextCandidate(codes, text.length, 0, EVERY_TEST);
        i >= 0;
        i = nextCandidate(codes, text.length, i + 1, EVERY_TEST)
      )
        scanned.push(i);
      const collected = scanFolded(text);
      expect(collected, JSON.stringify(text)).toEqual(scanned);
      for (let from = 0; from <= text.length; from++) {
        expect(new CueScan(text, collected).next(from), JSON.stringify([text, from])).toBe(
          referenceCue(text, from),
        );
      }
    }
  });

  it('lists candidates only up to a limit: past it CueScan scans itself (hostile text has one at every space)', () => {
    const listed = (text: string) => {
      const codes = new CodeUnits().load(text);
      const all: number[] = [];
      for (
        let i = nextCandidate(codes, text.length, 0, EVERY_TEST);
        i >= 0;
        i = nextCandidate(codes, text.length, i + 1, EVERY_TEST)
      )
        all.push(i);
      return all;
    };
    expect(scanFolded('a '.repeat(1024))).toEqual(listed('a '.repeat(1024)));
    expect(listed('a '.repeat(1100)).length).toBeGreaterThan(1024);
    expect(scanFolded('a '.repeat(1100))).toBeNull();
    expect(scanFolded('a.'.repeat(5000))).toBeNull();
  });

  it('finds the same cue next to one-character words, where candidates are cut short', () => {
    const texts = ['a bc', 'a b', 'a b ', 'a b1', 'a 1', '1 | 0 | 2', 'x a,b', 'a,', 'a ', 'a 🙂b', 'a🙂b c'];
    for (const body of [...texts, ...texts.map((t) => `${t} i.g.n`), ...texts.map((t) => `w ${t}`)]) {
      for (let from = 0; from <= body.length; from++)
        expect(nextSquashCue(body, from), JSON.stringify([body, from])).toBe(referenceCue(body, from));
    }
    expect(nextSquashCue('a bc d', 0)).toBe(-1);
    expect(nextSquashCue('a b', 0)).toBe(1);
  });

  // squashText skips a pass when the text has no cue of its kind: each pass must change nothing then.
  it('has a cue of the kind each squash pass needs wherever that pass changes the text', () => {
    const next = rng(22);
    const seen = { marked: 0, leet: 0, spaced: 0 };
    for (let round = 0; round < 20000; round++) {
      const text = randomText(next).toLowerCase();
      const kinds = cueKinds(text);
      expect(kinds !== 0, text).toBe(nextSquashCue(text, 0) >= 0);
      expect(scannedKinds(text), text).toBe(kinds);
      expect(kinds === 0 || (kinds & ANY_CUE) !== 0, text).toBe(true);
      if (dropMarksAndDoubles(text, false) !== null) {
        expect(kinds & MARKED_CUE, text).toBe(MARKED_CUE);
        seen.marked++;
      }
      // Exactly: a leet cue counts only in a token foldLeet folds.
      expect((kinds & LEET_CUE) !== 0, text).toBe(foldLeet(text) !== null);
      if (foldLeet(text) !== null) seen.leet++;
      if (joinSpacedLetters(text, () => 1, false) !== null) {
        expect(kinds & SPACED_RUN_CUE, text).toBe(SPACED_RUN_CUE);
        seen.spaced++;
      }
    }
    // The random texts exercise every pass.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(100);
    expect(cueKinds('e.g. a b') & SPACED_RUN_CUE).toBe(0);
    expect(cueKinds('x a.b.c') & SPACED_RUN_CUE).toBe(SPACED_RUN_CUE);
    expect(cueKinds('i🙂g🙂n') & SPACED_RUN_CUE).toBe(SPACED_RUN_CUE);
    expect(cueKinds('a.b-c') & SPACED_RUN_CUE).toBe(0);
    for (const text of ['4ll', 'h4ck', 'p@ss', 'x 1gnore', 'he££o'])
      expect(cueKinds(text) & LEET_CUE).toBe(LEET_CUE);
  });
});
