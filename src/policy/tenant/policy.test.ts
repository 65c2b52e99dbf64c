import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterdictError } from '../../core/errors.js';
import type { Verdict } from '../../core/types.js';
import { parseConfig } from '../../config/load.js';
import { resolveThresholds } from '../../detect/thresholds.js';
import { CATEGORIES } from '../../core/types.js';
import { decide } from './decide.js';
import { loadPolicyFile, parsePolicy } from './load.js';
import { createRateLimiter } from './rate-limit.js';
import { createTenantResolver, sha256Hex } from './resolve.js';

const thresholds = resolveThresholds(parseConfig({}).screening, CATEGORIES);

function verdict(categories: Verdict['categories'], redactions: Verdict['redactions'] = []): Verdict {
  const score = Math.max(0, ...Object.values(categories).map((v) => v ?? 0));
  return {
    action: 'allow',
    flagged: false,
    score,
    categories,
    flaggedCategories: [],
    evidence: Object.entries(categories).map(([category, s]) => ({
      detector: 'rules',
      ruleId: `R-${category}`,
      category: category as never,
      score: s ?? 0,
      view: 'original',
    })),
    transforms: [],
    redactions,
    side: 'input',
    latencyMs: 0,
  };
}

describe('tenant policy', () => {
  it('loads the example policy file', () => {
    const policy = loadPolicyFile(join(import.meta.dirname, '..', '..', '..', 'examples', 'policy.yaml'));
    expect(Object.keys(policy.tenants)).toEqual(['acme', 'research-lab']);
    expect(policy.defaults.categories?.cyber?.onBlock).toBe('review');
    const resolver = createTenantResolver(policy, {
      ACME_INTERDICT_KEY: 'acme-key',
      ACME_OPENAI_KEY: 'sk-up',
      LAB_INTERDICT_KEY: 'lab',
    });
    const acme = resolver.resolve('acme-key');
    expect(acme.tenant.tenant).toBe('acme');
    expect(acme.account).toBe('acme-backend');
    expect(acme.tenant.upstreamKey).toBe('sk-up');
    expect(acme.tenant.categories.injection).toEqual({ onFlag: 'flag', onBlock: 'block', flag: 0.4 });
    expect(resolver.resolve('test').account).toBe('acme-analytics'); // sha256("test") is listed
    expect(resolver.resolve('lab').tenant.mode).toBe('shadow');
    expect(() => resolver.resolve('nobody')).toThrow(InterdictError);
    expect(() => resolver.resolve(undefined)).toThrow(InterdictError);
  });

  it('rejects unknown fields and keys with more than one source, naming the path', () => {
    expect(() => parsePolicy({ defaults: { modee: 'shadow' } })).toThrow(/defaults/);
    expect(() => parsePolicy({ tenants: { t: { keys: [{ value: 'a', env: 'B' }] } } })).toThrow(
      /exactly one/,
    );
  });

  it('refuses a missing env secret without printing any key', () => {
    const policy = parsePolicy({ tenants: { t: { keys: [{ env: 'NOT_SET_ANYWHERE' }] } } });
    expect(() => createTenantResolver(policy, {})).toThrow(/NOT_SET_ANYWHERE/);
  });

  it('unknown keys run as tenant default when known keys are not required', () => {
    const resolver = createTenantResolver(parsePolicy({ defaults: { mode: 'shadow' } }), {});
    const match = resolver.resolve('anything');
    expect(match.tenant.tenant).toBe('default');
    expect(match.tenant.mode).toBe('shadow');
    expect(match.keyId).toBe(sha256Hex('anything').slice(0, 16));
  });
});

describe('decide', () => {
  const tenant = createTenantResolver(parsePolicy({}), {}).resolve(undefined).tenant;

  it('maps scores to actions with the preset thresholds and explains why', () => {
    const d = decide(tenant, thresholds, [
      { part: 'messages[0]', side: 'input', verdict: verdict({ injection: 0.8 }) },
    ]);
    expect(d.action).toBe('block');
    expect(d.reasons).toEqual(['messages[0]:injection=0.800>=0.75(block)->block [R-injection]']);
    expect(
      decide(tenant, thresholds, [{ part: 'm', side: 'input', verdict: verdict({ injection: 0.6 }) }]).action,
    ).toBe('flag');
    expect(
      decide(tenant, thresholds, [{ part: 'm', side: 'input', verdict: verdict({ injection: 0.3 }) }]).action,
    ).toBe('allow');
  });

  it('applies tenant thresholds and actions over the preset', () => {
    const strict = createTenantResolver(
      parsePolicy({ defaults: { categories: { injection: { flag: 0.2, block: 0.3, onBlock: 'review' } } } }),
      {},
    ).resolve(undefined).tenant;
    const d = decide(strict, thresholds, [
      { part: 'm', side: 'input', verdict: verdict({ injection: 0.35 }) },
    ]);
    expect(d.action).toBe('review');
  });

  it('redacts leaks when spans exist, and falls back to flag without spans', () => {
    const withSpans = decide(tenant, thresholds, [
      { part: 'a', side: 'input', verdict: verdict({ secrets: 0.9 }, [{ start: 0, end: 4 }]) },
    ]);
    expect(withSpans.action).toBe('redact');
    expect(withSpans.redactParts).toEqual(['a']);
    const noSpans = decide(tenant, thresholds, [
      { part: 'a', side: 'input', verdict: verdict({ secrets: 0.9 }) },
    ]);
    expect(noSpans.action).toBe('flag');
  });

  it('takes the strongest action across parts', () => {
    const d = decide(tenant, thresholds, [
      { part: 'a', side: 'input', verdict: verdict({ secrets: 0.9 }, [{ start: 0, end: 4 }]) },
      { part: 'b', side: 'document', verdict: verdict({ injection: 0.9 }) },
    ]);
    expect(d.action).toBe('block');
    expect(d.redactParts).toEqual([]);
    expect(d.categories.sort()).toEqual(['injection', 'secrets']);
  });
});

describe('rate limiter', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    const limiter = createRateLimiter();
    const rule = { requestsPerMinute: 60, burst: 3 };
    expect([0, 1, 2].map(() => limiter.take('a', rule, 1_000))).toEqual([0, 0, 0]);
    expect(limiter.take('a', rule, 1_000)).toBe(1);
    expect(limiter.take('b', rule, 1_000)).toBe(0); // accounts are independent
    expect(limiter.take('a', rule, 2_000)).toBe(0); // one second refills one token at 60/min
  });

  it('stays bounded in memory', () => {
    const limiter = createRateLimiter(2);
    const rule = { requestsPerMinute: 1, burst: 1 };
    limiter.take('x', rule, 0);
    limiter.take('y', rule, 0);
    limiter.take('z', rule, 0); // evicts x, which starts full again
    expect(limiter.take('x', rule, 0)).toBe(0);
  });
});
