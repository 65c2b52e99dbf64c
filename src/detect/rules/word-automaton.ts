import type { CanonicalBuffer } from './text.js';
import { ASCII_FOLD, FOLD_MARK, FOLD_OTHER, spacedFold, surrogateSeparator, unspacedUnit } from './units.js';
/**
 * Word-level Aho–Corasick automaton: the same hits as the character automaton (automaton.ts) on a canonical
 * text with no character of an unspaced script, at a fraction of the steps.
 *
 * Why it is exact: without unspaced characters a word boundary is a space or an edge of the text, and a
 * canonical pattern has single inner spaces and none at its ends. So a match of a whole-word pattern is a
 * run of whole text words equal to the pattern's words, and a match of a `prefix` pattern is such a run
 * followed by a word that STARTS with the pattern's last word. Every text word is hashed once; a word that
 * is in no pattern gets id 0 (no pattern runs through it), and the automaton steps once per word over word
 * ids. Prefix words are looked up at each length of the word being hashed (a hash-slot test per character).
 *
 * A text with an unspaced character (where boundaries fall between characters) is left to the character
 * automaton: scanCodes then reports nothing and returns false. So is every text when a pattern has a
 * character no canonical text has (ASCII outside a-z, 0-9 and space; empty or doubled spaces), which the
 * character automaton treats specially: buildWordAutomaton returns null.
 */

/**
 * A hit: pattern, canonical start and end, and (from the word automaton) the number of the word the hit ends
 * in, counted from 0 (the canonical word map's value at `end - 1`).
 */
export type HitCallback = (pattern: number, start: number, end: number, word?: number) => boolean | undefined;

export interface WordAutomaton {
  /** Reports the hits of `codes[0..length)` and returns true, or returns false having reported nothing. */
  scanCodes(codes: Uint16Array, length: number, onHit: HitCallback): boolean;
  /**
   * Canonicalises `text` into `buffer` exactly as canonicalCodes does and reads its words in the same pass
   * (the codes are not read a second time); scanRead then reports the hits. Returns false, leaving `buffer`
   * unspecified and nothing read, on a character canonicalCodes folds in its general path (an astral letter,
   * digit or mark, a character of an unspaced script, a fold to other than one spaced-script code unit): the caller then
   * canonicalises and scans in two passes.
   */
  readText(text: string, buffer: CanonicalBuffer): boolean;
  /** Reports the hits of the words the last successful readText read. */
  scanRead(onHit: HitCallback): void;
  /** The automaton's tables, for the WebAssembly kernel that runs readText and scanRead (wasm-kernel.ts). */
  readonly tables: WordAutomatonTables;
}

/** Everything readText and scanRead read besides the text (see buildWordAutomaton). */
export interface WordAutomatonTables {
  wordTable: WordTable;
  prefixWords: WordTable;
  maxPrefixLength: number;
  prefixGate: Int32Array;
  /** Word ids run 1..wordCount; prefix word q is symbol wordCount + q. */
  wordCount: number;
  fail: Int32Array;
  dictOf: Int32Array;
  firstOut: Int32Array;
  outStart: Int32Array;
  outList: Int32Array;
  patternLength: Int32Array;
  rootNext: Int32Array;
  leaf: Uint8Array;
  edges: EdgeTable;
}

import { EdgeTable, FNV_OFFSET, FNV_PRIME, hashOf, WordTable } from './word-tables.js';

/** True when the text holds only what canonical text holds: a-z, 0-9, non-ASCII, single inner spaces. */
function canonicalShape(text: string): boolean {
  return /^[a-z0-9\u0080-\uffff]+(?: [a-z0-9\u0080-\uffff]+)*$/.test(text);
}

