import type { Category } from '../core/types.js';
import type { MonitorConfig } from '../config/sections/monitor.js';
import {
  type AccountAggregate,
  type EventStore,
  type Level,
  levelRank,
  type TrailEvent,
} from '../store/port.js';
import { featuresFrom, levelForRisk, type RiskComponents, type RiskFeatures, scoreRisk } from './risk.js';
import { afterRefusal, isStop, probing } from './sequence.js';

/**
 * Scores every account active in the last 30 days. Two stages keep 100k accounts cheap: one streamed SQL
 * aggregation gives counts per window for all accounts; only accounts with something notable (flags,
 * blocks, refusals) get a second, indexed look at their text-free trail for sequence features.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface AccountRisk {
  tenant: string;
  account: string;
  risk: number;
  /** Level the risk deserves (the ladder decides what is actually applied). */
  level: Level;
  categories: Category[];
  reasons: string[];
  features: RiskFeatures;
  components: RiskComponents;
  /** Ids of the events behind the sequence signals and the latest notable events (at most 50). */
  eventIds: string[];
  lastTs: number;
  lastFlaggedTs: number | null;
}

export interface ScoreAccountsOptions {
  config: MonitorConfig;
  /** Score as of this time (epoch ms); default: the newest event, or now when it is later. */
  asOf?: number;
  tenant?: string;
  /** Only yield accounts whose level is at least this. */
  minLevel?: Level;
  pageSize?: number;
}

export async function resolveAsOf(store: EventStore, asOf?: number): Promise<number> {
  if (asOf !== undefined) return asOf;
  const latest = await store.latestEventTs();
  // Historic logs are scored as of their newest event; live data as of now.
  return Math.min(Date.now(), latest ?? Date.now());
}

function isCandidate(a: AccountAggregate): boolean {
  return a.month.flagged > 0 || a.month.refused > 0 || a.month.blocked > 0;
}

async function sequenceOf(store: EventStore, a: AccountAggregate, asOf: number, config: MonitorConfig) {
  const monthStart = asOf - 30 * DAY_MS;
  const rule = { simhashDistance: config.simhashDistance, minhashJaccard: config.minhashJaccard };
  const notable = await store.trail(a.tenant, a.account, {
    since: monthStart,
    until: asOf,
    onlyNotable: true,
    limit: config.maxTrail,
  });
  const probe = probing(notable, HOUR_MS, rule);
  const stops = notable.filter(isStop);
  let follow: TrailEvent[] = [];
  const windowMs = config.rephraseWindowMinutes * 60_000;
  if (stops.length > 0) {
    follow = await store.trail(a.tenant, a.account, {
      since: stops[0]!.ts,
      until: Math.min(asOf, stops[stops.length - 1]!.ts + windowMs),
      limit: config.maxTrail * 4,
    });
  }
  const after = afterRefusal(follow, windowMs, rule);
  const eventIds = new Set<string>([
    ...(probe.largestCluster > 1 ? probe.eventIds : []),
    ...after.eventIds,
    ...notable.slice(-10).map((e) => e.id),
  ]);
  return {
    seq: {
      largestProbeCluster: probe.largestCluster,
      rephrases: after.rephrases,
      languageSwitches: after.languageSwitches,
    },
    eventIds: [...eventIds].slice(0, 50),
  };
}

export async function scoreAccount(
  store: EventStore,
  aggregate: AccountAggregate,
  asOf: number,
  config: MonitorConfig,
): Promise<AccountRisk> {
  const { seq, eventIds } = isCandidate(aggregate)
    ? await sequenceOf(store, aggregate, asOf, config)
    : { seq: { largestProbeCluster: 0, rephrases: 0, languageSwitches: 0 }, eventIds: [] };
  const features = featuresFrom(aggregate, seq, asOf);
  const result = scoreRisk(features, aggregate.categories, config);
  return {
    tenant: aggregate.tenant,
    account: aggregate.account,
    risk: result.risk,
    level: levelForRisk(result.risk, config.levels),
    categories: result.categories,
    reasons: result.reasons,
    features,
    components: result.components,
    eventIds,
    lastTs: aggregate.lastTs,
    lastFlaggedTs: aggregate.lastFlaggedTs,
  };
}

export async function* scoreAccounts(
  store: EventStore,
  options: ScoreAccountsOptions,
): AsyncIterable<AccountRisk> {
  const asOf = await resolveAsOf(store, options.asOf);
  const windows = {
    asOf,
    hourStart: asOf - HOUR_MS,
    dayStart: asOf - DAY_MS,
    monthStart: asOf - 30 * DAY_MS,
  };
  const floor = options.minLevel ? levelRank(options.minLevel) : 0;
  for await (const aggregate of store.accountAggregates({
    windows,
    ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  })) {
    const risk = await scoreAccount(store, aggregate, asOf, options.config);
    if (levelRank(risk.level) >= floor) yield risk;
  }
}
