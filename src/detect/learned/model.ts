import type { Category, Side } from '../../core/types.js';
import type { Artifact, ModelOutput } from './artifact.js';
import { applyKnots } from './calibrate.js';
import { FeatureExtractor } from './features.js';

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
  private readonly logits: Float64Array;
  private readonly indexBuf: number[] = [];
  private readonly valueBuf: number[] = [];

  constructor(artifact: Artifact) {
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
  }

  /** Raw logits of every head (a fresh array). */
  logitsOf(text: string): Float64Array {
    const idx = this.indexBuf;
    const val = this.valueBuf;
    idx.length = 0;
    val.length = 0;
    this.extractor.extractInto(text, idx, val);
    const { weights, header } = this.artifact;
    const k = this.k;
    const acc = this.logits;
    acc.fill(0);
    for (let i = 0; i < idx.length; i++) {
      const base = (idx[i] as number) * k;
      const v = val[i] as number;
      for (let j = 0; j < k; j++) acc[j] = (acc[j] as number) + (weights[base + j] as number) * v;
    }
    const out = new Float64Array(k);
    for (let j = 0; j < k; j++)
      out[j] = (acc[j] as number) * (header.scales[j] as number) + (header.biases[j] as number);
    return out;
  }

  /** Calibrated scores for one side from precomputed logits. */
  scoreLogits(logits: Float64Array, side: Side): SideScore[] {
    const outputs = this.bySide.get(side) ?? [];
    const out: SideScore[] = [];
    for (const o of outputs) {
      const z = logits[this.headIndex.get(o.head) as number] as number;
      const score = applyKnots(z, o.knots);
      if (o.target !== 'misuse') {
        out.push({ category: o.target, score, output: `${side}/${o.target}` });
        continue;
      }
      // Route the misuse score: the most likely category gets it in full, the others in proportion.
      const router = this.artifact.header.router;
      const probs = router.map((r) => sigmoid(logits[this.headIndex.get(r.head) as number] as number));
      const top = Math.max(...probs, 1e-9);
      router.forEach((r, i) => {
        out.push({
          category: r.category,
          score: (score * (probs[i] as number)) / top,
          output: `${side}/${r.category}`,
        });
      });
    }
    return out;
  }

  score(text: string, side: Side): SideScore[] {
    return this.scoreLogits(this.logitsOf(text), side);
  }
}
