import type { Command } from 'commander';
import { pino } from 'pino';
import { InterdictError } from '../../core/errors.js';
import { createScreener } from '../../detect/index.js';
import {
  type AccountStatus,
  createBatchingRecorder,
  createGateway,
  startGateway,
} from '../../gateway/index.js';
import { createEnforcement } from '../../policy/enforcement/index.js';
import { resolvePolicySetting } from '../../policy/tenant/load.js';
import { openStore, storeFlags } from '../../store/index.js';
import { action, commandConfig, withConfigFlag } from '../shared.js';

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
  config?: string;
}

function port(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InterdictError('INTERDICT_USAGE', '--port must be 0..65535');
  return n;
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
      .option('--preset <preset>', 'strict | balanced | permissive'),
  ).action(
    action(async (opts: ServeOptions) => {
      const upstream = {
        ...(opts.upstream ? { openai: opts.upstream, anthropic: opts.upstream } : {}),
        ...(opts.openaiUpstream ? { openai: opts.openaiUpstream } : {}),
        ...(opts.anthropicUpstream ? { anthropic: opts.anthropicUpstream } : {}),
      };
      const config = commandConfig(opts, {
        ...storeFlags(opts),
        gateway: {
          ...(opts.host ? { host: opts.host } : {}),
          ...(port(opts.port) !== undefined ? { port: port(opts.port) } : {}),
          ...(Object.keys(upstream).length ? { upstream } : {}),
          ...(opts.policy ? { policy: opts.policy } : {}),
        },
        ...(opts.preset ? { screening: { preset: opts.preset as never } } : {}),
      });
      const configFile = opts.config ?? process.env.INTERDICT_CONFIG;
      const policy = resolvePolicySetting(
        opts.policy ?? config.gateway.policy,
        opts.policy ? undefined : configFile,
      );
      // Logs carry allow-listed fields only (event id, tenant, status, action, timing): never text or keys.
      const logger = pino({ level: config.log.level, base: null, serializers: {} }, pino.destination(2));
      const store = await openStore(config.store);
      const recorder = createBatchingRecorder(
        { writeBatch: async (events) => void (await store.putEvents(events)) },
        {
          ...config.gateway.record,
          onError: (err) =>
            logger.error({ err: (err as Error)?.name }, 'event batch could not be stored; will retry'),
        },
      );
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
        policy,
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
      process.stderr.write(`interdict gateway listening on ${running.url}\n`);
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down: draining requests and flushing events');
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    }),
  );
}
