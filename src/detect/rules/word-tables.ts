/** Open-addressing hash tables of the word-level automaton (word-automaton.ts): word ids and edges. */

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

export function hashOf(text: string): number {
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
export class WordTable {
  readonly mask: number;
  /** slots[2k] the hash, slots[2k + 1] the word id (0: empty slot) of slot k. */
  readonly slots: Int32Array;
  /** Every word's code units, word after word; word id k is chars[start[k]..start[k + 1]). */
  readonly chars: Uint16Array;
  readonly start: Int32Array;

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
export class EdgeTable {
  readonly mask: number;
  readonly shift: number;
  /** slots[2k] the key (-1: empty slot), slots[2k + 1] the target of slot k. */
  readonly slots: Int32Array;

  constructor(
    edges: number,
    readonly symbols: number,
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
