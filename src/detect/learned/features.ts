import { isAscii } from '../../core/text.js';
import { fmix32 } from '../../core/hash.js';

/**
 * Hashed sparse text features shared by training and inference, so the two can never drift apart.
 *
 * What is extracted (all over the lower-cased text, capped to its first HEAD and last TAIL characters):
 * - word unigrams and bigrams (Unicode letters/digits), digits folded to 0;
 * - "lead" words: the first word and first two words of every sentence or line. These carry intent
 *   (an imperative "write a ransomware ..." vs. a question "how does ransomware detection work");
 * - character n-grams over the whitespace-collapsed text (robust to new wordings, misspellings, inflection and
 *   languages without spaces): 3- and 5-grams by default (`charOrders`); artifacts without it used 3, 4 and 5;
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
  /**
   * Character n-gram orders (each 2..8). Absent means [3, 4, 5], the orders of artifacts written before this
   * option existed. Fewer orders cost proportionally less extraction time.
   */
  charOrders?: number[];
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  bits: 16,
  head: 1536,
  tail: 512,
  charOrders: [3, 5],
};

/** Character n-gram orders used when the options name none. */
export const LEGACY_CHAR_ORDERS: readonly number[] = [3, 4, 5];
/** Smallest and largest character n-gram order an artifact may ask for. */
export const MIN_CHAR_ORDER = 2;
export const MAX_CHAR_ORDER = 8;

/** Sub-linear tf 1 + ln(c) for small counts, exactly as Math.log computes it (a lookup, not a call). */
const LOG_TF_SIZE = 256;
const LOG_TF = new Float64Array(LOG_TF_SIZE);
for (let c = 1; c < LOG_TF_SIZE; c++) LOG_TF[c] = 1 + Math.log(c);

/** Largest count magnitude a bucket holds (Int16 accumulator). */
const COUNT_LIMIT = 32767;

/** Most distinct buckets one block tracks; one extraction yields at most two blocks. */
export const MAX_TOUCHED = 1 << 14;
/** Capacity of the extractor's output buffers: every block's entries. */
export const MAX_FEATURES = 2 * MAX_TOUCHED;

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

