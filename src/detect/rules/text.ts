/**
 * Canonical matching text. Every view is reduced to lowercase letters and digits with diacritics removed and
 * every run of anything else (punctuation, whitespace, symbols, underscores) collapsed to one space, so that
 * "IGNORE   all-previous_instructions!" and "ignore all previous instructions" read the same. Literals and
 * keyword terms go through the same function, so matching is case-, accent- and punctuation-insensitive on
 * any view. Each canonical code unit remembers the view range it came from, for span mapping.
 */
import {
  ASCII_FOLD,
  charInfo,
  foldChar,
  INFO_MARK,
  INFO_SINGLE,
  INFO_TOKEN,
  INFO_UNSPACED,
  UNIT_FOLD,
  unitInfo,
} from './units.js';

const UTF16 = new TextDecoder('utf-16le');

/** End offset of the character readChar last read, and its string when it is a surrogate pair ('' otherwise). */
let charEnd = 0;
let charText = '';

/** The facts (units.ts INFO_*) of the character at i, whose first unit is `unit`; sets charEnd and charText. */
function readChar(text: string, i: number, unit: number): number {
  if (unit < 0xd800 || unit > 0xdfff) {
    charEnd = i + 1;
    charText = '';
    return unitInfo(unit);
  }
  charText = String.fromCodePoint(text.codePointAt(i) ?? unit);
  charEnd = i + charText.length;
  return charInfo(charText);
}

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

function grow<T extends Uint16Array | Int32Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

/**
 * Reusable canonicalisation buffers: `codes`, `from`, `to` and `word` hold `length` valid entries after
 * canonicalizeInto. The rule matcher keeps one per compiled set so that scanning a view allocates nothing;
 * the contents are only valid until the next canonicalizeInto on the same buffer.
 */
export class CanonicalBuffer {
  codes: Uint16Array;
  from: Int32Array;
  to: Int32Array;
  word: Int32Array;
  length = 0;
  /** Whether the last canonicalised text had a character of a script written without spaces. */
  unspaced = false;

  constructor(capacity = 4096) {
    this.codes = new Uint16Array(capacity);
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.word = new Int32Array(capacity);
  }

  get capacity(): number {
    return this.codes.length;
  }

  /** Grows to hold at least `size` entries, keeping the first `length`. */
  ensure(size: number): void {
    if (size <= this.codes.length) return;
    const capacity = Math.max(size, this.codes.length * 2 + 16);
    this.codes = grow(this.codes, capacity);
    this.from = grow(this.from, capacity);
    this.to = grow(this.to, capacity);
    this.word = grow(this.word, capacity);
  }
}

/** Folds a view text to canonical form with offset and word maps. Linear in the text length. */
export function canonicalize(text: string): CanonicalText {
  const buffer = new CanonicalBuffer(text.length + 8);
  const n = canonicalizeInto(text, buffer);
  // Decoding the code units is far cheaper than String.fromCharCode(...spread) on long texts.
  const out = UTF16.decode(buffer.codes.subarray(0, n));
  return {
    text: out,
    from: buffer.from.subarray(0, n),
    to: buffer.to.subarray(0, n),
    word: buffer.word.subarray(0, n),
  };
}

/**
 * canonicalize() into a reusable buffer (no allocation once the buffer is large enough); returns the
 * canonical length. Parallel typed arrays, no per-character objects. canonicalCodes() writes the codes alone.
 */
export function canonicalizeInto(text: string, buffer: CanonicalBuffer): number {
  const length = text.length;
  // ASCII folds one code unit to at most one; only non-ASCII folding can expand, checked below.
  buffer.ensure(length + 8);
  let { codes, from, to, word } = buffer;
  let n = 0;
  let words = -1;
  let pendingSpace = false;
  let prevUnspaced = false;
  let sawUnspaced = false;
  let i = 0;
  while (i < length) {
    const unit = text.charCodeAt(i);
    if (unit < 128) {
      // ASCII fast path: most text is ASCII and needs no Unicode property tests. The capacity checks only
      // trigger after non-ASCII folding expanded earlier characters.
      const folded = ASCII_FOLD[unit]!;
      if (folded === 0) {
        if (n) pendingSpace = true;
      } else {
        if (pendingSpace || prevUnspaced || words < 0) {
          words++;
          if (pendingSpace) {
            if (n + 2 > codes.length) {
              buffer.length = n;
              buffer.ensure(n + 2 + (length - i));
              ({ codes, from, to, word } = buffer);
            }
            codes[n] = 32;
            from[n] = i;
            to[n] = i;
            word[n++] = words;
          }
          pendingSpace = false;
          prevUnspaced = false;
        }
        // The rest of this ASCII token in a tight loop: it writes at most one unit per character, so one
        // capacity check covers it.
        if (n + (length - i) + 1 > codes.length) {
          buffer.length = n;
          buffer.ensure(n + (length - i) + 1);
          ({ codes, from, to, word } = buffer);
        }
        codes[n] = folded;
        from[n] = i;
        to[n] = i + 1;
        word[n++] = words;
        i++;
        while (i < length) {
          const u = text.charCodeAt(i);
          if (u >= 128) break;
          const f = ASCII_FOLD[u]!;
          if (f === 0) break;
          codes[n] = f;
          from[n] = i;
          to[n] = i + 1;
          word[n++] = words;
          i++;
        }
        continue;
      }
      i++;
      continue;
    }
    const info = readChar(text, i, unit);
    const next = charEnd;
    const ch = charText;
    if (info & INFO_MARK) {
      // A combining mark belongs to the previous character: extend its range, emit nothing.
      if (n && !pendingSpace) to[n - 1] = next;
    } else if (!(info & INFO_TOKEN)) {
      if (n) pendingSpace = true;
    } else {
      const unspaced = (info & INFO_UNSPACED) !== 0;
      if (unspaced) sawUnspaced = true;
      // One folded unit from the cache, or the folded string (expansions, astral characters).
      const folded = info & INFO_SINGLE ? null : foldChar(ch || String.fromCharCode(unit));
      const foldedLength = folded === null ? 1 : folded.length;
      if (n + foldedLength + 1 > codes.length) {
        buffer.length = n;
        buffer.ensure((n + foldedLength + 1 + (length - i)) * 2);
        ({ codes, from, to, word } = buffer);
      }
      if (pendingSpace || unspaced || prevUnspaced || words < 0) {
        words++;
        if (pendingSpace) {
          codes[n] = 32;
          from[n] = i;
          to[n] = i;
          word[n++] = words;
        }
      }
      pendingSpace = false;
      prevUnspaced = unspaced;
      if (folded === null) {
        codes[n] = UNIT_FOLD[unit]!;
        from[n] = i;
        to[n] = next;
        word[n++] = words;
      } else {
        for (let k = 0; k < folded.length; k++) {
          codes[n] = folded.charCodeAt(k);
          from[n] = i;
          to[n] = next;
          word[n++] = words;
        }
      }
    }
    i = next;
  }
  buffer.length = n;
  buffer.unspaced = sawUnspaced;
  return n;
}

