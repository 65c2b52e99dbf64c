import { type EncodedSegment, pushDecoded } from './encodings.js';
import { hasCommonWords } from './english.js';

/**
 * International Morse code (`.. --. -. --- .-. . / .- .-.. .-..`), one of the cipher-chat jailbreak encodings:
 * letters separated by one space, words by a slash, a bar or three spaces. A hand-written linear scanner; a
 * decoded run counts only when it spells two or more common English words (dots and dashes also draw lines,
 * separators and ellipses in ordinary text).
 */

const CODES: Record<string, string> = {
  '.-': 'a',
  '-...': 'b',
  '-.-.': 'c',
  '-..': 'd',
  '.': 'e',
  '..-.': 'f',
  '--.': 'g',
  '....': 'h',
  '..': 'i',
  '.---': 'j',
  '-.-': 'k',
  '.-..': 'l',
  '--': 'm',
  '-.': 'n',
  '---': 'o',
  '.--.': 'p',
  '--.-': 'q',
  '.-.': 'r',
  '...': 's',
  '-': 't',
  '..-': 'u',
  '...-': 'v',
  '.--': 'w',
  '-..-': 'x',
  '-.--': 'y',
  '--..': 'z',
  '-----': '0',
  '.----': '1',
  '..---': '2',
  '...--': '3',
  '....-': '4',
  '.....': '5',
  '-....': '6',
  '--...': '7',
  '---..': '8',
  '----.': '9',
  '.-.-.-': '.',
  '--..--': ',',
  '..--..': '?',
  '-.-.--': '!',
};
const MIN_LETTERS = 8;
const MAX_SYMBOL = 6;

function isDotDash(c: number): boolean {
  return c === 0x2e || c === 0x2d;
}

export function findMorse(text: string, budget: { left: number }): EncodedSegment[] {
  if (!text.includes('.-') && !text.includes('-.')) return [];
  const out: EncodedSegment[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && budget.left > 0) {
    if (!isDotDash(text.charCodeAt(i)) || (i > 0 && !isBreak(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    const start = i;
    let decoded = '';
    let letters = 0;
    let end = i;
    let p = i;
    for (;;) {
      let q = p;
      while (q < n && q - p <= MAX_SYMBOL && isDotDash(text.charCodeAt(q))) q++;
      const letter = q - p <= MAX_SYMBOL ? CODES[text.slice(p, q)] : undefined;
      if (letter === undefined) break;
      decoded += letter;
      letters++;
      end = q;
      // Separator: one space between letters; a slash or bar (spaces around it allowed) or 3+ spaces between words.
      let r = q;
      let spaces = 0;
      while (r < n && text.charCodeAt(r) === 0x20) {
        r++;
        spaces++;
      }
      let word = spaces >= 3;
      const mark = text.charCodeAt(r);
      if (mark === 0x2f || mark === 0x7c) {
        word = true;
        r++;
        while (r < n && text.charCodeAt(r) === 0x20) r++;
      } else if (spaces === 0 || spaces === 2) break;
      if (r >= n || !isDotDash(text.charCodeAt(r))) break;
      if (word) decoded += ' ';
      p = r;
    }
    if (letters >= MIN_LETTERS && hasCommonWords(decoded, 2)) {
      pushDecoded(out, budget, { transform: 'morse', start, end, text: decoded });
    }
    i = Math.max(end, i + 1);
  }
  return out;
}

/** What may stand before a Morse run: start of text, whitespace or punctuation other than dots and dashes. */
function isBreak(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x3a || c === 0x22 || c === 0x27 || c === 0x28;
}
