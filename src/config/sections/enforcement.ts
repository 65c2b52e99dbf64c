import { z } from 'zod';

const hours = z.number().min(0);

/**
 * The enforcement ladder: warn → throttle → suspend → ban. Risk thresholds live in `monitor.levels`; this
 * section says how fast the ladder moves and how long restrictive levels last.
 */
export const enforcementSchema = z
  .object({
    /** Whether `enforce run` applies actions automatically (false = recommend only). */
    auto: z.boolean().default(true),
    /** Highest level the automatic ladder may reach; higher levels need an analyst. */
    maxAutoLevel: z.enum(['warn', 'throttle', 'suspend', 'ban']).default('suspend'),
    /** Rungs climbed per automatic escalation at most. */
    maxStepsPerEscalation: z.number().int().min(1).max(4).default(1),
    /** No automatic re-escalation within this many hours of the last action. */
    cooldownHours: hours.default(6),
    /** An account with no flagged activity for this many days steps down one rung. */
    quietDaysToDeescalate: hours.default(14),
    /** How long a throttle lasts before it expires back to warn (0 = until changed). */
    throttleHours: hours.default(72),
    /** How long a suspension lasts before it expires back to warn (0 = until changed). */
    suspendDays: hours.default(7),
    /** A manual override holds this many hours before automation may change the level again. */
    overrideHoldHours: hours.default(168),
    /** statusOf() answers from a cache entry at most this old. */
    statusCacheMs: z.number().int().min(0).default(5000),
  })
  .strict();

export type EnforcementConfig = z.infer<typeof enforcementSchema>;
