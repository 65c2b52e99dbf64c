import { describe, expect, it } from 'vitest';
import { PRESET_THRESHOLDS } from '../thresholds.js';
import { applyKnots, buildKnots, knotsAreMonotone, operatingPoint, PRESET_GAP } from './calibrate.js';

describe('calibration knots', () => {
  const knots = buildKnots({ strict: -1, balanced: 0.5, permissive: 2 }, -8, 9);

  it('maps each operating point onto its preset flag threshold', () => {
    expect(applyKnots(-1, knots)).toBeCloseTo(PRESET_THRESHOLDS.strict.flag, 12);
    expect(applyKnots(0.5, knots)).toBeCloseTo(PRESET_THRESHOLDS.balanced.flag, 12);
    expect(applyKnots(2, knots)).toBeCloseTo(PRESET_THRESHOLDS.permissive.flag, 12);
  });

  it('is strictly increasing between the end knots and clamped outside', () => {
    expect(knotsAreMonotone(knots)).toBe(true);
    let prev = -1;
    for (let z = -7.9; z < 8.9; z += 0.05) {
      const s = applyKnots(z, knots);
      expect(s).toBeGreaterThan(prev);
      prev = s;
    }
    expect(applyKnots(-100, knots)).toBe(0);
    expect(applyKnots(100, knots)).toBe(1);
  });

  it('interpolates linearly between knots', () => {
    // Halfway between balanced (0.5 → 0.5) and permissive (2 → 0.7).
    expect(applyKnots(1.25, knots)).toBeCloseTo(0.6, 12);
  });

  it('keeps presets apart and the map monotone when operating points collide or invert', () => {
    const k = buildKnots({ strict: 1, balanced: 1, permissive: 0 }, 1, 1);
    expect(knotsAreMonotone(k)).toBe(true);
    // Balanced stays where the FPR budget put it; strict and permissive move out by the preset gap.
    expect(applyKnots(1, k)).toBeCloseTo(0.5, 12);
    expect(applyKnots(1 - PRESET_GAP / 2, k)).toBeCloseTo(0.35, 12);
    expect(applyKnots(1 + PRESET_GAP, k)).toBeCloseTo(0.7, 12);
  });

  it('rejects non-monotone knots', () => {
    expect(
      knotsAreMonotone([
        [0, 0],
        [1, 0.5],
        [0.5, 0.7],
      ]),
    ).toBe(false);
    expect(knotsAreMonotone([[0, 0]])).toBe(false);
  });
});

describe('operatingPoint', () => {
  it('takes the worst benign source, not the pooled rate', () => {
    const easy = Array.from({ length: 100 }, (_, i) => -5 + i * 0.01); // max -4.01
    const hard = Array.from({ length: 10 }, (_, i) => i); // 0..9
    const t = operatingPoint([easy, hard], 0.1); // 10% of 10 = 1 allowed in hard → between 8 and 9
    expect(t).toBeGreaterThan(8);
    expect(t).toBeLessThanOrEqual(9);
    expect(hard.filter((s) => s >= t).length).toBe(1);
    expect(easy.filter((s) => s >= t).length).toBe(0);
  });

  it('sits a quarter logit above the highest score when no false positive is allowed', () => {
    expect(operatingPoint([[0, 1, 2]], 0)).toBeCloseTo(2.25, 6);
  });

  it('is -Infinity without benign data', () => {
    expect(operatingPoint([], 0.01)).toBe(Number.NEGATIVE_INFINITY);
  });
});
