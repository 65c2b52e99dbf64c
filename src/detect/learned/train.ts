import { stableHash } from '../../core/hash.js';
import { createHash } from 'node:crypto';
import { type Category, MISUSE_CATEGORIES, type Side } from '../../core/types.js';
import { auroc } from '../../eval/metrics.js';
import {
  type ArtifactHeader,
  encodeArtifact,
  type ModelOutput,
  type OutputTarget,
  sha256,
} from './artifact.js';
import { applyKnots, buildKnots, operatingPoint } from './calibrate.js';
import type { LabelledRow } from './dataset.js';
import { DEFAULT_FEATURE_OPTIONS, FeatureExtractor, type FeatureOptions } from './features.js';

/**
 * Training: multi-head logistic regression over hashed features, Adagrad, fixed seed and fixed row order,
 * so the same rows give the same bytes. Only the caller decides which rows are allowed (the CLI passes
 * permissive rows only).
 */

const MISUSE = new Set<string>(MISUSE_CATEGORIES);

/** Misuse request: a known misuse category, or `harmful` (misuse of unknown kind). */
function isMisuse(row: LabelledRow): boolean {
  return row.label === 1 && (MISUSE.has(row.category) || row.category === 'harmful');
}

/** A head's label for a row: 1, 0, or -1 (not used for this head). */
type HeadLabeller = (row: LabelledRow) => 1 | 0 | -1;

interface HeadSpec {
  id: string;
  label: HeadLabeller;
}

/**
 * Heads and what trains them. Jailbreak and injection rows are left out of each other's heads (the sources
 * overlap: role-play prompts are labelled injection in one, jailbreak in another); misuse requests are
 * negatives for both attack heads so they learn "override the instructions", not "mentions harm".
 */
export const HEADS: readonly HeadSpec[] = [
  {
    id: 'injection',
    label: (r) =>
      r.side === 'output' ? -1 : r.category === 'injection' ? 1 : r.label === 0 || isMisuse(r) ? 0 : -1,
  },
  {
    id: 'jailbreak',
    label: (r) =>
      r.side !== 'input' ? -1 : r.category === 'jailbreak' ? 1 : r.label === 0 || isMisuse(r) ? 0 : -1,
  },
  { id: 'misuse', label: (r) => (r.side !== 'input' ? -1 : isMisuse(r) ? 1 : r.label === 0 ? 0 : -1) },
  {
    id: 'doc_fraud',
    label: (r) => (r.side !== 'document' ? -1 : r.category === 'fraud' ? 1 : r.label === 0 ? 0 : -1),
  },
  // Benign inputs and documents are extra negatives for the output head: without them it learns "not a GPTFuzz
  // refusal" rather than "harmful content", and flags ordinary prose (news, emails) as harmful.
  { id: 'output_harm', label: (r) => (r.side === 'output' ? r.label : r.label === 0 ? 0 : -1) },
  ...MISUSE_CATEGORIES.map((c) => ({
    id: `route_${c}`,
    label: ((r) =>
      r.side === 'input' && r.label === 1 && MISUSE.has(r.category)
        ? r.category === c
          ? 1
          : 0
        : -1) as HeadLabeller,
  })),
];

/** Side/category outputs and the head each reads. */
export const OUTPUTS: ReadonlyArray<{ side: Side; target: OutputTarget; head: string }> = [
  { side: 'input', target: 'injection', head: 'injection' },
  { side: 'input', target: 'jailbreak', head: 'jailbreak' },
  { side: 'input', target: 'misuse', head: 'misuse' },
  { side: 'document', target: 'injection', head: 'injection' },
  { side: 'document', target: 'fraud', head: 'doc_fraud' },
  { side: 'output', target: 'misuse', head: 'output_harm' },
];

