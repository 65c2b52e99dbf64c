import type { Command } from 'commander';
import { InterdictError } from '../../core/errors.js';
import { explainEvent } from '../../gateway/explain.js';
import { openStore, storeFlags } from '../../store/index.js';
import { action, commandConfig, withConfigFlag } from '../shared.js';

interface ExplainOptions {
  db?: string;
  storeUrl?: string;
  json?: boolean;
  config?: string;
}

export function registerExplain(program: Command): void {
  withConfigFlag(
    program
      .command('explain <eventId>')
      .description(
        'show why an event got its decision (verdicts, rules, thresholds, policy action; no content)',
      )
      .option('--db <path>', 'SQLite event store file')
      .option('--store-url <url>', 'PostgreSQL connection string (instead of --db)')
      .option('--json', 'print the analysis as JSON'),
  ).action(
    action(async (eventId: string, opts: ExplainOptions) => {
      const config = commandConfig(opts, storeFlags(opts));
      const store = await openStore(config.store, { migrate: false });
      try {
        const event = await store.getEvent(eventId);
        if (!event)
          throw new InterdictError('INTERDICT_NOT_FOUND', `no event with id ${eventId.slice(0, 80)}`);
        if (opts.json) {
          const { id, ts, tenant, account, key, model, interdict } = event;
          process.stdout.write(`${JSON.stringify({ id, ts, tenant, account, key, model, interdict })}\n`);
        } else process.stdout.write(`${explainEvent(event)}\n`);
      } finally {
        await store.close();
      }
    }),
  );
}
