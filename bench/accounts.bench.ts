/**
 * Account scoring at scale: N accounts (default 100,000) with a few events each, 1% of them with flagged,
 * blocked or refused events (the ones that get a trail look), scored by scoreAccounts. Reports wall and CPU
 * time, accounts/s and peak RSS. SQLite by default; --pg URL also runs PostgreSQL.
 *
 *   npx tsx bench/accounts.bench.ts [--accounts 100000] [--events-per-account 5] [--pg URL]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { monitorSchema } from '../src/config/sections/monitor.js';
import type { RecordedEvent } from '../src/core/event.js';
import { scoreAccounts } from '../src/monitor/monitor.js';
import type { EventStore, StoredAnalysis } from '../src/store/port.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { flag } from './args.js';

const ACCOUNTS = Number(flag('--accounts', '100000'));
const PER = Number(flag('--events-per-account', '5'));
const PG_URL = flag('--pg');
const AS_OF = Date.UTC(2026, 3, 30, 12);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

function hex64(n: number): string {
  const x = (Math.imul(n ^ 0x5bd1e995, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  const y = (Math.imul(n ^ 0x27d4eb2d, 0x85ebca6b) >>> 0).toString(16).padStart(8, '0');
  return x + y;
}

function batchFor(from: number, to: number): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  for (let a = from; a < to; a++) {
    const suspicious = a % 100 === 0;
    for (let e = 0; e < PER; e++) {
      const bad = suspicious && e > 0;
      const analysis: StoredAnalysis = {
        verdicts: [],
        action: bad ? 'block' : 'allow',
        score: bad ? 0.85 : 0.01,
        categories: bad ? ['jailbreak'] : [],
        // Suspicious accounts resend variants of one prompt; the rest write unrelated prompts.
        fingerprints: { simhash: suspicious ? hex64(a) : hex64(a * PER + e) },
        reasons: [],
        features: { lang: 'latin:en' },
      };
      out.push({
        id: `a${a}-e${e}`,
        ts: new Date(
          AS_OF - (suspicious ? 30 * 60_000 : 20 * 86_400_000) + e * 60_000 + (a % 997) * 1000,
        ).toISOString(),
        tenant: `t${a % 4}`,
        account: `acct-${a}`,
        request: { messages: [{ role: 'user', content: '' }] },
        ...(bad ? { response: { content: '', refusal: true } } : {}),
        interdict: analysis,
      });
    }
  }
  return out;
}

async function run(label: string, store: EventStore): Promise<Record<string, unknown>> {
  await store.migrate();
  const load0 = performance.now();
  const step = Math.max(1, Math.floor(4000 / PER));
  for (let a = 0; a < ACCOUNTS; a += step) await store.putEvents(batchFor(a, Math.min(ACCOUNTS, a + step)));
  const loadS = (performance.now() - load0) / 1000;
  const config = monitorSchema.parse({});
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let scored = 0;
  let flagged = 0;
  for await (const risk of scoreAccounts(store, { config, asOf: AS_OF })) {
    scored += 1;
    if (risk.level !== 'none') flagged += 1;
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  process.stderr.write(
    `${label}: loaded ${ACCOUNTS * PER} events in ${loadS.toFixed(1)} s; scored ${scored} accounts in ${wallS.toFixed(2)} s wall (${Math.round(scored / wallS)}/s), ${cpuS.toFixed(2)} s CPU in this process; ${flagged} at watch or above\n`,
  );
  return {
    label,
    accounts: scored,
    events: ACCOUNTS * PER,
    wallS,
    cpuS,
    perSecond: Math.round(scored / wallS),
    flagged,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'interdict-accounts-bench-'));
const results: Record<string, unknown>[] = [];
try {
  const sqlite = new SqliteStore({ path: join(dir, 'accounts.db') });
  results.push(await run('sqlite', sqlite));
  await sqlite.close();
  if (PG_URL) {
    const schema = `interdict_bench_${randomBytes(4).toString('hex')}`;
    const store = new PostgresStore({ url: PG_URL, schema, poolSize: 4 });
    try {
      results.push(await run('postgres', store));
    } finally {
      await store.close();
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ results, peakRssMb: Math.round(Math.max(peakRss / 1048576, maxRssMb)) })}\n`,
);