export interface TrainOptions {
  seed: number;
  epochs: number;
  learningRate: number;
  l2: number;
  features: FeatureOptions;
  /** Within a head, each (set, label) group contributes at most this much total weight. */
  groupCap: number;
  /** (set, side, label) groups larger than this are subsampled deterministically before training. */
  maxRowsPerGroup: number;
  /** Benign false-positive budget per preset, worst benign set, held-out. */
  fpr: { strict: number; balanced: number; permissive: number };
  /**
   * A set's benign rows set operating points only when at least this share of the set is benign: the benign
   * minority of a harmful-question set (donotanswer, jailbreak_llms_questions: "advice" questions) is label
   * noise for this purpose. They still train, and their false-positive rate is still reported.
   */
  calibrationMinBenignShare: number;
  /** Rows with hash(id) % holdoutModulo === 0 are held out for calibration (0 = none, uses training rows). */
  holdoutModulo: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 20251126,
  epochs: 4,
  learningRate: 0.2,
  l2: 1e-5,
  features: DEFAULT_FEATURE_OPTIONS,
  groupCap: 400,
  maxRowsPerGroup: 600,
  fpr: { strict: 0.04, balanced: 0.01, permissive: 0.003 },
  calibrationMinBenignShare: 0.45,
  holdoutModulo: 5,
};

/** Features of many rows, concatenated. */
export interface FeatureTable {
  offsets: Int32Array;
  index: Int32Array;
  value: Float32Array;
}

export function buildFeatureTable(texts: readonly string[], options: FeatureOptions): FeatureTable {
  const extractor = new FeatureExtractor(options);
  const offsets = new Int32Array(texts.length + 1);
  const chunksI: Int32Array[] = [];
  const chunksV: Float32Array[] = [];
  let total = 0;
  texts.forEach((text, r) => {
    const { index, value } = extractor.extract(text);
    chunksI.push(index);
    chunksV.push(value);
    total += index.length;
    offsets[r + 1] = total;
  });
  const index = new Int32Array(total);
  const value = new Float32Array(total);
  let at = 0;
  for (let c = 0; c < chunksI.length; c++) {
    index.set(chunksI[c] as Int32Array, at);
    value.set(chunksV[c] as Float32Array, at);
    at += (chunksI[c] as Int32Array).length;
  }
  return { offsets, index, value };
}

