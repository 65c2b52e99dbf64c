/**
 * Hashed sparse text features shared by training and inference, so the two can never drift apart.
 *
 * What is extracted (all over the lower-cased text, capped to its first HEAD and last TAIL characters):
 * - word unigrams and bigrams (Unicode letters/digits), digits folded to 0;
 * - "lead" words: the first word and first two words of every sentence or line. These carry intent
 *   (an imperative "write a ransomware ..." vs. a question "how does ransomware detection work");
 * - character 3-, 4- and 5-grams over the whitespace-collapsed text (robust to new wordings, misspellings,
 *   inflection and languages without spaces);
 * - one length bucket (long templated jailbreaks vs. short direct requests).
 * Each block is sub-linear tf weighted (1 + ln tf), signed by one hash bit (collisions cancel on average) and
 * L2-normalised on its own, so a long text does not drown the word block in character grams.
 */

export interface FeatureOptions {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** Characters kept from the start of the text. */
  head: number;
  /** Characters kept from the end of the text (when the text is longer than head + tail). */
  tail: number;
  /**
   * Pair the lead word of each sentence with each of the next `pairs` words ("write|ransomware" vs.
   * "write|function"): lets a linear model tell an imperative with a harmful object from the same verb with a
   * benign one. 0 switches it off.
   */
  pairs?: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { bits: 18, head: 1536, tail: 512 };

/** A sparse vector: parallel bucket indices and values. */
export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

const SEED_WORD = 0x2f1b3c4d;
const SEED_BIGRAM = 0x5a17e3b9;
const SEED_LEAD1 = 0x1c8e4f27;
const SEED_LEAD2 = 0x6b43a1d3;
const SEED_CHAR = 0x7e95c0a1;
const SEED_LEN = 0x3d2c9b81;
const SEED_PAIR = 0x4b1d7a3f;

/** . ! ? : ; newline and their CJK forms end a sentence for the lead-word features. */
const SENTENCE_END = new Set([10, 46, 33, 63, 58, 59, 0x3002, 0xff1f, 0xff01]);

/** murmur3 finaliser: spreads FNV's weak low bits over the whole word. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const LETTER = /[\p{L}\p{N}\p{M}]/u;
/** Per UTF-16 unit: 0 = not yet known, 1 = word character, 2 = not. Filled lazily, shared by all extractors. */
const WORD_TABLE = new Uint8Array(65536);
for (let c = 0; c < 128; c++) {
  WORD_TABLE[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 ? 1 : 2;
}

function isWordCode(c: number): boolean {
  let known = WORD_TABLE[c] as number;
  if (known === 0) {
    // Letters, digits and combining marks of every script; surrogate halves count as word characters so
    // astral-plane scripts stay inside words.
    known = (c >= 0xd800 && c <= 0xdfff) || LETTER.test(String.fromCharCode(c)) ? 1 : 2;
    WORD_TABLE[c] = known;
  }
  return known === 1;
}

/** Caps the text the way the detector does: first head + last tail characters. */
export function capText(text: string, options: FeatureOptions): string {
  if (text.length <= options.head + options.tail) return text;
  return `${text.slice(0, options.head)}\n${text.slice(text.length - options.tail)}`;
}

/**
 * Reusable extractor: keeps a dense scratch accumulator of 2^bits floats, so one extraction costs time in
 * the text length only. Not re-entrant; create one per thread of use.
 */
export class FeatureExtractor {
  readonly options: FeatureOptions;
  private readonly mask: number;
  private readonly shift: number;
  private readonly acc: Float32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly codes: Uint16Array;

  constructor(options: FeatureOptions = DEFAULT_FEATURE_OPTIONS) {
    this.options = options;
    this.shift = 32 - options.bits;
    this.mask = (1 << options.bits) - 1;
    this.acc = new Float32Array(1 << options.bits);
    this.touched = new Int32Array(1 << 14);
    this.codes = new Uint16Array(options.head + options.tail + 2);
  }

  private add(hash: number): void {
    const h = fmix(hash);
    const bucket = (h >>> this.shift) & this.mask;
    const sign = h & 1 ? -1 : 1;
    const acc = this.acc;
    // Store signed counts; sign is a fixed function of the bucket's feature, so counts never cancel within
    // one feature, only across colliding features (which is the point).
    if (acc[bucket] === 0) {
      if (this.touchedCount < this.touched.length) this.touched[this.touchedCount++] = bucket;
      else return; // pathological input: more distinct features than we track; the rest are ignored
    }
    acc[bucket] = (acc[bucket] as number) + sign;
  }

  /** Moves the accumulated block into out (sub-linear tf, L2-normalised), clearing the accumulator. */
  private flush(outIndex: number[], outValue: number[]): void {
    const acc = this.acc;
    const start = outIndex.length;
    let norm = 0;
    for (let i = 0; i < this.touchedCount; i++) {
      const b = this.touched[i] as number;
      const c = acc[b] as number;
      acc[b] = 0;
      if (c === 0) continue;
      const v = c > 0 ? 1 + Math.log(c) : -(1 + Math.log(-c));
      outIndex.push(b);
      outValue.push(v);
      norm += v * v;
    }
    this.touchedCount = 0;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = start; i < outValue.length; i++) outValue[i] = (outValue[i] as number) * inv;
    }
  }

