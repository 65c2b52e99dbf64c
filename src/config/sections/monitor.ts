import { z } from 'zod';

const score = z.number().min(0).max(1);

/**
 * Account-risk settings. Risk is 0..1; `levels` maps it to the level an account deserves (the enforcement
 * ladder decides what actually happens, with cool-downs and overrides).
 */
export const monitorSchema = z
  .object({
    levels: z
      .object({
        watch: score.default(0.3),
        warn: score.default(0.5),
        throttle: score.default(0.7),
        suspend: score.default(0.85),
        ban: score.default(0.95),
      })
      .strict()
      .refine(
        (l) => l.watch <= l.warn && l.warn <= l.throttle && l.throttle <= l.suspend && l.suspend <= l.ban,
        {
          message: 'level thresholds must be non-decreasing: watch <= warn <= throttle <= suspend <= ban',
        },
      )
      .default({ watch: 0.3, warn: 0.5, throttle: 0.7, suspend: 0.85, ban: 0.95 }),
    /** Share of flagged requests expected from detector false positives alone; below it, flags add no risk. */
    baselineFlaggedShare: score.default(0.02),
    /** Two prompts are near-variants when SimHash Hamming distance <= this (64-bit). */
    simhashDistance: z.number().int().min(0).max(32).default(12),
    /** ... or when their MinHash Jaccard estimate >= this. */
    minhashJaccard: score.default(0.5),
    /** A follow-up within this many minutes of a refusal counts as a rephrase / language switch. */
    rephraseWindowMinutes: z.number().positive().default(15),
    /** Requests per minute above which traffic looks automated. */
    machineRatePerMinute: z.number().positive().default(60),
    /** Accounts younger than this many days with heavy volume get a (small) new-account signal. */
    newAccountDays: z.number().positive().default(2),
    /** Per-day request volume that is "heavy" for a new account. */
    newAccountDailyVolume: z.number().int().positive().default(1000),
    /** Most flagged/refused events per account examined for probing (bounds pairwise work). */
    maxTrail: z.number().int().min(10).max(10_000).default(500),
  })
  .strict();

export type MonitorConfig = z.infer<typeof monitorSchema>;
