import type { Command } from 'commander';
import { InterdictError } from '../../core/errors.js';
import { type AccountRisk, resolveAsOf, scoreAccounts } from '../../monitor/monitor.js';
import { decide } from '../../policy/enforcement/ladder.js';
import { type AccountState, isLevel, LEVELS, type Level, openStore, storeFlags } from '../../store/index.js';
import { action, commandConfig, withConfigFlag } from '../shared.js';

interface AccountsCliOptions {
  db?: string;
  storeUrl?: string;
  json?: boolean;
  tenant?: string;
  minLevel: string;
  asOf?: string;
  limit: string;
  config?: string;
}

export interface AccountListing {
  account: string;
  tenant: string;
  risk: number;
  level: Level;
  categories: string[];
  reasons: string[];
  /** What `enforce run` would do now: none, escalate, deescalate, expire or hold. */
  action: string;
  /** Level in force now, and the one the action moves to. */
  current: Level;
  next: Level;
}

/** Parses --as-of: an ISO-8601 time, or absent for the store's newest event. */
export function parseAsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new InterdictError('INTERDICT_USAGE', '--as-of must be an ISO-8601 time');
  return ms;
}

export function registerAccounts(program: Command): void {
  withConfigFlag(
    program
      .command('accounts')
      .description('score accounts from recorded events: risk, level, reasons and what the ladder would do')
      .option('--db <path>', 'SQLite event store file')
      .option('--store-url <url>', 'PostgreSQL connection string (instead of --db)')
      .option('--json', 'one JSON object per account (JSONL), in account order')
      .option('--tenant <tenant>', 'only this tenant')
      .option('--min-level <level>', `only accounts at or above: ${LEVELS.join(' | ')}`, 'none')
      .option('--as-of <time>', 'score as of this ISO-8601 time (default: newest recorded event)')
      .option('--limit <n>', 'rows shown in the text table, highest risk first', '50'),
  ).action(
    action(async (opts: AccountsCliOptions) => {
      if (!isLevel(opts.minLevel))
        throw new InterdictError('INTERDICT_USAGE', `--min-level must be one of ${LEVELS.join(', ')}`);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new InterdictError('INTERDICT_USAGE', '--limit must be a positive integer');
      const config = commandConfig(opts, storeFlags(opts));
      const store = await openStore(config.store);
      try {
        const asOf = await resolveAsOf(store, parseAsOf(opts.asOf));
        const states = new Map<string, AccountState>();
        for (const s of await store.accountStates({
          includeNone: true,
          ...(opts.tenant ? { tenant: opts.tenant } : {}),
        })) {
          states.set(`${s.tenant}\u0000${s.account}`, s);
        }
        const listing = (r: AccountRisk): AccountListing => {
          const d = decide(
            states.get(`${r.tenant}\u0000${r.account}`),
            r,
            asOf,
            config.enforcement,
            config.monitor.levels,
          );
          return {
            account: r.account,
            tenant: r.tenant,
            risk: r.risk,
            level: r.level,
            categories: r.categories,
            reasons: r.reasons,
            action: d.kind,
            current: d.current,
            next: d.next,
          };
        };
        const rows: AccountListing[] = [];
        const counts = new Map<Level, number>();
        let scored = 0;
        for await (const r of scoreAccounts(store, {
          config: config.monitor,
          asOf,
          minLevel: opts.minLevel,
          ...(opts.tenant ? { tenant: opts.tenant } : {}),
        })) {
          scored += 1;
          counts.set(r.level, (counts.get(r.level) ?? 0) + 1);
          if (opts.json) {
            if (!process.stdout.write(`${JSON.stringify(listing(r))}\n`)) {
              await new Promise((resolve) => process.stdout.once('drain', resolve));
            }
            continue;
          }
          rows.push(listing(r));
          // Keep memory bounded: only the top rows are printed.
          if (rows.length > limit * 4) {
            rows.sort((a, b) => b.risk - a.risk);
            rows.length = limit;
          }
        }
        if (opts.json) return;
        rows.sort((a, b) => b.risk - a.risk);
        const shown = rows.slice(0, limit);
        process.stdout.write(`as of ${new Date(asOf).toISOString()}: ${scored} accounts scored\n`);
        process.stdout.write(`${LEVELS.map((l) => `${l} ${counts.get(l) ?? 0}`).join('  ')}\n`);
        for (const row of shown) {
          const move =
            row.action === 'none'
              ? ''
              : `  [${row.action}${row.next !== row.current ? ` → ${row.next}` : ''}]`;
          process.stdout.write(
            `\n${row.tenant}/${row.account}  risk ${row.risk.toFixed(3)}  ${row.level}  (now ${row.current})${move}\n`,
          );
          if (row.categories.length) process.stdout.write(`  categories: ${row.categories.join(', ')}\n`);
          for (const reason of row.reasons) process.stdout.write(`  - ${reason}\n`);
        }
      } finally {
        await store.close();
      }
    }),
  );
}
