import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatThroughServe,
  type ServeFixture,
  startServeFixture,
  stopServe,
} from '../testing/serve-process.js';
import { parseConfig } from '../../config/load.js';
import { parsePolicy } from '../../policy/tenant/load.js';
import { openStore } from '../../store/index.js';
import { shareRateLimits } from './serve.js';

describe('shareRateLimits', () => {
  it('gives each of N workers 1/N of every rate budget', () => {
    const policy = parsePolicy({
      defaults: { rateLimit: { requestsPerMinute: 600, burst: 60 } },
      tenants: { t: { rateLimit: { requestsPerMinute: 90 }, keys: [{ value: 'k' }] } },
    });
    const shared = shareRateLimits(policy, 3);
    expect(shared.defaults.rateLimit).toEqual({ requestsPerMinute: 200, burst: 20 });
    expect(shared.tenants.t?.rateLimit).toEqual({ requestsPerMinute: 30, burst: 30 });
    expect(shared.tenants.t?.keys).toEqual(policy.tenants.t?.keys);
    expect(shareRateLimits(policy, 1)).toBe(policy);
  });
});

describe('interdict serve --workers 2', () => {
  let fx: ServeFixture;
  let serve: ChildProcess;
  let url: string;

  beforeAll(async () => {
    fx = await startServeFixture(['--workers', '2']);
    ({ serve, url } = fx);
  }, 90_000);

  afterAll(() => fx.close());

  it('serves with two worker processes and flushes every event on SIGTERM', async () => {
    // The second worker may still be starting when the first announces the port.
    await new Promise((r) => setTimeout(r, 3_000));
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await chatThroughServe(url, `hello ${i}`, { connection: 'close' });
      expect(res.status).toBe(200);
      ids.push(res.eventId);
    }
    expect(await stopServe(serve)).toBe(0);
    const store = await openStore(parseConfig({ store: { path: fx.db } }).store);
    try {
      for (const id of ids) expect((await store.getEvent(id))?.id).toBe(id);
    } finally {
      await store.close();
    }
  }, 120_000);
});
