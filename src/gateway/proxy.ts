import type { IncomingMessage, ServerResponse } from 'node:http';
import { InterdictError, isInterdictError } from '../core/errors.js';
import type { ScreenContext, Span } from '../core/types.js';
import { decide, type PartForDecision } from '../policy/tenant/decide.js';
import type { TenantPolicy } from '../policy/tenant/resolve.js';
import { gatewayError } from './api-errors.js';
import { authenticate, checkAccount } from './auth.js';
import { type GatewayContext, finishExchange } from './context.js';
import { type Exchange, newExchange, partVerdict, raiseAction } from './exchange.js';
import { isJsonContentType, readBody } from '../http/body.js';
import {
  accountHintOf,
  conversationPart,
  modelOf,
  type Part,
  requestParts,
  responseParts,
  systemPromptOf,
} from './parts.js';
import { redactSpans } from './redact.js';
import { errorResponse, responseHeaders, toGatewayError, upstreamHeaders } from './respond.js';
import { streamResponse } from './stream.js';
import { type ApiKind, familyOf } from './types.js';
import { callUpstream, readUpstreamBody, upstreamTarget } from './upstream.js';
import { CallAbort } from './call-abort.js';

export interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/** Outcome of screening a list of parts for one tenant. */
interface Screened {
  /** Action to apply now (allow in shadow mode). */
  act: 'allow' | 'flag' | 'redact' | 'block' | 'review' | 'throttle';
  /** Spans to cut out of the forwarded/returned text (only when `act` is redact). */
  redact: Map<string, Span[]>;
  /** Every redactable span found, per part, whatever the decision (for recording). */
  found: Map<string, Span[]>;
}

/** Screens parts, folds the verdicts into the exchange and returns what to do (shadow mode → never act). */
export function screenParts(
  ctx: GatewayContext,
  ex: Exchange,
  tenant: TenantPolicy,
  parts: readonly Part[],
  context: ScreenContext | undefined,
): Screened {
  const screened: PartForDecision[] = [];
  let failed = false;
  for (const p of parts) {
    if (!p.text) continue;
    try {
      const verdict = ctx.screener.screen(
        context ? { text: p.text, side: p.side, context } : { text: p.text, side: p.side },
      );
      screened.push({ part: p.part, side: p.side, verdict });
      ex.verdicts.push(partVerdict(p.part, verdict));
    } catch (err) {
      failed = true;
      ex.reasons.push(
        `${p.part}:screening-failed:${isInterdictError(err) ? err.code : 'INTERDICT_INTERNAL'}`,
      );
    }
  }
  const decision = decide(tenant, ctx.screener.thresholds, screened);
  ex.score = Math.max(ex.score, decision.score);
  for (const c of decision.categories) ex.categories.add(c);
  ex.reasons.push(...decision.reasons);
  raiseAction(ex, decision.action);
  const redact = new Map<string, Span[]>();
  for (const s of screened) {
    if (!s.verdict.redactions.length) continue;
    redact.set(s.part, s.verdict.redactions);
    // Recorded text is redacted by these spans (content mode `redacted`) whatever the decision.
    if (s.side !== 'output') ex.spans.set(s.part, s.verdict.redactions);
  }
  if (failed) {
    if (tenant.failMode === 'closed' && tenant.mode === 'enforce') {
      throw new InterdictError('INTERDICT_SCREENING_FAILED', 'screening failed and the policy fails closed');
    }
    ex.reasons.push('screening-failed:fail-open');
  }
  if (tenant.mode === 'shadow') {
    ex.shadow = true;
    return { act: 'allow', redact: new Map(), found: redact };
  }
  return { act: decision.action, redact: decision.action === 'redact' ? redact : new Map(), found: redact };
}

/** Turns a stopping action into the API-format refusal; undefined when the call may proceed. */
export function refusalFor(act: Screened['act'], tenant: TenantPolicy) {
  if (act === 'block') return gatewayError('INTERDICT_BLOCKED', tenant.messages.block);
  if (act === 'review')
    return gatewayError('INTERDICT_HELD_FOR_REVIEW', tenant.messages.review, tenant.reviewStatus);
  if (act === 'throttle') return gatewayError('INTERDICT_THROTTLED', tenant.messages.throttle);
  return undefined;
}

