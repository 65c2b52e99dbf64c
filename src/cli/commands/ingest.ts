import type { Command } from 'commander';
import { InterdictError } from '../../core/errors.js';
import { CONTENT_MODES, type ContentMode } from '../../config/sections/store.js';
import { ingestFile } from '../../ingest/ingest.js';
import { openStore, storeFlags } from '../../store/index.js';
import { createProgress } from '../progress.js';
import { action, commandConfig, withConfigFlag } from '../shared.js';

interface IngestCliOptions {
  input: string;
  db?: string;
  storeUrl?: string;
  screen: boolean;
  batchSize: string;
  workers: string;
  restart?: boolean;
  tenant?: string;
  content?: string;
  json?: boolean;
  config?: string;
}

export function registerIngest(program: Command): void {
  withConfigFlag(
    program
      .command('ingest')
      .description('record interaction events from a JSONL file (resumable, idempotent by event id)')
      .requiredOption('-i, --input <file>', 'JSONL file, one interaction event per line (docs/events.md)')
      .option('--db <path>', 'SQLite event store file')
      .option('--store-url <url>', 'PostgreSQL connection string (instead of --db)')
      .option('--screen', 'screen messages and responses that carry no analysis (default)', true)
      .option('--no-screen', 'record without screening')
      .option('--batch-size <n>', 'rows per transaction', '2000')
      .option(
        '--workers <n>',
        'worker threads for parsing and screening (0 = inline, auto = cores - 1, at most 8)',
        'auto',
      )
      .option('--restart', 'ignore the stored checkpoint and read from the start (still idempotent)')
      .option('--tenant <tenant>', 'tenant for rows that carry none')
      .option('--content <mode>', `text kept: ${CONTENT_MODES.join(' | ')} (default: config store.content)`)
      .option('--json', 'print the summary as JSON'),
  ).action(
    action(async (opts: IngestCliOptions) => {
      const batchSize = Number(opts.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
        throw new InterdictError('INTERDICT_USAGE', '--batch-size must be an integer between 1 and 100000');
      }
      if (opts.content !== undefined && !(CONTENT_MODES as readonly string[]).includes(opts.content)) {
        throw new InterdictError('INTERDICT_USAGE', `--content must be one of ${CONTENT_MODES.join(', ')}`);
      }
      const workers = opts.workers === 'auto' ? 'auto' : Number(opts.workers);
      if (workers !== 'auto' && (!Number.isInteger(workers) || workers < 0 || workers > 32)) {
        throw new InterdictError('INTERDICT_USAGE', '--workers must be auto or an integer between 0 and 32');
      }
      const flags = storeFlags(opts);
      const config = commandConfig(opts, {
        store: { ...flags.store, ...(opts.content ? { content: opts.content as ContentMode } : {}) },
      });
      const store = await openStore(config.store);
      const progress = createProgress({ label: 'ingest', unit: 'bytes' });
      try {
        const summary = await ingestFile({
          input: opts.input,
          store,
          ...(opts.screen ? { screening: config.screening } : {}),
          content: config.store,
          workers,
          batchSize,
          resume: !opts.restart,
          ...(opts.tenant ? { defaultTenant: opts.tenant } : {}),
          onTotal: (n) => progress.setTotal(n),
          onProgress: (n) => progress.tick(n),
        });
        progress.done();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(summary)}\n`);
        } else {
          for (const p of summary.problems.slice(0, 20))
            process.stderr.write(`line ${p.line}: ${p.code}: ${p.problem}\n`);
          if (summary.malformed > 20)
            process.stderr.write(`... ${summary.malformed - 20} more malformed lines\n`);
          const resumed = summary.resumedFrom > 0 ? ` (resumed at byte ${summary.resumedFrom})` : '';
          process.stderr.write(
            `ingested ${summary.events} events${resumed}: ${summary.inserted} new, ${summary.duplicates} already stored, ${summary.malformed} malformed lines skipped\n`,
          );
        }
      } finally {
        await store.close();
      }
    }),
  );
}
