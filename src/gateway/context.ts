import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/sections/gateway.js';
import type { Screener } from '../detect/screener.js';
import type { RateLimiter } from '../policy/tenant/rate-limit.js';
import type { TenantResolver } from '../policy/tenant/resolve.js';
import type { ContentMode, Exchange } from './exchange.js';
import { toRecordedEvent } from './exchange.js';
import type { AccountStatus, EventRecorder } from './types.js';

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
}

/** Records an exchange exactly once, off the request path (the recorder batches). Never throws. */
export function finishExchange(ctx: GatewayContext, ex: Exchange): void {
  if (ex.recorded) return;
  ex.recorded = true;
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
  // Allow-listed fields only: never text, keys or headers.
  ctx.logger?.info(
    {
      event_id: ex.id,
      tenant: event.tenant,
      kind: ex.kind,
      status: ex.status,
      action: ex.action,
      ms: Math.round((performance.now() - ex.started) * 100) / 100,
    },
    'request',
  );
}
