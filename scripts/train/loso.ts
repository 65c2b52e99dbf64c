/**
 * Leave-one-source-out: for each source (a permissive set with malicious rows, or a benign set), train without
 * it, then score it. The features of the training rows are extracted once and reused by every fold.
 */
import { decodeArtifact } from '../../src/detect/learned/artifact.js';
import type { LabelledRow } from '../../src/detect/learned/dataset.js';
import { LearnedModel } from '../../src/detect/learned/model.js';
import {
  type PreparedRows,
  prepareRows,
  sampleRows,
  type TrainOptions,
  trainModel,
} from '../../src/detect/learned/train.js';

export interface LosoFold {
  set: string;
  model: LearnedModel;
  /** Rows of the left-out set to score (all of them, or a deterministic sample of large sets). */
  rows: LabelledRow[];
}

/** Sets worth a fold: every permissive set except those too small to say anything (< 20 rows). */
export function losoSets(rows: readonly LabelledRow[]): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.set, (counts.get(r.set) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, n]) => n >= 20)
    .map(([s]) => s)
    .sort();
}

export function* losoFolds(
  permissive: readonly LabelledRow[],
  options: TrainOptions,
  opts: { sets?: string[]; maxScoreRows?: number; prepared?: PreparedRows } = {},
): Generator<LosoFold> {
  const prepared = opts.prepared ?? prepareRows(permissive, options);
  for (const set of opts.sets ?? losoSets(permissive)) {
    const exclude = Uint8Array.from(prepared.rows, (r) => (r.set === set ? 1 : 0));
    const result = trainModel([], options, { ...prepared, exclude });
    const model = new LearnedModel(decodeArtifact(result.bytes));
    const rows = sampleRows(
      permissive.filter((r) => r.set === set),
      opts.maxScoreRows ?? 2000,
      options.seed + 1,
    );
    yield { set, model, rows };
  }
}
