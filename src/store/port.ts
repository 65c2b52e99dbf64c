import type { Category } from '../core/types.js';
import type { EventAnalysis, RecordedEvent } from '../core/event.js';
import type { EventRow } from './rows.js';

/**
 * The event store port. Adapters (sqlite/, postgres/) implement it; `openStore` in index.ts is the only place
 * that picks one. Every method is async so a networked adapter fits.
 *
 * Extension points (not built yet; each adds its own tables through new entries appended to the migration
 * lists, and its own sub-interface next to this one, so nothing here changes):
 * - cases / review queue: a `CaseStore` keyed by case id, linking event ids and account keys;
 * - tamper-evident audit log: `putAction` / `putAppeal` / `resolveAppeal` return the stored record, which is
 *   exactly what an append-only hash chain (RFC 6962 leaves) needs to hash;
 * - intel sharing: events carry SimHash/MinHash fingerprints and rule ids, the indicators a sharing module
 *   exports, without reading raw text.
 */

/** Levels of the enforcement ladder, in order. `watch` is a monitoring label with no user-facing effect. */
export const LEVELS = ['none', 'watch', 'warn', 'throttle', 'suspend', 'ban'] as const;
export type Level = (typeof LEVELS)[number];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/**
 * Content-derived features computed at ingest, before text is redacted or dropped, so monitoring never needs
 * the text. Carried on the analysis as an optional extra field.
 */
export interface ContentFeatures {
  /** Script / language of the user text: `latin:en`, `latin:es`, `cyrillic`, `han`, ... (`` when no text). */
  lang?: string;
  /** Programming language the request is about or contains (`python`, `vbscript`, ...), when any. */
  code?: string;
}

export type StoredAnalysis = EventAnalysis & { features?: ContentFeatures };

export interface TimeRange {
  /** Inclusive lower bound, epoch milliseconds. */
  since?: number;
  /** Inclusive upper bound, epoch milliseconds. */
  until?: number;
  limit?: number;
}

export interface Checkpoint {
  source: string;
  /** Byte offset just past the last committed line. */
  offset: number;
  /** Number of lines consumed up to `offset` (for line numbers after a resume). */
  line: number;
  updatedAt: number;
}

export interface PutEventsOptions {
  /** Committed in the same transaction as the events it covers. */
  checkpoint?: { source: string; offset: number; line: number };
}

export interface PutEventsResult {
  /** Events newly stored (ids already present are skipped). */
  inserted: number;
}

/** Windows (epoch ms bounds) the monitor aggregates over. `month` is the outer bound of the scan. */
export interface AggregateWindows {
  asOf: number;
  hourStart: number;
  dayStart: number;
  monthStart: number;
}

export interface WindowCounts {
  events: number;
  flagged: number;
  blocked: number;
  refused: number;
  /** Sum of scores of flagged events (severity mass). */
  flaggedScore: number;
}

/** Per-account aggregates computed inside the database. */
export interface AccountAggregate {
  tenant: string;
  account: string;
  hour: WindowCounts;
  day: WindowCounts;
  month: WindowCounts;
  maxScore: number;
  /** Flagged-event counts per category over the month window. */
  categories: Partial<Record<Category, number>>;
  firstTs: number;
  lastTs: number;
  /** Newest flagged event in the month window, if any. */
  lastFlaggedTs: number | null;
  signupTs: number | null;
  /** Busiest minute in the day window, and the number of minutes with any activity in it. */
  peakPerMinute: number;
  activeMinutes: number;
}

export interface AggregateQuery {
  windows: AggregateWindows;
  tenant?: string;
  /** Page size of the keyset scan (default 5000). */
  pageSize?: number;
}

/** A compact, text-free row per event for sequence features (probing, rephrasing, language switches). */
export interface TrailEvent {
  id: string;
  ts: number;
  action: string;
  score: number;
  categories: Category[];
  refused: boolean;
  simhash: bigint | null;
  minhash: Uint32Array | null;
  lang: string;
  code: string;
}

export type ActionSource = 'auto' | 'manual' | 'appeal' | 'expiry';

