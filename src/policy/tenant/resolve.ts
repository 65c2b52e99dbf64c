import { createHash, timingSafeEqual } from 'node:crypto';
import { InterdictError } from '../../core/errors.js';
import type { CategoryRule, Policy, TenantSettings } from './schema.js';

/** Effective settings of one tenant: defaults overlaid with the tenant's own, every field filled. */
export interface TenantPolicy {
  tenant: string;
  mode: 'enforce' | 'shadow';
  failMode: 'open' | 'closed';
  streaming: 'no-leak' | 'monitor';
  categories: Readonly<Partial<Record<string, CategoryRule>>>;
  messages: { block: string; review: string; throttle: string; suspended: string };
  reviewStatus: number;
  rateLimit?: { requestsPerMinute: number; burst: number };
  /** Resolved upstream key, or undefined to forward the client's own credentials. */
  upstreamKey?: string;
  content?: 'full' | 'redacted' | 'hash' | 'none';
}

export interface KeyMatch {
  tenant: TenantPolicy;
  /** Account from the key entry, when the policy names one. */
  account?: string;
  /** First 16 hex chars of the key's SHA-256: a stable, non-secret key id for events. */
  keyId: string;
}

export interface TenantResolver {
  /** Finds the tenant for a presented API key; throws INTERDICT_AUTH_REQUIRED when the policy demands a known key. */
  resolve(apiKey: string | undefined): KeyMatch;
  readonly tenants: readonly string[];
}

const DEFAULT_MESSAGES = {
  block: 'This request was blocked by the content policy.',
  review: 'This request is being held for review.',
  throttle: 'Too many requests for this account; slow down.',
  suspended: 'This account is suspended.',
};

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function readSecret(
  secret: { env: string } | { value: string } | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (!secret) return undefined;
  if ('value' in secret) return secret.value;
  const value = env[secret.env];
  if (!value) {
    throw new InterdictError(
      'INTERDICT_CONFIG_INVALID',
      `environment variable ${secret.env} named by the policy is not set`,
    );
  }
  return value;
}

function merge(
  tenant: string,
  base: TenantSettings,
  own: TenantSettings,
  env: NodeJS.ProcessEnv,
): TenantPolicy {
  const categories: Record<string, CategoryRule> = { ...(base.categories ?? {}) };
  for (const [category, rule] of Object.entries(own.categories ?? {})) {
    categories[category] = { ...(categories[category] ?? {}), ...rule };
  }
  const rate = own.rateLimit ?? base.rateLimit;
  const upstreamKey = readSecret(own.upstreamKey ?? base.upstreamKey, env);
  const content = own.content ?? base.content;
  return {
    tenant,
    mode: own.mode ?? base.mode ?? 'enforce',
    failMode: own.failMode ?? base.failMode ?? 'open',
    streaming: own.streaming ?? base.streaming ?? 'no-leak',
    categories,
    messages: { ...DEFAULT_MESSAGES, ...(base.messages ?? {}), ...(own.messages ?? {}) },
    reviewStatus: own.reviewStatus ?? base.reviewStatus ?? 403,
    ...(rate
      ? {
          rateLimit: {
            requestsPerMinute: rate.requestsPerMinute,
            burst: rate.burst ?? Math.max(1, Math.ceil(rate.requestsPerMinute)),
          },
        }
      : {}),
    ...(upstreamKey ? { upstreamKey } : {}),
    ...(content ? { content } : {}),
  };
}

/**
 * Builds the key → tenant index. Keys are held only as SHA-256 digests; a presented key is hashed and looked up,
 * then the digests are compared with timingSafeEqual, so neither the key nor its digest leaks through timing.
 */
export function createTenantResolver(policy: Policy, env: NodeJS.ProcessEnv = process.env): TenantResolver {
  const byHash = new Map<string, { digest: Buffer; tenant: TenantPolicy; account?: string }>();
  const tenants: string[] = [];
  const fallback = merge('default', policy.defaults, {}, env);
  let defaultTenant = fallback;
  for (const [name, settings] of Object.entries(policy.tenants)) {
    const { keys, ...own } = settings;
    const tenant = merge(name, policy.defaults, own, env);
    tenants.push(name);
    if (name === 'default') defaultTenant = tenant;
    for (const key of keys) {
      const hex = (
        key.sha256 ?? sha256Hex(readSecret(key.env ? { env: key.env } : { value: key.value! }, env)!)
      ).toLowerCase();
      if (byHash.has(hex))
        throw new InterdictError(
          'INTERDICT_CONFIG_INVALID',
          `policy lists the same API key twice (tenant ${name})`,
        );
      byHash.set(hex, {
        digest: Buffer.from(hex, 'hex'),
        tenant,
        ...(key.account ? { account: key.account } : {}),
      });
    }
  }

  function resolve(apiKey: string | undefined): KeyMatch {
    if (apiKey) {
      const hex = sha256Hex(apiKey);
      const entry = byHash.get(hex);
      if (entry && timingSafeEqual(entry.digest, Buffer.from(hex, 'hex'))) {
        return {
          tenant: entry.tenant,
          keyId: hex.slice(0, 16),
          ...(entry.account ? { account: entry.account } : {}),
        };
      }
      if (policy.requireKnownKey) throw new InterdictError('INTERDICT_AUTH_REQUIRED');
      return { tenant: defaultTenant, keyId: hex.slice(0, 16) };
    }
    if (policy.requireKnownKey) throw new InterdictError('INTERDICT_AUTH_REQUIRED');
    return { tenant: defaultTenant, keyId: 'none' };
  }

  return { resolve, tenants };
}
