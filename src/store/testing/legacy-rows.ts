import { expect } from 'vitest';
import type { RecordedEvent } from '../../core/event.js';
import type { EventStore, StoredAnalysis } from '../port.js';
import { categoryMask, isAbuseFlag } from '../rows.js';
import { makeEvent } from './events.js';

/**
 * An event as schema versions 1-3 stored it (body and analysis JSON, base64 MinHash, the conversation /
 * model / api_key / ip columns), for tests that upgrade an old database. Values follow LEGACY_COLUMNS.
 */
export const LEGACY_COLUMNS = [
  'id',
  'tenant',
  'account',
  'ts',
  'conversation',
  'model',
  'api_key',
  'ip',
  'signup_ts',
  'action',
  'score',
  'cat_mask',
  'flagged',
  'refused',
  'simhash',
  'minhash',
  'lang',
  'code_lang',
  'body',
  'analysis',
] as const;

export function legacyRowValues(event: RecordedEvent): unknown[] {
  const { id, tenant, account, ts, interdict, ...body } = event;
  const analysis = interdict as StoredAnalysis;
  const { minhash, ...fingerprints } = analysis.fingerprints;
  let encoded: string | null = null;
  if (minhash?.length) {
    const buf = Buffer.alloc(minhash.length * 4);
    for (let i = 0; i < minhash.length; i++) buf.writeUInt32LE(minhash[i]! >>> 0, i * 4);
    encoded = buf.toString('base64');
  }
  return [
    id,
    tenant,
    account,
    Date.parse(ts),
    event.conversation ?? null,
    event.model ?? null,
    event.key ?? null,
    event.ip ?? null,
    event.signup_ts === undefined ? null : Date.parse(event.signup_ts),
    analysis.action,
    analysis.score,
    categoryMask(analysis.categories),
    isAbuseFlag(analysis.action, analysis.categories) ? 1 : 0,
    event.response?.refusal ? 1 : 0,
    fingerprints.simhash,
    encoded,
    analysis.features?.lang ?? '',
    analysis.features?.code ?? '',
    JSON.stringify(body),
    JSON.stringify({ ...analysis, fingerprints }),
  ];
}

/** The two events both dialects' upgrade tests store in the old layout (text with quotes, escapes, a MinHash). */
export function legacyTestEvents(t0: number): RecordedEvent[] {
  return [
    makeEvent({ id: 'old1', ts: t0, text: 'say "hi" \\ ünï\n', minhash: [1, 2, 4294967295], lang: 'han' }),
    makeEvent({
      id: 'old2',
      ts: t0 + 1000,
      action: 'block',
      score: 0.9,
      categories: ['cyber'],
      signupTs: t0,
    }),
  ];
}

/**
 * Checks a store migrated from the old layout: both legacy events read back whole, in their trail, with the
 * MinHash; a new event is stored beside them and an old id is not stored twice.
 */
export async function expectUpgraded(store: EventStore, events: RecordedEvent[], t0: number): Promise<void> {
  expect(await store.getEvent('old1')).toEqual(events[0]);
  expect(await store.getEvent('old2')).toEqual(events[1]);
  const trail = await store.trail('t1', 'a1', {});
  expect(trail.map((e) => e.id)).toEqual(['old1', 'old2']);
  expect([...trail[0]!.minhash!]).toEqual([1, 2, 4294967295]);
  const fresh = makeEvent({ id: 'new1', ts: t0 + 2000, minhash: [7, 8] });
  expect(await store.putEvents([fresh, events[0]!])).toEqual({ inserted: 1 });
  expect(await store.getEvent('new1')).toEqual(fresh);
  expect(await store.countEvents()).toBe(3);
}
