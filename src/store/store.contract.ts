import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInterdictError } from '../core/errors.js';
import type { AccountAggregate, EnforcementAction, EventStore } from './port.js';
import { makeEvent } from './testing/events.js';

/**
 * The one behaviour contract every EventStore adapter must meet. Each adapter's test calls this with a
 * factory that returns a fresh, empty, migrated-or-not store.
 */
export function storeContract(name: string, factory: () => Promise<EventStore>): void {
  const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  const DAY = 24 * HOUR;

  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;

    beforeEach(async () => {
      store = await factory();
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
    });

    async function collect(iter: AsyncIterable<AccountAggregate>): Promise<AccountAggregate[]> {
      const out: AccountAggregate[] = [];
      for await (const a of iter) out.push(a);
      return out;
    }

    it('migrates idempotently and reports the schema version', async () => {
      const again = await store.migrate();
      expect(again).toBeGreaterThanOrEqual(2);
      expect(await store.migrate()).toBe(again);
    });

    it('stores a batch once: the same ids again change nothing', async () => {
      const batch = [0, 1, 2].map((i) => makeEvent({ id: `e${i}`, ts: T0 + i * MIN }));
      expect(await store.putEvents(batch)).toEqual({ inserted: 3 });
      const changed = { ...batch[1]!, model: 'another' };
      expect(await store.putEvents([changed, makeEvent({ id: 'e3', ts: T0 + 3 * MIN })])).toEqual({
        inserted: 1,
      });
      expect(await store.countEvents()).toBe(4);
      expect((await store.getEvent('e1'))?.model).toBe('test-model');
      expect(await store.putEvents([])).toEqual({ inserted: 0 });
    });

    it('stores large batches exactly once, counting only new rows per account', async () => {
      // 130 rows: more than one multi-row statement plus a remainder, with already-stored ids and an id
      // repeated inside the batch mixed in.
      await store.putEvents([0, 1, 2, 60, 129].map((i) => makeEvent({ id: `L${i}`, ts: T0 + i * MIN })));
      const batch = Array.from({ length: 130 }, (_, i) =>
        makeEvent({ id: `L${i}`, ts: T0 + i * MIN, account: i % 2 === 0 ? 'even' : 'odd' }),
      );
      batch.splice(70, 0, makeEvent({ id: 'L7', ts: T0 - DAY, account: 'odd' }));
      expect(await store.putEvents(batch)).toEqual({ inserted: 125 });
      expect(await store.countEvents()).toBe(130);
      expect(await store.latestEventTs()).toBe(T0 + 129 * MIN);
      expect((await store.getEvent('L7'))?.ts).toBe(new Date(T0 + 7 * MIN).toISOString());
      const asOf = T0 + 200 * MIN;
      const windows = { asOf, hourStart: asOf - HOUR, dayStart: asOf - DAY, monthStart: asOf - 30 * DAY };
      const byAccount = new Map(
        (await collect(store.accountAggregates({ windows }))).map((a) => [a.account, a]),
      );
      expect(byAccount.get('even')?.month.events).toBe(62);
      expect(byAccount.get('odd')?.month.events).toBe(63);
      expect(byAccount.get('odd')?.firstTs).toBe(T0 + 3 * MIN);
      expect(byAccount.get('a1')?.firstTs).toBe(T0);
      expect(await store.putEvents(batch)).toEqual({ inserted: 0 });
    });

    it('returns an event exactly as recorded, fingerprints and features included', async () => {
      const event = makeEvent({
        id: 'rt',
        ts: T0,
        text: 'ünïcode ✓ text',
        action: 'block',
        score: 0.91,
        categories: ['jailbreak', 'cyber'],
        refusal: true,
        minhash: [1, 2, 4294967295, 77],
        lang: 'cyrillic',
        code: 'python',
        signupTs: T0 - DAY,
      });
      await store.putEvents([event]);
      expect(await store.getEvent('rt')).toEqual(event);
      expect(await store.getEvent('missing')).toBeUndefined();
    });

    it('keeps quotes, backslashes and control characters in text and keys intact', async () => {
      const event = makeEvent({
        id: 'q"1\\x',
        ts: T0,
        account: 'acc "quoted" \\ back',
        text: 'say "hi" \\ {braces}, [brackets]\n\ttabbed \u2028 NULL',
      });
      await store.putEvents([event]);
      expect(await store.getEvent('q"1\\x')).toEqual(event);
      expect((await store.eventsForAccount('t1', 'acc "quoted" \\ back')).map((e) => e.id)).toEqual([
        'q"1\\x',
      ]);
    });

    it('lists an account oldest first within a time range and limit', async () => {
      await store.putEvents([
        makeEvent({ id: 'c', ts: T0 + 2 * MIN }),
        makeEvent({ id: 'a', ts: T0 }),
        makeEvent({ id: 'b', ts: T0 + MIN }),
        makeEvent({ id: 'other', ts: T0, account: 'a2' }),
      ]);
      expect((await store.eventsForAccount('t1', 'a1')).map((e) => e.id)).toEqual(['a', 'b', 'c']);
      expect((await store.eventsForAccount('t1', 'a1', { since: T0 + MIN })).map((e) => e.id)).toEqual([
        'b',
        'c',
      ]);
      expect(
        (await store.eventsForAccount('t1', 'a1', { until: T0 + MIN, limit: 1 })).map((e) => e.id),
      ).toEqual(['a']);
      expect(await store.eventsForAccount('t2', 'a1')).toEqual([]);
      expect(await store.latestEventTs()).toBe(T0 + 2 * MIN);
      expect(await store.countEvents('t1')).toBe(4);
      expect(await store.countEvents('t9')).toBe(0);
    });

    it('commits a checkpoint with the events it covers, and not without them', async () => {
      expect(await store.getCheckpoint('file:x')).toBeUndefined();
      await store.putEvents([makeEvent({ id: 'k1', ts: T0 })], {
        checkpoint: { source: 'file:x', offset: 120, line: 1 },
      });
      expect(await store.getCheckpoint('file:x')).toMatchObject({ source: 'file:x', offset: 120, line: 1 });
      const bad = { ...makeEvent({ id: 'k3', ts: T0 }), ts: 'not a time' };
      await expect(
        store.putEvents([makeEvent({ id: 'k2', ts: T0 }), bad], {
          checkpoint: { source: 'file:x', offset: 999, line: 3 },
        }),
      ).rejects.toSatisfy(isInterdictError);
      expect(await store.getEvent('k2')).toBeUndefined();
      expect((await store.getCheckpoint('file:x'))?.offset).toBe(120);
      await store.setCheckpoint('file:x', 500, 7);
      expect(await store.getCheckpoint('file:x')).toMatchObject({ offset: 500, line: 7 });
    });

    it('aggregates accounts per window in the database, across pages', async () => {
      const asOf = T0;
      const events = [
        makeEvent({ id: 'h1', ts: asOf - 10 * MIN, action: 'block', score: 0.9, categories: ['jailbreak'] }),
        makeEvent({
          id: 'h2',
          ts: asOf - 10 * MIN + 1000,
          action: 'flag',
          score: 0.6,
          categories: ['cyber', 'jailbreak'],
        }),
        makeEvent({ id: 'h3', ts: asOf - 10 * MIN + 2000, refusal: true }),
        makeEvent({ id: 'd1', ts: asOf - 5 * HOUR }),
        makeEvent({ id: 'm1', ts: asOf - 10 * DAY, action: 'flag', score: 0.55, categories: ['fraud'] }),
        makeEvent({ id: 'old', ts: asOf - 40 * DAY, action: 'block', score: 1, categories: ['violence'] }),
        makeEvent({ id: 'future', ts: asOf + MIN }),
        ...['b', 'c', 'd', 'e'].map((acc, i) =>
          makeEvent({ id: `x${i}`, ts: asOf - HOUR * 2, account: acc }),
        ),
        makeEvent({ id: 'y', ts: asOf - MIN, tenant: 't2', account: 'a1' }),
      ];
      await store.putEvents(events);
      const windows = { asOf, hourStart: asOf - HOUR, dayStart: asOf - DAY, monthStart: asOf - 30 * DAY };
      const all = await collect(store.accountAggregates({ windows, pageSize: 2 }));
      expect(all.map((a) => `${a.tenant}/${a.account}`)).toEqual([
        't1/a1',
        't1/b',
        't1/c',
        't1/d',
        't1/e',
        't2/a1',
      ]);
      const a1 = all[0]!;
      expect(a1.hour).toEqual({
        events: 3,
        flagged: 2,
        blocked: 1,
        refused: 1,
        flaggedScore: expect.closeTo(1.5, 6),
      });
      expect(a1.day.events).toBe(4);
      expect(a1.month).toMatchObject({ events: 5, flagged: 3, blocked: 1, refused: 1 });
      expect(a1.categories).toEqual({ jailbreak: 2, cyber: 1, fraud: 1 });
      expect(a1.maxScore).toBeCloseTo(0.9, 6);
      expect(a1.peakPerMinute).toBe(3);
      expect(a1.activeMinutes).toBe(2);
      expect(a1.firstTs).toBe(asOf - 40 * DAY);
      expect(a1.lastTs).toBe(asOf - 10 * MIN + 2000);
      expect(a1.lastFlaggedTs).toBe(asOf - 10 * MIN + 1000);
      expect(all[1]!.lastFlaggedTs).toBeNull();
      const t2 = await collect(store.accountAggregates({ windows, tenant: 't2' }));
      expect(t2.map((a) => a.account)).toEqual(['a1']);
      expect(t2[0]!.hour.events).toBe(1);
    });

    it('gives a text-free trail, newest N in time order, notable-only on request', async () => {
      await store.putEvents([
        makeEvent({
          id: 'n1',
          ts: T0,
          action: 'block',
          score: 0.8,
          categories: ['jailbreak'],
          simhash: 'ffffffffffffffff',
        }),
        makeEvent({ id: 'n2', ts: T0 + MIN }),
        makeEvent({
          id: 'n3',
          ts: T0 + 2 * MIN,
          refusal: true,
          minhash: [5, 6],
          lang: 'han',
          code: 'vbscript',
        }),
        makeEvent({ id: 'n4', ts: T0 + 3 * MIN, action: 'flag', score: 0.5, categories: ['cyber'] }),
      ]);
      const notable = await store.trail('t1', 'a1', { onlyNotable: true });
      expect(notable.map((e) => e.id)).toEqual(['n1', 'n3', 'n4']);
      expect(notable[0]).toMatchObject({
        action: 'block',
        categories: ['jailbreak'],
        simhash: 0xffffffffffffffffn,
      });
      expect(notable[1]).toMatchObject({ refused: true, lang: 'han', code: 'vbscript' });
      expect([...notable[1]!.minhash!]).toEqual([5, 6]);
      const lastTwo = await store.trail('t1', 'a1', { limit: 2 });
      expect(lastTwo.map((e) => e.id)).toEqual(['n3', 'n4']);
      expect(
        (await store.trail('t1', 'a1', { since: T0 + MIN, until: T0 + 2 * MIN })).map((e) => e.id),
      ).toEqual(['n2', 'n3']);
    });

    function action(id: string, over: Partial<EnforcementAction> = {}): EnforcementAction {
      return {
        id,
        tenant: 't1',
        account: 'a1',
        ts: T0,
        level: 'warn',
        previous: 'none',
        source: 'auto',
        actor: 'interdict',
        reason: 'risk 0.55 >= warn 0.50',
        evidence: { eventIds: ['e1'], rules: ['JB-001'], risk: 0.55, features: { probing: 0.2 } },
        ...over,
      };
    }

    it('records actions and keeps the current state in step', async () => {
      expect(await store.accountState('t1', 'a1')).toBeUndefined();
      await store.putAction(action('act1'));
      await store.putAction(
        action('act2', {
          ts: T0 + HOUR,
          level: 'suspend',
          previous: 'warn',
          until: T0 + DAY,
          expiresTo: 'warn',
        }),
      );
      await store.putAction(action('act3', { account: 'a2', level: 'none', source: 'manual', actor: 'ana' }));
      expect(await store.accountState('t1', 'a1')).toEqual({
        tenant: 't1',
        account: 'a1',
        level: 'suspend',
        since: T0 + HOUR,
        until: T0 + DAY,
        expiresTo: 'warn',
        reason: 'risk 0.55 >= warn 0.50',
        lastActionId: 'act2',
      });
      const history = await store.actionsFor('t1', 'a1');
      expect(history.map((a) => a.id)).toEqual(['act2', 'act1']);
      expect(history[1]).toEqual(action('act1'));
      expect((await store.accountStates()).map((s) => s.account)).toEqual(['a1']);
      expect((await store.accountStates({ includeNone: true })).map((s) => s.account)).toEqual(['a1', 'a2']);
      expect(await store.accountStates({ tenant: 't2' })).toEqual([]);
    });

    it('records appeals and resolves each exactly once', async () => {
      await store.putAction(action('act1'));
      const appeal = await store.putAppeal({
        id: 'ap1',
        tenant: 't1',
        account: 'a1',
        actionId: 'act1',
        ts: T0 + HOUR,
        statement: 'I am a security researcher',
        status: 'open',
      });
      expect(await store.getAppeal('ap1')).toEqual(appeal);
      const resolved = await store.resolveAppeal('ap1', {
        status: 'overturned',
        resolver: 'ana',
        resolution: 'verified researcher',
        ts: T0 + DAY,
      });
      expect(resolved).toMatchObject({ status: 'overturned', resolver: 'ana', resolvedTs: T0 + DAY });
      expect(await store.getAppeal('ap1')).toEqual(resolved);
      await expect(
        store.resolveAppeal('ap1', { status: 'upheld', resolver: 'bo', resolution: 'x', ts: T0 }),
      ).rejects.toMatchObject({ code: 'INTERDICT_USAGE' });
      await expect(
        store.resolveAppeal('nope', { status: 'upheld', resolver: 'bo', resolution: 'x', ts: T0 }),
      ).rejects.toMatchObject({ code: 'INTERDICT_NOT_FOUND' });
      expect((await store.appealsFor('t1', 'a1')).map((a) => a.id)).toEqual(['ap1']);
    });
  });
}
