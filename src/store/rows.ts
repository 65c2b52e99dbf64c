import { CATEGORIES, type Category, LEAK_CATEGORIES } from '../core/types.js';
import { InterdictError } from '../core/errors.js';
import type { RecordedEvent } from '../core/event.js';
import type { StoredAnalysis, TrailEvent } from './port.js';

/**
 * Mapping between a RecordedEvent and the columns both adapters store (schema version 4). Hot columns (time,
 * action, score, categories, fingerprints, language features) are split out so aggregation and trails run in
 * SQL; everything else is one JSON document, written once per event.
 */
export interface EventRow {
  id: string;
  tenant: string;
  account: string;
  ts: number;
  signupTs: number | null;
  action: string;
  score: number;
  catMask: number;
  flagged: number;
  refused: number;
  simhash: string | null;
  /** MinHash values as little-endian uint32 bytes (a blob; not repeated in `doc`). */
  minhash: Uint8Array | null;
  lang: string;
  code: string;
  /**
   * The event without id/tenant/account/ts (kept in their columns), its analysis under `interdict` without
   * the MinHash.
   */
  doc: string;
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

/**
 * Hands out small byte slices from shared blocks: one ArrayBuffer per few hundred rows instead of one per
 * row's MinHash (an ArrayBuffer is a costly allocation). Slices keep their block alive; ingest hands a
 * chunk's rows to the store and drops them together.
 */
export class ByteArena {
  private block = new Uint8Array(0);
  private used = 0;

  take(size: number): Uint8Array {
    if (this.used + size > this.block.length) {
      this.block = new Uint8Array(Math.max(64 * 1024, size));
      this.used = 0;
    }
    const out = this.block.subarray(this.used, this.used + size);
    this.used += size;
    return out;
  }
}

/** MinHash values as little-endian uint32 bytes, in a fresh array or a slice of `arena`. */
export function encodeMinhash(values: readonly number[] | undefined, arena?: ByteArena): Uint8Array | null {
  if (!values || values.length === 0) return null;
  const out = arena ? arena.take(values.length * 4) : new Uint8Array(values.length * 4);
  for (let i = 0, j = 0; i < values.length; i++, j += 4) {
    const v = values[i]! >>> 0;
    out[j] = v & 0xff;
    out[j + 1] = (v >>> 8) & 0xff;
    out[j + 2] = (v >>> 16) & 0xff;
    out[j + 3] = v >>> 24;
  }
  return out;
}

/** Reads a stored MinHash: bytes (schema 4) or base64 text (SQLite rows written before schema 4). */
export function decodeMinhash(stored: Uint8Array | string | null | undefined): Uint32Array | null {
  if (stored === null || stored === undefined || stored.length === 0) return null;
  const bytes = typeof stored === 'string' ? Buffer.from(stored, 'base64') : stored;
  const out = new Uint32Array(bytes.length >>> 2);
  for (let i = 0, j = 0; i < out.length; i++, j += 4) {
    out[i] = (bytes[j]! | (bytes[j + 1]! << 8) | (bytes[j + 2]! << 16) | (bytes[j + 3]! << 24)) >>> 0;
  }
  return out;
}

export function parseTs(value: string | undefined, field: string): number {
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new InterdictError('INTERDICT_INPUT_INVALID', `${field} is not an ISO-8601 timestamp`);
  return ms;
}

/** SimHash as the monitor writes it: 1 to 16 hex digits (anything else is not stored in the column). */
function isSimhash(value: string | undefined): value is string {
  if (!value || value.length > 16) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const lower = c | 0x20; // 'A'-'F' to 'a'-'f'
    if (!((c >= 48 && c <= 57) || (lower >= 97 && lower <= 102))) return false;
  }
  return true;
}

/** `arena`: where the MinHash bytes go (a fresh array per row without one). */
export function toRow(event: RecordedEvent, arena?: ByteArena): EventRow {
  const { id, tenant, account, ts, interdict, ...doc } = event as RecordedEvent & Record<string, unknown>;
  const analysis = interdict as StoredAnalysis;
  const given = analysis.fingerprints;
  const minhash = given?.minhash;
  // The document keeps the analysis as given, minus the MinHash (its own column); a missing fingerprint
  // object is stored as an empty SimHash, as before schema 4.
  doc.interdict =
    given === undefined
      ? { ...analysis, fingerprints: { simhash: '' } }
      : minhash === undefined
        ? analysis
        : { ...analysis, fingerprints: withoutMinhash(given) };
  return {
    id,
    tenant,
    account,
    ts: parseTs(ts, 'ts'),
    signupTs: event.signup_ts === undefined ? null : parseTs(event.signup_ts, 'signup_ts'),
    action: analysis.action,
    score: analysis.score,
    catMask: categoryMask(analysis.categories),
    flagged: isAbuseFlag(analysis.action, analysis.categories) ? 1 : 0,
    refused: event.response?.refusal === true ? 1 : 0,
    simhash: isSimhash(given?.simhash) ? given.simhash : null,
    minhash: encodeMinhash(minhash, arena),
    lang: analysis.features?.lang ?? '',
    code: analysis.features?.code ?? '',
    doc: JSON.stringify(doc),
  };
}

function withoutMinhash(fingerprints: StoredAnalysis['fingerprints']): StoredAnalysis['fingerprints'] {
  const { minhash: _minhash, ...rest } = fingerprints;
  return rest;
}

/** Rebuilds the event from stored columns (adapters pass the parsed document where the driver parsed it). */
export function fromRow(row: {
  id: string;
  tenant: string;
  account: string;
  ts: number | string;
  minhash: Uint8Array | string | null;
  doc: unknown;
}): RecordedEvent {
  const doc = (typeof row.doc === 'string' ? JSON.parse(row.doc) : row.doc) as Omit<
    RecordedEvent,
    'id' | 'tenant' | 'account' | 'ts'
  >;
  const analysis = doc.interdict as StoredAnalysis;
  const minhash = decodeMinhash(row.minhash);
  if (minhash) analysis.fingerprints = { ...analysis.fingerprints, minhash: [...minhash] };
  return {
    id: row.id,
    ts: new Date(Number(row.ts)).toISOString(),
    tenant: row.tenant,
    account: row.account,
    ...doc,
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
  minhash: Uint8Array | string | null;
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

/** Columns of the events table in insert order (shared by both adapters). */
export const EVENT_COLUMNS = [
  'id',
  'tenant',
  'account',
  'ts',
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
  'doc',
] as const;

/**
 * Appends a row's values in EVENT_COLUMNS order (multi-row statements bind one flat array). `minhash` turns
 * the MinHash bytes into what the driver binds (SQLite takes the bytes; the PostgreSQL adapter passes hex).
 */
export function pushRowValues(
  out: unknown[],
  row: EventRow,
  minhash: (bytes: Uint8Array) => unknown = (bytes) => bytes,
): void {
  out.push(
    row.id,
    row.tenant,
    row.account,
    row.ts,
    row.signupTs,
    row.action,
    row.score,
    row.catMask,
    row.flagged,
    row.refused,
    row.simhash,
    row.minhash ? minhash(row.minhash) : null,
    row.lang,
    row.code,
    row.doc,
  );
}
