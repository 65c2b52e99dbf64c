import { type EncodedSegment, pushDecoded } from './encodings.js';
import { hasCommonWords } from './english.js';

/**
 * Upside-down text (`ʇdɯoɹd ɯǝʇsʎs ɹnoʎ lɐǝʌǝɹ`): each letter replaced by a rotated look-alike and the whole
 * string reversed, a filter-dodging trick of jailbreak prompts. A run of words made only of rotated letters
 * (and the plain letters that look the same rotated) is decoded when it holds at least three letters no plain
 * text uses (ɐ, ǝ, ɹ, ʇ, ...) and the decoded text spells two or more common English words. Phonetic (IPA)
 * transcriptions share some of these letters; they decode to nothing readable and are left alone.
 */

const ROTATED: Record<string, string> = {
  ɐ: 'a',
  ɔ: 'c',
  ǝ: 'e',
  ɟ: 'f',
  ƃ: 'g',
  ɓ: 'g',
  ɥ: 'h',
  ᴉ: 'i',
  ı: 'i',
  ɾ: 'j',
  ʞ: 'k',
  ʃ: 'l',
  ɯ: 'm',
  ɹ: 'r',
  ʇ: 't',
  ʌ: 'v',
  ʍ: 'w',
  ʎ: 'y',
  '∀': 'a',
  Ɔ: 'c',
  Ǝ: 'e',
  Ⅎ: 'f',
  '⅁': 'g',
  ſ: 'j',
  '˥': 'l',
  Ԁ: 'p',
  '⊥': 't',
  '∩': 'u',
  Λ: 'v',
  '⅄': 'y',
  '¡': 'i',
  '¿': '?',
  '˙': '.',
};
/** Plain letters that read the same (or as another plain letter) when the text is rotated. */
const PLAIN_ROTATED: Record<string, string> = {
  b: 'q',
  d: 'p',
  l: 'l',
  n: 'u',
  o: 'o',
  p: 'd',
  q: 'b',
  s: 's',
  u: 'n',
  x: 'x',
  z: 'z',
  B: 'q',
  D: 'p',
  H: 'h',
  I: 'i',
  N: 'n',
  O: 'o',
  S: 's',
  X: 'x',
  Z: 'z',
};
const MIN_MARKERS = 3;
/** Every rotated letter lies in these ranges (IPA, Latin extended, letterlike and math symbols; punctuation aside). */
const MAYBE_ROTATED = /[\u0183\u018e\u01dd\u0250-\u02af\u02e5\u0500\u1d09\u2132\u2141\u2144\u2200-\u22ff]/;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** What a code unit is to a rotated run, by code unit (the word scan reads one table per character). */
const OTHER = 0; // ends a run
const MARKER = 1; // a rotated letter
const SAME = 2; // a plain letter that survives rotation, or an ASCII digit or punctuation mark
const UNIT_KIND = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) if (!((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) UNIT_KIND[c] = SAME;
for (const ch of Object.keys(PLAIN_ROTATED)) UNIT_KIND[ch.charCodeAt(0)] = SAME;
for (const ch of Object.keys(ROTATED)) UNIT_KIND[ch.charCodeAt(0)] = MARKER;

export function findUpsideDown(text: string, budget: { left: number }): EncodedSegment[] {
  // Most texts have none of the rotated letters: one native scan decides (a class of code point ranges scans
  // several times faster than the same letters listed one by one).
  if (!MAYBE_ROTATED.test(text)) return [];
  const out: EncodedSegment[] = [];
  const n = text.length;
  let i = 0;
  let runStart = -1;
  let runEnd = -1;
  let markers = 0;
  const close = () => {
    if (runStart >= 0 && markers >= MIN_MARKERS && budget.left > 0) {
      const source = text.slice(runStart, runEnd);
      let decoded = '';
      for (const ch of source) decoded += ROTATED[ch] ?? PLAIN_ROTATED[ch] ?? ch;
      decoded = Array.from(decoded).reverse().join('');
      if (hasCommonWords(decoded, 2)) {
        pushDecoded(out, budget, { transform: 'upside_down', start: runStart, end: runEnd, text: decoded });
      }
    }
    runStart = -1;
    markers = 0;
  };
  while (i < n) {
    if (isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    // One word: rotated letters, plain letters that survive rotation, punctuation; anything else ends a run.
    let j = i;
    let wordMarkers = 0;
    let rotated = true;
    while (j < n && !isSpace(text.charCodeAt(j))) {
      const kind = UNIT_KIND[text.charCodeAt(j)]!;
      if (kind === MARKER) wordMarkers++;
      else if (kind === OTHER) rotated = false;
      j++;
    }
    if (rotated) {
      if (runStart < 0) runStart = i;
      runEnd = j;
      markers += wordMarkers;
    } else close();
    i = j;
  }
  close();
  return out;
}
