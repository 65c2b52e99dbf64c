/**
 * Batch screening throughput of the shipped command (not a test): `node dist/cli/main.js screen --input IN.jsonl
 * --output OUT.jsonl --workers W` as a user runs it, timed by wall clock from process start to exit (detector
 * loading included), on distinct rows of 2 KB cut from the benchmark corpus (bench/corpus.ts), sides rotating. Each
 * worker count's output is checked to be byte-identical to the one-thread output. Needs `npm run build` first.
 *
 *   npx tsx bench/screen-batch.bench.ts [--rows 20000] [--size 2048] [--workers 1,2]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusTexts, fixedSizeTexts } from './corpus.js';
import { flag, hasFlag } from './args.js';

const ROWS = Number(flag('--rows', '20000'));
const SIZE = Number(flag('--size', '2048'));
const WORKERS = flag('--workers', '1,2').split(',');

const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  process.stderr.write('dist/cli/main.js not found: run `npm run build` first\n');
  process.exit(1);
}
const pool = corpusTexts();
if (pool.length === 0) {
  process.stderr.write('../shared/datasets not found: this benchmark needs the real corpus\n');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'interdict-screen-batch-'));
const input = join(dir, 'in.jsonl');
const sides = ['input', 'document', 'output'];
// Numbered so that every row is a distinct text: the screener's verdict cache (on by default) serves none of them.
const texts = fixedSizeTexts(pool, SIZE, ROWS).map((t, i) => `${i} ${t}`.slice(0, SIZE));
writeFileSync(
  input,
  `${texts.map((text, i) => JSON.stringify({ id: i, text, side: sides[i % 3] })).join('\n')}\n`,
);
process.stdout.write(`${ROWS} rows of ${SIZE} characters, ${cpus().length} cores, node ${process.version}\n`);

let reference: string | undefined;
const results: Array<{ workers: string; seconds: number; rowsPerSecond: number }> = [];
try {
  for (const workers of WORKERS) {
    const output = join(dir, `out-${workers}.jsonl`);
    const started = process.hrtime.bigint();
    const run = spawnSync(
      process.execPath,
      [cli, 'screen', '--input', input, '--output', output, '--workers', workers],
      {
        encoding: 'utf8',
      },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (run.status !== 0) throw new Error(`--workers ${workers}: exit ${run.status}\n${run.stderr}`);
    const written = readFileSync(output, 'utf8');
    reference ??= written;
    if (written !== reference)
      throw new Error(`--workers ${workers}: output differs from --workers ${WORKERS[0]}`);
    const row = { workers, seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(ROWS / seconds) };
    results.push(row);
    process.stdout.write(
      `--workers ${workers}: ${row.seconds} s, ${row.rowsPerSecond} rows/s (output identical)\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (hasFlag('--json')) process.stdout.write(`${JSON.stringify({ rows: ROWS, size: SIZE, results })}\n`);
