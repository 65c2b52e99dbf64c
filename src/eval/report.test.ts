import { describe, expect, it } from 'vitest';
import type { LabelledRow } from '../detect/learned/dataset.js';
import { barChartSvg, confusionTable, headline, setSummaryTable } from './report.js';
import { summarise } from './run.js';

const row = (id: number, label: 0 | 1, category: string): LabelledRow => ({
  id: `r:${id}`,
  text: 'x',
  label,
  category,
  side: 'input',
  set: 'r',
  permissive: true,
});

describe('quality report rendering', () => {
  const report = summarise('r', 'balanced', [
    { row: row(1, 1, 'injection'), flagged: true, score: 0.9, predicted: 'injection' },
    { row: row(2, 1, 'injection'), flagged: false, score: 0.2, predicted: 'none' },
    { row: row(3, 0, 'benign'), flagged: false, score: 0.1, predicted: 'none' },
  ]);

  it('puts the computed figures in the summary table', () => {
    const table = setSummaryTable([report]);
    expect(table).toContain('| r | 3 | 2 | 50.0% | 0.0% | 100.0% | 1.000 |');
  });

  it('renders a confusion matrix with predicted classes as columns', () => {
    const table = confusionTable(report);
    expect(table.split('\n')[0]).toBe('| truth \\ predicted | injection | none |');
    expect(table).toContain('| injection | 1 | 1 |');
    expect(table).toContain('| benign | 0 | 1 |');
  });

  it('draws one bar per set, scaled to the value, with escaped labels', () => {
    const svg = barChartSvg('t', [
      { label: 'a<b', kind: 'recall', value: 0.5, second: 0.25 },
      { label: 'benign', kind: 'fpr', value: 0.05 },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('a&#60;b');
    // recall 0.5 of a 420-px track; FPR 5% on the 0-10% scale is also half the track.
    expect(svg.match(/width="210\.0"/g)?.length).toBe(2);
    expect(svg).toContain('recall 50.0% / 25.0%');
  });

  it('headlines recall for sets with malicious rows and FPR otherwise', () => {
    expect(headline(report.overall)).toEqual({ kind: 'recall', value: 0.5 });
  });
});
