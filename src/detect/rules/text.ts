/**
 * Canonical matching text. Every view is reduced to lowercase letters and digits with diacritics removed and
 * every run of anything else (punctuation, whitespace, symbols, underscores) collapsed to one space, so that
 * "IGNORE   all-previous_instructions!" and "ignore all previous instructions" read the same. Literals and
 * keyword terms go through the same function, so matching is case-, accent- and punctuation-insensitive on
 * any view. Each canonical code unit remembers the view range it came from, for span mapping.
 */

/** Scripts written without spaces between words: a term boundary is implied around each character. */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}]/u;
const TOKEN = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
const MARKS = /\p{M}+/gu;

export interface CanonicalText {
  /** Folded text: tokens separated by single spaces, no leading or trailing space. */
  text: string;
  /** For each code unit of `text`, the start offset in the view text of the character it came from. */
  from: Int32Array;
  /** For each code unit of `text`, the end offset in the view text of the character it came from. */
  to: Int32Array;
  /** For each code unit of `text`, the index of the word it belongs to (spaces take the next word's index). */
  word: Int32Array;
}

/** True for a character of a script written without spaces (each character counts as a word). */
export function isUnspaced(ch: string): boolean {
  return UNSPACED.test(ch);
}

const foldCache = new Map<string, string>();

/** Lowercase and strip combining marks from one code point (cached: texts reuse a small alphabet). */
function foldChar(ch: string): string {
  let out = foldCache.get(ch);
  if (out === undefined) {
    out = ch.normalize('NFD').replace(MARKS, '').toLowerCase();
    if (foldCache.size < 65_536) foldCache.set(ch, out);
  }
  return out;
}

/** Growable parallel arrays for the canonical text and its maps (typed arrays: no per-character objects). */
class Builder {
  codes: Uint16Array;
  from: Int32Array;
  to: Int32Array;
  word: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.word = new Int32Array(capacity);
  }
  push(code: number, from: number, to: number, word: number): void {
    if (this.length === this.codes.length) this.grow();
    const i = this.length++;
    this.codes[i] = code;
    this.from[i] = from;
    this.to[i] = to;
    this.word[i] = word;
  }
  private grow(): void {
    const size = this.codes.length * 2 + 16;
    const codes = new Uint16Array(size);
    codes.set(this.codes);
    this.codes = codes;
    for (const key of ['from', 'to', 'word'] as const) {
      const next = new Int32Array(size);
      next.set(this[key]);
      this[key] = next;
    }
  }
  text(): string {
    let out = '';
    for (let i = 0; i < this.length; i += 8192) {
      out += String.fromCharCode(...this.codes.subarray(i, Math.min(this.length, i + 8192)));
    }
    return out;
  }
}

/** Folds a view text to canonical form with offset and word maps. Linear in the text length. */
export function canonicalize(text: string): CanonicalText {
  const b = new Builder(text.length + 8);
  let words = -1;
  let pendingSpace = false;
  let prevUnspaced = false;
  let i = 0;
  const startWord = (at: number, unspaced: boolean) => {
    if (pendingSpace || unspaced || prevUnspaced || words < 0) {
      words += 1;
      if (pendingSpace) b.push(32, at, at, words);
    }
    pendingSpace = false;
    prevUnspaced = unspaced;
  };
  while (i < text.length) {
    const cp = text.codePointAt(i) ?? 0;
    if (cp < 128) {
      // ASCII fast path: most text is ASCII and needs no Unicode property tests.
      const isToken = (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
      if (!isToken) {
        if (b.length) pendingSpace = true;
      } else {
        startWord(i, false);
        b.push(cp >= 65 && cp <= 90 ? cp + 32 : cp, i, i + 1, words);
      }
      i += 1;
      continue;
    }
    const ch = String.fromCodePoint(cp);
    const next = i + ch.length;
    if (MARK.test(ch)) {
      // A combining mark belongs to the previous character: extend its range, emit nothing.
      if (b.length && !pendingSpace) b.to[b.length - 1] = next;
    } else if (!TOKEN.test(ch)) {
      if (b.length) pendingSpace = true;
    } else {
      startWord(i, UNSPACED.test(ch));
      const folded = foldChar(ch);
      for (let k = 0; k < folded.length; k++) b.push(folded.charCodeAt(k), i, next, words);
    }
    i = next;
  }
  return {
    text: b.text(),
    from: b.from.subarray(0, b.length),
    to: b.to.subarray(0, b.length),
    word: b.word.subarray(0, b.length),
  };
}

/** Canonical form of a pattern phrase (same folding as views, no offset maps). */
export function canonicalPhrase(phrase: string): string {
  return canonicalize(phrase).text;
}
