import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { storeContract } from '../store.contract.js';
import { makeEvent } from '../testing/events.js';
import { expectUpgraded, LEGACY_COLUMNS, legacyRowValues, legacyTestEvents } from '../testing/legacy-rows.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'interdict-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract('sqlite', async () => new SqliteStore({ path: join(dir, `store-${n++}.db`) }));

describe('SqliteStore specifics', () => {
  it('uses WAL and keeps data across reopen, recording applied migrations', async () => {
    const path = join(dir, 'reopen.db');
    const first = new SqliteStore({ path });
    await first.migrate();
    await first.putEvents([makeEvent({ id: 'p1', ts: Date.UTC(2026, 0, 1) })]);
    await first.close();
    const second = new SqliteStore({ path });
    expect(await second.migrate()).toBe(4);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(await second.countEvents()).toBe(1);
    await second.close();
  });

  it('upgrades a version 3 database to one document per event, keeping every event and its MinHash', async () => {
    const path = join(dir, 'v3.db');
    const old = new Database(path);
    old.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    for (const m of SQLITE_MIGRATIONS.filter((m) => m.version <= 3)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, 0);
    }
    const T0 = Date.UTC(2026, 0, 1);
    const events = legacyTestEvents(T0);
    const insert = old.prepare(
      `INSERT INTO events (${LEGACY_COLUMNS.join(', ')}) VALUES (${LEGACY_COLUMNS.map(() => '?').join(', ')})`,
    );
    for (const e of events) insert.run(legacyRowValues(e));
    old.close();

    const store = new SqliteStore({ path });
    expect(await store.migrate()).toBe(4);
    await expectUpgraded(store, events, T0);
    await store.close();
    const db = new Database(path, { readonly: true });
    const columns = (db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('body');
    expect(columns).toContain('doc');
    expect(
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL",
        )
        .all(),
    ).toEqual([{ name: 'events_account_ts' }]);
    db.close();
  });
});
