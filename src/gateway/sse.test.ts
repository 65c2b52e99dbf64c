import { describe, expect, it } from 'vitest';
import { SseParser, streamTextSlots } from './sse.js';

describe('SseParser', () => {
  it('assembles events split at any byte and keeps the raw block', () => {
    const wire = 'event: content_block_delta\ndata: {"a":1}\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < wire.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(wire.slice(0, cut)), ...parser.push(wire.slice(cut)), ...parser.flush()];
      expect(events.map((e) => [e.event, e.data])).toEqual([
        ['content_block_delta', '{"a":1}'],
        [undefined, '[DONE]'],
      ]);
      expect(events[0]?.raw).toBe('event: content_block_delta\ndata: {"a":1}\n\n');
    }
  });

  it('handles CRLF line ends split between chunks, multi-line data and comments', () => {
    const parser = new SseParser();
    const events = [...parser.push(': keep-alive\r\ndata: line1\r'), ...parser.push('\ndata: line2\r\n\r\n')];
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toBe('line1\nline2');
  });

  it('returns a trailing event without the final blank line on flush', () => {
    const parser = new SseParser();
    expect(parser.push('data: {"x":2}')).toEqual([]);
    expect(parser.flush().map((e) => e.data)).toEqual(['{"x":2}']);
  });
});

describe('streamTextSlots', () => {
  it('finds chat content and tool-call argument deltas, and rewrites them in place', () => {
    const data = {
      choices: [{ delta: { content: 'hello', tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] } }],
    };
    const slots = streamTextSlots('chat', data);
    expect(slots.map((s) => s.text)).toEqual(['hello', '{"a"']);
    slots[0]?.set('HELLO');
    expect(data.choices[0]?.delta.content).toBe('HELLO');
  });

  it('finds Responses text deltas and Anthropic text / input_json deltas', () => {
    expect(
      streamTextSlots('responses', { type: 'response.output_text.delta', delta: 'hi' }).map((s) => s.text),
    ).toEqual(['hi']);
    expect(streamTextSlots('responses', { type: 'response.created', delta: 'x' })).toEqual([]);
    const anthropic = streamTextSlots('messages', {
      type: 'content_block_delta',
      delta: { type: 'input_json_delta', partial_json: '{"q":' },
    });
    expect(anthropic.map((s) => s.text)).toEqual(['{"q":']);
  });
});
