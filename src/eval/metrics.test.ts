import { describe, expect, it } from 'vitest';
import { addCount, auroc, Confusion, emptyCounts, falsePositiveRate, precision, recall } from './metrics.js';

describe('counts and rates', () => {
  it('computes recall, FPR and precision from a hand-made set', () => {
    const c = emptyCounts();
    // 4 malicious: 3 flagged; 6 benign: 1 flagged.
    for (const [label, flagged] of [
      [1, true],
      [1, true],
      [1, true],
      [1, false],
      [0, true],
      [0, false],
      [0, false],
      [0, false],
      [0, false],
      [0, false],
    ] as const) {
      addCount(c, label, flagged);
    }
    expect(c).toEqual({ tp: 3, fn: 1, fp: 1, tn: 5 });
    expect(recall(c)).toBe(0.75);
    expect(falsePositiveRate(c)).toBeCloseTo(1 / 6, 12);
    expect(precision(c)).toBe(0.75);
  });

  it('returns null where a rate is undefined', () => {
    const c = emptyCounts();
    addCount(c, 0, false);
    expect(recall(c)).toBeNull();
    expect(precision(c)).toBeNull();
    expect(falsePositiveRate(c)).toBe(0);
  });
});

describe('auroc', () => {
  it('is 1 for a perfect ranking and 0 for an inverted one', () => {
    expect(auroc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(auroc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])).toBe(0);
  });

  it('counts ties as one half', () => {
    expect(auroc([0, 1], [0.5, 0.5])).toBe(0.5);
    // pos {0.4, 0.7}, neg {0.4, 0.1}: pairs (0.4 vs 0.4)=0.5, (0.4 vs 0.1)=1, (0.7 vs 0.4)=1, (0.7 vs 0.1)=1 → 3.5/4
    expect(auroc([1, 1, 0, 0], [0.4, 0.7, 0.4, 0.1])).toBeCloseTo(0.875, 12);
  });

  it('is null with one class only', () => {
    expect(auroc([1, 1], [0.2, 0.3])).toBeNull();
  });
});

describe('Confusion', () => {
  it('counts truth/predicted pairs and lists classes with none last', () => {
    const m = new Confusion();
    m.add('cyber', 'cyber');
    m.add('cyber', 'none');
    m.add('benign', 'injection');
    m.add('cyber', 'cyber');
    expect(m.get('cyber', 'cyber')).toBe(2);
    expect(m.get('benign', 'injection')).toBe(1);
    expect(m.get('benign', 'cyber')).toBe(0);
    expect(m.classes()).toEqual(['benign', 'cyber', 'injection', 'none']);
    expect(m.predictedClasses()).toEqual(['cyber', 'injection', 'none']);
    expect(m.toJSON()).toEqual({ cyber: { cyber: 2, none: 1 }, benign: { injection: 1 } });
  });
});
