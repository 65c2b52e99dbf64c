import type { Span } from '../core/types.js';
import type { GatewayError } from './api-errors.js';
import { redactSpans } from './redact.js';
import { type SseEvent, serializeEvent, streamTextSlots, type TextSlot } from './sse.js';
import type { ApiKind } from './types.js';

/** What screening one window of completion text concluded. */
export type WindowOutcome =
  | { kind: 'release' }
  /** Release after redacting these spans (offsets into the screened window text). */
  | { kind: 'redact'; spans: Span[] }
  | { kind: 'cut'; error: GatewayError };

export interface StreamGuardOptions {
  kind: ApiKind;
  mode: 'no-leak' | 'monitor';
  firstWindowChars: number;
  windowChars: number;
  contextChars: number;
  /** Screens `text` (released context + pending text); `contextLength` chars at its start were already released. */
  screenWindow(text: string, contextLength: number): WindowOutcome;
  /** Sends bytes to the client. */
  write(chunk: string): void;
}

interface Queued {
  event: SseEvent;
  data?: unknown;
  slots: TextSlot[];
  /** Offset of this event's first slot in the pending text. */
  start: number;
}

const SENTENCE_END = /[.!?;:\n。！？]["')\]]?\s*$/;

/**
 * Holds completion events until the text they carry has been screened (no-leak), or passes them straight
 * through (monitor). Events keep their order: a non-text event queued behind text waits for that text.
 */
export class StreamGuard {
  private readonly queue: Queued[] = [];
  private pending = '';
  private released = '';
  /** Whole completion text seen so far (for recording and the monitor-mode screen). */
  completion = '';
  /** Original strings already redacted, replaced again in later events that repeat them (e.g. `.done` events). */
  private readonly redacted: string[] = [];
  cut: GatewayError | undefined;
  windows = 0;

  constructor(private readonly options: StreamGuardOptions) {}

  /** Feeds one upstream event. Returns false once the stream has been cut. */
  push(event: SseEvent): boolean {
    if (this.cut) return false;
    const { kind, mode } = this.options;
    let data: unknown;
    let slots: TextSlot[] = [];
    if (event.data && event.data !== '[DONE]' && event.data.charCodeAt(0) === 123 /* { */) {
      try {
        data = JSON.parse(event.data);
        slots = streamTextSlots(kind, data);
      } catch {
        data = undefined;
      }
    }
    let text = '';
    for (const slot of slots) text += slot.text;
    this.completion += text;
    if (mode === 'monitor') {
      this.options.write(event.raw);
      return true;
    }
    this.queue.push({ event, data, slots, start: this.pending.length });
    this.pending += text;
    if (this.pending.length === 0) {
      this.releaseQueue();
      return true;
    }
    const threshold = this.released.length === 0 ? this.options.firstWindowChars : this.options.windowChars;
    if (
      this.pending.length >= threshold ||
      (text && SENTENCE_END.test(this.pending) && this.pending.length >= 8)
    ) {
      this.screenPending();
    }
    return !this.cut;
  }

  /** The upstream ended: screen what is left and release it. */
  end(): void {
    if (this.cut || this.options.mode === 'monitor') return;
    if (this.pending.length > 0) this.screenPending();
    else this.releaseQueue();
  }

  private screenPending(): void {
    const context = this.released.slice(-this.options.contextChars);
    const outcome = this.options.screenWindow(context + this.pending, context.length);
    this.windows++;
    if (outcome.kind === 'cut') {
      this.cut = outcome.error;
      this.queue.length = 0;
      this.pending = '';
      return;
    }
    if (outcome.kind === 'redact') {
      const spans = outcome.spans
        .map((s) => ({ start: s.start - context.length, end: s.end - context.length }))
        .filter((s) => s.end > 0);
      if (spans.length) this.rewrite(spans);
    }
    this.released += this.pending;
    if (this.released.length > this.options.contextChars * 2)
      this.released = this.released.slice(-this.options.contextChars);
    this.pending = '';
    this.releaseQueue();
  }

  /** Redacts spans of the pending text inside the queued events that carry it. */
  private rewrite(spans: Span[]): void {
    for (const span of spans) {
      const original = this.pending.slice(Math.max(0, span.start), span.end);
      if (original.length >= 4) this.redacted.push(JSON.stringify(original).slice(1, -1));
    }
    for (const item of this.queue) {
      if (!item.slots.length) continue;
      let at = item.start;
      let changed = false;
      for (const slot of item.slots) {
        const end = at + slot.text.length;
        const local = spans
          .filter((s) => s.start < end && s.end > at)
          .map((s) => ({ start: Math.max(0, s.start - at), end: Math.min(slot.text.length, s.end - at) }));
        if (local.length) {
          slot.set(redactSpans(slot.text, local));
          changed = true;
        }
        at = end;
      }
      if (changed) item.event = { ...item.event, raw: serializeEvent(item.event.event, item.data) };
    }
  }

  private releaseQueue(): void {
    for (const item of this.queue) {
      let raw = item.event.raw;
      for (const original of this.redacted) {
        if (raw.includes(original)) raw = raw.split(original).join('[REDACTED]');
      }
      this.options.write(raw);
    }
    this.queue.length = 0;
  }
}
