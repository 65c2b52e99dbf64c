import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { storeContract } from '../store.contract.js';
import { makeEvent } from '../testing/events.js';
import { PostgresStore } from './postgres-store.js';

/**
 * Runs the store contract against PostgreSQL. Each store gets a fresh schema (interdict_test_<random>_<n>),
 * dropped afterwards. Locally an unreachable server skips the suite with a message; in CI (CI=true) it fails.
 */
const URL = process.env.INTERDICT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/interdict_test';
const RUN = `interdict_test_${randomBytes(4).toString('hex')}`;
const inCi = process.env.CI === 'true' || process.env.CI === '1';

async function reachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

const problem = await reachable();
if (problem && inCi) throw new Error(`PostgreSQL at ${URL} is unreachable in CI: ${problem}`);
if (problem) {
  process.stderr.write(
    `postgres.test.ts: skipping, PostgreSQL at ${URL} is unreachable (${problem}); CI=true makes this fatal\n`,
  );
}

const schemas: string[] = [];
afterAll(async () => {
  if (problem || schemas.length === 0) return;
  const admin = new pg.Client({ connectionString: URL });
  await admin.connect();
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

function freshStore(): PostgresStore {
  const schema = `${RUN}_${schemas.length}`;
  schemas.push(schema);
  return new PostgresStore({ url: URL, schema, poolSize: 3 });
}

describe.skipIf(Boolean(problem))('PostgreSQL adapter', () => {
  storeContract('postgres', async () => freshStore());

  it('inserts a large batch in one statement and stays idempotent', async () => {
    const store = freshStore();
    await store.migrate();
    const t0 = Date.UTC(2026, 1, 1);
    const batch = Array.from({ length: 3000 }, (_, i) =>
      makeEvent({ id: `big-${i}`, ts: t0 + i, account: `acc-${i % 37}`, text: `prompt ${i}` }),
    );
    expect(await store.putEvents(batch)).toEqual({ inserted: 3000 });
    expect(await store.putEvents([...batch.slice(0, 10), ...batch.slice(0, 10)])).toEqual({ inserted: 0 });
    expect(await store.countEvents()).toBe(3000);
    await store.close();
  });

  it('reports an unreachable server as a coded store error', async () => {
    const store = new PostgresStore({ url: 'postgres://postgres@127.0.0.1:1/none', schema: 'x' });
    await expect(store.migrate()).rejects.toMatchObject({ code: 'INTERDICT_STORE_UNAVAILABLE' });
    await store.close();
  });
});