export function buildWordAutomaton(
  patterns: readonly { text: string; prefix: boolean }[],
): WordAutomaton | null {
  const used = patterns.filter((p) => p.text);
  if (!used.every((p) => canonicalShape(p.text))) return null;

  const wordIds = new Map<string, number>();
  const prefixIds = new Map<string, number>();
  const idOf = (ids: Map<string, number>, word: string): number => {
    let id = ids.get(word);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(word, id);
    }
    return id;
  };
  for (const { text, prefix } of used) {
    const words = text.split(' ');
    const last = prefix ? words.pop()! : undefined;
    for (const word of words) idOf(wordIds, word);
    if (last !== undefined) idOf(prefixIds, last);
  }
  const wordCount = wordIds.size;
  // Symbols: word ids 1..wordCount, then prefix word q as wordCount + q (only ever a pattern's last symbol).
  const gotoMaps: Map<number, number>[] = [new Map()];
  const out: number[][] = [[]];
  patterns.forEach(({ text, prefix }, index) => {
    if (!text) return;
    const words = text.split(' ');
    const last = prefix ? words.pop()! : undefined;
    const symbols = words.map((w) => wordIds.get(w)!);
    if (last !== undefined) symbols.push(wordCount + prefixIds.get(last)!);
    let state = 0;
    for (const symbol of symbols) {
      let next = gotoMaps[state]!.get(symbol);
      if (next === undefined) {
        next = gotoMaps.length;
        gotoMaps.push(new Map());
        out.push([]);
        gotoMaps[state]!.set(symbol, next);
      }
      state = next;
    }
    out[state]!.push(index);
  });

  const states = gotoMaps.length;
  const fail = new Int32Array(states);
  /** Nearest state on the failure chain with outputs, -1 if none (dictionary suffix link). */
  const dictOf = new Int32Array(states).fill(-1);
  const queue: number[] = [...gotoMaps[0]!.values()];
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    for (const [symbol, child] of gotoMaps[state]!) {
      // Prefix-word states are terminal: the scan never steps out of them, so they need no failure link.
      if (symbol > wordCount) continue;
      let f = fail[state]!;
      while (f !== 0 && !gotoMaps[f]!.has(symbol)) f = fail[f]!;
      const target = gotoMaps[f]!.get(symbol);
      fail[child] = target !== undefined && target !== child ? target : 0;
      const fc = fail[child]!;
      dictOf[child] = out[fc]!.length ? fc : dictOf[fc]!;
      queue.push(child);
    }
  }
  const firstOut = Int32Array.from(out, (list, state) => (list.length ? state : dictOf[state]!));
  const outStart = new Int32Array(states + 1);
  for (let s = 0; s < states; s++) outStart[s + 1] = outStart[s]! + out[s]!.length;
  const outList = Int32Array.from(out.flat());
  const patternLength = Int32Array.from(patterns, (p) => p.text.length);

  /** The root's edges for every symbol (0 where none), the rest in a hash table. */
  const symbols = wordCount + prefixIds.size + 1;
  // Edge keys are state * symbols + symbol in an Int32: a set too large for that keeps the character scan.
  if (states * symbols >= 0x7fffffff) return null;
  const rootNext = new Int32Array(symbols);
  for (const [symbol, next] of gotoMaps[0]!) rootNext[symbol] = next;
  const edges = new EdgeTable(states, symbols);
  gotoMaps.forEach((map, state) => {
    if (state !== 0) for (const [symbol, next] of map) edges.set(state, symbol, next);
  });
  /** States with no edge at all (most pattern ends): the scan passes them without a table probe. */
  const leaf = Uint8Array.from(gotoMaps, (map) => (map.size ? 0 : 1));
  const wordTable = new WordTable([...wordIds.keys()]);
  const prefixWords = new WordTable([...prefixIds.keys()]);
  const maxPrefixLength = Math.max(0, ...[...prefixIds.keys()].map((w) => w.length));
  /**
   * One bit per value of a hash's top 16 bits, set for the prefix words: the test made at every character
   * (is the word so far a prefix word?) then reads an 8 KB bitmap and rarely goes on to the table.
   */
  const prefixGate = new Int32Array(2048);
  for (const word of prefixIds.keys()) {
    const h = hashOf(word);
    prefixGate[h >>> 21]! |= 1 << ((h >>> 16) & 31);
  }

  // Per-scan scratch, grown on demand: each text word's id and end; each prefix-word hit's word and end.
  let wordId = new Int32Array(256);
  let wordEnd = new Int32Array(256);
  let prefixWord = new Int32Array(64);
  let prefixSymbol = new Int32Array(64);
  let prefixEnd = new Int32Array(64);

  let wordCountRead = 0;
  let prefixHitsRead = 0;

  /**
   * Phase 1: splits and hashes the words (counts in wordCountRead, prefixHitsRead); false, before anything
   * is reported, on a character of an unspaced script.
   */
  function reserveWords(length: number): void {
    if (wordId.length < length + 1) {
      wordId = new Int32Array(length + 1);
      wordEnd = new Int32Array(length + 1);
    }
  }

  /**
   * Whether the word `codes[start..end)` (its hash `h`, the `word`th of the text) is a prefix word: recorded
   * as prefix hit number `count` if so. Returns the new count of prefix hits.
   */
  function notePrefix(
    h: number,
    codes: Uint16Array,
    start: number,
    end: number,
    word: number,
    count: number,
  ): number {
    if (end - start > maxPrefixLength || (prefixGate[h >>> 21]! & (1 << ((h >>> 16) & 31))) === 0)
      return count;
    const q = prefixWords.find(h, codes, start, end - start);
    if (q === 0) return count;
    if (count === prefixWord.length) growPrefixHits();
    prefixWord[count] = word;
    prefixSymbol[count] = wordCount + q;
    prefixEnd[count] = end;
    return count + 1;
  }

  /** Id of the word `codes[start..end)` with hash `h` (0: in no pattern); one slot read for most words. */
  function wordOf(h: number, codes: Uint16Array, start: number, end: number): number {
    return wordTable.slots[2 * (h & wordTable.mask) + 1] === 0
      ? 0
      : wordTable.find(h, codes, start, end - start);
  }

  /**
   * Phase 1: splits and hashes the words (counts in wordCountRead, prefixHitsRead); false, before anything
   * is reported, on a character of an unspaced script.
   */
  function readWords(codes: Uint16Array, length: number): boolean {
    reserveWords(length);
    const ids = wordId;
    const ends = wordEnd;
    let words = 0;
    let prefixHits = 0;
    // Words are the runs between single spaces (as String.split(' ') gives them), hashed as they are read.
    for (let i = 0; ; i++) {
      const start = i;
      let h = FNV_OFFSET;
      while (i < length) {
        const code = codes[i]!;
        if (code === 32) break;
        if (code >= 128 && unspacedUnit(code)) return false;
        h = Math.imul(h ^ code, FNV_PRIME);
        i++;
        prefixHits = notePrefix(h, codes, start, i, words, prefixHits);
      }
      ids[words] = wordOf(h, codes, start, i);
      ends[words++] = i;
      if (i >= length) break;
    }
    wordCountRead = words;
    prefixHitsRead = prefixHits;
    return true;
  }

  function readText(text: string, buffer: CanonicalBuffer): boolean {
    const length = text.length;
    // Every code written consumes at least one unit, a space at least one separator: no growth mid-pass.
    buffer.ensure(length + 8);
    reserveWords(length);
    const codes = buffer.codes;
    const ids = wordId;
    const ends = wordEnd;
    let n = 0;
    let words = 0;
    let prefixHits = 0;
    let i = 0;
    for (;;) {
      // Separators and stray marks up to the next letter or digit (canonicalCodes writes nothing for them).
      let code = 0;
      while (i < length) {
        const unit = text.charCodeAt(i++);
        const folded = unit < 128 ? ASCII_FOLD[unit]! : spacedFold(unit);
        if (folded > 0) {
          code = folded;
          break;
        }
        if (folded === FOLD_OTHER) {
          // Emoji and other astral symbols separate words like any symbol; the rest is left to the caller.
          const taken = unit >= 0xd800 && unit <= 0xdfff ? surrogateSeparator(text, i - 1) : 0;
          if (taken === 0) return false;
          i += taken - 1;
        }
      }
      if (code === 0) break;
      if (n !== 0) codes[n++] = 32;
      const start = n;
      let h = FNV_OFFSET;
      // The word: its codes written and hashed together; a combining mark continues it, writing nothing.
      for (;;) {
        codes[n++] = code;
        h = Math.imul(h ^ code, FNV_PRIME);
        prefixHits = notePrefix(h, codes, start, n, words, prefixHits);
        code = 0;
        while (i < length) {
          const unit = text.charCodeAt(i);
          const folded = unit < 128 ? ASCII_FOLD[unit]! : spacedFold(unit);
          if (folded !== FOLD_MARK) {
            code = folded;
            break;
          }
          i++;
        }
        // A separator, a character left to the general path (seen again above) or the end closes the word.
        if (code <= 0) break;
        i++;
      }
      ids[words] = wordOf(h, codes, start, n);
      ends[words++] = n;
    }
    buffer.length = n;
    buffer.unspaced = false;
    wordCountRead = words;
    prefixHitsRead = prefixHits;
    return true;
  }

  function growPrefixHits(): void {
    const size = prefixWord.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    prefixWord = grow(prefixWord);
    prefixSymbol = grow(prefixSymbol);
    prefixEnd = grow(prefixEnd);
  }

  function next(state: number, symbol: number): number {
    for (let s = state; s !== 0; s = fail[s]!) {
      if (leaf[s] === 1) continue;
      const t = edges.get(s, symbol);
      if (t >= 0) return t;
    }
    return rootNext[symbol]!;
  }

  function report(state: number, end: number, word: number, onHit: HitCallback): boolean {
    for (let k = outStart[state]!, last = outStart[state + 1]!; k < last; k++) {
      const index = outList[k]!;
      if (onHit(index, end - patternLength[index]!, end, word) === false) return false;
    }
    return true;
  }

  function scanCodes(codes: Uint16Array, length: number, onHit: HitCallback): boolean {
    if (!readWords(codes, length)) return false;
    scanRead(onHit);
    return true;
  }

  /** Phase 2: steps the automaton over the words read and reports the hits. */
  function scanRead(onHit: HitCallback): void {
    let state = 0;
    let p = 0;
    for (let w = 0; w < wordCountRead; w++) {
      // Prefix patterns ending in this word: the words before it are a suffix of the run so far, i.e. a
      // state on the failure chain of the state before this word.
      for (; p < prefixHitsRead && prefixWord[p] === w; p++) {
        const symbol = prefixSymbol[p]!;
        for (let s = state; ; s = fail[s]!) {
          const t = s === 0 ? rootNext[symbol]! : leaf[s] === 1 ? -1 : edges.get(s, symbol);
          if (t > 0 && !report(t, prefixEnd[p]!, w, onHit)) return;
          if (s === 0) break;
        }
      }
      const id = wordId[w]!;
      state = id === 0 ? 0 : next(state, id);
      for (let s = firstOut[state]!; s > 0; s = dictOf[s]!) if (!report(s, wordEnd[w]!, w, onHit)) return;
    }
  }

  const tables: WordAutomatonTables = {
    wordTable,
    prefixWords,
    maxPrefixLength,
    prefixGate,
    wordCount,
    fail,
    dictOf,
    firstOut,
    outStart,
    outList,
    patternLength,
    rootNext,
    leaf,
    edges,
  };
  return { scanCodes, readText, scanRead, tables };
}
