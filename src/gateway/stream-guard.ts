import type { Span } from '../core/types.js';
import type { GatewayError } from './api-errors.js';
import { REDACTION_MARK, redactSpans } from './redact.js';
import { type SseEvent, serializeEvent, streamTextSlots, type TextSlot } from './sse.js';
import type { ApiKind } from './types.js';

/** What screening one window of completion text concluded. */
export type WindowOutcome = (
  | { kind: 'release' }
  /** Release after redacting these spans (offsets into the screened window text). */
  | { kind: 'redact'; spans: Span[] }
  | { kind: 'cut'; error: GatewayError }
) & {
  /** Redactable spans found in the window whatever the decision (recorded text is redacted by them). */
  found?: Span[];
};

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
  /** Most completion characters kept for recording (the stream itself is not limited). */
  maxCompletionChars: number;
}

interface Queued {
  event: SseEvent;
  data?: unknown;
  slots: TextSlot[];
  /** Offset of this event's first slot in the pending text. */
  start: number;
}

function slotLength(item: Queued): number {
  let n = 0;
  for (const slot of item.slots) n += slot.text.length;
  return n;
}

/** Length of the prefix ending with the last whitespace character (0 when there is none). */
function lastBoundary(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) return i + 1;
  }
  return 0;
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
  /** Completion characters released so far (the offset of pending text in the completion). */
  private releasedChars = 0;
  /** Whole completion text seen so far (for recording and the monitor-mode screen). */
  completion = '';
  /** Original strings already redacted, replaced again in later events that repeat them (e.g. `.done` events). */
  private readonly redacted: string[] = [];
  cut: GatewayError | undefined;
  windows = 0;
  /** The recorded completion hit `maxCompletionChars`. */
  truncated = false;
  /** Secret/PII spans found in the completion (absolute offsets), for recording it redacted. */
  readonly foundSpans: Span[] = [];

  constructor(private readonly options: StreamGuardOptions) {}

  /** Feeds one upstream event. Returns false once the stream has been cut. */
  push(event: SseEvent): boolean {
    return this.pushAll([event]);
  }

  /**
   * Feeds upstream events that arrived together and screens what they add at most once: under load the gateway
   * hands a stream its events a turn at a time (turns.ts), so a busy gateway screens bigger windows, and fewer.
   * When such a batch must be cut, it is replayed event by event first, so the clean text before the harmful
   * part still reaches the client, as it would have from a gateway with time to spare. Returns false once the
   * stream has been cut.
   */
  pushAll(events: readonly SseEvent[]): boolean {
    if (this.cut) return false;
    if (this.options.mode === 'monitor') {
      for (const event of events) this.enqueue(event, true);
      return true;
    }
    if (events.length <= 1) return events.length === 0 || this.pushOne(events[0]!, true);
    const queued = this.queue.length;
    const before = this.pending.length;
    let added = false;
    for (const event of events) if (this.enqueue(event, true)) added = true;
    if (!this.due(added)) return true;
    const context = this.context();
    const outcome = this.options.screenWindow(context + this.pending, context.length);
    this.windows++;
    if (outcome.kind !== 'cut') {
      this.apply(outcome, context, false);
      return !this.cut;
    }
    const replay = this.queue.splice(queued).map((item) => item.event);
    this.pending = this.pending.slice(0, before);
    for (const event of replay) if (!this.pushOne(event, false)) break;
    if (!this.cut) this.apply(outcome, context, false); // the replay's windows missed what the batch showed
    return false;
  }

  /** One event, screened as soon as a window is due (the per-event path). */
  private pushOne(event: SseEvent, record: boolean): boolean {
    const added = this.enqueue(event, record);
    if (this.due(added)) this.screenPending();
    return !this.cut;
  }

  /** Whether the pending text makes a window now; releases queued events that carry no text at all. */
  private due(added: boolean): boolean {
    if (this.queue.length === 0) return false;
    if (this.pending.length === 0) {
      this.releaseQueue();
      return false;
    }
    const threshold = this.released.length === 0 ? this.options.firstWindowChars : this.options.windowChars;
    return (
      this.pending.length >= threshold ||
      (added && SENTENCE_END.test(this.pending) && this.pending.length >= 8)
    );
  }

  /** Recent released text screened with each window (none when contextChars is 0). */
  private context(): string {
    // slice(-0) would be the whole string: no context must mean none, not the whole released completion.
    return this.options.contextChars > 0 ? this.released.slice(-this.options.contextChars) : '';
  }

  /**
   * Queues one event (no-leak) or writes it (monitor); true when it carried completion text. `record` false:
   * a replayed event, already in the recorded completion.
   */
  private enqueue(event: SseEvent, record: boolean): boolean {
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
    // The recorded copy is bounded; screening windows are not affected by the bound.
    if (record) {
      if (this.completion.length < this.options.maxCompletionChars) this.completion += text;
      else this.truncated = true;
    }
    if (mode === 'monitor') {
      this.options.write(event.raw);
      return text.length > 0;
    }
    this.queue.push({ event, data, slots, start: this.pending.length });
    this.pending += text;
    return text.length > 0;
  }

  /** The upstream ended: screen what is left and release it. */
  end(): void {
    if (this.cut || this.options.mode === 'monitor') return;
    if (this.pending.length > 0) this.screenPending(true);
    else this.releaseQueue();
  }

  /**
   * Screens the pending text (with recent released text as context) and releases what is clean. Unless the
   * stream ended, a trailing partial word stays held for the next window, so a secret or a phrase is never
   * released half-screened (the window boundary falls on whitespace, at event granularity).
   */
  private screenPending(final = false): void {
    const context = this.context();
    const outcome = this.options.screenWindow(context + this.pending, context.length);
    this.windows++;
    this.apply(outcome, context, final);
  }

  /** Applies a window's outcome: cut the stream, or release what is clean (redacted where needed). */
  private apply(outcome: WindowOutcome, context: string, final: boolean): void {
    if (outcome.kind === 'cut') {
      this.cut = outcome.error;
      this.queue.length = 0;
      this.pending = '';
      return;
    }
    const base = this.releasedChars;
    if (outcome.found && !this.truncated) {
      for (const s of outcome.found) {
        const start = base + s.start - context.length;
        if (s.end - context.length > 0)
          this.foundSpans.push({ start: Math.max(base, start), end: base + s.end - context.length });
      }
    }
    const spans =
      outcome.kind === 'redact'
        ? outcome.spans
            .map((s) => ({ start: s.start - context.length, end: s.end - context.length }))
            .filter((s) => s.end > 0)
        : [];
    let count = this.queue.length;
    if (!final && this.pending.length < this.options.windowChars * 4) {
      let cut = lastBoundary(this.pending);
      // A redaction span that crosses the boundary holds back from where the span starts.
      for (const span of spans) if (span.start < cut && span.end > cut) cut = Math.max(0, span.start);
      count = this.queue.findIndex((item) => item.start + slotLength(item) > cut);
      if (count === -1) count = this.queue.length;
    }
    if (count === 0) return; // one long token so far: wait for more text
    const upTo = count < this.queue.length ? this.queue[count]!.start : this.pending.length;
    const head = spans.filter((s) => s.start < upTo);
    if (head.length) this.rewrite(head, count);
    this.released += this.pending.slice(0, upTo);
    this.releasedChars += upTo;
    if (this.released.length > this.options.contextChars * 2) {
      this.released = context.length ? this.released.slice(-this.options.contextChars) : '';
    }
    this.pending = this.pending.slice(upTo);
    for (const item of this.queue.slice(count)) item.start -= upTo;
    this.releaseQueue(count);
  }

  /** Redacts spans of the pending text inside the queued events that carry it. */
  private rewrite(spans: Span[], count: number): void {
    for (const span of spans) {
      const original = this.pending.slice(Math.max(0, span.start), span.end);
      if (original.length >= 4) this.redacted.push(JSON.stringify(original).slice(1, -1));
    }
    for (const item of this.queue.slice(0, count)) {
      if (!item.slots.length) continue;
      let at = item.start;
      let changed = false;
      for (const slot of item.slots) {
        const end = at + slot.text.length;
        const local = spans.filter((s) => s.start < end && s.end > at);
        if (local.length) {
          // One marker per span, in the slot where it starts; later slots just drop the rest of it.
          let text = slot.text;
          for (const s of [...local].sort((a, b) => b.start - a.start)) {
            const from = Math.max(0, s.start - at);
            const to = Math.min(slot.text.length, s.end - at);
            text = redactSpans(text, [{ start: from, end: to }], s.start >= at ? REDACTION_MARK : '');
          }
          slot.set(text);
          changed = true;
        }
        at = end;
      }
      if (changed) item.event = { ...item.event, raw: serializeEvent(item.event.event, item.data) };
    }
  }

  private releaseQueue(count = this.queue.length): void {
    for (let i = 0; i < count; i++) {
      let raw = this.queue[i]!.event.raw;
      for (const original of this.redacted) {
        if (raw.includes(original)) raw = raw.split(original).join('[REDACTED]');
      }
      this.options.write(raw);
    }
    this.queue.splice(0, count);
  }
}
