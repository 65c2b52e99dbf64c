import type { Category, Preset } from '../core/types.js';
import type { ScreeningConfig } from '../config/sections/screening.js';

/**
 * Every detector reports on one common score scale, 0..1, on which the preset thresholds below apply:
 * a learned detector calibrates its raw output onto this scale (see src/detect/learned), a rule's score
 * comes from its severity. Per-category overrides in config win over the preset.
 */
export const PRESET_THRESHOLDS: Readonly<Record<Preset, { flag: number; block: number }>> = Object.freeze({
  strict: { flag: 0.35, block: 0.6 },
  balanced: { flag: 0.5, block: 0.75 },
  permissive: { flag: 0.7, block: 0.9 },
});

export interface Threshold {
  flag: number;
  block: number;
}

export type ThresholdTable = Readonly<Record<Category, Threshold>>;

export function resolveThresholds(config: ScreeningConfig, categories: readonly Category[]): ThresholdTable {
  const base = PRESET_THRESHOLDS[config.preset];
  const out = {} as Record<Category, Threshold>;
  for (const category of categories) {
    const over = config.thresholds[category];
    const flag = over?.flag ?? base.flag;
    const block = Math.max(flag, over?.block ?? Math.max(base.block, flag));
    out[category] = { flag, block };
  }
  return Object.freeze(out);
}
