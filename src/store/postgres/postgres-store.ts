import pg from 'pg';
import { InterdictError } from '../../core/errors.js';
import type { RecordedEvent } from '../../core/event.js';
import { aggregateFromRow, aggregateSelectList } from '../aggregate-sql.js';
import type {
  AccountAggregate,
  AccountState,
  AggregateQuery,
  Appeal,
  AppealResolution,
  Checkpoint,
  EnforcementAction,
  EventStore,
  PutEventsOptions,
  PutEventsResult,
  TimeRange,
  TrailEvent,
} from '../port.js';
import {
  actionFromRow,
  actionValues,
  appealFromRow,
  appealValues,
  stateFromRow,
  stateValues,
} from '../records.js';
import { ByteArena, type EventRow, FAR_FUTURE, fromRow, toRow, toTrail, TRAIL_COLUMNS } from '../rows.js';
import { insertStatements } from './insert-events.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';

export interface PostgresStoreOptions {
  url: string;
  /** Schema to create (if missing) and use through search_path. */
  schema?: string;
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const UPSERT_CHECKPOINT = `INSERT INTO checkpoints (source, "offset", line, updated_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (source) DO UPDATE SET "offset" = excluded."offset", line = excluded.line, updated_at = excluded.updated_at`;

function unavailable(err: unknown): InterdictError {
  return new InterdictError('INTERDICT_STORE_UNAVAILABLE', 'PostgreSQL event store unavailable', [], {
    cause: err,
  });
}

/** The PostgreSQL adapter: a pg pool, multi-row batch inserts (insert-events.ts), JSONB documents, cursor-streamed scans. */
export class PostgresStore implements EventStore {
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;

  constructor(options: PostgresStoreOptions) {
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new InterdictError('INTERDICT_CONFIG_INVALID', 'store.schema must be a lowercase SQL identifier');
    }
    this.schema = options.schema;
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: Math.max(2, options.poolSize ?? 4),
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client's network error must not crash the process; the next query reports it.
    this.pool.on('error', () => {});
  }

