/** Canonical buffers larger than this (in code units) are dropped after use, not kept for the next text. */
export const KEEP_CAPACITY = 1 << 18;

/**
 * Automaton hits of one canonical text, in typed arrays (no per-hit objects): per pattern a linked list of
 * its occurrences in scan order. Patterns used only as literals keep just their first occurrence.
 *
 * Occurrences are recorded without a cap, so padding a text with thousands of trigger words cannot push a
 * real keyword window out of view. Memory stays linear in the text: at most one occurrence per pattern per end
 * position, and only patterns that are suffixes of one another can end at the same position.
 */
export class HitTable {
  readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly touched: Int32Array;
  touchedCount = 0;
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  next = new Int32Array(1024);
  /** Per hit: the number of the word it ends in (canonical word map at end - 1), -1 when not given. */
  word = new Int32Array(1024);
  count = 0;
  /**
   * Whether every hit since reset came with its word number (the word automaton's, kernel or JavaScript,
   * gives them; the character automaton does not). Then a hit's first word is its last word minus the
   * pattern's inner spaces (`spaces`), as in the canonical word map, without building that map.
   */
  worded = true;

  constructor(
    patternCount: number,
    private readonly keywordTerm: Uint8Array,
    /** Per pattern: the spaces in its canonical text (its words less one); required, as windows read it. */
    readonly spaces: Int32Array,
  ) {
    this.head = new Int32Array(patternCount).fill(-1);
    this.tail = new Int32Array(patternCount);
    this.touched = new Int32Array(patternCount);
  }

  reset(): void {
    for (let k = 0; k < this.touchedCount; k++) this.head[this.touched[k]!] = -1;
    this.touchedCount = 0;
    this.count = 0;
    this.worded = true;
    if (this.start.length > KEEP_CAPACITY) {
      this.start = new Int32Array(1024);
      this.end = new Int32Array(1024);
      this.next = new Int32Array(1024);
      this.word = new Int32Array(1024);
    }
  }

  /** Patterns seen, in order of first occurrence. */
  seen(k: number): number {
    return this.touched[k]!;
  }

  has(pattern: number): boolean {
    return this.head[pattern]! >= 0;
  }

  readonly record = (pattern: number, start: number, end: number, word?: number): undefined => {
    const first = this.head[pattern]!;
    if (first >= 0 && this.keywordTerm[pattern] === 0) return undefined;
    const index = this.count++;
    if (index === this.start.length) this.grow();
    this.start[index] = start;
    this.end[index] = end;
    this.next[index] = -1;
    if (word === undefined) {
      this.word[index] = -1;
      this.worded = false;
    } else this.word[index] = word;
    if (first < 0) {
      this.head[pattern] = index;
      this.touched[this.touchedCount++] = pattern;
    } else this.next[this.tail[pattern]!] = index;
    this.tail[pattern] = index;
    return undefined;
  };

  private grow(): void {
    const size = this.start.length * 2;
    for (const key of ['start', 'end', 'next', 'word'] as const) {
      const bigger = new Int32Array(size);
      bigger.set(this[key]);
      this[key] = bigger;
    }
  }
}
