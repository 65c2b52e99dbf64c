import type { Command } from 'commander';
import { InterdictError } from '../../core/errors.js';
import type { Config } from '../../config/schema.js';
import { Enforcement } from '../../policy/enforcement/service.js';
import { type EventStore, isLevel, LEVELS, openStore, storeFlags } from '../../store/index.js';
import { action, commandConfig, withConfigFlag } from '../shared.js';
import { parseAsOf } from './accounts.js';

interface StoreOpts {
  db?: string;
  storeUrl?: string;
  config?: string;
  json?: boolean;
}

function withStoreFlags(command: Command): Command {
  return withConfigFlag(
    command
      .option('--db <path>', 'SQLite event store file')
      .option('--store-url <url>', 'PostgreSQL connection string (instead of --db)')
      .option('--json', 'print JSON'),
  );
}

async function withEnforcement<T>(
  opts: StoreOpts,
  fn: (e: Enforcement, store: EventStore, config: Config) => Promise<T>,
) {
  const config = commandConfig(opts, storeFlags(opts));
  const store = await openStore(config.store);
  try {
    return await fn(
      new Enforcement({ store, config: config.enforcement, monitor: config.monitor }),
      store,
      config,
    );
  } finally {
    await store.close();
  }
}

function print(opts: StoreOpts, value: unknown, text: string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

function parseHours(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const hours = Number(value);
  if (!Number.isFinite(hours) || hours < 0)
    throw new InterdictError('INTERDICT_USAGE', '--hours must be a number >= 0');
  return hours;
}

export function registerEnforce(program: Command): void {
  const enforce = program
    .command('enforce')
    .description('enforcement ladder: status, overrides, appeals, runs');

  withStoreFlags(
    enforce
      .command('status')
      .description('level in force for an account, with its action and appeal history')
      .requiredOption('--tenant <tenant>', 'tenant')
      .requiredOption('--account <account>', 'account'),
  ).action(
    action(async (opts: StoreOpts & { tenant: string; account: string }) => {
      await withEnforcement(opts, async (e, store) => {
        const status = await e.statusOf(opts.tenant, opts.account);
        const actions = await store.actionsFor(opts.tenant, opts.account, 20);
        const appeals = await store.appealsFor(opts.tenant, opts.account);
        const lines = [
          `${opts.tenant}/${opts.account}: ${status.level}${status.until ? ` until ${iso(status.until)}` : ''}`,
          ...(status.reason ? [`  reason: ${status.reason}`] : []),
          ...actions.map(
            (a) =>
              `  ${iso(a.ts)} ${a.previous} → ${a.level} by ${a.actor} (${a.source})${a.until ? ` until ${iso(a.until)}` : ''}: ${a.reason} [${a.id}]`,
          ),
          ...appeals.map(
            (a) =>
              `  appeal ${a.id} of ${a.actionId}: ${a.status}${a.resolution ? ` (${a.resolution})` : ''}`,
          ),
        ];
        print(opts, { status, actions, appeals }, lines.join('\n'));
      });
    }),
  );

  withStoreFlags(
    enforce
      .command('set')
      .description('an analyst sets an account level (recorded with actor and reason)')
      .requiredOption('--tenant <tenant>', 'tenant')
      .requiredOption('--account <account>', 'account')
      .requiredOption('--level <level>', LEVELS.join(' | '))
      .requiredOption('--actor <name>', 'who decides')
      .requiredOption('--reason <text>', 'why (case reference, evidence summary)')
      .option('--hours <n>', 'time limit in hours (default: the ladder duration for the level)'),
  ).action(
    action(
      async (
        opts: StoreOpts & {
          tenant: string;
          account: string;
          level: string;
          actor: string;
          reason: string;
          hours?: string;
        },
      ) => {
        if (!isLevel(opts.level))
          throw new InterdictError('INTERDICT_USAGE', `--level must be one of ${LEVELS.join(', ')}`);
        const level = opts.level;
        const hours = parseHours(opts.hours);
        await withEnforcement(opts, async (e) => {
          const a = await e.override(opts.tenant, opts.account, level, {
            actor: opts.actor,
            reason: opts.reason,
            ...(hours === undefined ? {} : { hours }),
          });
          print(
            opts,
            a,
            `${a.tenant}/${a.account}: ${a.previous} → ${a.level}${a.until ? ` until ${iso(a.until)}` : ''} [${a.id}]`,
          );
        });
      },
    ),
  );

  withStoreFlags(
    enforce
      .command('lift')
      .description('an analyst lifts any level (back to none)')
      .requiredOption('--tenant <tenant>', 'tenant')
      .requiredOption('--account <account>', 'account')
      .requiredOption('--actor <name>', 'who decides')
      .requiredOption('--reason <text>', 'why'),
  ).action(
    action(async (opts: StoreOpts & { tenant: string; account: string; actor: string; reason: string }) => {
      await withEnforcement(opts, async (e) => {
        const a = await e.lift(opts.tenant, opts.account, { actor: opts.actor, reason: opts.reason });
        print(opts, a, `${a.tenant}/${a.account}: ${a.previous} → none [${a.id}]`);
      });
    }),
  );

  withStoreFlags(
    enforce
      .command('appeal')
      .description("record an account holder's appeal of an action (default: the latest)")
      .requiredOption('--tenant <tenant>', 'tenant')
      .requiredOption('--account <account>', 'account')
      .requiredOption('--statement <text>', "the account holder's statement")
      .option('--action <id>', 'action id being appealed'),
  ).action(
    action(
      async (opts: StoreOpts & { tenant: string; account: string; statement: string; action?: string }) => {
        await withEnforcement(opts, async (e) => {
          const a = await e.appeal(
            opts.tenant,
            opts.account,
            opts.statement,
            opts.action ? { actionId: opts.action } : {},
          );
          print(opts, a, `appeal ${a.id} of action ${a.actionId}: open`);
        });
      },
    ),
  );

  withStoreFlags(
    enforce
      .command('resolve')
      .description('resolve an appeal: upheld (level stands) or overturned (previous level restored)')
      .requiredOption('--appeal <id>', 'appeal id')
      .requiredOption('--outcome <outcome>', 'upheld | overturned')
      .requiredOption('--actor <name>', 'who decides')
      .requiredOption('--reason <text>', 'resolution'),
  ).action(
    action(async (opts: StoreOpts & { appeal: string; outcome: string; actor: string; reason: string }) => {
      if (opts.outcome !== 'upheld' && opts.outcome !== 'overturned') {
        throw new InterdictError('INTERDICT_USAGE', '--outcome must be upheld or overturned');
      }
      const status = opts.outcome;
      await withEnforcement(opts, async (e) => {
        const out = await e.resolveAppeal(opts.appeal, {
          status,
          resolver: opts.actor,
          resolution: opts.reason,
        });
        const change = out.action ? `; ${out.action.tenant}/${out.action.account} → ${out.action.level}` : '';
        print(opts, out, `appeal ${out.appeal.id}: ${out.appeal.status}${change}`);
      });
    }),
  );

  withStoreFlags(
    enforce
      .command('run')
      .description('re-score accounts and apply the ladder (escalation, expiry, de-escalation)')
      .option('--tenant <tenant>', 'only this tenant')
      .option('--as-of <time>', 'ISO-8601 time to score and act at (default: newest recorded event)')
      .option('--dry-run', 'show decisions without recording them'),
  ).action(
    action(async (opts: StoreOpts & { tenant?: string; asOf?: string; dryRun?: boolean }) => {
      const asOf = parseAsOf(opts.asOf);
      await withEnforcement(opts, async (e, _store, config) => {
        const summary = await e.run({
          ...(asOf === undefined ? {} : { asOf }),
          ...(opts.tenant ? { tenant: opts.tenant } : {}),
          dryRun: Boolean(opts.dryRun) || !config.enforcement.auto,
        });
        const recorded = opts.dryRun || !config.enforcement.auto ? ' (dry run: nothing recorded)' : '';
        const lines = [
          `as of ${iso(summary.asOf)}: ${summary.scored} accounts scored; ${summary.escalated} escalated, ${summary.deescalated} de-escalated, ${summary.expired} expired, ${summary.held} held${recorded}`,
          ...summary.changes.map(
            (c) =>
              `  ${c.tenant}/${c.account}: ${c.kind} ${c.current} → ${c.next}${c.risk === undefined ? '' : ` (risk ${c.risk.toFixed(3)})`}: ${c.why}`,
          ),
        ];
        print(opts, summary, lines.join('\n'));
      });
    }),
  );
}
