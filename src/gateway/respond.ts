import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { type ErrorCode, isInterdictError } from '../core/errors.js';
import { errorBody, type GatewayError, gatewayError } from './api-errors.js';
import { type GatewayContext, finishExchange } from './context.js';
import { type Exchange, raiseAction } from './exchange.js';
import type { ApiFamily } from './types.js';

export const DECISION_HEADER = 'x-interdict-decision';
export const EVENT_ID_HEADER = 'x-interdict-event-id';

/** Headers every gateway response carries: the decision and the id that finds the recorded event. */
export function decisionHeaders(ex: Exchange): Record<string, string> {
  const headers: Record<string, string> = { [DECISION_HEADER]: ex.action, [EVENT_ID_HEADER]: ex.id };
  if (ex.shadow) headers['x-interdict-mode'] = 'shadow';
  return headers;
}

/** Upstream response headers worth passing on (content type, request ids, rate-limit info). */
export function passHeaders(upstream: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined) continue;
    if (
      name === 'content-type' ||
      name === 'x-request-id' ||
      name === 'request-id' ||
      name === 'retry-after' ||
      name === 'openai-processing-ms' ||
      name === 'openai-version' ||
      name.startsWith('x-ratelimit-') ||
      name.startsWith('anthropic-ratelimit-')
    ) {
      out[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return out;
}

/**
 * passHeaders and decisionHeaders in one object, in that order: what `{ ...passHeaders(u), ...decisionHeaders(ex) }`
 * gives, without the two throw-away objects and the copies (this runs on every proxied response).
 */
export function responseHeaders(upstream: IncomingHttpHeaders, ex: Exchange): Record<string, string> {
  const out = passHeaders(upstream);
  out[DECISION_HEADER] = ex.action;
  out[EVENT_ID_HEADER] = ex.id;
  if (ex.shadow) out['x-interdict-mode'] = 'shadow';
  return out;
}

/** Client headers forwarded upstream; hop-by-hop headers, cookies and our own never are. */
const FORWARD = [
  'authorization',
  'x-api-key',
  'anthropic-version',
  'anthropic-beta',
  'openai-organization',
  'openai-project',
  'openai-beta',
  'accept',
  'idempotency-key',
] as const;

export function upstreamHeaders(
  client: IncomingHttpHeaders,
  family: ApiFamily,
  upstreamKey: string | undefined,
  bodyLength: number | undefined,
): OutgoingHttpHeaders {
  const out: Record<string, string | string[] | number> = {};
  for (const name of FORWARD) {
    const value = client[name];
    if (value !== undefined) out[name] = value as string | string[];
  }
  if (upstreamKey) {
    delete out.authorization;
    delete out['x-api-key'];
    if (family === 'anthropic') out['x-api-key'] = upstreamKey;
    else out.authorization = `Bearer ${upstreamKey}`;
  }
  if (bodyLength !== undefined) {
    out['content-type'] = 'application/json';
    out['content-length'] = bodyLength;
  }
  return out;
}

/** Maps anything thrown while handling a call to an API-format error, and counts it as the event's outcome. */
export function toGatewayError(err: unknown): GatewayError {
  if (isInterdictError(err)) return gatewayError(err.code, err.message, err.status);
  return gatewayError('INTERDICT_INTERNAL');
}

const KEEP_ACTION: ReadonlySet<ErrorCode> = new Set([
  'INTERDICT_UPSTREAM_ERROR',
  'INTERDICT_UPSTREAM_TIMEOUT',
]);

export function errorResponse(
  ctx: GatewayContext,
  ex: Exchange,
  family: ApiFamily,
  err: GatewayError,
): Response {
  // A refused request counts as blocked; an upstream failure keeps the policy decision it had.
  if (!KEEP_ACTION.has(err.code) && ex.action !== 'throttle' && ex.action !== 'review')
    raiseAction(ex, 'block');
  if (!ex.reasons.includes(`error:${err.code}`)) ex.reasons.push(`error:${err.code}`);
  ex.status = err.status;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-interdict-error-code': err.code,
    ...decisionHeaders(ex),
  };
  finishExchange(ctx, ex);
  return new Response(errorBody(family, err), { status: err.status, headers });
}
