import type { ApiKind } from './types.js';

/** One server-sent event as received: `raw` is passed through byte-for-byte when nothing changes. */
export interface SseEvent {
  raw: string;
  event?: string;
  data: string;
}

/** Incremental SSE parser (text/event-stream). Push decoded text, get complete events. */
export class SseParser {
  private buffer = '';

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    if (this.buffer.includes('\r'))
      this.buffer = this.buffer.replace(/\r\n?/g, (m, offset: number, all: string) =>
        // A trailing lone \r may be the first half of a \r\n split across chunks: keep it for the next push.
        m === '\r' && offset === all.length - 1 ? '\r' : '\n',
      );
    const out: SseEvent[] = [];
    let end = this.buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event = parseBlock(block);
      if (event) out.push(event);
      end = this.buffer.indexOf('\n\n');
    }
    return out;
  }

  /** Whatever is left when the stream ends without a final blank line. */
  flush(): SseEvent[] {
    const rest = this.buffer.replace(/\r$/, '');
    this.buffer = '';
    if (!rest.trim()) return [];
    const event = parseBlock(rest);
    return event ? [event] : [];
  }
}

function parseBlock(block: string): SseEvent | undefined {
  let event: string | undefined;
  let data: string | undefined;
  for (const line of block.split('\n')) {
    if (line.startsWith('data:')) {
      const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
      data = data === undefined ? value : `${data}\n${value}`;
    } else if (line.startsWith('event:')) {
      event = line.slice(line.charCodeAt(6) === 32 ? 7 : 6);
    }
    // Comments (":") and id:/retry: lines are kept in `raw` only.
  }
  if (data === undefined && event === undefined) return { raw: `${block}\n\n`, data: '' };
  return { raw: `${block}\n\n`, data: data ?? '', ...(event !== undefined ? { event } : {}) };
}

export function serializeEvent(event: string | undefined, data: unknown): string {
  return `${event !== undefined ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

/** A piece of completion text inside a stream event, with a setter for redaction. */
export interface TextSlot {
  text: string;
  set(text: string): void;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Completion text carried by one parsed stream event (message deltas and tool-call argument deltas). */
export function streamTextSlots(kind: ApiKind, data: unknown): TextSlot[] {
  if (!isObject(data)) return [];
  const slots: TextSlot[] = [];
  if (kind === 'chat') {
    if (!Array.isArray(data.choices)) return slots;
    for (const choice of data.choices) {
      if (!isObject(choice) || !isObject(choice.delta)) continue;
      const delta = choice.delta;
      if (typeof delta.content === 'string' && delta.content) {
        slots.push({ text: delta.content, set: (t) => (delta.content = t) });
      }
      if (typeof delta.refusal === 'string' && delta.refusal) {
        slots.push({ text: delta.refusal, set: (t) => (delta.refusal = t) });
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) {
          if (
            isObject(call) &&
            isObject(call.function) &&
            typeof call.function.arguments === 'string' &&
            call.function.arguments
          ) {
            const fn = call.function;
            slots.push({ text: fn.arguments as string, set: (t) => (fn.arguments = t) });
          }
        }
      }
    }
  } else if (kind === 'responses') {
    const type = data.type;
    if (
      typeof data.delta === 'string' &&
      data.delta &&
      (type === 'response.output_text.delta' ||
        type === 'response.function_call_arguments.delta' ||
        type === 'response.refusal.delta' ||
        type === 'response.custom_tool_call_input.delta')
    ) {
      slots.push({ text: data.delta, set: (t) => (data.delta = t) });
    }
  } else if (kind === 'messages') {
    if (data.type === 'content_block_delta' && isObject(data.delta)) {
      const delta = data.delta;
      for (const key of ['text', 'partial_json', 'thinking'] as const) {
        const value = delta[key];
        if (typeof value === 'string' && value) slots.push({ text: value, set: (t) => (delta[key] = t) });
      }
    } else if (data.type === 'content_block_start' && isObject(data.content_block)) {
      const block = data.content_block;
      if (typeof block.text === 'string' && block.text)
        slots.push({ text: block.text, set: (t) => (block.text = t) });
    }
  }
  return slots;
}