/** mulberry32: a tiny seeded PRNG for the epoch shuffles. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic cap on rows per (set, side, label): keeps the rows with the smallest seeded id hash. */
export function sampleRows(rows: readonly LabelledRow[], maxPerGroup: number, seed: number): LabelledRow[] {
  const groups = new Map<string, LabelledRow[]>();
  for (const r of rows) {
    const key = `${r.set}|${r.side}|${r.label}`;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const keep = new Set<LabelledRow>();
  for (const list of groups.values()) {
    if (list.length <= maxPerGroup) {
      for (const r of list) keep.add(r);
      continue;
    }
    const ranked = list
      .map((r) => ({ r, h: stableHash(r.id, seed) }))
      .sort((a, b) => a.h - b.h || (a.r.id < b.r.id ? -1 : 1));
    for (const x of ranked.slice(0, maxPerGroup)) keep.add(x.r);
  }
  return rows.filter((r) => keep.has(r));
}

/** Per-row, per-head labels (-1 = unused) and weights for the training split. */
function labelsAndWeights(rows: readonly LabelledRow[], train: Uint8Array, groupCap: number) {
  const k = HEADS.length;
  const labels = new Int8Array(rows.length * k).fill(-1);
  const weights = new Float32Array(rows.length * k);
  HEADS.forEach((head, h) => {
    const groupSize = new Map<string, number>();
    rows.forEach((r, i) => {
      const y = head.label(r);
      labels[i * k + h] = y;
      if (y >= 0 && train[i]) groupSize.set(`${r.set}|${y}`, (groupSize.get(`${r.set}|${y}`) ?? 0) + 1);
    });
    const total = [0, 0];
    let count = 0;
    rows.forEach((r, i) => {
      const y = labels[i * k + h] as number;
      if (y < 0 || !train[i]) return;
      const w = Math.min(1, groupCap / (groupSize.get(`${r.set}|${y}`) as number));
      weights[i * k + h] = w;
      total[y] = (total[y] as number) + w;
      count++;
    });
    // Balance the classes, then scale to a mean weight of 1 so the learning rate means the same per head.
    const pos = total[1] as number;
    const neg = total[0] as number;
    if (pos === 0 || neg === 0) return;
    const posScale = neg / pos;
    const mean = (2 * neg) / count;
    rows.forEach((_, i) => {
      const y = labels[i * k + h] as number;
      if (y < 0 || !train[i]) return;
      weights[i * k + h] = ((weights[i * k + h] as number) * (y === 1 ? posScale : 1)) / mean;
    });
  });
  return { labels, weights };
}

function fitAdagrad(
  table: FeatureTable,
  trainRows: readonly number[],
  labels: Int8Array,
  weights: Float32Array,
  options: TrainOptions,
): { w: Float32Array; b: Float64Array } {
  const k = HEADS.length;
  const dim = 1 << options.features.bits;
  const w = new Float32Array(dim * k);
  const g2 = new Float32Array(dim * k);
  const b = new Float64Array(k);
  const gb2 = new Float64Array(k);
  const z = new Float64Array(k);
  const grad = new Float64Array(k);
  const random = prng(options.seed);
  const order = [...trainRows];
  const { offsets, index, value } = table;
  const lr = options.learningRate;
  const l2 = options.l2;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    for (const r of order) {
      const s = offsets[r] as number;
      const e = offsets[r + 1] as number;
      let any = false;
      for (let h = 0; h < k; h++) {
        z[h] = b[h] as number;
        if ((labels[r * k + h] as number) >= 0) any = true;
      }
      if (!any) continue;
      for (let f = s; f < e; f++) {
        const base = (index[f] as number) * k;
        const v = value[f] as number;
        for (let h = 0; h < k; h++) z[h] = (z[h] as number) + (w[base + h] as number) * v;
      }
      for (let h = 0; h < k; h++) {
        const y = labels[r * k + h] as number;
        if (y < 0) {
          grad[h] = 0;
          continue;
        }
        const p = 1 / (1 + Math.exp(-(z[h] as number)));
        const g = (p - y) * (weights[r * k + h] as number);
        grad[h] = g;
        gb2[h] = (gb2[h] as number) + g * g;
        b[h] = (b[h] as number) - (lr * g) / (Math.sqrt(gb2[h] as number) + 1e-8);
      }
      for (let f = s; f < e; f++) {
        const base = (index[f] as number) * k;
        const v = value[f] as number;
        for (let h = 0; h < k; h++) {
          const g = grad[h] as number;
          if (g === 0) continue;
          const at = base + h;
          const gr = g * v + l2 * (w[at] as number);
          const acc = (g2[at] as number) + gr * gr;
          g2[at] = acc;
          w[at] = (w[at] as number) - (lr * gr) / (Math.sqrt(acc) + 1e-8);
        }
      }
    }
  }
  return { w, b };
}

/** int8 weights with one scale per head. */
function quantise(w: Float32Array, k: number): { q: Int8Array; scales: number[] } {
  const scales: number[] = [];
  for (let h = 0; h < k; h++) {
    let max = 0;
    for (let i = h; i < w.length; i += k) max = Math.max(max, Math.abs(w[i] as number));
    scales.push(max > 0 ? max / 127 : 1);
  }
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.round((w[i] as number) / (scales[i % k] as number));
  return { q, scales };
}