const LETTER = /[\p{L}\p{N}\p{M}]/u;
/** Per UTF-16 unit: 0 = not yet known, 1 = word character, 2 = not. Filled lazily, shared by all extractors. */
const WORD_TABLE = new Uint8Array(65536);
for (let c = 0; c < 128; c++) {
  WORD_TABLE[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 ? 1 : 2;
}

/** Whether a UTF-16 code unit is part of a word for the word features (cached per unit). */
export function isWordCode(c: number): boolean {
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
 * Reusable extractor: keeps a dense scratch accumulator of 2^bits counts and fixed output buffers, so one
 * extraction costs time in the text length only and allocates nothing. Not re-entrant; create one per thread
 * of use.
 */
export class FeatureExtractor {
  readonly options: FeatureOptions;
  private readonly mask: number;
  private readonly shift: number;
  /**
   * Signed counts per bucket, saturating at ±COUNT_LIMIT: 16-bit so the 2^16-bucket table is 128 KB and
   * stays in the core's L2 cache (a 2 KB text never comes near the limit).
   */
  private readonly acc: Int16Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly codes: Uint16Array;
  /** emitOrder[o] === 1 when character o-grams are features. */
  private readonly emitOrder: Uint8Array;
  private readonly minOrder: number;
  private readonly maxOrder: number;
  /** Output of extract(): bucket indices and values of the last text, `count` entries. */
  readonly outIndex: Int32Array;
  readonly outValue: Float32Array;
  private count = 0;
  private prepared = 0;

  constructor(options: FeatureOptions = DEFAULT_FEATURE_OPTIONS) {
    this.options = options;
    this.shift = 32 - options.bits;
    this.mask = (1 << options.bits) - 1;
    this.acc = new Int16Array(1 << options.bits);
    this.touched = new Int32Array(MAX_TOUCHED);
    this.codes = new Uint16Array(options.head + options.tail + 2);
    const orders = options.charOrders ?? LEGACY_CHAR_ORDERS;
    this.emitOrder = new Uint8Array(MAX_CHAR_ORDER + 1);
    for (const o of orders) {
      if (Number.isInteger(o) && o >= MIN_CHAR_ORDER && o <= MAX_CHAR_ORDER) this.emitOrder[o] = 1;
    }
    this.minOrder = orders.length ? Math.max(MIN_CHAR_ORDER, Math.min(...orders)) : MAX_CHAR_ORDER + 1;
    this.maxOrder = orders.length ? Math.min(MAX_CHAR_ORDER, Math.max(...orders)) : 0;
    this.outIndex = new Int32Array(MAX_FEATURES);
    this.outValue = new Float32Array(MAX_FEATURES);
  }

  private add(hash: number): void {
    const h = fmix32(hash);
    const bucket = (h >>> this.shift) & this.mask;
    const sign = h & 1 ? -1 : 1;
    const acc = this.acc;
    // Store signed counts; sign is a fixed function of the bucket's feature, so counts never cancel within
    // one feature, only across colliding features (which is the point).
    const c = acc[bucket] as number;
    if (c === 0) {
      if (this.touchedCount < this.touched.length) this.touched[this.touchedCount++] = bucket;
      else return; // pathological input: more distinct features than we track; the rest are ignored
    } else if (c === COUNT_LIMIT || c === -COUNT_LIMIT) return; // saturated: 1 + ln(32767) is flat anyway
    acc[bucket] = c + sign;
  }

  /** Moves the accumulated block into the output buffers (sub-linear tf, L2-normalised), clearing it. */
  private flush(): void {
    const acc = this.acc;
    const outIndex = this.outIndex;
    const outValue = this.outValue;
    const start = this.count;
    let at = start;
    let norm = 0;
    for (let i = 0; i < this.touchedCount; i++) {
      const b = this.touched[i] as number;
      const c = acc[b] as number;
      acc[b] = 0;
      if (c === 0) continue;
      const m = c > 0 ? c : -c;
      const t = m < LOG_TF_SIZE ? (LOG_TF[m] as number) : 1 + Math.log(m);
      const v = c > 0 ? t : -t;
      outIndex[at] = b;
      outValue[at] = v;
      at++;
      norm += v * v;
    }
    this.touchedCount = 0;
    this.count = at;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = start; i < at; i++) outValue[i] = (outValue[i] as number) * inv;
    }
  }

  /**
   * Extracts the features of text into outIndex / outValue (reused buffers, valid until the next call) and
   * returns the number of entries. Indices may repeat across blocks; consumers sum them.
   */
  extractToBuffers(text: string): number {
    this.prepare(text);
    return this.extractPrepared();
  }

  /** Length of the character stream prepare() built (valid until the next prepare). */
  get preparedLength(): number {
    return this.prepared;
  }

  /** The character stream prepare() built: the first preparedLength entries (a reused buffer). */
  get preparedCodes(): Uint16Array {
    return this.codes;
  }

  /**
   * First half of an extraction: caps, lower-cases, collapses whitespace and folds digits into the reused
   * character stream the features are hashed from. Two texts with equal streams have equal features, which
   * lets callers skip scoring a view that only differs in case, spacing or digits without hashing it.
   */
  prepare(text: string): number {
    const cut = capText(text, this.options);
    // Plain ASCII (most text) is lower-cased character by character below, exactly as toLowerCase would,
    // without building a lower-cased copy; anything else goes through toLowerCase (context rules such as the
    // final sigma, length changes).
    const ascii = isAscii(cut);
    const capped = ascii ? cut : cut.toLowerCase();
    // Collapse whitespace, fold digits: the char stream the n-grams run over.
    const codes = this.codes;
    let n = 0;
    let prevSpace = true;
    for (let i = 0; i < capped.length && n < codes.length - 1; i++) {
      let c = capped.charCodeAt(i);
      if (ascii && c >= 65 && c <= 90) c += 32;
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
    this.prepared = n;
    return n;
  }

  /** Second half of an extraction: the features of the prepared stream into outIndex / outValue. */
  extractPrepared(): number {
    this.count = 0;
    const codes = this.codes;
    const n = this.prepared;

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
    this.flush();

    // Character block: the configured n-gram orders from every position. The hash of an o-gram extends the
    // hash of its (o-1)-gram prefix, so all orders cost one pass.
    const emit = this.emitOrder;
    const minOrder = this.minOrder;
    const maxOrder = this.maxOrder;
    const seed = Math.imul(0x811c9dc5 ^ SEED_CHAR, 16777619);
    for (let p = 0; p + minOrder <= n; p++) {
      let h = seed;
      const end = Math.min(maxOrder, n - p);
      for (let o = 1; o <= end; o++) {
        h = Math.imul(h ^ (codes[p + o - 1] as number), 16777619);
        if (o >= minOrder && emit[o] === 1) this.add(h ^ o);
      }
    }
    this.flush();
    return this.count;
  }

  /** Appends the features of text to plain arrays; returns the number of entries appended. */
  extractInto(text: string, outIndex: number[], outValue: number[]): number {
    const count = this.extractToBuffers(text);
    for (let i = 0; i < count; i++) {
      outIndex.push(this.outIndex[i] as number);
      outValue.push(this.outValue[i] as number);
    }
    return count;
  }

  /** Convenience: features of one text as fresh typed arrays. */
  extract(text: string): SparseVector {
    const count = this.extractToBuffers(text);
    return { index: this.outIndex.slice(0, count), value: this.outValue.slice(0, count) };
  }
}
