/**
 * Detection metrics. Pure arithmetic over (label, predicted, score) triples, so every number in a quality
 * report can be checked by hand on a tiny set.
 */

export interface Counts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export function emptyCounts(): Counts {
  return { tp: 0, fp: 0, tn: 0, fn: 0 };
}

export function addCount(counts: Counts, label: 0 | 1, predicted: boolean): void {
  if (label === 1) {
    if (predicted) counts.tp++;
    else counts.fn++;
  } else if (predicted) counts.fp++;
  else counts.tn++;
}

/** Share of malicious rows flagged; null when there are none. */
export function recall(c: Counts): number | null {
  const pos = c.tp + c.fn;
  return pos === 0 ? null : c.tp / pos;
}

/** Share of benign rows flagged; null when there are none. */
export function falsePositiveRate(c: Counts): number | null {
  const neg = c.fp + c.tn;
  return neg === 0 ? null : c.fp / neg;
}

/** Share of flagged rows that are malicious; null when nothing was flagged. */
export function precision(c: Counts): number | null {
  const flagged = c.tp + c.fp;
  return flagged === 0 ? null : c.tp / flagged;
}

/**
 * Area under the ROC curve: the probability that a random malicious row scores above a random benign one,
 * ties counting one half (Mann-Whitney U with mid-ranks). Null when either class is absent.
 */
export function auroc(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let pos = 0;
  let rankSumPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const midRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let t = i; t <= j; t++) {
      if (labels[order[t] as number] === 1) {
        pos++;
        rankSumPos += midRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** A confusion matrix keyed by true class (rows) and predicted class (columns). */
export class Confusion {
  readonly cells = new Map<string, Map<string, number>>();

  add(truth: string, predicted: string): void {
    const row = this.cells.get(truth) ?? new Map<string, number>();
    row.set(predicted, (row.get(predicted) ?? 0) + 1);
    this.cells.set(truth, row);
  }

  get(truth: string, predicted: string): number {
    return this.cells.get(truth)?.get(predicted) ?? 0;
  }

  /** Every class seen as truth or prediction, sorted, with `none` (not flagged) last. */
  classes(): string[] {
    const all = new Set<string>();
    for (const [truth, row] of this.cells) {
      all.add(truth);
      for (const p of row.keys()) all.add(p);
    }
    return [...all].sort((a, b) => (a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b)));
  }

  /** Classes that were predicted at least once, sorted, with `none` last. */
  predictedClasses(): string[] {
    const all = new Set<string>();
    for (const row of this.cells.values()) for (const p of row.keys()) all.add(p);
    return [...all].sort((a, b) => (a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b)));
  }

  toJSON(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [truth, row] of this.cells) out[truth] = Object.fromEntries(row);
    return out;
  }
}
