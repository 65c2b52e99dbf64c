/**
 * Ingest throughput of the shipped command: `node dist/cli/main.js ingest` as a user runs it (built code, its own
 * process, default `--workers auto` and content mode), timed by wall clock from process start to exit, on a
 * generated file (bench/events.ts). Screening is excluded (`--no-screen`) as the targets ask; one smaller
 * run includes it. Needs `npm run build` first.
 *
 *   npx tsx bench/ingest-cli.bench.ts [--events 300000] [--screen-events 20000] [--pg URL] [--no-pg]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { writeEvents } from './events.js';
import { flag, hasFlag, pgUrl } from './args.js';

const EVENTS = Number(flag('--events', '300000'));
const SCREEN_EVENTS = Number(flag('--screen-events', '20000'));
const PG_URL = pgUrl();
const USE_PG = !hasFlag('--no-pg');

const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  process.stderr.write('dist/cli/main.js not found: run `npm run build` first\n');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'interdict-ingest-cli-'));
const input = join(dir, 'events.jsonl');
const screenInput = join(dir, 'screen.jsonl');
writeEvents(input, EVENTS);
writeEvents(screenInput, SCREEN_EVENTS);

interface Row {
  label: string;
  events: number;
  seconds: number;
  perSecond: number;
}
const rows: Row[] = [];

function run(label: string, events: number, cliArgs: string[], env: NodeJS.ProcessEnv = {}): void {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, 'ingest', ...cliArgs], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${label}: exit ${result.status}\n${result.stderr}`);
  const row = { label, events, seconds: +seconds.toFixed(2), perSecond: Math.round(events / seconds) };
  rows.push(row);
  process.stdout.write(`${label}: ${events} events in ${row.seconds} s = ${row.perSecond}/s\n`);
}

const db = (name: string) => join(dir, `${name}.db`);
run('sqlite, screening excluded, --workers auto', EVENTS, ['--input', input, '--db', db('a'), '--no-screen']);
run('sqlite, screening excluded, --workers 0', EVENTS, [
  '--input',
  input,
  '--db',
  db('b'),
  '--no-screen',
  '--workers',
  '0',
]);
run('sqlite, screening included, --workers auto', SCREEN_EVENTS, ['--input', screenInput, '--db', db('c')]);

if (USE_PG) {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  let reachable = true;
  try {
    await client.connect();
  } catch {
    reachable = false;
    process.stderr.write(`PostgreSQL at ${PG_URL} unreachable: skipping PostgreSQL figures\n`);
  }
  // A fresh schema per run (store.schema through the environment), dropped afterwards.
  for (const workers of reachable ? ['auto', '0'] : []) {
    const schema = `ingest_cli_${process.pid}_${workers}`;
    try {
      run(
        `postgres, screening excluded, --workers ${workers}`,
        EVENTS,
        ['--input', input, '--store-url', PG_URL, '--no-screen', '--workers', workers],
        { INTERDICT_STORE__SCHEMA: schema },
      );
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    }
  }
  await client.end().catch(() => undefined);
}

rmSync(dir, { recursive: true, force: true });
if (hasFlag('--json')) process.stdout.write(`${JSON.stringify({ node: process.version, rows })}\n`);