/** Evidence behind an action: ids and features, never raw prompt text. */
export interface ActionEvidence {
  eventIds?: string[];
  rules?: string[];
  risk?: number;
  features?: Record<string, number>;
  reasons?: string[];
  appealId?: string;
}

export interface EnforcementAction {
  id: string;
  tenant: string;
  account: string;
  ts: number;
  level: Level;
  previous: Level;
  source: ActionSource;
  /** Analyst or `interdict` for automatic actions. */
  actor: string;
  reason: string;
  /** When the level ends (epoch ms); absent = until changed. */
  until?: number;
  /** Level the account returns to at `until`. */
  expiresTo?: Level;
  /** Automation leaves the level alone until then (manual overrides). */
  holdUntil?: number;
  evidence: ActionEvidence;
}

/** The current state of an account on the ladder (one row per account that ever had an action). */
export interface AccountState {
  tenant: string;
  account: string;
  level: Level;
  since: number;
  until?: number;
  expiresTo?: Level;
  holdUntil?: number;
  reason: string;
  lastActionId: string;
}

export type AppealStatus = 'open' | 'upheld' | 'overturned';

export interface Appeal {
  id: string;
  tenant: string;
  account: string;
  actionId: string;
  ts: number;
  /** The account holder's statement, as given (it is theirs to make; it is not prompt text). */
  statement: string;
  status: AppealStatus;
  resolvedTs?: number;
  resolver?: string;
  resolution?: string;
}

export interface AppealResolution {
  status: Exclude<AppealStatus, 'open'>;
  resolver: string;
  resolution: string;
  ts: number;
}

export interface AccountKey {
  tenant: string;
  account: string;
}

export interface EventStore {
  /** Applies pending migrations in order; safe to call every start. Returns the schema version. */
  migrate(): Promise<number>;

  /** Batched, idempotent by event id; one transaction (with the checkpoint, when given). */
  putEvents(events: readonly RecordedEvent[], options?: PutEventsOptions): Promise<PutEventsResult>;
  /**
   * The same for events already mapped to rows with `toRow` (rows.ts), e.g. by ingest worker threads, so
   * the writer does no per-event serialisation.
   */
  putPrepared(rows: readonly EventRow[], options?: PutEventsOptions): Promise<PutEventsResult>;
  getEvent(id: string): Promise<RecordedEvent | undefined>;
  /** Oldest first. */
  eventsForAccount(tenant: string, account: string, range?: TimeRange): Promise<RecordedEvent[]>;
  countEvents(tenant?: string): Promise<number>;
  /** Newest event timestamp (epoch ms), or undefined for an empty store. */
  latestEventTs(): Promise<number | undefined>;

  /** Aggregates for every account active in the month window, streamed in pages. */
  accountAggregates(query: AggregateQuery): AsyncIterable<AccountAggregate>;
  /** Text-free event rows of one account, oldest first. `onlyNotable` keeps flagged/blocked/refused ones. */
  trail(tenant: string, account: string, range: TimeRange & { onlyNotable?: boolean }): Promise<TrailEvent[]>;

  /** Records an action and moves the account's state to it, atomically. Returns the stored record. */
  putAction(action: EnforcementAction): Promise<EnforcementAction>;
  /** Newest first. */
  actionsFor(tenant: string, account: string, limit?: number): Promise<EnforcementAction[]>;
  accountState(tenant: string, account: string): Promise<AccountState | undefined>;
  /** Every account with a state above `none` (or all when `includeNone`). */
  accountStates(options?: { tenant?: string; includeNone?: boolean }): Promise<AccountState[]>;

  putAppeal(appeal: Appeal): Promise<Appeal>;
  getAppeal(id: string): Promise<Appeal | undefined>;
  /** Returns the resolved appeal; throws INTERDICT_NOT_FOUND / INTERDICT_USAGE when missing or closed. */
  resolveAppeal(id: string, resolution: AppealResolution): Promise<Appeal>;
  appealsFor(tenant: string, account: string): Promise<Appeal[]>;

  getCheckpoint(source: string): Promise<Checkpoint | undefined>;
  setCheckpoint(source: string, offset: number, line?: number): Promise<void>;

  close(): Promise<void>;
}
