import { codeAt } from './chars.js';
import { type SpanMap, SpanMapBuilder } from './span-map.js';

/**
 * What hides words in the squashed view without showing in them: markdown marks between two letters of a word
 * (`ig**no**re`) and every letter written twice (`iiggnnoorree`). Both change lengths, so the stage keeps the
 * source index of every kept unit.
 */

/** Letters of folded (lowercase) text, Latin-1 and Latin Extended included. */
export function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
}

export function isAlnum(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39);
}

/** Markdown marks that split a word without showing: `ig**no**re`, `prev*iou*s`, `sys`tem``, `ig~~no~~re`. */
export function isInnerMark(c: number): boolean {
  return c === 0x2a || c === 0x60 || c === 0x7e;
}
const MAX_INNER_MARKS = 3;

/** Length of the run of inner marks at i when a letter stands right before it and right after it, else 0. */
export function innerMarksAt(text: string, i: number): number {
  if (!isInnerMark(text.charCodeAt(i)) || !isLetter(codeAt(text, i - 1))) return 0;
  let j = i + 1;
  while (j < text.length && j - i < MAX_INNER_MARKS && isInnerMark(text.charCodeAt(j))) j++;
  return isLetter(codeAt(text, j)) ? j - i : 0;
}

/** Letters of a doubled token: "iiggnnoorree" is "ignore" written with every letter twice. */
const MIN_DOUBLED_PAIRS = 3;

/** Whether a token of at least MIN_DOUBLED_PAIRS doubled letters starts at i ("iiggnn…", not "aaaaaa"). */
export function doubledAt(text: string, i: number): boolean {
  const a = text.charCodeAt(i);
  if (a !== text.charCodeAt(i + 1) || !isLetter(a)) return false;
  let distinct = false;
  for (let p = 1; p < MIN_DOUBLED_PAIRS; p++) {
    const c = text.charCodeAt(i + 2 * p);
    if (c !== text.charCodeAt(i + 2 * p + 1) || !isLetter(c)) return false;
    if (c !== a) distinct = true;
  }
  return distinct;
}

/**
 * End of the doubled token starting at i (every letter twice, even length, followed by no letter), or -1.
 */
function doubledTokenEnd(text: string, i: number): number {
  let j = i;
  while (j + 1 < text.length && isLetter(text.charCodeAt(j)) && text.charCodeAt(j) === text.charCodeAt(j + 1))
    j += 2;
  return j - i >= 2 * MIN_DOUBLED_PAIRS && !isLetter(codeAt(text, j)) ? j : -1;
}

/**
 * Drops what hides words without showing: markdown marks between two letters of a word, and the second letter
 * of every pair when the text is written with doubled letters (two doubled tokens or more; then also the short
 * ones, "aallll"). `source[i]` is the index in `text` of output unit i; the map (when asked for) folds each
 * dropped run into the letter before it. Null when there is nothing to drop.
 */
export function dropMarksAndDoubles(
  text: string,
  withMap: boolean,
): { text: string; source: Int32Array; map: SpanMap | null; marks: boolean; doubles: boolean } | null {
  const n = text.length;
  // Most texts have neither, and the checks are native scans: marks by includes(), doubled words only at the
  // spaces they follow (where CueScan finds them too).
  const mark = text.includes('*') || text.includes('`') || text.includes('~') ? firstInnerMark(text) : -1;
  let doubled = -1; // first doubled word
  let doubledTokens = 0;
  for (let i = 0; i >= 0 && i < n; i = text.indexOf(' ', i) + 1 || -1) {
    if (!doubledAt(text, i) || doubledTokenEnd(text, i) < 0) continue;
    if (doubledTokens++ === 0) doubled = i;
  }
  const doubles = doubledTokens >= 2;
  // Nothing is dropped before the first inner mark or (when the text is doubled) the first doubled word.
  const first = doubles ? (mark < 0 ? doubled : Math.min(mark, doubled)) : mark;
  if (first < 0) return null;
  let out = '';
  let copied = 0;
  let marks = false;
  const source = new Int32Array(n + 1);
  for (let i = 0; i < first; i++) source[i] = i;
  let k = first;
  for (let i = first; i < n; i++) {
    const run = innerMarksAt(text, i);
    if (run > 0) {
      out += text.slice(copied, i);
      copied = i + run;
      marks = true;
      i += run - 1;
      continue;
    }
    if (doubles && (i === 0 || !isLetter(text.charCodeAt(i - 1)))) {
      // A token of letter pairs (two letters or more pairs, as "aall"), halved.
      let j = i;
      while (j + 1 < n && isLetter(text.charCodeAt(j)) && text.charCodeAt(j) === text.charCodeAt(j + 1))
        j += 2;
      if (j - i >= 4 && !isLetter(codeAt(text, j))) {
        out += text.slice(copied, i);
        for (let p = i; p < j; p += 2) {
          out += text[p];
          source[k++] = p;
        }
        copied = j;
        i = j - 1;
        continue;
      }
    }
    source[k++] = i;
  }
  out += text.slice(copied);
  source[k] = n;
  let map: SpanMap | null = null;
  if (withMap) {
    const builder = new SpanMapBuilder(k, true);
    for (let u = 0; u < k; u++) {
      const at = source[u]!;
      builder.push(at, u + 1 < k ? source[u + 1]! : at + 1); // a dropped run goes with the letter before it
    }
    map = builder.finish(n);
  }
  return { text: out, source, map, marks, doubles };
}

function firstInnerMark(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x2a || c === 0x60 || c === 0x7e) && innerMarksAt(text, i) > 0) return i;
  }
  return -1;
}
