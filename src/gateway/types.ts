import type { RecordedEvent } from '../core/event.js';
import type { ExchangeRecord } from './exchange.js';

/**
 * The narrow ports the gateway needs. The composition root (the `serve` command) wires them to the event store;
 * tests use in-memory versions. The gateway core never imports a store implementation.
 */
export interface EventRecorder {
  record(event: RecordedEvent): Promise<void>;
  /**
   * Optional: takes finished exchanges and builds their events itself (content mode, fingerprints, language
   * features), e.g. on a recording thread, so that work leaves the request thread. When absent the gateway
   * builds each event and calls `record`.
   */
  recordExchanges?(records: readonly ExchangeRecord[]): void;
}

export interface EventReader {
  getEvent(id: string): Promise<RecordedEvent | undefined>;
}

export const ACCOUNT_LEVELS = ['none', 'watch', 'warn', 'throttle', 'suspend', 'ban'] as const;
export type AccountLevel = (typeof ACCOUNT_LEVELS)[number];

export interface AccountStatus {
  statusOf(tenant: string, account: string): Promise<{ level: AccountLevel; until?: string }>;
}

/** Accounts are never restricted: the default when no enforcement store is wired. */
export const NO_ACCOUNT_STATUS: AccountStatus = {
  statusOf: async () => ({ level: 'none' }),
};

/** The four screened API shapes. */
export type ApiKind = 'chat' | 'responses' | 'embeddings' | 'messages';
export type ApiFamily = 'openai' | 'anthropic';

export function familyOf(kind: ApiKind): ApiFamily {
  return kind === 'messages' ? 'anthropic' : 'openai';
}
