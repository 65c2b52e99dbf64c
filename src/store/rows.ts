import { CATEGORIES, type Category, LEAK_CATEGORIES } from '../core/types.js';
import { InterdictError } from '../core/errors.js';
import type { RecordedEvent } from '../core/event.js';
import type { StoredAnalysis, TrailEvent } from './port.js';

/**
 * Mapping between a RecordedEvent and the columns both adapters store. Hot columns (time, action, score,
 * categories, fingerprints) are split out so aggregation runs in SQL; the rest stays as JSON.
 */
export interface EventRow {
  id: string;
  tenant: string;
  account: string;
  ts: number;
  conversation: string | null;
  model: string | null;
  apiKey: string | null;
  ip: string | null;
  signupTs: number | null;
  action: string;
  score: number;
  catMask: number;
  flagged: number;
  refused: number;
  simhash: string | null;
  minhash: string | null;
  lang: string;
  code: string;
  /** The event without id/tenant/account/ts/interdict. */
  body: string;
  /** The analysis without the MinHash (kept in its own column). */
  analysis: string;
}

const LEAKS: ReadonlySet<Category> = new Set(LEAK_CATEGORIES);

/**
 * Whether an event counts as flagged for account risk: an attack or misuse category crossed its threshold,
 * or the event was blocked. A secret or PII redaction alone is a hygiene matter, not abuse.
 */
export function isAbuseFlag(action: string, categories: readonly Category[]): boolean {
  return action === 'block' || categories.some((c) => !LEAKS.has(c));
}

export function categoryMask(categories: readonly Category[]): number {
  let mask = 0;
  for (const category of categories) {
    const bit = CATEGORIES.indexOf(category);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

export function maskCategories(mask: number): Category[] {
  const out: Category[] = [];
  for (let bit = 0; bit < CATEGORIES.length; bit++) if (mask & (1 << bit)) out.push(CATEGORIES[bit]!);
  return out;
}

export function encodeMinhash(values: readonly number[] | undefined): string | null {
  if (!values || values.length === 0) return null;
  const buf = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeUInt32LE(values[i]! >>> 0, i * 4);
  return buf.toString('base64');
}

export function decodeMinhash(encoded: string | null | undefined): Uint32Array | null {
  if (!encoded) return null;
  const buf = Buffer.from(encoded, 'base64');
  const out = new Uint32Array(Math.floor(buf.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt32LE(i * 4);
  return out;
}

export function parseTs(value: string | undefined, field: string): number {
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new InterdictError('INTERDICT_INPUT_INVALID', `${field} is not an ISO-8601 timestamp`);
  return ms;
}

export function toRow(event: RecordedEvent): EventRow {
  const { id, tenant, account, ts, interdict, ...rest } = event;
  const analysis = interdict as StoredAnalysis;
  const { minhash, ...fingerprints } = analysis.fingerprints ?? { simhash: '' };
  const simhash =
    fingerprints.simhash && /^[0-9a-f]{1,16}$/i.test(fingerprints.simhash) ? fingerprints.simhash : null;
  return {
    id,
    tenant,
    account,
    ts: parseTs(ts, 'ts'),
    conversation: event.conversation ?? null,
    model: event.model ?? null,
    apiKey: event.key ?? null,
    ip: event.ip ?? null,
    signupTs: event.signup_ts === undefined ? null : parseTs(event.signup_ts, 'signup_ts'),
    action: analysis.action,
    score: analysis.score,
    catMask: categoryMask(analysis.categories),
    flagged: isAbuseFlag(analysis.action, analysis.categories) ? 1 : 0,
    refused: event.response?.refusal === true ? 1 : 0,
    simhash,
    minhash: encodeMinhash(minhash),
    lang: analysis.features?.lang ?? '',
    code: analysis.features?.code ?? '',
    body: JSON.stringify(rest),
    analysis: JSON.stringify({ ...analysis, fingerprints }),
  };
}

/** Rebuilds the event from stored columns (adapters pass parsed JSON where the driver already parsed it). */
export function fromRow(row: {
  id: string;
  tenant: string;
  account: string;
  ts: number | string;
  minhash: string | null;
  body: unknown;
  analysis: unknown;
}): RecordedEvent {
  const body = (typeof row.body === 'string' ? JSON.parse(row.body) : row.body) as Omit<
    RecordedEvent,
    'id' | 'tenant' | 'account' | 'ts' | 'interdict'
  >;
  const analysis = (
    typeof row.analysis === 'string' ? JSON.parse(row.analysis) : row.analysis
  ) as StoredAnalysis;
  const minhash = decodeMinhash(row.minhash);
  if (minhash) analysis.fingerprints = { ...analysis.fingerprints, minhash: [...minhash] };
  return {
    id: row.id,
    ts: new Date(Number(row.ts)).toISOString(),
    tenant: row.tenant,
    account: row.account,
    ...body,
    interdict: analysis,
  };
}

export function toTrail(row: {
  id: string;
  ts: number | string;
  action: string;
  score: number;
  cat_mask: number;
  refused: number | boolean;
  simhash: string | null;
  minhash: string | null;
  lang: string;
  code_lang: string;
}): TrailEvent {
  return {
    id: row.id,
    ts: Number(row.ts),
    action: row.action,
    score: row.score,
    categories: maskCategories(row.cat_mask),
    refused: row.refused === 1 || row.refused === true,
    simhash: row.simhash ? BigInt(`0x${row.simhash}`) : null,
    minhash: decodeMinhash(row.minhash),
    lang: row.lang,
    code: row.code_lang,
  };
}

/** Columns of an event's text-free trail row (see toTrail), shared by both adapters' queries. */
export const TRAIL_COLUMNS = 'id, ts, action, score, cat_mask, refused, simhash, minhash, lang, code_lang';
/** Upper bound for open-ended time ranges. */
export const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

/** Columns in insert order (shared by both adapters). */
export const EVENT_COLUMNS = [
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

/** Appends a row's values in EVENT_COLUMNS order (multi-row statements bind one flat array). */
export function pushRowValues(out: unknown[], row: EventRow): void {
  out.push(
    row.id,
    row.tenant,
    row.account,
    row.ts,
    row.conversation,
    row.model,
    row.apiKey,
    row.ip,
    row.signupTs,
    row.action,
    row.score,
    row.catMask,
    row.flagged,
    row.refused,
    row.simhash,
    row.minhash,
    row.lang,
    row.code,
    row.body,
    row.analysis,
  );
}
