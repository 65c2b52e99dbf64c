import { codeAt } from './chars.js';
import { composeMaps, type SpanMap, SpanMapBuilder } from './span-map.js';
import { cueKinds, LEET_CUE, MARKED_CUE, SPACED_RUN_CUE, sameSeparator, separatorAt } from './squash-cues.js';
import { foldLeet } from './squash-leet.js';
import { dropMarksAndDoubles, isAlnum, isLetter } from './squash-splits.js';

export interface SquashResult {
  text: string;
  /** Squashed → folded offsets: only built on request, and null when they are equal (no letters joined). */
  map: SpanMap | null;
  /** Whether spaced letters were joined (offsets then differ from the folded text). */
  joined: boolean;
  transforms: string[];
}

const MIN_SPACED_LETTERS = 3;
/**
 * Undoes the two cheap letter-level disguises on folded (lowercase, whitespace-collapsed) text: spaced or
 * punctuated single letters are re-joined, and leet digits/symbols inside letter tokens become letters.
 * `gapWidth(i)` gives the width in the original text of the folded space at `i`, so that a wider gap
 * between spaced letters ("i g n o r e   a l l") still separates words. Returns null when nothing changed.
 */
export function squashText(
  folded: string,
  gapWidth: (index: number) => number,
  withMap = false,
): SquashResult | null {
  const cues = cueKinds(folded);
  if (cues === 0) return null;
  // Each pass below changes the text only where it has a cue of its kind (see cueKinds; squash-cues.test.ts
  // checks it): on text the previous passes left as it was, a pass without its cue is skipped.
  const unmarked = cues & MARKED_CUE ? dropMarksAndDoubles(folded, withMap) : null;
  const stage = unmarked?.text ?? folded;
  // Spaced-letter gaps are measured in the folded text: map stripped offsets back to it first.
  const gaps = unmarked ? (i: number) => gapWidth(unmarked.source[i]!) : gapWidth;
  const joined = unmarked || cues & SPACED_RUN_CUE ? joinSpacedLetters(stage, gaps, withMap) : null;
  const base = joined?.text ?? stage;
  const leet = unmarked || joined || cues & LEET_CUE ? foldLeet(base) : null;
  if (!unmarked && !joined && leet === null) return null;
  const transforms: string[] = [];
  if (unmarked?.marks) transforms.push('markup_split');
  if (unmarked?.doubles) transforms.push('doubled_letters');
  if (joined) transforms.push('spaced_letters');
  if (leet !== null) transforms.push('leetspeak');
  let map: SpanMap | null = null;
  if (withMap) {
    if (joined?.map && unmarked?.map) map = composeMaps(joined.map, unmarked.map);
    else map = joined?.map ?? unmarked?.map ?? null;
  }
  return { text: leet ?? base, map, joined: joined !== null || unmarked !== null, transforms };
}

/** Re-joins runs of spaced or punctuated single letters; null when there is none. */
export function joinSpacedLetters(
  text: string,
  gapWidth: (index: number) => number,
  withMap: boolean,
): { text: string; map: SpanMap | null } | null {
  let out = '';
  let joinedAny = false;
  const map = new SpanMapBuilder(withMap ? text.length : 0, withMap);
  let copied = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isAlnum(c)) {
      i++;
      continue;
    }
    // Skip whole words: a run starts only at a one-letter word followed by a separator.
    let w = i + 1;
    while (w < n && isAlnum(text.charCodeAt(w))) w++;
    const sepLen = w < n ? separatorAt(text, w) : 0;
    if (w - i !== 1 || !isLetter(c) || sepLen === 0) {
      i = w;
      continue;
    }
    const sep = text.charCodeAt(w);
    const step = sepLen + 1; // a letter and the separator after it
    let letters = 1;
    let j = i + 1; // j: index of a separator after a letter
    while (j + sepLen < n && sameSeparator(text, j, w, sepLen) && isLetter(codeAt(text, j + sepLen))) {
      const after = codeAt(text, j + step);
      if (j + step < n && isAlnum(after)) break; // next item is a word, not a single letter
      letters++;
      j += step;
    }
    if (letters < MIN_SPACED_LETTERS) {
      // Too short to be a run ("a p" before "p,h,i,s,h"): the next letter may start a run of its own.
      i = w;
      continue;
    }
    // Gap widths only for a run (the first call builds the fold's offset map).
    let minGap = Number.POSITIVE_INFINITY;
    if (sep === 0x20) for (let k = i + 1; k < j; k += step) minGap = Math.min(minGap, gapWidth(k));
    joinedAny = true;
    out += text.slice(copied, i);
    for (let k = copied; k < i; k++) map.push(k, k + 1);
    let letterRun = '';
    for (let k = i; k < j; k += step) {
      if (k > i && sep === 0x20 && gapWidth(k - 1) > minGap) {
        letterRun += ' ';
        map.push(k - 1, k);
      }
      letterRun += text[k]!;
      map.push(k, k + 1);
    }
    out += letterRun;
    copied = j;
    i = j;
  }
  if (!joinedAny) return null;
  out += text.slice(copied);
  for (let k = copied; k < n; k++) map.push(k, k + 1);
  return { text: out, map: withMap ? map.finish(n) : null };
}
