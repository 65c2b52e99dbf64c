import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/sections/gateway.js';
import type { Screener } from '../detect/screener.js';
import type { RateLimiter } from '../policy/tenant/rate-limit.js';
import type { TenantResolver } from '../policy/tenant/resolve.js';
import type { ContentMode, Exchange, ExchangeRecord } from './exchange.js';
import { exchangeRecord, toRecordedEvent } from './exchange.js';
import type { AccountStatus, EventRecorder } from './types.js';
import type { TurnQueue } from './turns.js';
import type { UpstreamAgents } from './upstream.js';

/** Shared, read-only state of one gateway instance. */
export interface GatewayContext {
  config: GatewayConfig;
  screener: Screener;
  resolver: TenantResolver;
  rateLimiter: RateLimiter;
  recorder: EventRecorder;
  accountStatus: AccountStatus;
  logger?: Logger;
  contentMode: ContentMode | ((tenant: string) => ContentMode);
  agents: UpstreamAgents;
  /** Screenings take the request thread one loop turn each, in arrival order (turns.ts says why). */
  turns: TurnQueue;
}

/** Exchanges finished in this tick; turned into events after the responses went out (setImmediate). */
const finished: Array<[GatewayContext, Exchange]> = [];
let scheduled = false;

function drain(): void {
  scheduled = false;
  const batch = finished.splice(0);
  // A recorder that builds events itself (a recording thread) gets this tick's exchanges in one hand-over.
  const handOver = new Map<GatewayContext, ExchangeRecord[]>();
  for (const [ctx, ex] of batch) {
    if (!ctx.recorder.recordExchanges) {
      recordNow(ctx, ex);
      continue;
    }
    let records = handOver.get(ctx);
    if (!records) {
      records = [];
      handOver.set(ctx, records);
    }
    try {
      records.push(exchangeRecord(ex, ctx.contentMode));
    } catch (err) {
      ctx.logger?.error({ event_id: ex.id, err: (err as Error).name }, 'event could not be built');
      continue;
    }
    logRequest(ctx, ex, records[records.length - 1]!.tenant?.tenant ?? 'default');
  }
  for (const [ctx, records] of handOver) {
    try {
      ctx.recorder.recordExchanges!(records);
    } catch (err) {
      ctx.logger?.error(
        { err: (err as Error)?.name, events: records.length },
        'events could not be recorded',
      );
    }
  }
}

/**
 * Records an exchange exactly once. Building the event (content mode, fingerprints) runs on the next turn of the
 * event loop, after the response was handed to the socket, so it adds no latency; the recorder then batches.
 */
export function finishExchange(ctx: GatewayContext, ex: Exchange): void {
  if (ex.recorded) return;
  ex.recorded = true;
  ex.finishedMs = performance.now() - ex.started;
  finished.push([ctx, ex]);
  if (!scheduled) {
    scheduled = true;
    setImmediate(drain);
  }
}

/** Builds and records every exchange still waiting (used on shutdown before the recorder flushes). */
export function drainFinished(): void {
  drain();
}

function recordNow(ctx: GatewayContext, ex: Exchange): void {
  let event: ReturnType<typeof toRecordedEvent>;
  try {
    event = toRecordedEvent(ex, ctx.contentMode);
  } catch (err) {
    ctx.logger?.error({ event_id: ex.id, err: (err as Error).name }, 'event could not be built');
    return;
  }
  ctx.recorder.record(event).catch((err: unknown) => {
    ctx.logger?.error({ event_id: ex.id, err: (err as Error)?.name }, 'event could not be recorded');
  });
  logRequest(ctx, ex, event.tenant);
}

function logRequest(ctx: GatewayContext, ex: Exchange, tenant: string): void {
  // Allow-listed fields only: never text, keys or headers.
  ctx.logger?.info(
    {
      event_id: ex.id,
      tenant,
      kind: ex.kind,
      status: ex.status,
      action: ex.action,
      ms: Math.round((ex.finishedMs ?? 0) * 100) / 100,
    },
    'request',
  );
}
