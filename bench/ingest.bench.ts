/**
 * Ingest throughput: a generated JSONL file streamed into SQLite and PostgreSQL through ingestFile (parse,
 * validate, fingerprint, language features, redaction, batched insert with checkpoint), without and with
 * screening; plus the raw store insert rate. Reports wall and CPU time (the CPU figure is steadier on a
 * shared machine) and peak RSS.
 *
 *   npx tsx bench/ingest.bench.ts [--events 200000] [--screen-events 20000] [--workers auto|N] [--pg URL] [--no-pg]
 *
 * Note: process CPU time includes worker threads, so with workers the per-CPU-second figure is the cost of
 * the whole pipeline, not of one thread.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseConfig } from '../src/config/load.js';
import type { RecordedEvent } from '../src/core/event.js';
import { createScreener } from '../src/detect/index.js';
import { createAnalyzer } from '../src/ingest/analyze.js';
import { ingestFile, resolveWorkers } from '../src/ingest/ingest.js';
import { parseEventRow } from '../src/ingest/validate.js';
import type { EventStore } from '../src/store/port.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { sentence, writeEvents } from './events.js';
import { flag, hasFlag, pgUrl } from './args.js';

const EVENTS = Number(flag('--events', '200000'));
const SCREEN_EVENTS = Number(flag('--screen-events', '20000'));
const PG_URL = pgUrl();
const USE_PG = !hasFlag('--no-pg');

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

interface Measure {
  label: string;
  events: number;
  wallS: number;
  cpuS: number;
  /** CPU seconds of the main thread alone (the store writer when workers process), Linux only. */
  mainCpuS?: number;
}

/**
 * CPU seconds the main thread has used (Linux /proc; undefined elsewhere). With worker threads, the main
 * thread reads the file and writes the store: its cost per event bounds the rate on a machine whose other
 * cores run the workers, which a 2-core machine shared with other work cannot show in wall time.
 */
function mainThreadCpuS(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return undefined;
  }
}
const results: Measure[] = [];

async function measure(label: string, events: number, fn: () => Promise<unknown>): Promise<void> {
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuS();
  const t0 = performance.now();
  await fn();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuS();
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const mainCpuS = main0 === undefined || main1 === undefined ? undefined : main1 - main0;
  results.push({ label, events, wallS, cpuS, ...(mainCpuS === undefined ? {} : { mainCpuS }) });
  const main =
    mainCpuS && events > 0 ? `, main thread ${((mainCpuS * 1e6) / events).toFixed(1)} µs/event` : '';
  process.stderr.write(
    `${label}: ${events} events in ${wallS.toFixed(2)} s = ${Math.round(events / wallS)}/s wall, ${Math.round(events / cpuS)}/s per CPU-second of this process${main}\n`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'interdict-ingest-bench-'));
const input = join(dir, 'events.jsonl');
const screenInput = join(dir, 'screen.jsonl');
writeEvents(input, EVENTS);
writeEvents(screenInput, SCREEN_EVENTS);
process.stderr.write(`generated ${EVENTS} events, ${(statSync(input).size / 1e6).toFixed(1)} MB\n`);
const config = parseConfig({});
const content = config.store;
const WORKERS = resolveWorkers(
  flag('--workers', 'auto') === 'auto' ? 'auto' : Number(flag('--workers', 'auto')),
);

async function pgStore(): Promise<{ store: PostgresStore; drop: () => Promise<void> } | undefined> {
  if (!USE_PG) return undefined;
  const schema = `interdict_bench_${randomBytes(4).toString('hex')}`;
  const probe = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await probe.connect();
  } catch {
    process.stderr.write(`PostgreSQL at ${PG_URL} unreachable: skipping PostgreSQL figures\n`);
    return undefined;
  }
  const store = new PostgresStore({ url: PG_URL, schema, poolSize: 4 });
  await store.migrate();
  return {
    store,
    drop: async () => {
      await store.close();
      await probe.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await probe.end();
    },
  };
}

try {
  // 1. Raw store insert rate (pre-built events, 2000 per transaction).
  const analyzer = createAnalyzer();
  const prebuilt: RecordedEvent[] = [];
  const sample = Math.min(EVENTS, 100_000);
  for (let i = 0; i < sample; i++) {
    const row = parseEventRow({
      id: `raw-${i}`,
      ts: new Date(Date.UTC(2026, 0, 1) + i * 250).toISOString(),
      tenant: 't',
      account: `acct-${i % 20000}`,
      request: { messages: [{ role: 'user', content: `${sentence(i, 12)}?` }] },
      response: { content: sentence(i + 7, 20) },
    });
    if (row.ok) prebuilt.push({ ...row.event, interdict: analyzer.analyze(row.event).analysis });
  }
  const putAll = async (store: EventStore) => {
    for (let i = 0; i < prebuilt.length; i += 2000) await store.putEvents(prebuilt.slice(i, i + 2000));
  };
  const sqliteRaw = new SqliteStore({ path: join(dir, 'raw.db') });
  await sqliteRaw.migrate();
  await measure('sqlite putEvents (store only)', prebuilt.length, () => putAll(sqliteRaw));
  await sqliteRaw.close();

  // 2. Full ingest pipeline without screening.
  const sqlite = new SqliteStore({ path: join(dir, 'ingest.db') });
  await sqlite.migrate();
  await measure('sqlite ingest, screening excluded, inline', EVENTS, () =>
    ingestFile({ input, store: sqlite, content, batchSize: 2000 }),
  );
  await sqlite.close();
  if (WORKERS > 0) {
    const pooled = new SqliteStore({ path: join(dir, 'ingest-workers.db') });
    await pooled.migrate();
    await measure(`sqlite ingest, screening excluded, ${WORKERS} workers`, EVENTS, () =>
      ingestFile({ input, store: pooled, content, batchSize: 2000, workers: WORKERS }),
    );
    await pooled.close();
  }

  const postgres = await pgStore();
  if (postgres) {
    await measure('postgres putEvents (store only)', prebuilt.length, () => putAll(postgres.store));
    await measure(`postgres ingest, screening excluded, ${WORKERS} workers`, EVENTS, () =>
      ingestFile({ input, store: postgres.store, content, batchSize: 2000, workers: WORKERS }),
    );
    await postgres.drop();
  }

  // 3. With screening (the default detector line-up of this working tree), inline and on workers.
  let detectors = '';
  try {
    detectors = createScreener(config.screening).detectors.join('+') || 'no detectors';
  } catch (err) {
    process.stderr.write(
      `screening unavailable (${err instanceof Error ? err.message : String(err)}): skipped\n`,
    );
  }
  if (detectors) {
    for (const workers of WORKERS > 0 ? [0, WORKERS] : [0]) {
      const screened = new SqliteStore({ path: join(dir, `screened-${workers}.db`) });
      await screened.migrate();
      await measure(
        `sqlite ingest, screening included (${detectors}), ${workers || 'inline, 0'} workers`,
        SCREEN_EVENTS,
        () =>
          ingestFile({
            input: screenInput,
            store: screened,
            content,
            screening: config.screening,
            batchSize: 2000,
            workers,
          }),
      );
      await screened.close();
    }
  }
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}

const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    results: results.map((r) => ({
      ...r,
      perSecondWall: Math.round(r.events / r.wallS),
      perCpuSecond: Math.round(r.events / r.cpuS),
      ...(r.mainCpuS && r.events > 0
        ? { mainThreadUsPerEvent: +((r.mainCpuS * 1e6) / r.events).toFixed(1) }
        : {}),
    })),
    peakRssMb: Math.round(Math.max(peakRss / 1048576, maxRssMb)),
  })}\n`,
);
