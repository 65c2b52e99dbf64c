import { describe, expect, it } from 'vitest';
import type { LabelledRow } from '../detect/learned/dataset.js';
import { categoryMatches, summarise } from './run.js';

function row(id: number, label: 0 | 1, category: string, sub?: string): LabelledRow {
  return {
    id: `t:${id}`,
    text: `row ${id}`,
    label,
    category,
    side: 'input',
    set: 't',
    permissive: true,
    ...(sub ? { sub } : {}),
  };
}

describe('summarise', () => {
  // 3 cyber (2 flagged as cyber, 1 missed), 1 harmful flagged as violence, 4 benign (1 flagged as cyber).
  const scored = [
    { row: row(1, 1, 'cyber', 'a'), flagged: true, score: 0.9, predicted: 'cyber' },
    { row: row(2, 1, 'cyber', 'a'), flagged: true, score: 0.8, predicted: 'cyber' },
    { row: row(3, 1, 'cyber', 'b'), flagged: false, score: 0.3, predicted: 'none' },
    { row: row(4, 1, 'harmful', 'b'), flagged: true, score: 0.7, predicted: 'violence' },
    { row: row(5, 0, 'benign', 'c'), flagged: true, score: 0.6, predicted: 'cyber' },
    { row: row(6, 0, 'benign', 'c'), flagged: false, score: 0.2, predicted: 'none' },
    { row: row(7, 0, 'benign', 'c'), flagged: false, score: 0.1, predicted: 'none' },
    { row: row(8, 0, 'benign', 'c'), flagged: false, score: 0.35, predicted: 'none' },
  ];
  const report = summarise('t', 'balanced', scored);

  it('computes overall recall, FPR, precision and AUROC', () => {
    expect(report.overall.counts).toEqual({ tp: 3, fn: 1, fp: 1, tn: 3 });
    expect(report.overall.recall).toBe(0.75);
    expect(report.overall.fpr).toBe(0.25);
    expect(report.overall.precision).toBe(0.75);
    // Positives 0.9,0.8,0.3,0.7 vs negatives 0.6,0.2,0.1,0.35: 0.3 beats 0.2 and 0.1 only → (4+4+2+4)/16.
    expect(report.overall.auroc).toBeCloseTo(14 / 16, 12);
  });

  it('reports per category recall, right-category share and category precision', () => {
    const cyber = report.byCategory.find((c) => c.category === 'cyber')!;
    expect(cyber.rows).toBe(3);
    expect(cyber.recall).toBeCloseTo(2 / 3, 12);
    expect(cyber.categoryAccuracy).toBe(1);
    // Predicted cyber: rows 1, 2 (cyber) and 5 (benign) → 2/3.
    expect(cyber.categoryPrecision).toBeCloseTo(2 / 3, 12);
    const harmful = report.byCategory.find((c) => c.category === 'harmful')!;
    expect(harmful.recall).toBe(1);
    expect(harmful.categoryAccuracy).toBe(1); // any misuse category is right for `harmful`
    const benign = report.byCategory.find((c) => c.category === 'benign')!;
    expect(benign.fpr).toBe(0.25);
  });

  it('reports per sub label and a confusion matrix', () => {
    expect(report.bySub.map((s) => [s.sub, s.rows, s.recall, s.fpr])).toEqual([
      ['a', 2, 1, null],
      ['b', 2, 0.5, null],
      ['c', 4, null, 0.25],
    ]);
    expect(report.confusion.get('cyber', 'cyber')).toBe(2);
    expect(report.confusion.get('cyber', 'none')).toBe(1);
    expect(report.confusion.get('benign', 'cyber')).toBe(1);
    expect(report.confusion.get('harmful', 'violence')).toBe(1);
  });

  it('matches harmful to any misuse category but not to attacks', () => {
    expect(categoryMatches('harmful', 'fraud')).toBe(true);
    expect(categoryMatches('harmful', 'injection')).toBe(false);
    expect(categoryMatches('cyber', 'fraud')).toBe(false);
  });
});
