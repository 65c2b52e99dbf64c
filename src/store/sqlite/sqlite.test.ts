import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { storeContract } from '../store.contract.js';
import { makeEvent } from '../testing/events.js';
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
    expect(await second.migrate()).toBe(3);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(await second.countEvents()).toBe(1);
    await second.close();
  });
});
