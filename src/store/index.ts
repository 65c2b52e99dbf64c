import { InterdictError } from '../core/errors.js';
import type { StoreConfig } from '../config/sections/store.js';
import type { EventStore } from './port.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export * from './port.js';
export { SqliteStore } from './sqlite/sqlite-store.js';
export { PostgresStore } from './postgres/postgres-store.js';

export interface OpenStoreOptions {
  /** Skip migrate() (e.g. read-only tools against a database someone else migrates). */
  migrate?: boolean;
}

/**
 * The one place that picks a store adapter. Returns a migrated store: callers never see an old schema.
 */
export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<EventStore> {
  let store: EventStore;
  if (config.driver === 'postgres') {
    if (!config.url)
      throw new InterdictError('INTERDICT_CONFIG_INVALID', 'store.url is required for the postgres driver');
    store = new PostgresStore({
      url: config.url,
      poolSize: config.poolSize,
      ...(config.schema ? { schema: config.schema } : {}),
    });
  } else {
    store = new SqliteStore({ path: config.path });
  }
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (err) {
      await store.close().catch(() => {});
      throw err;
    }
  }
  return store;
}

/** Config overrides from the common CLI flags: --db PATH (SQLite) or --store-url URL (PostgreSQL). */
export function storeFlags(opts: { db?: string; storeUrl?: string }): { store?: Partial<StoreConfig> } {
  if (opts.db && opts.storeUrl)
    throw new InterdictError('INTERDICT_USAGE', 'give --db or --store-url, not both');
  if (opts.storeUrl) return { store: { driver: 'postgres', url: opts.storeUrl } };
  if (opts.db) return { store: { driver: 'sqlite', path: opts.db } };
  return {};
}
