/**
 * Token bucket per (tenant, account). Refills continuously at `requestsPerMinute / 60` tokens a second up to
 * `burst`. Memory is bounded: past `maxAccounts` buckets the least recently created one is dropped (it simply
 * starts full again, which errs towards letting a request through).
 */
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds until a token is available. */
  take(key: string, rule: { requestsPerMinute: number; burst: number }, nowMs?: number): number;
}

export function createRateLimiter(maxAccounts = 100_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; last: number }>();
  return {
    take(key, rule, nowMs = Date.now()) {
      const perMs = rule.requestsPerMinute / 60_000;
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxAccounts) {
          const oldest = buckets.keys().next();
          if (!oldest.done) buckets.delete(oldest.value);
        }
        bucket = { tokens: rule.burst, last: nowMs };
        buckets.set(key, bucket);
      } else {
        bucket.tokens = Math.min(rule.burst, bucket.tokens + (nowMs - bucket.last) * perMs);
        bucket.last = nowMs;
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / perMs / 1000);
    },
  };
}