/** Logits of one table row under quantised weights (exactly what the shipped model computes). */
function rowLogits(
  table: FeatureTable,
  r: number,
  q: Int8Array,
  scales: number[],
  biases: number[],
): Float64Array {
  const k = scales.length;
  const acc = new Float64Array(k);
  for (let f = table.offsets[r] as number; f < (table.offsets[r + 1] as number); f++) {
    const base = (table.index[f] as number) * k;
    const v = table.value[f] as number;
    for (let h = 0; h < k; h++) acc[h] = (acc[h] as number) + (q[base + h] as number) * v;
  }
  for (let h = 0; h < k; h++) acc[h] = (acc[h] as number) * (scales[h] as number) + (biases[h] as number);
  return acc;
}

export interface TrainResult {
  bytes: Uint8Array;
  header: Omit<ArtifactHeader, 'weightsSha256'>;
  sha256: string;
}

const round4 = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4);

/** Trains, calibrates on the held-out split and encodes the artifact. */
/**
 * Rows already sampled with their feature table, for callers that train many times on subsets of the same
 * data (leave-one-source-out): `exclude[i] = 1` leaves row i out of training AND calibration.
 */
export interface PreparedRows {
  rows: readonly LabelledRow[];
  table: FeatureTable;
  exclude?: Uint8Array;
}

export function prepareRows(
  allRows: readonly LabelledRow[],
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
): PreparedRows {
  const rows = sampleRows(allRows, options.maxRowsPerGroup, options.seed);
  return {
    rows,
    table: buildFeatureTable(
      rows.map((r) => r.text),
      options.features,
    ),
  };
}