export async function handleModelCall(
  ctx: GatewayContext,
  env: NodeBindings,
  kind: ApiKind,
  pathAndQuery: string,
): Promise<Response> {
  const family = familyOf(kind);
  const ex = newExchange(kind);
  const { incoming, outgoing } = env;
  ex.ip = incoming.socket.remoteAddress;
  const ua = incoming.headers['user-agent'];
  if (ua) ex.userAgent = ua.slice(0, 200);
  const abort = new CallAbort();
  let streaming = false;
  const onClose = () => {
    if (!outgoing.writableFinished) {
      if (!abort.aborted) ex.reasons.push('client-disconnected');
      abort.abort();
    }
  };
  outgoing.once('close', onClose);
  let total: NodeJS.Timeout | undefined;
  try {
    const match = authenticate(ctx, incoming.headers, ex);
    const tenant = match.tenant;
    if (!isJsonContentType(incoming.headers['content-type'])) {
      throw new InterdictError('INTERDICT_UNSUPPORTED_MEDIA', 'content-type must be application/json');
    }
    const raw = await readBody(incoming, ctx.config.maxBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new InterdictError('INTERDICT_INPUT_BAD_JSON', 'request body is not valid JSON');
    }
    ex.model = modelOf(body);
    const headerAccount = incoming.headers['x-interdict-account'];
    ex.account =
      match.account ??
      (typeof headerAccount === 'string' && headerAccount ? headerAccount.slice(0, 200) : undefined) ??
      accountHintOf(body) ??
      `key:${match.keyId}`;
    const conversation = incoming.headers['x-interdict-conversation'];
    if (typeof conversation === 'string' && conversation) ex.conversation = conversation.slice(0, 200);
    await checkAccount(ctx, ex, tenant);

    const parts = requestParts(kind, body);
    ex.inputParts = parts;
    const conv = conversationPart(parts, ctx.config.conversationTurns);
    // Only context that changes a verdict goes to the screener (the system prompt, for prompt-echo in the
    // completion); tenant thresholds are applied by `decide`. Context-free texts are served from the screener's
    // LRU verdict cache, so what every request re-sends (the system prompt, earlier turns, the same tool
    // documents) is screened once, not on every call.
    const systemPrompt = systemPromptOf(parts);
    const outputContext: ScreenContext | undefined = systemPrompt ? { systemPrompt } : undefined;
    await ctx.turns.take();
    const input = screenParts(ctx, ex, tenant, conv ? [...parts, conv] : parts, undefined);
    const refusal = refusalFor(input.act, tenant);
    if (refusal) return errorResponse(ctx, ex, family, refusal);
    let forward = raw;
    if (input.act === 'redact') {
      for (const p of parts) {
        const spans = input.redact.get(p.part);
        if (spans && p.set) p.set(redactSpans(p.text, spans));
      }
      forward = Buffer.from(JSON.stringify(body));
    }

    const base = kind === 'messages' ? ctx.config.upstream.anthropic : ctx.config.upstream.openai;
    const target = upstreamTarget(base, pathAndQuery);
    total = setTimeout(() => {
      ex.reasons.push('upstream:total-timeout');
      abort.abort();
    }, ctx.config.timeouts.totalMs);
    const upstream = await callUpstream({
      target,
      method: 'POST',
      headers: upstreamHeaders(incoming.headers, family, tenant.upstreamKey, forward.length),
      body: forward,
      timeouts: ctx.config.timeouts,
      retries: ctx.config.retries,
      abort,
      agents: ctx.agents,
    });
    if (upstream.attempts > 1) ex.reasons.push(`upstream:attempts=${upstream.attempts}`);
    const contentType = upstream.headers['content-type'] ?? '';
    if (upstream.status < 300 && contentType.startsWith('text/event-stream') && kind !== 'embeddings') {
      streaming = true;
      return streamResponse(ctx, ex, kind, tenant, upstream, abort, total, outputContext);
    }
    const buffer = await readUpstreamBody(upstream.body, ctx.config.maxResponseBytes);
    clearTimeout(total);
    if (upstream.status >= 300 || kind === 'embeddings') {
      if (upstream.status >= 300) ex.reasons.push(`upstream:status=${upstream.status}`);
      ex.status = upstream.status;
      finishExchange(ctx, ex);
      return new Response(buffer, {
        status: upstream.status,
        headers: responseHeaders(upstream.headers, ex),
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(buffer.toString('utf8'));
    } catch {
      if (tenant.failMode === 'closed' && tenant.mode === 'enforce') {
        throw new InterdictError('INTERDICT_UPSTREAM_ERROR', 'upstream response is not valid JSON');
      }
      ex.reasons.push('upstream:response-not-json:fail-open');
      ex.status = upstream.status;
      finishExchange(ctx, ex);
      return new Response(buffer, {
        status: upstream.status,
        headers: responseHeaders(upstream.headers, ex),
      });
    }
    const outputs = responseParts(kind, json);
    ex.completion = outputs.map((p) => p.text).join('\n');
    await ctx.turns.take();
    const output = screenParts(ctx, ex, tenant, outputs, outputContext);
    const outRefusal = refusalFor(output.act, tenant);
    if (outRefusal) return errorResponse(ctx, ex, family, outRefusal);
    let at = 0;
    for (const p of outputs) {
      const found = output.found.get(p.part);
      if (found) for (const s of found) ex.completionSpans.push({ start: s.start + at, end: s.end + at });
      const spans = output.redact.get(p.part);
      if (spans && p.set) p.set(redactSpans(p.text, spans));
      at += p.text.length + 1;
    }
    ex.status = upstream.status;
    finishExchange(ctx, ex);
    const out = output.redact.size ? JSON.stringify(json) : buffer;
    return new Response(out, { status: upstream.status, headers: responseHeaders(upstream.headers, ex) });
  } catch (err) {
    if (total) clearTimeout(total);
    if (abort.aborted && ex.reasons.includes('upstream:total-timeout')) {
      return errorResponse(
        ctx,
        ex,
        family,
        gatewayError('INTERDICT_UPSTREAM_TIMEOUT', 'upstream exceeded the total time limit'),
      );
    }
    return errorResponse(ctx, ex, family, toGatewayError(err));
  } finally {
    if (!streaming) outgoing.off('close', onClose);
  }
}
