import { z } from 'zod';
import { CATEGORIES, PRESETS } from '../../core/types.js';

const score = z.number().min(0).max(1);

/** Per-category threshold override: flag at `flag`, block at `block` (block >= flag). */
export const categoryThresholdSchema = z.object({ flag: score.optional(), block: score.optional() }).strict();

export const screeningSchema = z
  .object({
    /** Largest accepted text in bytes (UTF-8). */
    maxBytes: z.number().int().positive().default(1_000_000),
    /** Operating point for all detectors; per-category thresholds override it. */
    preset: z.enum(PRESETS).default('balanced'),
    thresholds: z.partialRecord(z.enum(CATEGORIES), categoryThresholdSchema).default({}),
    normalize: z
      .object({
        maxDepth: z.number().int().min(0).max(8).default(4),
        maxDecodedChars: z.number().int().positive().default(200_000),
        maxViews: z.number().int().positive().default(32),
        minEncodedLength: z.number().int().min(8).default(16),
      })
      .strict()
      .default({ maxDepth: 4, maxDecodedChars: 200_000, maxViews: 32, minEncodedLength: 16 }),
    rules: z
      .object({
        /** Directory of rule YAML files; defaults to the rules shipped with the package. */
        dir: z.string().optional(),
        /** Rule ids to switch off. */
        disabled: z.array(z.string()).default([]),
      })
      .strict()
      .default({ disabled: [] }),
    learned: z
      .object({
        enabled: z.boolean().default(true),
        /** Directory holding the model artifact; defaults to the one shipped with the package. */
        dir: z.string().optional(),
      })
      .strict()
      .default({ enabled: true }),
    /**
     * Verdicts of recently screened texts, reused for identical (text, side) pairs with no context: system
     * prompts and templates repeat on every call of a deployment. 0 switches it off.
     */
    cache: z
      .object({
        entries: z.number().int().min(0).default(1024),
        /** Longer texts are not cached (the key is the text itself). */
        maxChars: z.number().int().positive().default(16_384),
      })
      .strict()
      .default({ entries: 1024, maxChars: 16_384 }),
    leaks: z
      .object({
        secrets: z.boolean().default(true),
        pii: z.boolean().default(true),
        /** PII kinds to report (absent = all); must match PII_TYPES in src/detect/leaks/pii.ts. */
        piiTypes: z
          .array(z.enum(['email', 'phone', 'card', 'iban', 'ssn', 'ip', 'nino', 'passport']))
          .min(1)
          .optional(),
      })
      .strict()
      .default({ secrets: true, pii: true }),
  })
  .strict();

export type ScreeningConfig = z.infer<typeof screeningSchema>;
