import type { Category, Side } from '../../core/types.js';
import type { Artifact, ModelOutput } from './artifact.js';
import { applyKnots } from './calibrate.js';
import { FeatureExtractor } from './features.js';
import { createKernel, type LearnedKernel } from './kernel.js';

export interface SideScore {
  category: Category;
  /** Calibrated 0..1 score on the engine's common scale. */
  score: number;
  /** `<side>/<category>` for evidence notes. */
  output: string;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** One side's outputs, resolved once: head indices and the evidence notes' output names. */
interface SidePlan {
  readonly outputs: readonly {
    readonly head: number;
    readonly knots: ModelOutput['knots'];
    /** The category and its output name, or null for a misuse output (routed). */
    readonly category: Category | null;
    readonly output: string;
  }[];
  /** Per router entry: its head, category and output name on this side. */
  readonly routerHeads: readonly number[];
  readonly routerCategories: readonly Category[];
  readonly routerOutputs: readonly string[];
}

export interface LearnedModelOptions {
  /**
   * Score with the WebAssembly kernel (kernel.ts) when it is available (default true). The JavaScript path
   * computes the same logits; tests switch the kernel off to compare the two.
   */
  kernel?: boolean;
}

/**
 * A loaded model: scores a text with every head in one pass over its features, then maps the heads that
 * serve the requested side onto categories with their calibration.
 */
export class LearnedModel {
  readonly artifact: Artifact;
  private readonly extractor: FeatureExtractor;
  private readonly k: number;
  private readonly headIndex: Map<string, number>;
  private readonly bySide: Map<Side, ModelOutput[]>;
  /** Per side, the heads its scores read (scoreLogits) and their head set's index in the kernel. */
  private readonly sideHeads: Map<Side, { heads: number[]; set: number }>;
  private readonly logits: Float64Array;
  /** Per side, its outputs resolved (scoreLogits runs per scored view: no lookups or strings built there). */
  private readonly plans: Map<Side, SidePlan>;
  /** scorePrepared's logits and scoreLogits' router probabilities, reused across calls. */
  private readonly sideLogits: Float64Array;
  private readonly probs: Float64Array;
  private readonly kernel: LearnedKernel | null;
  /** Length of the stream the kernel last prepared. */
  private kernelPrepared = 0;

  constructor(artifact: Artifact, options: LearnedModelOptions = {}) {
    this.artifact = artifact;
    this.extractor = new FeatureExtractor(artifact.header.features);
    this.k = artifact.header.heads.length;
    this.headIndex = new Map(artifact.header.heads.map((h, i) => [h, i]));
    this.bySide = new Map();
    for (const output of artifact.header.outputs) {
      const list = this.bySide.get(output.side) ?? [];
      list.push(output);
      this.bySide.set(output.side, list);
    }
    this.logits = new Float64Array(this.k);
    this.sideLogits = new Float64Array(this.k);
    this.probs = new Float64Array(artifact.header.router.length);
    this.plans = new Map();
    for (const [side, outputs] of this.bySide) {
      const router = artifact.header.router;
      this.plans.set(side, {
        outputs: outputs.map((o) => ({
          head: this.headIndex.get(o.head) as number,
          knots: o.knots,
          category: o.target === 'misuse' ? null : o.target,
          output: `${side}/${o.target}`,
        })),
        routerHeads: router.map((r) => this.headIndex.get(r.head) as number),
        routerCategories: router.map((r) => r.category),
        routerOutputs: router.map((r) => `${side}/${r.category}`),
      });
    }
    this.sideHeads = new Map();
    const routerHeads = artifact.header.router.map((r) => r.head);
    for (const [side, outputs] of this.bySide) {
      const names = outputs.flatMap((o) => (o.target === 'misuse' ? [o.head, ...routerHeads] : [o.head]));
      const heads = [...new Set(names.map((h) => this.headIndex.get(h) as number))];
      this.sideHeads.set(side, { heads, set: this.sideHeads.size });
    }
    this.kernel =
      options.kernel === false
        ? null
        : createKernel(
            artifact.weights,
            this.k,
            artifact.header.features,
            [...this.sideHeads.values()].map((s) => s.heads),
          );
  }

  /** Whether scoring runs on the WebAssembly kernel (else on the JavaScript extractor). */
  get usesKernel(): boolean {
    return this.kernel !== null;
  }

  /** Raw logits of every head (a fresh array). */
  logitsOf(text: string): Float64Array {
    this.prepare(text);
    return this.preparedLogits();
  }

