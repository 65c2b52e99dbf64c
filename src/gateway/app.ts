import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/sections/gateway.js';
import { InterdictError } from '../core/errors.js';
import type { Screener } from '../detect/screener.js';
import { createRateLimiter } from '../policy/tenant/rate-limit.js';
import { createTenantResolver } from '../policy/tenant/resolve.js';
import type { Policy } from '../policy/tenant/schema.js';
import { gatewayError } from './api-errors.js';
import { authenticate } from './auth.js';
import { type GatewayContext, finishExchange } from './context.js';
import { type ContentMode, newExchange } from './exchange.js';
import { handleModelCall, type NodeBindings } from './proxy.js';
import { errorResponse, responseHeaders, toGatewayError, upstreamHeaders } from './respond.js';
import {
  type AccountStatus,
  type ApiFamily,
  type ApiKind,
  type EventRecorder,
  NO_ACCOUNT_STATUS,
} from './types.js';
import { callUpstream, createUpstreamAgents, readUpstreamBody, upstreamTarget } from './upstream.js';
import { CallAbort } from './call-abort.js';
import { TurnQueue } from './turns.js';

export interface GatewayDeps {
  config: GatewayConfig;
  screener: Screener;
  policy: Policy;
  recorder: EventRecorder;
  accountStatus?: AccountStatus;
  logger?: Logger;
  /** How text is kept in recorded events (default `redacted`); a policy tenant's `content` wins over it. */
  contentMode?: ContentMode | ((tenant: string) => ContentMode);
  /** Environment for `env:` secrets in the policy (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface Gateway {
  app: Hono<{ Bindings: NodeBindings }>;
  context: GatewayContext;
}

const ROUTES: ReadonlyArray<[string, ApiKind]> = [
  ['/v1/chat/completions', 'chat'],
  ['/v1/responses', 'responses'],
  ['/v1/embeddings', 'embeddings'],
  ['/v1/messages', 'messages'],
];

/** Anthropic clients announce themselves with `anthropic-version` or `x-api-key`. */
function familyOfRequest(headers: NodeBindings['incoming']['headers']): ApiFamily {
  return headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined
    ? 'anthropic'
    : 'openai';
}

function pathAndQuery(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  return start === -1 ? '/' : url.slice(start);
}

/**
 * The gateway as a hono app: OpenAI Chat Completions, Responses, Embeddings and Models, and Anthropic Messages.
 * Serve it with @hono/node-server (see server.ts); it needs the node bindings (raw request/response).
 */
export function createGateway(deps: GatewayDeps): Gateway {
  const context: GatewayContext = {
    config: deps.config,
    screener: deps.screener,
    resolver: createTenantResolver(deps.policy, deps.env ?? process.env),
    rateLimiter: createRateLimiter(),
    recorder: deps.recorder,
    accountStatus: deps.accountStatus ?? NO_ACCOUNT_STATUS,
    contentMode: deps.contentMode ?? 'redacted',
    agents: createUpstreamAgents(deps.config.upstreamSockets),
    turns: new TurnQueue(),
    ...(deps.logger ? { logger: deps.logger } : {}),
  };
  const app = new Hono<{ Bindings: NodeBindings }>();

  for (const [path, kind] of ROUTES) {
    app.post(path, (c) => handleModelCall(context, c.env, kind, pathAndQuery(c.req.url)));
  }

  // Model listing is forwarded unscreened (no content), but still recorded so every request has an event.
  app.get('/v1/models/*', (c) => listModels(context, c.env, pathAndQuery(c.req.url)));
  app.get('/v1/models', (c) => listModels(context, c.env, pathAndQuery(c.req.url)));

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.notFound((c) => {
    const ex = newExchange('unknown');
    try {
      authenticate(context, c.env.incoming.headers, ex);
    } catch {
      // unknown key on an unknown route: still answer 404 and record it
    }
    c.env.incoming.resume();
    return errorResponse(
      context,
      ex,
      familyOfRequest(c.env.incoming.headers),
      gatewayError('INTERDICT_ROUTE_NOT_FOUND', `unknown route: ${c.req.method} ${c.req.path.slice(0, 100)}`),
    );
  });

  app.onError((err, c) => {
    const ex = newExchange('unknown');
    context.logger?.error({ event_id: ex.id, err: err.name }, 'unhandled gateway error');
    return errorResponse(context, ex, familyOfRequest(c.env.incoming.headers), toGatewayError(err));
  });

  return { app, context };
}

async function listModels(ctx: GatewayContext, env: NodeBindings, path: string): Promise<Response> {
  const ex = newExchange('models');
  const family = familyOfRequest(env.incoming.headers);
  const abort = new CallAbort();
  const timer = setTimeout(() => abort.abort(), ctx.config.timeouts.totalMs);
  try {
    const match = authenticate(ctx, env.incoming.headers, ex);
    const base = family === 'anthropic' ? ctx.config.upstream.anthropic : ctx.config.upstream.openai;
    const upstream = await callUpstream({
      target: upstreamTarget(base, path),
      method: 'GET',
      headers: upstreamHeaders(env.incoming.headers, family, match.tenant.upstreamKey, undefined),
      timeouts: ctx.config.timeouts,
      retries: ctx.config.retries,
      abort,
      agents: ctx.agents,
    });
    const body = await readUpstreamBody(upstream.body, ctx.config.maxResponseBytes);
    if (upstream.status >= 300) ex.reasons.push(`upstream:status=${upstream.status}`);
    ex.status = upstream.status;
    finishExchange(ctx, ex);
    return new Response(body, {
      status: upstream.status,
      headers: responseHeaders(upstream.headers, ex),
    });
  } catch (err) {
    return errorResponse(ctx, ex, family, toGatewayError(err instanceof InterdictError ? err : err));
  } finally {
    clearTimeout(timer);
  }
}
