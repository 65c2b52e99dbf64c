import type { Database as SqliteDb, Statement } from 'better-sqlite3';
import { collectTouches } from '../records.js';
import { EVENT_COLUMNS, type EventRow, pushRowValues } from '../rows.js';

/** Rows bound per INSERT statement: 50 × 15 columns = 750 parameters, well under SQLite's limit. */
const ROWS_PER_INSERT = 50;

interface InsertedRow {
  tenant: string;
  account: string;
  ts: number;
  signupTs: number | null;
}

/**
 * The batch insert of events and the per-account counters, run inside the caller's write transaction
 * (which must hold the write lock from its start: BEGIN IMMEDIATE). Statements are prepared on first use,
 * after migrations, and cached per row count.
 */
export class SqliteEventInserter {
  private readonly inserts = new Map<number, Statement>();
  private readonly touches = new Map<number, Statement>();
  private maxRowid: Statement | undefined;
  private insertedAfter: Statement | undefined;

  constructor(private readonly db: SqliteDb) {}

  /** Inserts the rows whose ids are new and counts them into their accounts; returns how many were new. */
  insert(batch: readonly EventRow[]): number {
    // New rows get rowids above the largest one present (no AUTOINCREMENT, no reuse below the maximum), so
    // the rows this batch inserted are exactly those above it: no RETURNING rows to build per insert.
    this.maxRowid ??= this.db.prepare('SELECT MAX(rowid) AS r FROM events');
    const before = (this.maxRowid.get() as { r: number | null }).r ?? 0;
    // Multi-row statements: one native call binds ROWS_PER_INSERT rows; a conflicting id inserts nothing.
    let inserted = 0;
    const values: unknown[] = [];
    for (let start = 0; start < batch.length; start += ROWS_PER_INSERT) {
      const end = Math.min(batch.length, start + ROWS_PER_INSERT);
      values.length = 0;
      for (let r = start; r < end; r++) pushRowValues(values, batch[r]!);
      inserted += this.insertStatement(end - start).run(values).changes;
    }
    // Account counters count only new rows: all of the batch when nothing conflicted (the usual case),
    // otherwise the rows read back by rowid.
    this.insertedAfter ??= this.db.prepare(
      'SELECT tenant, account, ts, signup_ts AS signupTs FROM events WHERE rowid > ?',
    );
    const fresh: Iterable<InsertedRow> =
      inserted === batch.length ? batch : (this.insertedAfter.all(before) as InsertedRow[]);
    // A batch usually touches hundreds of accounts: upsert them ROWS_PER_INSERT per statement too.
    const touches = collectTouches(fresh);
    for (let t = 0; t < touches.length; t += ROWS_PER_INSERT) {
      const group = touches.slice(t, t + ROWS_PER_INSERT);
      values.length = 0;
      for (const a of group) values.push(a.tenant, a.account, a.firstTs, a.lastTs, a.signupTs, a.events);
      this.touchStatement(group.length).run(values);
    }
    return inserted;
  }

  /** Account counters upsert for `count` accounts. */
  private touchStatement(count: number): Statement {
    let stmt = this.touches.get(count);
    if (!stmt) {
      stmt = this.db.prepare(`INSERT INTO accounts (tenant, account, first_ts, last_ts, signup_ts, events)
        VALUES ${new Array(count).fill('(?, ?, ?, ?, ?, ?)').join(', ')}
        ON CONFLICT(tenant, account) DO UPDATE SET first_ts = MIN(first_ts, excluded.first_ts),
        last_ts = MAX(last_ts, excluded.last_ts), signup_ts = COALESCE(excluded.signup_ts, signup_ts),
        events = events + excluded.events`);
      this.touches.set(count, stmt);
    }
    return stmt;
  }

  /** `INSERT … VALUES (…), (…) … ON CONFLICT DO NOTHING` for `count` rows. */
  private insertStatement(count: number): Statement {
    let stmt = this.inserts.get(count);
    if (!stmt) {
      const one = `(${EVENT_COLUMNS.map(() => '?').join(', ')})`;
      stmt = this.db.prepare(
        `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES ${new Array(count).fill(one).join(', ')}
         ON CONFLICT(id) DO NOTHING`,
      );
      this.inserts.set(count, stmt);
    }
    return stmt;
  }
}