export function trainModel(
  allRows: readonly LabelledRow[],
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
  prepared?: PreparedRows,
): TrainResult {
  const { rows: kept, table: features, exclude } = prepared ?? prepareRows(allRows, options);
  const rows = kept;
  const holdout = new Uint8Array(rows.length);
  const train = new Uint8Array(rows.length);
  const trainRows: number[] = [];
  rows.forEach((r, i) => {
    if (exclude?.[i]) return;
    const held = options.holdoutModulo > 0 && stableHash(r.id, options.seed) % options.holdoutModulo === 0;
    holdout[i] = held || options.holdoutModulo === 0 ? 1 : 0;
    train[i] = held ? 0 : 1;
    if (!held) trainRows.push(i);
  });
  const { labels, weights } = labelsAndWeights(rows, train, options.groupCap);
  const { w, b } = fitAdagrad(features, trainRows, labels, weights, options);
  const k = HEADS.length;
  const { q, scales } = quantise(w, k);
  const biases = Array.from(b, (x) => Math.round(x * 1e6) / 1e6);

  // Calibrate each output on held-out rows of its side.
  const setTotals = new Map<string, [number, number]>();
  for (const [i, r] of rows.entries()) {
    if (exclude?.[i]) continue;
    const t = setTotals.get(r.set) ?? [0, 0];
    t[r.label]++;
    setTotals.set(r.set, t);
  }
  const calibrates = (set: string) => {
    const [benign, malicious] = setTotals.get(set) ?? [0, 0];
    return benign / Math.max(1, benign + malicious) >= options.calibrationMinBenignShare;
  };
  const headIndex = new Map(HEADS.map((h, i) => [h.id, i]));
  const logits: Array<Float64Array | null> = rows.map((_, i) =>
    holdout[i] ? rowLogits(features, i, q, scales, biases) : null,
  );
  const outputs: ModelOutput[] = [];
  const heldOut: Record<string, unknown> = {};
  // A head needs both classes in training; an output on a head without them is left out of the artifact
  // (e.g. leave-one-source-out without the only source of a class) rather than shipped untrained.
  const trained = HEADS.map((_, h) => {
    const seen = [false, false];
    rows.forEach((_, i) => {
      const y = labels[i * k + h] as number;
      if (train[i] && y >= 0) seen[y] = true;
    });
    return seen[0] && seen[1];
  });
  for (const spec of OUTPUTS) {
    const h = headIndex.get(spec.head) as number;
    if (!trained[h]) {
      heldOut[`${spec.side}/${spec.target}`] = { skipped: 'no training rows of one class' };
      continue;
    }
    const benign = new Map<string, number[]>();
    const labelled: number[] = [];
    const scored: number[] = [];
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    rows.forEach((r, i) => {
      const z = logits[i];
      if (!z || r.side !== spec.side) return;
      const y = labels[i * k + h] as number;
      const value = z[h] as number;
      if (r.label === 0 && calibrates(r.set)) {
        const list = benign.get(r.set) ?? [];
        list.push(value);
        benign.set(r.set, list);
      }
      if (y >= 0 && (y === 1 || r.label === 0)) {
        labelled.push(y);
        scored.push(value);
        lo = Math.min(lo, value);
        hi = Math.max(hi, value);
      }
    });
    const sources = [...benign.values()];
    const points = {
      strict: operatingPoint(sources, options.fpr.strict),
      balanced: operatingPoint(sources, options.fpr.balanced),
      permissive: operatingPoint(sources, options.fpr.permissive),
    };
    if (!Number.isFinite(points.strict)) {
      // No benign rows for this side: fall back to the logistic's own 0.5 point (documented in the card).
      points.strict = 0;
      points.balanced = 0.5;
      points.permissive = 1.5;
    }
    const knots = buildKnots(points, Number.isFinite(lo) ? lo : -10, Number.isFinite(hi) ? hi : 10).map(
      ([x, y]) => [Math.round(x * 1e6) / 1e6, y] as [number, number],
    );
    outputs.push({ side: spec.side, target: spec.target, head: spec.head, knots });
    const flagged = scored.map((s) => applyKnots(s, knots) >= 0.5);
    const pos = labelled.filter((y) => y === 1).length;
    const tp = labelled.filter((y, i) => y === 1 && flagged[i]).length;
    const fpBySet: Record<string, number> = {};
    const fpCount = new Map<string, [number, number]>();
    rows.forEach((r, i) => {
      const z = logits[i];
      if (!z || r.side !== spec.side || r.label !== 0) return;
      const c = fpCount.get(r.set) ?? [0, 0];
      c[0] += applyKnots(z[h] as number, knots) >= 0.5 ? 1 : 0;
      c[1]++;
      fpCount.set(r.set, c);
    });
    for (const [set, [fp, n]] of fpCount) fpBySet[set] = round4(fp / n) as number;
    heldOut[`${spec.side}/${spec.target}`] = {
      auroc: round4(auroc(labelled, scored)),
      recallBalanced: round4(pos ? tp / pos : null),
      positives: pos,
      fprBalancedBySet: fpBySet,
    };
  }

  const rowsBySet: Record<string, { rows: number; malicious: number; heldOut: number }> = {};
  rows.forEach((r, i) => {
    if (exclude?.[i]) return;
    const s = rowsBySet[r.set] ?? { rows: 0, malicious: 0, heldOut: 0 };
    s.rows++;
    s.malicious += r.label;
    s.heldOut += train[i] ? 0 : 1;
    rowsBySet[r.set] = s;
  });
  const dataHash = createHash('sha256');
  for (const [i, r] of rows.entries())
    if (!exclude?.[i])
      dataHash.update(`${r.id}\u0000${r.label}\u0000${r.category}\u0000${r.side}\u0000${r.text}\u0001`);

  const header: Omit<ArtifactHeader, 'weightsSha256'> = {
    format: 'interdict-learned',
    features: options.features,
    heads: HEADS.map((h) => h.id),
    scales,
    biases,
    outputs,
    router: MISUSE_CATEGORIES.map((c) => ({ head: `route_${c}`, category: c as Category })),
    training: {
      method: 'hashed word/lead-word/char n-grams, multi-head logistic regression (Adagrad), int8 weights',
      options: { ...options },
      dataSha256: dataHash.digest('hex'),
      rowsBySet,
      heldOut,
    },
  };
  const bytes = encodeArtifact(header, q);
  return { bytes, header, sha256: sha256(bytes) };
}
