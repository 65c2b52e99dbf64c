import type { Preset } from '../../core/types.js';
import { PRESET_THRESHOLDS } from '../thresholds.js';

/**
 * Calibration onto the engine's common score scale.
 *
 * A head's raw output is a logit z. For each output (side/category) training picks three operating points on
 * held-out data, one per preset, from the false-positive rate each preset may cost on benign text (see
 * `operatingPoint`). The map below is piecewise linear in z through
 *   (zLow, 0) → (z_strict, 0.35) → (z_balanced, 0.5) → (z_permissive, 0.7) → (zHigh, 1)
 * so that "flag at the preset threshold" on the common scale means "flag at that preset's chosen operating
 * point" for the model, and scores stay strictly increasing in z inside [zLow, zHigh] (AUROC is preserved).
 */
export type Knots = ReadonlyArray<readonly [number, number]>;

export interface OperatingPoints {
  strict: number;
  balanced: number;
  permissive: number;
}

/**
 * Smallest logit distance kept between presets: with small benign sets the FPR budgets can all land on the
 * same score (no false positive allowed anywhere), and presets that coincide would not be presets.
 */
export const PRESET_GAP = 0.5;

export function buildKnots(points: OperatingPoints, zLow: number, zHigh: number): Array<[number, number]> {
  const balanced = points.balanced;
  const strict = Math.min(points.strict, balanced - PRESET_GAP / 2);
  const permissive = Math.max(points.permissive, balanced + PRESET_GAP);
  const low = Math.min(zLow, strict - 1);
  const high = Math.max(zHigh, permissive + 1);
  const at = (p: Preset) => PRESET_THRESHOLDS[p].flag;
  return [
    [low, 0],
    [strict, at('strict')],
    [balanced, at('balanced')],
    [permissive, at('permissive')],
    [high, 1],
  ];
}

/** Applies a knot map; clamps to the end values outside the knots. */
export function applyKnots(z: number, knots: Knots): number {
  const first = knots[0];
  const last = knots[knots.length - 1];
  if (!first || !last) return 0;
  if (z <= first[0]) return first[1];
  if (z >= last[0]) return last[1];
  for (let i = 1; i < knots.length; i++) {
    const [x1, y1] = knots[i] as readonly [number, number];
    if (z <= x1) {
      const [x0, y0] = knots[i - 1] as readonly [number, number];
      return y0 + ((z - x0) / (x1 - x0)) * (y1 - y0);
    }
  }
  return last[1];
}

/** True when knots are strictly increasing in both coordinates (what a valid artifact must hold). */
export function knotsAreMonotone(knots: Knots): boolean {
  if (knots.length < 2) return false;
  for (let i = 1; i < knots.length; i++) {
    const a = knots[i - 1] as readonly [number, number];
    const b = knots[i] as readonly [number, number];
    if (!(b[0] > a[0]) || !(b[1] > a[1])) return false;
  }
  return true;
}

/**
 * The smallest raw score t such that, in EVERY benign source, at most `fpr` of its rows score >= t.
 * Taking the worst source (not the pooled rate) is what keeps a hard benign set (security questions,
 * trigger-word prompts) inside the target instead of being averaged away by easy ones.
 */
export function operatingPoint(benignBySource: ReadonlyArray<ArrayLike<number>>, fpr: number): number {
  let threshold = Number.NEGATIVE_INFINITY;
  for (const scores of benignBySource) {
    const n = scores.length;
    if (n === 0) continue;
    const sorted = Float64Array.from(scores).sort();
    const allowed = Math.floor(fpr * n);
    const top = sorted[n - 1 - allowed] as number;
    const next = allowed > 0 ? (sorted[n - allowed] as number) : top + 0.5;
    // Midway to the next higher score, or a quarter logit above the highest: a margin for unseen data.
    threshold = Math.max(threshold, top + Math.min(0.5, (next - top) / 2) + 1e-9);
  }
  return threshold;
}
