import type { Category } from '../core/types.js';
import type { MonitorConfig } from '../config/sections/monitor.js';
import type { AccountAggregate, Level } from '../store/port.js';

/**
 * Turns per-account features into one risk score 0..1 with plain-language reasons. Abuse evidence (flags,
 * blocks, probing, rephrasing and language switching after refusals) drives the score; behaviour (machine
 * speed, bursts, heavy use by a brand-new account) only amplifies it and on its own stays below the `watch`
 * level, so a heavy but benign user is never flagged for volume alone.
 */

export interface SequenceFeatures {
  largestProbeCluster: number;
  rephrases: number;
  languageSwitches: number;
}

export interface RiskFeatures extends SequenceFeatures {
  eventsHour: number;
  eventsDay: number;
  eventsMonth: number;
  flaggedMonth: number;
  flaggedShare: number;
  blockedMonth: number;
  refusedMonth: number;
  flaggedMass: number;
  categorySpread: number;
  peakPerMinute: number;
  burstiness: number;
  /** Days since signup_ts; Infinity when the events carry no signup time. */
  accountAgeDays: number;
}

export interface RiskComponents {
  abuse: number;
  spread: number;
  probing: number;
  rephrasing: number;
  languageSwitching: number;
  behaviour: number;
}

export interface RiskResult {
  risk: number;
  components: RiskComponents;
  reasons: string[];
  /** Flagged categories, most frequent first. */
  categories: Category[];
}

const DAY = 86_400_000;

export function featuresFrom(a: AccountAggregate, seq: SequenceFeatures, asOf: number): RiskFeatures {
  // Age needs the signup time: the first recorded event only says when recording began for old accounts.
  const ageDays = a.signupTs === null ? Number.POSITIVE_INFINITY : Math.max(0, (asOf - a.signupTs) / DAY);
  const meanPerActiveMinute = a.activeMinutes > 0 ? a.day.events / a.activeMinutes : 0;
  return {
    ...seq,
    eventsHour: a.hour.events,
    eventsDay: a.day.events,
    eventsMonth: a.month.events,
    flaggedMonth: a.month.flagged,
    flaggedShare: a.month.events > 0 ? a.month.flagged / a.month.events : 0,
    blockedMonth: a.month.blocked,
    refusedMonth: a.month.refused,
    // Severity mass: the scores of flagged events, with a bonus for blocks (the most severe outcome).
    flaggedMass: a.month.flaggedScore + 0.5 * a.month.blocked,
    categorySpread: Object.keys(a.categories).length,
    peakPerMinute: a.peakPerMinute,
    burstiness: meanPerActiveMinute > 0 ? a.peakPerMinute / meanPerActiveMinute : 0,
    accountAgeDays: ageDays,
  };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const saturate = (x: number, scale: number) => 1 - Math.exp(-Math.max(0, x) / scale);
const noisyOr = (values: number[]) => 1 - values.reduce((miss, v) => miss * (1 - clamp01(v)), 1);
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function scoreRisk(
  f: RiskFeatures,
  categories: Partial<Record<Category, number>>,
  config: MonitorConfig,
): RiskResult {
  const reasons: string[] = [];
  const base = config.baselineFlaggedShare;
  // Flag share above what detector false positives alone explain; full weight at 30% flagged.
  const excess = clamp01((f.flaggedShare - base) / Math.max(0.3 - base, 0.01));
  const abuse = saturate(f.flaggedMass, 4) * Math.sqrt(excess);
  const ranked = (Object.entries(categories) as [Category, number][]).sort((x, y) => y[1] - x[1]);
  if (abuse >= 0.05) {
    const top = ranked
      .slice(0, 3)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    reasons.push(
      `${f.flaggedMonth} of ${f.eventsMonth} requests flagged in 30 days (${pct(f.flaggedShare)})${f.blockedMonth ? `, ${f.blockedMonth} blocked` : ''}${top ? `: ${top}` : ''}`,
    );
  }
  const spread = f.categorySpread >= 3 ? Math.min(0.3, 0.1 * (f.categorySpread - 2)) * Math.sqrt(excess) : 0;
  if (spread >= 0.05) reasons.push(`flagged in ${f.categorySpread} different abuse categories`);

  const probingScore = f.largestProbeCluster >= 4 ? saturate(f.largestProbeCluster - 3, 6) : 0;
  if (probingScore > 0) {
    reasons.push(
      `probing: ${f.largestProbeCluster} near-variants of refused or flagged prompts within one hour`,
    );
  }
  const rephrasing = saturate(f.rephrases, 3);
  if (f.rephrases > 0) {
    reasons.push(
      `rephrased ${f.rephrases} refused or blocked request${f.rephrases > 1 ? 's' : ''} within minutes`,
    );
  }
  const languageSwitching = 0.6 * saturate(f.languageSwitches, 2);
  if (f.languageSwitches > 0) {
    reasons.push(
      `switched natural or programming language after ${f.languageSwitches} refusal${f.languageSwitches > 1 ? 's' : ''}`,
    );
  }

  const behaviours: number[] = [];
  if (f.peakPerMinute >= config.machineRatePerMinute) {
    behaviours.push(clamp01(f.peakPerMinute / (2 * config.machineRatePerMinute)));
    reasons.push(`machine-speed traffic: ${f.peakPerMinute} requests in one minute`);
  }
  if (f.burstiness >= 20 && f.eventsDay >= 100) {
    behaviours.push(0.5);
    reasons.push(`bursty traffic: peak minute ${Math.round(f.burstiness)}x the account's usual rate`);
  }
  if (f.accountAgeDays < config.newAccountDays && f.eventsDay >= config.newAccountDailyVolume) {
    behaviours.push(clamp01(f.eventsDay / (2 * config.newAccountDailyVolume)));
    reasons.push(
      `new account (${f.accountAgeDays.toFixed(1)} days old) sent ${f.eventsDay} requests in a day`,
    );
  }
  const behaviour = behaviours.length ? Math.max(...behaviours) : 0;

  const evidence = noisyOr([abuse, spread, probingScore, rephrasing, languageSwitching]);
  // Behaviour alone reaches at most 0.25 (below the default watch level); with abuse it amplifies.
  const risk = noisyOr([evidence, 0.25 * behaviour, 0.5 * evidence * behaviour]);
  return {
    risk: Math.round(risk * 1000) / 1000,
    components: { abuse, spread, probing: probingScore, rephrasing, languageSwitching, behaviour },
    reasons,
    categories: ranked.map(([c]) => c),
  };
}

/** The level a risk deserves under the configured thresholds. */
export function levelForRisk(risk: number, levels: MonitorConfig['levels']): Level {
  if (risk >= levels.ban) return 'ban';
  if (risk >= levels.suspend) return 'suspend';
  if (risk >= levels.throttle) return 'throttle';
  if (risk >= levels.warn) return 'warn';
  if (risk >= levels.watch) return 'watch';
  return 'none';
}
