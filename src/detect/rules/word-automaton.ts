import { unspacedUnit } from './units.js';

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

export type HitCallback = (pattern: number, start: number, end: number) => boolean | undefined;

export interface WordAutomaton {
  /** Reports the hits of `codes[0..length)` and returns true, or returns false having reported nothing. */
  scanCodes(codes: Uint16Array, length: number, onHit: HitCallback): boolean;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function hashOf(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Bits of an open-addressing table with at least `perEntry` slots per entry. */
function tableBits(entries: number, perEntry: number): number {
  let bits = 4;
  while (1 << bits < entries * perEntry) bits++;
  return bits;
}

/**
 * Words (id >= 1) in an open-addressing table by FNV-1a hash, checked code unit by code unit on a hit. Each
 * slot is a (hash, id) pair side by side, so a probe touches one cache line (the scan probes once per word,
 * at random; a table of a few thousand words stays within L2).
 */
class WordTable {
  readonly mask: number;
  /** slots[2k] the hash, slots[2k + 1] the word id (0: empty slot) of slot k. */
  readonly slots: Int32Array;
  private readonly chars: Uint16Array;
  private readonly start: Int32Array;

  constructor(words: readonly string[]) {
    this.mask = (1 << tableBits(words.length, 4)) - 1;
    this.slots = new Int32Array(2 * (this.mask + 1));
    this.start = new Int32Array(words.length + 2);
    this.chars = new Uint16Array(words.reduce((sum, w) => sum + w.length, 0));
    let offset = 0;
    words.forEach((word, index) => {
      const id = index + 1;
      this.start[id] = offset;
      for (let i = 0; i < word.length; i++) this.chars[offset++] = word.charCodeAt(i);
      const h = hashOf(word);
      let slot = h & this.mask;
      while (this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & this.mask;
      this.slots[2 * slot] = h;
      this.slots[2 * slot + 1] = id;
    });
    this.start[words.length + 1] = offset;
  }

  /** Id of the word `codes[from..from + length)` with hash `h`, or 0. */
  find(h: number, codes: Uint16Array, from: number, length: number): number {
    const slots = this.slots;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = slots[2 * slot + 1]!;
      if (id === 0) return 0;
      if (slots[2 * slot] !== h) continue;
      const at = this.start[id]!;
      if (this.start[id + 1]! - at !== length) continue;
      let k = 0;
      while (k < length && this.chars[at + k] === codes[from + k]) k++;
      if (k === length) return id;
    }
  }
}

/**
 * (state, symbol) → state, keyed by state * symbols + symbol, in an open-addressing table of (key, target)
 * pairs side by side (one cache line per probe); -1 when there is no such edge.
 */
class EdgeTable {
  private readonly mask: number;
  private readonly shift: number;
  private readonly slots: Int32Array;

  constructor(
    edges: number,
    private readonly symbols: number,
  ) {
    const bits = tableBits(edges, 1.5);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.slots = new Int32Array(2 * (this.mask + 1)).fill(-1);
  }

  /** Home slot: the top bits of a multiplicative hash (its low bits would only mix the key's low bits). */
  private first(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.shift;
  }

  set(state: number, symbol: number, next: number): void {
    const key = state * this.symbols + symbol;
    let slot = this.first(key);
    while (this.slots[2 * slot] !== -1) slot = (slot + 1) & this.mask;
    this.slots[2 * slot] = key;
    this.slots[2 * slot + 1] = next;
  }

  get(state: number, symbol: number): number {
    const key = state * this.symbols + symbol;
    const slots = this.slots;
    for (let slot = this.first(key); ; slot = (slot + 1) & this.mask) {
      const k = slots[2 * slot]!;
      if (k === key) return slots[2 * slot + 1]!;
      if (k === -1) return -1;
    }
  }
}

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
  function readWords(codes: Uint16Array, length: number): boolean {
    if (wordId.length < length + 1) {
      wordId = new Int32Array(length + 1);
      wordEnd = new Int32Array(length + 1);
    }
    const ids = wordId;
    const ends = wordEnd;
    const wordSlots = wordTable.slots;
    const wordMask = wordTable.mask;
    const gate = prefixGate;
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
        if (i - start <= maxPrefixLength && (gate[h >>> 21]! & (1 << ((h >>> 16) & 31))) !== 0) {
          const q = prefixWords.find(h, codes, start, i - start);
          if (q !== 0) {
            if (prefixHits === prefixWord.length) growPrefixHits();
            prefixWord[prefixHits] = words;
            prefixSymbol[prefixHits] = wordCount + q;
            prefixEnd[prefixHits++] = i;
          }
        }
      }
      ids[words] = wordSlots[2 * (h & wordMask) + 1] === 0 ? 0 : wordTable.find(h, codes, start, i - start);
      ends[words++] = i;
      if (i >= length) break;
    }
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

  function report(state: number, end: number, onHit: HitCallback): boolean {
    for (let k = outStart[state]!, last = outStart[state + 1]!; k < last; k++) {
      const index = outList[k]!;
      if (onHit(index, end - patternLength[index]!, end) === false) return false;
    }
    return true;
  }

  function scanCodes(codes: Uint16Array, length: number, onHit: HitCallback): boolean {
    if (!readWords(codes, length)) return false;
    let state = 0;
    let p = 0;
    for (let w = 0; w < wordCountRead; w++) {
      // Prefix patterns ending in this word: the words before it are a suffix of the run so far, i.e. a
      // state on the failure chain of the state before this word.
      for (; p < prefixHitsRead && prefixWord[p] === w; p++) {
        const symbol = prefixSymbol[p]!;
        for (let s = state; ; s = fail[s]!) {
          const t = s === 0 ? rootNext[symbol]! : leaf[s] === 1 ? -1 : edges.get(s, symbol);
          if (t > 0 && !report(t, prefixEnd[p]!, onHit)) return true;
          if (s === 0) break;
        }
      }
      const id = wordId[w]!;
      state = id === 0 ? 0 : next(state, id);
      for (let s = firstOut[state]!; s > 0; s = dictOf[s]!) if (!report(s, wordEnd[w]!, onHit)) return true;
    }
    return true;
  }

  return { scanCodes };
}