  private async query<R extends pg.QueryResultRow = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (err) {
      throw isConnectionError(err) ? unavailable(err) : err;
    }
  }

  private async withTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw unavailable(err);
    }
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async migrate(): Promise<number> {
    const known = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));
    try {
      return await this.withTransaction(async (client) => {
        // One migrator at a time across processes.
        await client.query('SELECT pg_advisory_xact_lock(7281946)');
        if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
        await client.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        );
        const applied = new Set(
          (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
            (r) => r.version,
          ),
        );
        const newest = Math.max(0, ...applied);
        if (newest > known) {
          throw new InterdictError(
            'INTERDICT_STORE_MIGRATION',
            `database schema version ${newest} is newer than this release supports (${known})`,
          );
        }
        for (const migration of POSTGRES_MIGRATIONS) {
          if (applied.has(migration.version)) continue;
          await client.query(migration.sql);
          await client.query(
            'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
            [migration.version, migration.name, Date.now()],
          );
        }
        return known;
      });
    } catch (err) {
      if (err instanceof InterdictError) throw err;
      if (isConnectionError(err)) throw unavailable(err);
      throw new InterdictError('INTERDICT_STORE_MIGRATION', 'PostgreSQL migration failed', [], {
        cause: err,
      });
    }
  }

  async putEvents(
    events: readonly RecordedEvent[],
    options: PutEventsOptions = {},
  ): Promise<PutEventsResult> {
    const arena = new ByteArena();
    return this.putPrepared(
      events.map((event) => toRow(event, arena)),
      options,
    );
  }

  async putPrepared(rows: readonly EventRow[], options: PutEventsOptions = {}): Promise<PutEventsResult> {
    const statements = insertStatements(rows);
    return this.withTransaction(async (client) => {
      let inserted = 0;
      for (const statement of statements) {
        const result = await client.query<{ inserted: number }>(statement);
        inserted += Number(result.rows[0]?.inserted ?? 0);
      }
      if (options.checkpoint) {
        const { source, offset, line } = options.checkpoint;
        await client.query(UPSERT_CHECKPOINT, [source, offset, line, Date.now()]);
      }
      return { inserted };
    });
  }

  async getEvent(id: string): Promise<RecordedEvent | undefined> {
    const { rows } = await this.query(
      'SELECT id, tenant, account, ts, minhash, doc FROM events WHERE id = $1',
      [id],
    );
    return rows[0] ? fromRow(rows[0] as Parameters<typeof fromRow>[0]) : undefined;
  }

  async eventsForAccount(tenant: string, account: string, range: TimeRange = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.query(
      `SELECT id, tenant, account, ts, minhash, doc FROM events
       WHERE tenant = $1 AND account = $2 AND ts >= $3 AND ts <= $4 ORDER BY ts, id LIMIT $5`,
      [tenant, account, range.since ?? 0, range.until ?? FAR_FUTURE, range.limit ?? null],
    );
    return rows.map((r) => fromRow(r as Parameters<typeof fromRow>[0]));
  }

  async countEvents(tenant?: string): Promise<number> {
    const { rows } =
      tenant === undefined
        ? await this.query<{ n: string }>('SELECT COUNT(*) AS n FROM events')
        : await this.query<{ n: string }>('SELECT COUNT(*) AS n FROM events WHERE tenant = $1', [tenant]);
    return Number(rows[0]?.n ?? 0);
  }

  async latestEventTs(): Promise<number | undefined> {
    // accounts.last_ts is the newest event per account, kept in the same statement as the events.
    const { rows } = await this.query<{ ts: string | null }>('SELECT MAX(last_ts) AS ts FROM accounts');
    const ts = rows[0]?.ts;
    return ts === null || ts === undefined ? undefined : Number(ts);
  }

  async *accountAggregates(query: AggregateQuery): AsyncIterable<AccountAggregate> {
    const { windows } = query;
    const names = ['asOf', 'hourStart', 'dayStart', 'monthStart', 'tenant'] as const;
    const p = (name: string) => `$${names.indexOf(name as (typeof names)[number]) + 1}`;
    const tenantFilter = query.tenant === undefined ? '' : `AND tenant = ${p('tenant')}`;
    const sql = `SELECT g.*, ac.first_ts, ac.signup_ts, mn.peak, mn.active FROM (
        SELECT tenant, account, ${aggregateSelectList(p)}
        FROM events WHERE ts >= ${p('monthStart')} AND ts <= ${p('asOf')} ${tenantFilter}
        GROUP BY tenant, account) g
      LEFT JOIN accounts ac ON ac.tenant = g.tenant AND ac.account = g.account
      LEFT JOIN (SELECT tenant, account, MAX(c) AS peak, COUNT(*) AS active FROM (
          SELECT tenant, account, ts / 60000 AS m, COUNT(*) AS c FROM events
          WHERE ts >= ${p('dayStart')} AND ts <= ${p('asOf')} ${tenantFilter} GROUP BY tenant, account, m) x
        GROUP BY tenant, account) mn ON mn.tenant = g.tenant AND mn.account = g.account
      ORDER BY g.tenant, g.account`;
    const params: unknown[] = [windows.asOf, windows.hourStart, windows.dayStart, windows.monthStart];
    if (query.tenant !== undefined) params.push(query.tenant);
    // A server-side cursor streams the result in pages on its own connection; other calls use the pool.
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw unavailable(err);
    }
    const pageSize = query.pageSize ?? 5000;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`DECLARE account_aggregates NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const page = await client.query(`FETCH ${Math.max(1, Math.floor(pageSize))} FROM account_aggregates`);
        for (const row of page.rows) yield aggregateFromRow(row as Record<string, unknown>);
        if (page.rows.length < pageSize) break;
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw isConnectionError(err) ? unavailable(err) : err;
    } finally {
      // Reached on early exit from the consumer's loop too: end the transaction before returning the client.
      await client.query('ROLLBACK').catch(() => {});
      client.release();
    }
  }

  async trail(
    tenant: string,
    account: string,
    range: TimeRange & { onlyNotable?: boolean },
  ): Promise<TrailEvent[]> {
    const notable = range.onlyNotable ? 'AND (flagged = 1 OR refused = 1)' : '';
    const { rows } = await this.query(
      `SELECT ${TRAIL_COLUMNS} FROM events WHERE tenant = $1 AND account = $2 AND ts >= $3 AND ts <= $4 ${notable}
       ORDER BY ts DESC, id DESC LIMIT $5`,
      [tenant, account, range.since ?? 0, range.until ?? FAR_FUTURE, range.limit ?? null],
    );
    return (rows as Parameters<typeof toTrail>[0][]).map(toTrail).reverse();
  }

  async putAction(action: EnforcementAction): Promise<EnforcementAction> {
    await this.withTransaction(async (client) => {
      await client.query(
        `INSERT INTO actions (id, tenant, account, ts, level, previous, source, actor, reason, until, expires_to,
          hold_until, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)`,
        actionValues(action),
      );
      await client.query(
        `INSERT INTO account_state (tenant, account, level, since, until, expires_to, hold_until, reason, last_action_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant, account) DO UPDATE SET level = excluded.level,
         since = excluded.since, until = excluded.until, expires_to = excluded.expires_to,
         hold_until = excluded.hold_until, reason = excluded.reason, last_action_id = excluded.last_action_id`,
        stateValues(action),
      );
    });
    return action;
  }

  async actionsFor(tenant: string, account: string, limit = 100): Promise<EnforcementAction[]> {
    const { rows } = await this.query(
      'SELECT * FROM actions WHERE tenant = $1 AND account = $2 ORDER BY ts DESC, seq DESC LIMIT $3',
      [tenant, account, limit],
    );
    return rows.map(actionFromRow);
  }

  async accountState(tenant: string, account: string): Promise<AccountState | undefined> {
    const { rows } = await this.query('SELECT * FROM account_state WHERE tenant = $1 AND account = $2', [
      tenant,
      account,
    ]);
    return rows[0] ? stateFromRow(rows[0]) : undefined;
  }

  async accountStates(options: { tenant?: string; includeNone?: boolean } = {}): Promise<AccountState[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.tenant !== undefined) {
      params.push(options.tenant);
      where.push(`tenant = $${params.length}`);
    }
    if (!options.includeNone) where.push("level <> 'none'");
    const { rows } = await this.query(
      `SELECT * FROM account_state ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY tenant, account`,
      params,
    );
    return rows.map(stateFromRow);
  }

  async putAppeal(appeal: Appeal): Promise<Appeal> {
    await this.query(
      `INSERT INTO appeals (id, tenant, account, action_id, ts, statement, status, resolved_ts, resolver, resolution)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      appealValues(appeal),
    );
    return appeal;
  }

  async getAppeal(id: string): Promise<Appeal | undefined> {
    const { rows } = await this.query('SELECT * FROM appeals WHERE id = $1', [id]);
    return rows[0] ? appealFromRow(rows[0]) : undefined;
  }

  async resolveAppeal(id: string, resolution: AppealResolution): Promise<Appeal> {
    return this.withTransaction(async (client) => {
      const { rows } = await client.query('SELECT * FROM appeals WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) throw new InterdictError('INTERDICT_NOT_FOUND', 'appeal not found');
      const appeal = appealFromRow(rows[0]);
      if (appeal.status !== 'open') throw new InterdictError('INTERDICT_USAGE', 'appeal is already resolved');
      await client.query(
        'UPDATE appeals SET status = $1, resolved_ts = $2, resolver = $3, resolution = $4 WHERE id = $5',
        [resolution.status, resolution.ts, resolution.resolver, resolution.resolution, id],
      );
      return {
        ...appeal,
        status: resolution.status,
        resolvedTs: resolution.ts,
        resolver: resolution.resolver,
        resolution: resolution.resolution,
      };
    });
  }

  async appealsFor(tenant: string, account: string): Promise<Appeal[]> {
    const { rows } = await this.query(
      'SELECT * FROM appeals WHERE tenant = $1 AND account = $2 ORDER BY ts, id',
      [tenant, account],
    );
    return rows.map(appealFromRow);
  }

  async getCheckpoint(source: string): Promise<Checkpoint | undefined> {
    const { rows } = await this.query<{ source: string; offset: string; line: string; updated_at: string }>(
      'SELECT source, "offset", line, updated_at FROM checkpoints WHERE source = $1',
      [source],
    );
    const row = rows[0];
    return row
      ? {
          source: row.source,
          offset: Number(row.offset),
          line: Number(row.line),
          updatedAt: Number(row.updated_at),
        }
      : undefined;
  }

  async setCheckpoint(source: string, offset: number, line = 0): Promise<void> {
    await this.query(UPSERT_CHECKPOINT, [source, offset, line, Date.now()]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('08') ||
      ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', '57P01', '57P03'].includes(code))
  );
}

export function openPostgresStore(options: PostgresStoreOptions): PostgresStore {
  return new PostgresStore(options);
}
