import { isInterdictError } from '../core/errors.js';
import { type Category, MISUSE_CATEGORIES, type Verdict } from '../core/types.js';
import type { LabelledRow } from '../detect/learned/dataset.js';
import type { Screener } from '../detect/screener.js';
import {
  addCount,
  auroc,
  Confusion,
  type Counts,
  emptyCounts,
  falsePositiveRate,
  precision,
  recall,
} from './metrics.js';

/** Figures for a group of rows (a whole set, one category, one `sub` label). */
export interface GroupFigures {
  rows: number;
  malicious: number;
  counts: Counts;
  recall: number | null;
  fpr: number | null;
  precision: number | null;
  auroc: number | null;
}

export interface CategoryFigures extends GroupFigures {
  category: string;
  /** Of the malicious rows detected, the share whose top flagged category is the right one. */
  categoryAccuracy: number | null;
  /** Of the rows whose top flagged category is this one, the share that truly are this category. */
  categoryPrecision: number | null;
}

export interface SetReport {
  set: string;
  preset: string;
  rows: number;
  errors: number;
  overall: GroupFigures;
  byCategory: CategoryFigures[];
  bySub: Array<GroupFigures & { sub: string }>;
  /** truth category → predicted (top flagged category, or `none`). */
  confusion: Confusion;
}

const MISUSE = new Set<string>(MISUSE_CATEGORIES);

/** Does a predicted category count as right for a truth category? `harmful` is misuse of any kind. */
export function categoryMatches(truth: string, predicted: string): boolean {
  return truth === predicted || (truth === 'harmful' && MISUSE.has(predicted));
}

/** The flagged category with the highest score, or `none`. */
export function topFlagged(verdict: Verdict): string {
  let best: Category | null = null;
  for (const c of verdict.flaggedCategories) {
    if (best === null || (verdict.categories[c] ?? 0) > (verdict.categories[best] ?? 0)) best = c;
  }
  return best ?? 'none';
}

interface Scored {
  row: LabelledRow;
  flagged: boolean;
  score: number;
  predicted: string;
}

function figures(items: readonly Scored[]): GroupFigures {
  const counts = emptyCounts();
  for (const s of items) addCount(counts, s.row.label, s.flagged);
  return {
    rows: items.length,
    malicious: counts.tp + counts.fn,
    counts,
    recall: recall(counts),
    fpr: falsePositiveRate(counts),
    precision: precision(counts),
    auroc: auroc(
      items.map((s) => s.row.label),
      items.map((s) => s.score),
    ),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Turns scored rows into a report (separate from screening so the arithmetic is testable on its own). */
export function summarise(set: string, preset: string, scored: readonly Scored[], errors = 0): SetReport {
  const confusion = new Confusion();
  for (const s of scored) confusion.add(s.row.label === 1 ? s.row.category : 'benign', s.predicted);
  const byCategory: CategoryFigures[] = [];
  for (const [category, items] of groupBy(scored, (s) => (s.row.label === 1 ? s.row.category : 'benign'))) {
    const detected = items.filter((s) => s.flagged && s.row.label === 1);
    const predictedHere = scored.filter(
      (s) => s.predicted !== 'none' && categoryMatches(category, s.predicted) && category !== 'benign',
    );
    byCategory.push({
      category,
      ...figures(items),
      categoryAccuracy: detected.length
        ? detected.filter((s) => categoryMatches(category, s.predicted)).length / detected.length
        : null,
      categoryPrecision:
        category === 'harmful' || predictedHere.length === 0
          ? null
          : predictedHere.filter((s) => s.row.label === 1 && s.row.category === category).length /
            predictedHere.length,
    });
  }
  const bySub = [...groupBy(scored, (s) => s.row.sub)].map(([sub, items]) => ({ sub, ...figures(items) }));
  return { set, preset, rows: scored.length, errors, overall: figures(scored), byCategory, bySub, confusion };
}

export interface EvaluateOptions {
  set: string;
  onProgress?: (done: number) => void;
}

/** Screens every row with the whole engine and summarises. Rows the engine refuses count as errors. */
export function evaluateRows(
  screener: Screener,
  rows: readonly LabelledRow[],
  options: EvaluateOptions,
): SetReport {
  const scored: Scored[] = [];
  let errors = 0;
  rows.forEach((row, i) => {
    try {
      const verdict = screener.screen({ text: row.text, side: row.side });
      scored.push({ row, flagged: verdict.flagged, score: verdict.score, predicted: topFlagged(verdict) });
    } catch (err) {
      if (!isInterdictError(err)) throw err;
      errors++;
    }
    if (options.onProgress && (i + 1) % 100 === 0) options.onProgress(100);
  });
  if (options.onProgress) options.onProgress(rows.length % 100);
  return summarise(options.set, screener.config.preset, scored, errors);
}
