import type { AccountLevel, AccountStatus } from './types.js';

/**
 * Caches account levels briefly so the request path does not hit the store on every call. A level change by
 * enforcement takes effect within `ttlMs`. Bounded: the oldest entry is dropped past `max`.
 */
export function cachedAccountStatus(inner: AccountStatus, ttlMs = 2_000, max = 50_000): AccountStatus {
  const cache = new Map<string, { at: number; value: { level: AccountLevel; until?: string } }>();
  return {
    async statusOf(tenant, account) {
      const key = `${tenant}\u0000${account}`;
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && now - hit.at < ttlMs) return hit.value;
      const value = await inner.statusOf(tenant, account);
      if (cache.size >= max) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(key, { at: now, value });
      return value;
    },
  };
}

/** The narrow view of an enforcement store the gateway needs (the store's `accountState`). */
export interface AccountStateSource {
  accountState(
    tenant: string,
    account: string,
  ): Promise<{ level: AccountLevel; until?: number; expiresTo?: AccountLevel } | undefined>;
}

/** Reads levels from a store, honouring expiry (`until` passed → `expiresTo`, else none). */
export function accountStatusFrom(source: AccountStateSource): AccountStatus {
  return {
    async statusOf(tenant, account) {
      const state = await source.accountState(tenant, account);
      if (!state) return { level: 'none' };
      if (state.until !== undefined && state.until <= Date.now()) return { level: state.expiresTo ?? 'none' };
      return state.until !== undefined
        ? { level: state.level, until: new Date(state.until).toISOString() }
        : { level: state.level };
    },
  };
}
