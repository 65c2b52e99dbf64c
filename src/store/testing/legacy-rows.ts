import type { RecordedEvent } from '../../core/event.js';
import type { StoredAnalysis } from '../port.js';
import { categoryMask, isAbuseFlag } from '../rows.js';

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
