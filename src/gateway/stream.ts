import type { PartVerdict } from '../core/event.js';
import { isInterdictError } from '../core/errors.js';
import type { ScreenContext, Verdict } from '../core/types.js';
import type { TenantPolicy } from '../policy/tenant/resolve.js';
import { gatewayError, streamErrorEvent } from './api-errors.js';
import { type GatewayContext, finishExchange } from './context.js';
import { type Exchange, mergePartVerdict, partVerdict } from './exchange.js';
import { refusalFor, screenParts } from './proxy.js';
import { decisionHeaders, passHeaders } from './respond.js';
import { type SseEvent, SseParser } from './sse.js';
import { StreamGuard, type WindowOutcome } from './stream-guard.js';
import type { ApiKind } from './types.js';
import type { UpstreamResponse } from './upstream.js';
import type { CallAbort } from './call-abort.js';
import { decide, strongerAction } from '../policy/tenant/decide.js';

const encoder = new TextEncoder();

/**
 * Relays an upstream SSE stream. In `no-leak` mode completion text reaches the client only after its window was
 * screened; a violation ends the stream with the API's own error event and aborts the upstream call. In
 * `monitor` mode events pass at once and the whole completion is screened when the stream ends.
 */
export function streamResponse(
  ctx: GatewayContext,
  ex: Exchange,
  kind: ApiKind,
  tenant: TenantPolicy,
  upstream: UpstreamResponse,
  abort: CallAbort,
  total: NodeJS.Timeout,
  /** Verdict-relevant context for the completion (the system prompt), if any. */
  context: ScreenContext | undefined,
): Response {
  const mode = tenant.streaming;
  let response: PartVerdict | undefined;
  let sequence = 0;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let done = false;

  const screenWindow = (text: string): WindowOutcome => {
    let verdict: Verdict;
    try {
      verdict = ctx.screener.screen(context ? { text, side: 'output', context } : { text, side: 'output' });
    } catch (err) {
      ex.reasons.push(`response:screening-failed:${isInterdictError(err) ? err.code : 'INTERDICT_INTERNAL'}`);
      if (tenant.failMode === 'closed' && tenant.mode === 'enforce') {
        return {
          kind: 'cut',
          error: gatewayError('INTERDICT_SCREENING_FAILED', 'screening failed and the policy fails closed'),
        };
      }
      return { kind: 'release' };
    }
    response = mergePartVerdict(response, partVerdict('response', verdict));
    const decision = decide(tenant, ctx.screener.thresholds, [{ part: 'response', side: 'output', verdict }]);
    ex.score = Math.max(ex.score, decision.score);
    for (const c of decision.categories) ex.categories.add(c);
    for (const r of decision.reasons)
      if (!ex.reasons.includes(r) && ex.reasons.length < 64) ex.reasons.push(r);
    ex.action = strongerAction(ex.action, decision.action);
    const found = verdict.redactions;
    if (tenant.mode === 'shadow') {
      ex.shadow = true;
      return { kind: 'release', found };
    }
    const refusal = refusalFor(decision.action, tenant);
    if (refusal) {
      return { kind: 'cut', error: gatewayError('INTERDICT_BLOCKED', tenant.messages.block, refusal.status) };
    }
    if (decision.action === 'redact') return { kind: 'redact', spans: verdict.redactions, found };
    return { kind: 'release', found };
  };

  const write = (chunk: string) => {
    if (done) return;
    sequence++;
    controller.enqueue(encoder.encode(chunk));
    if ((controller.desiredSize ?? 1) <= 0) upstream.body.pause();
  };

  const guard = new StreamGuard({
    kind,
    mode,
    firstWindowChars: ctx.config.stream.firstWindowChars,
    windowChars: ctx.config.stream.windowChars,
    contextChars: ctx.config.stream.contextChars,
    screenWindow,
    write,
    maxCompletionChars: ctx.config.maxResponseBytes,
  });

  const finish = (reason?: string) => {
    if (done) return;
    clearTimeout(total);
    if (reason && !ex.reasons.includes(reason)) ex.reasons.push(reason);
    ex.completion = guard.completion;
    if (mode === 'monitor' && guard.completion) {
      // Screen what was already released, to record it (never cuts).
      const text = guard.completion.slice(-Math.floor(ctx.screener.config.maxBytes / 3));
      try {
        const result = screenParts(
          ctx,
          ex,
          { ...tenant, mode: 'shadow' },
          [{ part: 'response', side: 'output', role: 'assistant', text }],
          context,
        );
        const offset = guard.completion.length - text.length;
        for (const s of result.found.get('response') ?? []) {
          ex.completionSpans.push({ start: s.start + offset, end: s.end + offset });
        }
        ex.shadow = tenant.mode === 'shadow';
      } catch {
        ex.reasons.push('response:screening-failed');
      }
    } else {
      if (response) ex.verdicts.push(response);
      ex.completionSpans.push(...guard.foundSpans);
    }
    if (guard.windows) ex.reasons.push(`stream:windows=${guard.windows}`);
    if (guard.truncated) ex.reasons.push('stream:record-truncated');
    finishExchange(ctx, ex);
    done = true;
  };

  const failStream = (
    code: 'INTERDICT_UPSTREAM_ERROR' | 'INTERDICT_UPSTREAM_TIMEOUT',
    message: string,
    reason: string,
  ) => {
    if (done) return;
    write(streamErrorEvent(kind, gatewayError(code, message), sequence));
    finish(reason);
    controller.close();
  };

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      const parser = new SseParser();
      const body = upstream.body;
      body.setEncoding('utf8');
      // A stream that stalls for idleMs is ended as a timeout (the total limit alone could hold it for minutes).
      const idleMs = ctx.config.timeouts.idleMs;
      const onIdle = () => {
        if (done) return;
        if (body.isPaused()) {
          idle = setTimeout(onIdle, idleMs); // the client is slow, not the upstream
          return;
        }
        ex.reasons.push('upstream:idle-timeout');
        abort.abort();
      };
      let idle = setTimeout(onIdle, idleMs);
      body.on('close', () => clearTimeout(idle));
      // No-leak screening is CPU work on the request thread: the events that arrive while a stream waits for its
      // turn (turns.ts) are screened together on it, so a busy gateway screens fewer, bigger windows and keeps
      // accepting connections. Monitor mode only records: its events pass at once.
      let waiting: SseEvent[] = [];
      let turnTaken = false;
      let ended = false;
      const cutNow = () => {
        write(streamErrorEvent(kind, guard.cut!, sequence));
        finish('stream:cut');
        controller.close();
        abort.abort();
      };
      const endNow = () => {
        guard.end();
        if (guard.cut) {
          write(streamErrorEvent(kind, guard.cut, sequence));
          finish('stream:cut');
        } else finish();
        controller.close();
      };
      const onTurn = () => {
        turnTaken = false;
        if (done) return;
        const events = waiting;
        waiting = [];
        guard.pushAll(events);
        if (guard.cut) cutNow();
        else if (ended) endNow();
      };
      const feed = (events: SseEvent[]) => {
        if (mode === 'monitor') {
          guard.pushAll(events);
          return;
        }
        for (const event of events) waiting.push(event);
        if (!turnTaken) {
          turnTaken = true;
          void ctx.turns.take().then(onTurn);
        }
      };
      body.on('data', (chunk: string) => {
        if (done) return;
        idle.refresh();
        feed(parser.push(chunk));
      });
      body.on('end', () => {
        if (done) return;
        ended = true;
        feed(parser.flush());
        if (mode === 'monitor') endNow();
      });
      body.on('close', () => {
        // After a normal end the last events may still wait for their turn; that turn finishes the stream.
        if (done || ended) return;
        if (ex.reasons.includes('upstream:idle-timeout')) {
          failStream('INTERDICT_UPSTREAM_TIMEOUT', 'upstream stream stalled', 'upstream:stream-stalled');
        } else if (ex.reasons.includes('upstream:total-timeout')) {
          failStream(
            'INTERDICT_UPSTREAM_TIMEOUT',
            'upstream exceeded the total time limit',
            'upstream:stream-timeout',
          );
        } else if (abort.aborted) {
          finish('stream:aborted');
          try {
            controller.close();
          } catch {
            // already cancelled by the client
          }
        } else
          failStream(
            'INTERDICT_UPSTREAM_ERROR',
            'upstream stream ended unexpectedly',
            'upstream:stream-broken',
          );
      });
      body.on('error', () => {
        // 'close' follows and reports the failure.
      });
    },
    pull() {
      upstream.body.resume();
    },
    cancel() {
      if (!ex.reasons.includes('client-disconnected')) ex.reasons.push('client-disconnected');
      abort.abort();
      finish();
    },
  });

  ex.status = upstream.status;
  const headers = {
    ...passHeaders(upstream.headers),
    'cache-control': 'no-cache',
    ...decisionHeaders(ex),
    'x-interdict-streaming': mode,
  };
  return new Response(stream, { status: upstream.status, headers });
}