/**
 * canonicalizeInto without the offset and word maps: writes `codes`, `length` and `unspaced` only (the maps
 * are left stale; the matcher builds them only for views that need them). A function of its own rather than
 * a flag on canonicalizeInto: that one, fed CJK and expanding folds by rule compilation, ran its ASCII loop
 * at ~15 ns per character in the engine, about twice this one.
 */
export function canonicalCodes(text: string, buffer: CanonicalBuffer): number {
  const length = text.length;
  // Output never outruns input (ASCII and single-unit folds write at most one unit per unit read, the space
  // before a token replacing a separator that wrote none) except after an expanding fold, checked there.
  buffer.ensure(length + 8);
  let codes = buffer.codes;
  let n = 0;
  let pendingSpace = false;
  let sawUnspaced = false;
  let i = 0;
  while (i < length) {
    const unit = text.charCodeAt(i);
    if (unit < 128) {
      const folded = ASCII_FOLD[unit]!;
      i++;
      if (folded === 0) pendingSpace = n !== 0;
      else {
        if (pendingSpace) {
          codes[n++] = 32;
          pendingSpace = false;
        }
        codes[n++] = folded;
      }
      continue;
    }
    const info = readChar(text, i, unit);
    const next = charEnd;
    const ch = charText;
    if (info & INFO_MARK) {
      // A combining mark belongs to the previous character: nothing to write.
    } else if (!(info & INFO_TOKEN)) {
      if (n) pendingSpace = true;
    } else {
      if (info & INFO_UNSPACED) sawUnspaced = true;
      if (pendingSpace) {
        codes[n++] = 32;
        pendingSpace = false;
      }
      if (info & INFO_SINGLE) codes[n++] = UNIT_FOLD[unit]!;
      else {
        const folded = foldChar(ch || String.fromCharCode(unit));
        if (n + folded.length + (length - next) + 2 > codes.length) {
          buffer.length = n;
          buffer.ensure((n + folded.length + (length - next) + 2) * 2);
          codes = buffer.codes;
        }
        for (let k = 0; k < folded.length; k++) codes[n++] = folded.charCodeAt(k);
      }
    }
    i = next;
  }
  buffer.length = n;
  buffer.unspaced = sawUnspaced;
  return n;
}

/**
 * Whether `text` canonicalises to exactly `expected[0..length)`, checked without writing anything (a view
 * usually has the canonical text of the view before it). True only for text without characters of unspaced
 * scripts (so the canonical buffer's `unspaced` is false). False also when the text has a character whose
 * fold is not one BMP code unit (astral, expanding): the caller then canonicalises it in full.
 */
export function canonicalEquals(text: string, expected: Uint16Array, length: number): boolean {
  let k = 0;
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    let folded: number;
    if (unit < 128) folded = ASCII_FOLD[unit]!;
    else {
      if (unit >= 0xd800 && unit <= 0xdfff) return false;
      const info = unitInfo(unit);
      // A combining mark belongs to the previous character and writes nothing.
      if (info & INFO_MARK) continue;
      if (!(info & INFO_TOKEN)) folded = 0;
      else if ((info & (INFO_UNSPACED | INFO_SINGLE)) !== INFO_SINGLE) return false;
      else folded = UNIT_FOLD[unit]!;
    }
    if (folded === 0) {
      if (k) pendingSpace = true;
      continue;
    }
    if (pendingSpace) {
      if (expected[k] !== 32) return false;
      k++;
      pendingSpace = false;
    }
    if (k >= length || expected[k] !== folded) return false;
    k++;
  }
  return k === length;
}

/**
 * Fills `buffer.word` from the canonical codes alone, which is exact when the text had no character of an
 * unspaced script (`buffer.unspaced` false): words then change only at the single spaces, and a space takes
 * the next word's index. Returns false (nothing written) otherwise.
 */
export function wordsFromCodes(buffer: CanonicalBuffer): boolean {
  if (buffer.unspaced) return false;
  const { codes, word, length } = buffer;
  let words = 0;
  for (let i = 0; i < length; i++) {
    if (codes[i] === 32) words++;
    word[i] = words;
  }
  return true;
}

/** Canonical form of a pattern phrase (same folding as views, no offset maps). */
export function canonicalPhrase(phrase: string): string {
  return canonicalize(phrase).text;
}