  /**
   * Extracts features into plain arrays (indices may repeat across blocks; consumers sum them).
   * Returns the number of entries written.
   */
  extractInto(text: string, outIndex: number[], outValue: number[]): number {
    const start = outIndex.length;
    const capped = capText(text, this.options).toLowerCase();
    // Collapse whitespace, fold digits: the char stream the n-grams run over.
    const codes = this.codes;
    let n = 0;
    let prevSpace = true;
    for (let i = 0; i < capped.length && n < codes.length - 1; i++) {
      let c = capped.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0) {
        // A whitespace run becomes one space, or one newline when it holds a line break (lines end sentences).
        if (prevSpace) {
          if (c === 10 && n > 0) codes[n - 1] = 10;
          continue;
        }
        c = c === 10 ? 10 : 32;
        prevSpace = true;
      } else {
        prevSpace = false;
        if (c >= 48 && c <= 57) c = 48;
      }
      codes[n++] = c;
    }

    // Word block.
    let prevWord = 0;
    let haveWord = false;
    let lead = 0; // position of the current word within its sentence (0 = first)
    let prevLead = 0;
    let words = 0;
    const pairs = this.options.pairs ?? 0;
    let i = 0;
    while (i < n) {
      const c = codes[i] as number;
      if (!isWordCode(c)) {
        // Sentence / line boundary resets the lead position.
        if (SENTENCE_END.has(c)) lead = 0;
        i++;
        continue;
      }
      let h = 0x811c9dc5 ^ SEED_WORD;
      const begin = i;
      while (i < n && isWordCode(codes[i] as number)) {
        h = Math.imul(h ^ (codes[i] as number), 16777619);
        i++;
      }
      if (i - begin > 40) continue; // base64 runs and the like are not words
      words++;
      this.add(h);
      if (haveWord) this.add(Math.imul(prevWord, 0x9e3779b1) ^ h ^ SEED_BIGRAM);
      if (lead === 0) this.add(h ^ SEED_LEAD1);
      else {
        if (lead === 1) this.add(Math.imul(prevLead, 0x9e3779b1) ^ h ^ SEED_LEAD2);
        if (lead <= pairs) this.add(Math.imul(prevLead, 0x2545f491) ^ h ^ SEED_PAIR);
      }
      prevLead = lead === 0 ? h : prevLead;
      lead++;
      prevWord = h;
      haveWord = true;
    }
    this.add(SEED_LEN ^ Math.min(15, Math.floor(Math.log2(words + 1))));
    this.flush(outIndex, outValue);

    // Character block: 3-, 4-, 5-grams from every position.
    for (let p = 0; p + 3 <= n; p++) {
      let h = Math.imul(0x811c9dc5 ^ SEED_CHAR, 16777619);
      h = Math.imul(h ^ (codes[p] as number), 16777619);
      h = Math.imul(h ^ (codes[p + 1] as number), 16777619);
      h = Math.imul(h ^ (codes[p + 2] as number), 16777619);
      this.add(h ^ 3);
      if (p + 4 <= n) {
        h = Math.imul(h ^ (codes[p + 3] as number), 16777619);
        this.add(h ^ 4);
        if (p + 5 <= n) {
          h = Math.imul(h ^ (codes[p + 4] as number), 16777619);
          this.add(h ^ 5);
        }
      }
    }
    this.flush(outIndex, outValue);
    return outIndex.length - start;
  }

  /** Convenience: features of one text as typed arrays. */
  extract(text: string): SparseVector {
    const index: number[] = [];
    const value: number[] = [];
    this.extractInto(text, index, value);
    return { index: Int32Array.from(index), value: Float32Array.from(value) };
  }
}
