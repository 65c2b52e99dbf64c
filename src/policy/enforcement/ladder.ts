import type { EnforcementConfig } from '../../config/sections/enforcement.js';
import type { MonitorConfig } from '../../config/sections/monitor.js';
import { type AccountState, type Level, levelRank } from '../../store/port.js';

/**
 * The ladder's decision rules as pure functions of (current state, latest risk, now, config), so the CLI
 * can show what `enforce run` would do and tests can walk every transition.
 *
 * - Escalation climbs at most `maxStepsPerEscalation` rungs of warn → throttle → suspend → ban towards the
 *   level the risk deserves, never above `maxAutoLevel`, and not within `cooldownHours` of the last action.
 * - Throttles and suspensions expire (`throttleHours`, `suspendDays`) back to warn.
 * - An account quiet (no flagged event) for `quietDaysToDeescalate` steps down one rung; bans never do.
 * - A manual override or an upheld appeal outcome holds automation off until `holdUntil`.
 */

export const RUNGS = ['warn', 'throttle', 'suspend', 'ban'] as const satisfies readonly Level[];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface EffectiveStatus {
  level: Level;
  until?: number;
  reason?: string;
  /** The stored level ended at `until` and this is what it expired to. */
  expired?: boolean;
}

/** The level in force at `now`, applying expiry at read time. */
export function effectiveStatus(state: AccountState | undefined, now: number): EffectiveStatus {
  if (!state) return { level: 'none' };
  if (state.until !== undefined && now >= state.until) {
    return { level: state.expiresTo ?? 'warn', expired: true, reason: `${state.level} ended` };
  }
  return {
    level: state.level,
    ...(state.until === undefined ? {} : { until: state.until }),
    reason: state.reason,
  };
}

/** How long a level lasts once applied, and what it returns to. */
export function durationOf(level: Level, config: EnforcementConfig): { hours?: number; expiresTo?: Level } {
  if (level === 'throttle' && config.throttleHours > 0)
    return { hours: config.throttleHours, expiresTo: 'warn' };
  if (level === 'suspend' && config.suspendDays > 0)
    return { hours: config.suspendDays * 24, expiresTo: 'warn' };
  return {};
}

export type DecisionKind = 'none' | 'escalate' | 'deescalate' | 'expire' | 'hold';

export interface Decision {
  kind: DecisionKind;
  /** Level in force now (after expiry). */
  current: Level;
  /** Level the decision moves to (equal to current for none/hold). */
  next: Level;
  /** Level the risk deserves. */
  target: Level;
  /** Plain-language why. */
  why: string;
}

export interface RiskView {
  risk: number;
  level: Level;
  lastFlaggedTs: number | null;
}

function rungIndex(level: Level): number {
  return (RUNGS as readonly Level[]).indexOf(level);
}

export function decide(
  state: AccountState | undefined,
  risk: RiskView | undefined,
  now: number,
  config: EnforcementConfig,
  levels: MonitorConfig['levels'],
): Decision {
  const status = effectiveStatus(state, now);
  const current = status.level;
  const target = risk?.level ?? 'none';
  const base = { current, target };
  if (status.expired) {
    return {
      ...base,
      kind: 'expire',
      next: current,
      why: `${state!.level} period ended; back to ${current}`,
    };
  }
  if (state?.holdUntil !== undefined && now < state.holdUntil) {
    return { ...base, kind: 'hold', next: current, why: 'set by an analyst or appeal; automation on hold' };
  }
  if (levelRank(target) > levelRank(current) && rungIndex(target) >= 0) {
    const sinceLast = state ? now - state.since : Number.POSITIVE_INFINITY;
    if (state && state.level !== 'none' && sinceLast < config.cooldownHours * HOUR) {
      return {
        ...base,
        kind: 'hold',
        next: current,
        why: `cool-down: last action ${Math.round(sinceLast / HOUR)}h ago`,
      };
    }
    const from = rungIndex(current); // -1 for none/watch
    const cap = Math.min(rungIndex(target), rungIndex(config.maxAutoLevel));
    const to = Math.min(from + config.maxStepsPerEscalation, cap);
    if (to <= from) {
      return {
        ...base,
        kind: 'none',
        next: current,
        why: `${target} needs an analyst (automatic ladder stops at ${config.maxAutoLevel})`,
      };
    }
    const next = RUNGS[to]!;
    return {
      ...base,
      kind: 'escalate',
      next,
      why: `risk ${risk!.risk.toFixed(2)} >= ${next} threshold ${levels[next].toFixed(2)}`,
    };
  }
  if (rungIndex(current) >= 0 && current !== 'ban' && levelRank(target) < levelRank(current)) {
    const quietSince = Math.max(risk?.lastFlaggedTs ?? 0, state?.since ?? 0);
    const quietDays = (now - quietSince) / DAY;
    if (quietDays >= config.quietDaysToDeescalate) {
      const idx = rungIndex(current);
      const next: Level = idx === 0 ? 'none' : RUNGS[idx - 1]!;
      return {
        ...base,
        kind: 'deescalate',
        next,
        why: `no flagged activity for ${Math.floor(quietDays)} days`,
      };
    }
  }
  return { ...base, kind: 'none', next: current, why: 'no change' };
}
