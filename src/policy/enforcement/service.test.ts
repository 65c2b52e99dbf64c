import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enforcementSchema } from '../../config/sections/enforcement.js';
import { monitorSchema } from '../../config/sections/monitor.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { makeEvent } from '../../store/testing/events.js';
import { Enforcement } from './service.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 6, 1, 9);

/** 40 blocked, refused near-identical jailbreak attempts in one hour, plus a benign account. */
function proberEvents(start: number, prefix: string) {
  return Array.from({ length: 40 }, (_, i) =>
    makeEvent({
      id: `${prefix}-${i}`,
      account: 'prober',
      ts: start + i * 90_000,
      action: 'block',
      score: 0.9,
      categories: ['jailbreak'],
      refusal: true,
      simhash: i % 2 ? 'f0f0f0f0f0f0f0f0' : 'f0f0f0f0f0f0f0f1',
      text: 'SECRET PROMPT TEXT',
    }),
  );
}

describe('Enforcement', () => {
  let store: SqliteStore;
  let now: number;
  let enforcement: Enforcement;

  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    now = T0 + HOUR;
    enforcement = new Enforcement({
      store,
      config: enforcementSchema.parse({}),
      monitor: monitorSchema.parse({}),
      clock: () => now,
    });
    await store.putEvents([
      ...proberEvents(T0, 'p1'),
      ...Array.from({ length: 50 }, (_, i) =>
        makeEvent({ id: `b-${i}`, account: 'benign', ts: T0 + i * 60_000 }),
      ),
    ]);
  });
  afterEach(async () => {
    await store.close();
  });

  it('escalates a prober one rung per run, with cool-down, and records content-free evidence', async () => {
    const first = await enforcement.run({ asOf: now });
    expect(first.scored).toBe(2);
    expect(first.changes.map((c) => [c.account, c.kind, c.next])).toEqual([['prober', 'escalate', 'warn']]);
    expect(await enforcement.statusOf('t1', 'prober')).toMatchObject({ level: 'warn' });
    expect(await enforcement.statusOf('t1', 'benign')).toEqual({ level: 'none' });

    const [action] = await store.actionsFor('t1', 'prober');
    expect(action).toMatchObject({ level: 'warn', previous: 'none', source: 'auto', actor: 'interdict' });
    expect(action!.evidence.eventIds!.length).toBeGreaterThan(10);
    expect(action!.evidence.rules).toEqual(['TEST-JAILBREAK']);
    expect(action!.evidence.features!.largestProbeCluster).toBeGreaterThanOrEqual(30);
    expect(action!.reason).toMatch(/probing/);
    expect(JSON.stringify(action)).not.toContain('SECRET PROMPT TEXT');

    // Within the cool-down: held, nothing new.
    now += HOUR;
    const second = await enforcement.run({ asOf: now });
    expect(second).toMatchObject({ escalated: 0, held: 1 });

    // Still probing after the cool-down: next rung, time-limited.
    now += 6 * HOUR;
    await store.putEvents(proberEvents(now - HOUR, 'p2'));
    const third = await enforcement.run({ asOf: now });
    expect(third.changes.map((c) => c.next)).toEqual(['throttle']);
    const status = await enforcement.statusOf('t1', 'prober');
    expect(status).toMatchObject({ level: 'throttle', until: now + 72 * HOUR });
  });

  it('expires a throttle back to warn, then de-escalates after a quiet period', async () => {
    await enforcement.apply('t1', 'prober', 'throttle', 'test', {}, { now });
    expect((await enforcement.statusOf('t1', 'prober')).level).toBe('throttle');
    now += 73 * HOUR;
    // Expiry applies at read time, before any run records it.
    expect((await enforcement.statusOf('t1', 'prober')).level).toBe('warn');
    const run = await enforcement.run({ asOf: now });
    expect(run.expired).toBe(1);
    expect((await store.accountState('t1', 'prober'))?.level).toBe('warn');
    now += 31 * DAY;
    const quiet = await enforcement.run({ asOf: now });
    expect(quiet.changes.map((c) => [c.kind, c.next])).toEqual([['deescalate', 'none']]);
    expect((await enforcement.statusOf('t1', 'prober')).level).toBe('none');
  });

  it('lets an analyst override and lift, recording actor and reason, and holds automation off', async () => {
    await enforcement.override('t1', 'benign', 'suspend', {
      actor: 'ana',
      reason: 'case 17: confirmed fraud ring',
    });
    expect(await enforcement.statusOf('t1', 'benign')).toMatchObject({
      level: 'suspend',
      until: now + 7 * DAY,
      reason: 'case 17: confirmed fraud ring',
    });
    await enforcement.lift('t1', 'prober', { actor: 'bo', reason: 'known red-team account' });
    const run = await enforcement.run({ asOf: now });
    expect(run.changes).toEqual([]);
    expect(run.held).toBe(2);
    const [lifted] = await store.actionsFor('t1', 'prober');
    expect(lifted).toMatchObject({
      level: 'none',
      source: 'manual',
      actor: 'bo',
      reason: 'known red-team account',
    });
    await expect(enforcement.override('t1', 'x', 'ban', { actor: ' ', reason: 'r' })).rejects.toMatchObject({
      code: 'INTERDICT_USAGE',
    });
  });

  it('records appeals; an overturned one restores the previous level, an upheld one changes nothing', async () => {
    await expect(enforcement.appeal('t1', 'nobody', 'why?')).rejects.toMatchObject({
      code: 'INTERDICT_NOT_FOUND',
    });
    await enforcement.apply('t1', 'prober', 'warn', 'risk', {}, { now });
    now += 7 * HOUR;
    const suspend = await enforcement.apply('t1', 'prober', 'suspend', 'risk', {}, { now });
    const appeal = await enforcement.appeal('t1', 'prober', 'I was testing my own deployment');
    expect(appeal).toMatchObject({ actionId: suspend.id, status: 'open' });
    await expect(enforcement.appeal('t1', 'prober', 'again')).rejects.toMatchObject({
      code: 'INTERDICT_USAGE',
    });
    const { action } = await enforcement.resolveAppeal(appeal.id, {
      status: 'overturned',
      resolver: 'ana',
      resolution: 'verified pentest engagement',
    });
    expect(action).toMatchObject({
      level: 'warn',
      source: 'appeal',
      actor: 'ana',
      evidence: { appealId: appeal.id },
    });
    expect((await enforcement.statusOf('t1', 'prober')).level).toBe('warn');

    const second = await enforcement.appeal('t1', 'prober', 'and the warning too');
    const upheld = await enforcement.resolveAppeal(second.id, {
      status: 'upheld',
      resolver: 'bo',
      resolution: 'stands',
    });
    expect(upheld.action).toBeUndefined();
    expect(upheld.appeal.status).toBe('upheld');
    expect((await enforcement.statusOf('t1', 'prober')).level).toBe('warn');
  });

  it('serves status from the cache until it is stale or changed through the API', async () => {
    expect((await enforcement.statusOf('t1', 'prober')).level).toBe('none');
    // A write by another process is seen only after the cache entry ages out.
    await store.putAction({
      id: 'ext',
      tenant: 't1',
      account: 'prober',
      ts: now,
      level: 'ban',
      previous: 'none',
      source: 'manual',
      actor: 'other-process',
      reason: 'r',
      evidence: {},
    });
    expect((await enforcement.statusOf('t1', 'prober')).level).toBe('none');
    now += 5001;
    expect((await enforcement.statusOf('t1', 'prober')).level).toBe('ban');
  });
});
