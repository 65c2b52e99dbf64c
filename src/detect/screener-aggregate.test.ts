import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { DECISION_RANK } from '../core/event.js';
import {
  CATEGORIES,
  type Category,
  type CategoryScores,
  type Evidence,
  LEAK_CATEGORIES,
  type Span,
  type VerdictAction,
} from '../core/types.js';
import { createNormalizer } from '../normalize/index.js';
import { createScreenerFromParts } from './screener.js';
import { resolveThresholds } from './thresholds.js';
import type { Detector, DetectorResult } from './types.js';

/**
 * The screener folds evidence into per-category scratch arrays in one pass; this is the straightforward form
 * it replaced (a list of scores per category, noisy-OR of each list, a filter for redactions), kept here as
 * the reference it must agree with.
 */
type Overrides = Partial<Record<Category, { flag?: number; block?: number }>>;

function reference(
  results: DetectorResult[],
  preset: 'balanced' | 'strict' | 'permissive',
  thresholdOverrides: Overrides = {},
) {
  const config = parseConfig({ screening: { preset, thresholds: thresholdOverrides } });
  const thresholds = resolveThresholds(config.screening, CATEGORIES);
  const leaks = new Set<Category>(LEAK_CATEGORIES);
  const evidence: Evidence[] = results.flatMap((r) => r.evidence);
  const learned: CategoryScores = {};
  for (const r of results)
    for (const [category, value] of Object.entries(r.scores ?? {}) as [Category, number][])
      learned[category] = Math.max(learned[category] ?? 0, value);
  const perCategory = new Map<Category, number[]>();
  for (const item of evidence) {
    if (item.score <= 0) continue;
    perCategory.set(item.category, [...(perCategory.get(item.category) ?? []), item.score]);
  }
  const noisyOr = (scores: number[]) =>
    1 - scores.reduce((miss, s) => miss * (1 - Math.min(1, Math.max(0, s))), 1);
  const categories: CategoryScores = {};
  const flaggedCategories: Category[] = [];
  let score = 0;
  let action: VerdictAction = 'allow';
  for (const category of CATEGORIES) {
    const value = Math.max(noisyOr(perCategory.get(category) ?? []), learned[category] ?? 0);
    if (value <= 0) continue;
    categories[category] = Math.round(value * 1000) / 1000;
    score = Math.max(score, categories[category]!);
    if (value >= thresholds[category].flag) {
      flaggedCategories.push(category);
      const next: VerdictAction = leaks.has(category)
        ? 'redact'
        : value >= thresholds[category].block
          ? 'block'
          : 'flag';
      if (DECISION_RANK[next] > DECISION_RANK[action]) action = next;
    }
  }
  const spans = evidence
    .filter((e) => leaks.has(e.category) && e.span && flaggedCategories.includes(e.category))
    .map((e) => e.span!)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const redactions: Span[] = [];
  for (const span of spans) {
    const last = redactions[redactions.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else redactions.push({ ...span });
  }
  return { action, flagged: action !== 'allow', score, categories, flaggedCategories, evidence, redactions };
}

describe('screener aggregation (scratch arrays) against the list-per-category reference', () => {
  it('gives the same scores, flags, action and redactions for random evidence and learned scores', () => {
    let seed = 21;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) / 0x1000000;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    const scoresPool = [0, -0.2, 0.05, 0.1, 0.3, 0.35, 0.5, 0.55, 0.7, 0.85, 0.9, 0.95, 1, 1.4];
    let flagged = 0;
    for (let t = 0; t < 1500; t++) {
      const results: DetectorResult[] = Array.from({ length: 1 + Math.floor(next() * 4) }, () => {
        const evidence: Evidence[] = Array.from({ length: Math.floor(next() * 5) }, () => {
          const start = Math.floor(next() * 50);
          return {
            detector: 'test',
            category: pick(CATEGORIES),
            score: next() < 0.5 ? pick(scoresPool) : next(),
            view: 'original',
            ...(next() < 0.7 ? { span: { start, end: start + 1 + Math.floor(next() * 20) } } : {}),
          };
        });
        const result: DetectorResult = { evidence };
        if (next() < 0.4) {
          result.scores = {};
          for (let k = Math.floor(next() * 4); k > 0; k--) result.scores[pick(CATEGORIES)] = next();
        }
        return result;
      });
      const detectors: Detector[] = results.map((result, k) => ({ id: `d${k}`, detect: () => result }));
      const preset = pick(['balanced', 'strict', 'permissive'] as const);
      // Per-category overrides too: the screener reads its thresholds from arrays indexed by category.
      const overrides: Overrides = {};
      if (next() < 0.5) {
        for (let k = 1 + Math.floor(next() * 4); k > 0; k--) {
          const flag = pick([0.2, 0.4, 0.6, 0.8, 0.95]);
          overrides[pick(CATEGORIES)] = next() < 0.5 ? { flag } : { flag, block: pick([0.5, 0.7, 0.9, 1]) };
        }
      }
      const config = parseConfig({ screening: { preset, thresholds: overrides } });
      const screener = createScreenerFromParts(config.screening, {
        normalize: createNormalizer(),
        detectors,
      });
      const verdict = screener.screen({ text: 'x'.repeat(80), side: 'input' });
      const expected = reference(results, preset, overrides);
      expect({
        action: verdict.action,
        flagged: verdict.flagged,
        score: verdict.score,
        categories: verdict.categories,
        flaggedCategories: verdict.flaggedCategories,
        evidence: verdict.evidence,
        redactions: verdict.redactions,
      }).toEqual(expected);
      // Same key order too: the verdict is serialised as is.
      expect(Object.keys(verdict.categories)).toEqual(Object.keys(expected.categories));
      if (verdict.flagged) flagged++;
    }
    expect(flagged).toBeGreaterThan(300);
    expect(flagged).toBeLessThan(1450);
  });
});
