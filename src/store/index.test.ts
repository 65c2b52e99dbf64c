import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeSchema } from '../config/sections/store.js';
import { openStore, SqliteStore, storeFlags } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'interdict-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore', () => {
  it('opens a migrated SQLite store by default, creating its directory', async () => {
    const store = await openStore(storeSchema.parse({ path: join(dir, 'nested', 'x.db') }));
    expect(store).toBeInstanceOf(SqliteStore);
    expect(await store.countEvents()).toBe(0);
    await store.close();
  });

  it('requires a URL for PostgreSQL and reports an unreachable server as unavailable', async () => {
    await expect(openStore(storeSchema.parse({ driver: 'postgres' }))).rejects.toMatchObject({
      code: 'INTERDICT_CONFIG_INVALID',
    });
    await expect(
      openStore(storeSchema.parse({ driver: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' })),
    ).rejects.toMatchObject({ code: 'INTERDICT_STORE_UNAVAILABLE' });
  });

  it('maps --db and --store-url to store config, not both', () => {
    expect(storeFlags({ db: 'a.db' })).toEqual({ store: { driver: 'sqlite', path: 'a.db' } });
    expect(storeFlags({ storeUrl: 'postgres://h/db' })).toEqual({
      store: { driver: 'postgres', url: 'postgres://h/db' },
    });
    expect(storeFlags({})).toEqual({});
    expect(() => storeFlags({ db: 'a', storeUrl: 'b' })).toThrow(/--db or --store-url/);
  });
});
