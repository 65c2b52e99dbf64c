import type pg from 'pg';
import { EVENT_COLUMNS, type EventRow, pushRowValues } from '../rows.js';

/**
 * The batch insert of events, with the per-account counters upserted in the same statement. Rows go as
 * multi-row VALUES with one bind parameter per value: the server reads each with its type's input function,
 * where unnest() of one array per column made it parse 15 array literals with quoting first (measured at
 * ~30% more server time per row than this, on 100,000 ~600-byte events). Groups of ROWS_PER_STATEMENT use a
 * named prepared statement, parsed and planned once per connection; a smaller remainder goes unnamed.
 */

/** 500 rows × 15 columns = 7,500 parameters (the protocol allows 65,535). */
export const ROWS_PER_STATEMENT = 500;

// Parameter types in EVENT_COLUMNS order. The MinHash travels as hex text and the document as JSON text;
// the SELECT converts both.
const COLUMN_TYPES = [
  'text',
  'text',
  'text',
  'bigint',
  'bigint',
  'text',
  'float8',
  'int',
  'smallint',
  'smallint',
  'text',
  'text',
  'text',
  'text',
  'text',
] as const;

const CONVERT: Partial<Record<(typeof EVENT_COLUMNS)[number], string>> = {
  minhash: "decode(minhash, 'hex')",
  doc: 'doc::jsonb',
};

const WIDTH = EVENT_COLUMNS.length;

function insertSql(rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    tuples.push(`(${COLUMN_TYPES.map((type, c) => `$${r * WIDTH + c + 1}::${type}`).join(', ')})`);
  }
  return `WITH src (${EVENT_COLUMNS.join(', ')}) AS (VALUES ${tuples.join(', ')}
), ins AS (
  INSERT INTO events (${EVENT_COLUMNS.join(', ')})
  SELECT ${EVENT_COLUMNS.map((c) => CONVERT[c] ?? c).join(', ')} FROM src
  ON CONFLICT (id) DO NOTHING
  RETURNING tenant, account, ts, signup_ts
), agg AS (
  SELECT tenant, account, MIN(ts) AS first_ts, MAX(ts) AS last_ts, MAX(signup_ts) AS signup_ts, COUNT(*) AS n
  FROM ins GROUP BY tenant, account
), up AS (
  INSERT INTO accounts (tenant, account, first_ts, last_ts, signup_ts, events)
  SELECT tenant, account, first_ts, last_ts, signup_ts, n FROM agg
  ON CONFLICT (tenant, account) DO UPDATE SET first_ts = LEAST(accounts.first_ts, excluded.first_ts),
    last_ts = GREATEST(accounts.last_ts, excluded.last_ts),
    signup_ts = COALESCE(excluded.signup_ts, accounts.signup_ts), events = accounts.events + excluded.events
  RETURNING 1
)
SELECT COALESCE(SUM(n), 0)::int AS inserted, (SELECT COUNT(*) FROM up) AS touched FROM agg`;
}

const FULL_SQL = insertSql(ROWS_PER_STATEMENT);

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The statements that insert `rows` (in order): named full groups, then an unnamed remainder. */
export function insertStatements(rows: readonly EventRow[]): pg.QueryConfig[] {
  const out: pg.QueryConfig[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const end = Math.min(rows.length, start + ROWS_PER_STATEMENT);
    const values: unknown[] = [];
    for (let r = start; r < end; r++) pushRowValues(values, rows[r]!, hex);
    out.push(
      end - start === ROWS_PER_STATEMENT
        ? { name: `interdict_insert_events_${ROWS_PER_STATEMENT}`, text: FULL_SQL, values }
        : { text: insertSql(end - start), values },
    );
  }
  return out;
}
