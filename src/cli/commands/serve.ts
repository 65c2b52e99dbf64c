import cluster from 'node:cluster';
import type { Command } from 'commander';
import { type Logger, pino } from 'pino';
import type { Config } from '../../config/schema.js';
import { InterdictError } from '../../core/errors.js';
import { createScreener } from '../../detect/index.js';
import {
  type AccountStatus,
  type BatchingRecorder,
  createBatchingRecorder,
  createGateway,
  startGateway,
} from '../../gateway/index.js';
import { createThreadRecorder } from '../../gateway/record-thread.js';
import { createEnforcement } from '../../policy/enforcement/index.js';
import { resolvePolicySetting } from '../../policy/tenant/load.js';
import type { Policy, TenantSettings } from '../../policy/tenant/schema.js';
import { type EventStore, openStore, storeFlags } from '../../store/index.js';
import { action, commandConfig, withConfigFlag } from '../shared.js';
import type { ServeRecordWorkerData } from './serve-record-worker.js';
import { siblingModule } from '../../core/threads.js';

interface ServeOptions {
  port?: string;
  host?: string;
  upstream?: string;
  openaiUpstream?: string;
  anthropicUpstream?: string;
  db?: string;
  storeUrl?: string;
  policy?: string;
  preset?: string;
  workers?: string;
  /** Commander's `--no-record-thread`: false builds and writes events on the request thread. */
  recordThread?: boolean;
  config?: string;
}

function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InterdictError('INTERDICT_USAGE', `--${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}

/**
 * Rate limits are token buckets held in memory per process. With N workers behind one port (round-robin), each
 * keeps 1/N of every budget so the whole stays close to the configured rate.
 */
export function shareRateLimits(policy: Policy, workers: number): Policy {
  if (workers <= 1) return policy;
  const share = (settings: TenantSettings): TenantSettings =>
    settings.rateLimit
      ? {
          ...settings,
          rateLimit: {
            requestsPerMinute: settings.rateLimit.requestsPerMinute / workers,
            burst: Math.max(
              1,
              Math.ceil((settings.rateLimit.burst ?? settings.rateLimit.requestsPerMinute) / workers),
            ),
          },
        }
      : settings;
  const tenants: Policy['tenants'] = {};
  for (const [name, tenant] of Object.entries(policy.tenants))
    tenants[name] = { ...tenant, ...share(tenant) };
  return { ...policy, defaults: share(policy.defaults), tenants };
}

/**
 * Events are built (content mode, fingerprints, language features) and written on a recording thread by default:
 * that is about a third of the gateway's CPU per request, and SQLite commits are synchronous, so on the request
 * thread they stalled every in-flight request for the length of a batch.
 */
function createRecorder(
  config: Config,
  store: EventStore,
  logger: Logger,
  thread: boolean,
): BatchingRecorder {
  const onError = (err: unknown) =>
    logger.error({ err: (err as Error)?.name }, 'event batch could not be stored; will retry');
  if (!thread) {
    return createBatchingRecorder(
      { writeBatch: async (events) => void (await store.putEvents(events)) },
      { ...config.gateway.record, onError },
    );
  }
  const data: ServeRecordWorkerData = { store: config.store, record: config.gateway.record };
  return createThreadRecorder({
    entry: siblingModule(import.meta.url, 'serve-record-worker'),
    workerData: data,
    onError,
  });
}

async function runGateway(
  config: Config,
  policy: Policy,
  logger: Logger,
  workers: number,
  recordThread: boolean,
): Promise<void> {
  // Workers find the store already migrated by the primary.
  const store = await openStore(config.store, { migrate: workers <= 1 });
  const recorder = createRecorder(config, store, logger, recordThread);
  // The enforcement ladder (cached, expiry applied at read time) decides suspended/banned/throttled accounts.
  const enforcement = createEnforcement({ store, config: config.enforcement, monitor: config.monitor });
  const accountStatus: AccountStatus = {
    async statusOf(tenant, account) {
      const status = await enforcement.statusOf(tenant, account);
      return status.until !== undefined
        ? { level: status.level, until: new Date(status.until).toISOString() }
        : { level: status.level };
    },
  };
  const gateway = createGateway({
    config: config.gateway,
    screener: createScreener(config.screening),
    policy: shareRateLimits(policy, workers),
    recorder,
    accountStatus,
    logger,
    contentMode: (tenant) => config.store.tenants[tenant]?.content ?? config.store.content,
  });
  const running = await startGateway(gateway, {
    host: config.gateway.host,
    port: config.gateway.port,
    onClosed: async () => {
      await recorder.close();
      await store.close();
    },
  });
  logger.info(
    { url: running.url, tenants: Object.keys(policy.tenants).length, store: config.store.driver },
    'interdict gateway listening',
  );
  if (cluster.isPrimary) process.stderr.write(`interdict gateway listening on ${running.url}\n`);
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down: draining requests and flushing events');
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** Forks the workers, restarts any that dies, and on SIGTERM/SIGINT waits for all to drain and flush. */
async function runPrimary(config: Config, logger: Logger, workers: number): Promise<void> {
  await (await openStore(config.store)).close(); // migrate once, before the workers open the store
  let stopping = false;
  let announced = false;
  cluster.on('listening', (_worker, address) => {
    if (announced) return;
    announced = true;
    const host = address.address?.includes(':')
      ? `[${address.address}]`
      : (address.address ?? config.gateway.host);
    process.stderr.write(
      `interdict gateway listening on http://${host}:${address.port} (${workers} workers)\n`,
    );
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'gateway worker exited; starting another');
    cluster.fork();
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

