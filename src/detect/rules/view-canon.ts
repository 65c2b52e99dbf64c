import type { Automaton } from './automaton.js';
import { type HitTable, KEEP_CAPACITY } from './hits.js';
import {
  CanonicalBuffer,
  canonicalCodes,
  canonicalEquals,
  canonicalizeInto,
  wordsFromCodes,
} from './text.js';
import {
  createRulesKernel,
  KERNEL_CAPACITY,
  KERNEL_FALLBACK,
  KERNEL_SAME,
  type RulesKernel,
} from './wasm-kernel.js';

/**
 * The canonicalisation part of the rule matcher (compile.ts matchView): canonicalises each view, tells whether
 * it folds to the same canonical text as the view the hit table was built from (the original and its folded
 * view, usually), rebuilds the hit table when not, and builds the offset and word maps on first use.
 *
 * Views up to KERNEL_CAPACITY units go through the WebAssembly kernel (wasm-kernel.ts), which then holds the
 * scanned codes itself (`mirrored`) and, for a view it took, builds the maps in its own memory; the kernel's
 * answers are exactly those of the JavaScript passes, which remain for the other views (longer ones, general-
 * path characters) and when the kernel is off or missing.
 */
export class ViewCanon {
  private canonBuffer = new CanonicalBuffer();
  /** Canonical codes of the text the hit table was built from, when the kernel does not hold them. */
  private scanned = new Uint16Array(this.canonBuffer.capacity);
  private scannedLength = -1;
  /** Whether the kernel holds the scanned codes (then `scanned` is stale). */
  private mirrored = false;
  private kernel: RulesKernel | null | undefined;
  // The current view.
  private text = '';
  /** The kernel holds the view and took it (read answered SAME or a length): it builds the maps. */
  private held = false;
  private mapped = false;
  private worded = false;
  private mappedBuffer: CanonicalBuffer = this.canonBuffer;

  constructor(
    private readonly automaton: Automaton,
    useKernel: boolean,
  ) {
    if (!useKernel) this.kernel = null;
  }

  private keptCodes(): Uint16Array {
    return this.mirrored ? this.kernel!.kept : this.scanned;
  }

  private sameAsScanned(codes: Uint16Array, n: number): boolean {
    if (n !== this.scannedLength) return false;
    const kept = this.keptCodes();
    for (let i = 0; i < n; i++) if (codes[i] !== kept[i]) return false;
    return true;
  }

  /**
   * Canonicalises the view `text`. Returns false when it has the canonical text the hit table was built from;
   * otherwise rebuilds `hits` from its canonical text and returns true.
   */
  read(text: string, hits: HitTable): boolean {
    this.text = text;
    this.mapped = false;
    this.worded = false;
    this.held = false;
    const canon = this.canonBuffer;
    this.mappedBuffer = canon;
    if (this.kernel === undefined) {
      const words = this.automaton.words;
      this.kernel = words ? createRulesKernel(words.tables) : null;
    }
    const kernel = this.kernel;
    const fits = kernel !== null && text.length <= KERNEL_CAPACITY;
    let n = 0;
    let read = false;
    let kernelRead = false;
    let same = false;
    // The kernel compares with the scanned codes itself when it holds them.
    if (this.scannedLength >= 0 && !(fits && this.mirrored))
      same = canonicalEquals(text, this.keptCodes(), this.scannedLength);
    if (!same && fits) {
      const answer = kernel!.read(text, this.mirrored && this.scannedLength >= 0, this.scannedLength);
      this.held = answer !== KERNEL_FALLBACK;
      if (answer === KERNEL_SAME) same = true;
      else if (answer >= 0) {
        kernelRead = true;
        n = answer;
      } else {
        // The kernel falls back exactly where readText returns false: only canonicalCodes is left.
        n = canonicalCodes(text, canon);
      }
    } else if (!same) {
      // Codes only: the offset and word maps are built on first use (a match to locate, a keyword window).
      // The word automaton reads the words as it writes the codes, for all but a few texts (see readText).
      read = this.automaton.readText(text, canon);
      n = read ? canon.length : canonicalCodes(text, canon);
    }
    if (same) {
      // Same canonical text as the last scan, found without canonicalising. A view the kernel holds never
      // reads the JavaScript buffer (its maps come from the kernel); otherwise the codes are restored there,
      // the word map being derived from them.
      if (!this.held) {
        n = this.scannedLength;
        canon.ensure(n + 8);
        canon.codes.set(this.keptCodes().subarray(0, n));
        canon.length = n;
        canon.unspaced = false;
      }
      return false;
    }
    // canonicalEquals also says false for text it cannot judge without canonicalising (astral, expanding,
    // unspaced characters): the written codes are then compared.
    if (this.sameAsScanned(kernelRead ? kernel!.codes : canon.codes, n)) return false;
    // The hit table depends only on the canonical codes.
    this.scannedLength = -1;
    hits.reset();
    if (kernelRead) kernel!.scan(hits.record);
    else if (read) this.automaton.scanRead(hits.record);
    else this.automaton.scanCodes(canon.codes, n, hits.record);
    if (kernelRead) {
      kernel!.keep(n);
      this.mirrored = true;
    } else if (kernel !== null && n <= KERNEL_CAPACITY) {
      kernel.mirror(canon.codes, n);
      this.mirrored = true;
    } else {
      if (this.scanned.length < n) this.scanned = new Uint16Array(canon.capacity);
      this.scanned.set(canon.codes.subarray(0, n));
      this.mirrored = false;
    }
    this.scannedLength = n;
    return true;
  }

  /** The current view's canonical buffer with its offset and word maps built. */
  canon(): CanonicalBuffer {
    if (!this.mapped) {
      if (this.held) this.mappedBuffer = this.kernel!.maps(this.text);
      else canonicalizeInto(this.text, this.canonBuffer);
      this.mapped = true;
      this.worded = true;
    }
    return this.mappedBuffer;
  }

  /** The current view's canonical buffer with at least its word map built. */
  words(): CanonicalBuffer {
    if (!this.worded) {
      // The kernel writes all maps at once, about the cost of wordsFromCodes in JavaScript.
      if (this.held) return this.canon();
      if (!wordsFromCodes(this.canonBuffer)) {
        canonicalizeInto(this.text, this.canonBuffer);
        this.mapped = true;
      }
      this.worded = true;
    }
    return this.mappedBuffer;
  }

  /**
   * After a view: drops a buffer grown past KEEP_CAPACITY (a huge view) rather than keep it for the next
   * text, forgetting the scanned codes, and clears `hits` with them.
   */
  release(hits: HitTable): void {
    if (this.canonBuffer.capacity <= KEEP_CAPACITY) return;
    this.canonBuffer = new CanonicalBuffer();
    this.mappedBuffer = this.canonBuffer;
    this.scanned = new Uint16Array(this.canonBuffer.capacity);
    this.scannedLength = -1;
    hits.reset();
  }
}
