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

/** Folds a view text to canonical form with offset and word maps. Linear in the text length. */
export function canonicalize(text: string): CanonicalText {
  const chars: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const word: number[] = [];
  let words = -1;
  let pendingSpace = false;
  let prevUnspaced = false;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) ?? 0;
    if (cp < 128) {
      // ASCII fast path: most text is ASCII and needs no Unicode property tests.
      const isToken = (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
      if (!isToken) {
        if (chars.length) pendingSpace = true;
        i += 1;
        continue;
      }
      if (pendingSpace || prevUnspaced || words < 0) {
        words += 1;
        if (pendingSpace) {
          chars.push(' ');
          from.push(i);
          to.push(i);
          word.push(words);
        }
      }
      pendingSpace = false;
      prevUnspaced = false;
      chars.push(String.fromCharCode(cp >= 65 && cp <= 90 ? cp + 32 : cp));
      from.push(i);
      to.push(i + 1);
      word.push(words);
      i += 1;
      continue;
    }
    const ch = String.fromCodePoint(cp);
    const next = i + ch.length;
    if (MARK.test(ch)) {
      // A combining mark belongs to the previous character: extend its range, emit nothing.
      if (to.length && !pendingSpace) to[to.length - 1] = next;
      i = next;
      continue;
    }
    if (!TOKEN.test(ch)) {
      if (chars.length) pendingSpace = true;
      i = next;
      continue;
    }
    const unspaced = UNSPACED.test(ch);
    if (pendingSpace || unspaced || prevUnspaced || words < 0) {
      words += 1;
      if (pendingSpace) {
        chars.push(' ');
        from.push(i);
        to.push(i);
        word.push(words);
      }
    }
    pendingSpace = false;
    prevUnspaced = unspaced;
    const folded = foldChar(ch);
    for (let k = 0; k < folded.length; k++) {
      chars.push(folded[k]!);
      from.push(i);
      to.push(next);
      word.push(words);
    }
    i = next;
  }
  return {
    text: chars.join(''),
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    word: Int32Array.from(word),
  };
}

/** Canonical form of a pattern phrase (same folding as views, no offset maps). */
export function canonicalPhrase(phrase: string): string {
  return canonicalize(phrase).text;
}