  /**
   * Prepares a text for scoring (see FeatureExtractor.prepare) and returns its character stream: a reused
   * buffer, valid until the next prepare. scorePrepared() then scores it.
   */
  prepare(text: string): Uint16Array {
    if (this.kernel) {
      this.kernelPrepared = this.kernel.prepare(text);
      return this.kernel.preparedCodes(this.kernelPrepared);
    }
    const n = this.extractor.prepare(text);
    return this.extractor.preparedCodes.subarray(0, n);
  }

  /** Calibrated scores for one side of the text last given to prepare(). */
  scorePrepared(side: Side): SideScore[] {
    const used = this.sideHeads.get(side);
    if (this.kernel && used && this.kernel.packs(used.set)) {
      // Only the heads this side reads, from the kernel's packed table of them (less memory to read); the
      // others stay 0, which scoreLogits never reads.
      const { scales, biases } = this.artifact.header;
      const sums = this.kernel.sums(this.kernelPrepared, used.set);
      const logits = this.sideLogits;
      logits.fill(0);
      const heads = used.heads;
      for (let lane = 0; lane < heads.length; lane++) {
        const h = heads[lane] as number;
        logits[h] = (sums[lane] as number) * (scales[h] as number) + (biases[h] as number);
      }
      return this.scoreLogits(logits, side);
    }
    return this.scoreLogits(this.preparedLogits(), side);
  }

  private preparedLogits(): Float64Array {
    const { header } = this.artifact;
    const k = this.k;
    if (this.kernel) {
      const sums = this.kernel.sums(this.kernelPrepared);
      const out = new Float64Array(k);
      for (let j = 0; j < k; j++)
        out[j] = (sums[j] as number) * (header.scales[j] as number) + (header.biases[j] as number);
      return out;
    }
    const count = this.extractor.extractPrepared();
    const idx = this.extractor.outIndex;
    const val = this.extractor.outValue;
    const { weights } = this.artifact;
    const acc = this.logits;
    acc.fill(0);
    if (k === 10) {
      // The shipped head count: ten register accumulators instead of a load and a store per head and feature
      // (the same sums in the same order, so the same logits as the general loop).
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        a4 = 0,
        a5 = 0,
        a6 = 0,
        a7 = 0,
        a8 = 0,
        a9 = 0;
      for (let i = 0; i < count; i++) {
        const base = (idx[i] as number) * 10;
        const v = val[i] as number;
        a0 += (weights[base] as number) * v;
        a1 += (weights[base + 1] as number) * v;
        a2 += (weights[base + 2] as number) * v;
        a3 += (weights[base + 3] as number) * v;
        a4 += (weights[base + 4] as number) * v;
        a5 += (weights[base + 5] as number) * v;
        a6 += (weights[base + 6] as number) * v;
        a7 += (weights[base + 7] as number) * v;
        a8 += (weights[base + 8] as number) * v;
        a9 += (weights[base + 9] as number) * v;
      }
      acc[0] = a0;
      acc[1] = a1;
      acc[2] = a2;
      acc[3] = a3;
      acc[4] = a4;
      acc[5] = a5;
      acc[6] = a6;
      acc[7] = a7;
      acc[8] = a8;
      acc[9] = a9;
    } else {
      for (let i = 0; i < count; i++) {
        const base = (idx[i] as number) * k;
        const v = val[i] as number;
        for (let j = 0; j < k; j++) acc[j] = (acc[j] as number) + (weights[base + j] as number) * v;
      }
    }
    const out = new Float64Array(k);
    for (let j = 0; j < k; j++)
      out[j] = (acc[j] as number) * (header.scales[j] as number) + (header.biases[j] as number);
    return out;
  }

  /** Calibrated scores for one side from precomputed logits. */
  scoreLogits(logits: Float64Array, side: Side): SideScore[] {
    const out: SideScore[] = [];
    const plan = this.plans.get(side);
    if (!plan) return out;
    for (const o of plan.outputs) {
      const score = applyKnots(logits[o.head] as number, o.knots);
      if (o.category !== null) {
        out.push({ category: o.category, score, output: o.output });
        continue;
      }
      // Route the misuse score: the most likely category gets it in full, the others in proportion.
      const { routerHeads, routerCategories, routerOutputs } = plan;
      const probs = this.probs;
      let top = 1e-9;
      for (let i = 0; i < routerHeads.length; i++) {
        probs[i] = sigmoid(logits[routerHeads[i] as number] as number);
        top = Math.max(top, probs[i] as number);
      }
      for (let i = 0; i < routerHeads.length; i++) {
        out.push({
          category: routerCategories[i] as Category,
          score: (score * (probs[i] as number)) / top,
          output: routerOutputs[i] as string,
        });
      }
    }
    return out;
  }

  score(text: string, side: Side): SideScore[] {
    return this.scoreLogits(this.logitsOf(text), side);
  }
}