export function registerServe(program: Command): void {
  withConfigFlag(
    program
      .command('serve')
      .description('run the screening gateway (OpenAI- and Anthropic-compatible proxy)')
      .option('-p, --port <port>', 'port to listen on (default: config gateway.port, 8787)')
      .option('--host <host>', 'interface to bind (default 127.0.0.1)')
      .option('-u, --upstream <url>', 'upstream base URL for both API families (e.g. http://127.0.0.1:11434)')
      .option(
        '--openai-upstream <url>',
        'upstream for /v1/chat/completions, /v1/responses, /v1/embeddings, /v1/models',
      )
      .option('--anthropic-upstream <url>', 'upstream for /v1/messages')
      .option('--db <path>', 'SQLite event store file')
      .option('--store-url <url>', 'PostgreSQL connection string (instead of --db)')
      .option('--policy <file>', 'tenant policy YAML (overrides gateway.policy)')
      .option('--preset <preset>', 'strict | balanced | permissive')
      .option('-w, --workers <n>', 'processes sharing the port, one per core to use (default 1)')
      .option(
        '--no-record-thread',
        'build and store events on the request thread instead of a recording thread',
      ),
  ).action(
    action(async (opts: ServeOptions) => {
      const upstream = {
        ...(opts.upstream ? { openai: opts.upstream, anthropic: opts.upstream } : {}),
        ...(opts.openaiUpstream ? { openai: opts.openaiUpstream } : {}),
        ...(opts.anthropicUpstream ? { anthropic: opts.anthropicUpstream } : {}),
      };
      const port = intOption(opts.port, 'port', 0, 65535);
      const workers = intOption(opts.workers, 'workers', 1, 64) ?? 1;
      const config = commandConfig(opts, {
        ...storeFlags(opts),
        gateway: {
          ...(opts.host ? { host: opts.host } : {}),
          ...(port !== undefined ? { port } : {}),
          ...(Object.keys(upstream).length ? { upstream } : {}),
          ...(opts.policy ? { policy: opts.policy } : {}),
        },
        ...(opts.preset ? { screening: { preset: opts.preset as never } } : {}),
      });
      const configFile = opts.config ?? process.env.INTERDICT_CONFIG;
      // Loaded in the primary too, so a broken policy fails before any worker starts.
      const policy = resolvePolicySetting(
        opts.policy ?? config.gateway.policy,
        opts.policy ? undefined : configFile,
      );
      // Logs carry allow-listed fields only (event id, tenant, status, action, timing): never text or keys.
      const logger = pino({ level: config.log.level, base: null, serializers: {} }, pino.destination(2));
      if (workers > 1 && cluster.isPrimary) await runPrimary(config, logger, workers);
      else await runGateway(config, policy, logger, workers, opts.recordThread !== false);
    }),
  );
}
