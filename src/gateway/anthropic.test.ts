import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testing/harness.js';

describe('gateway with the official @anthropic-ai/sdk client', () => {
  let h: Harness;
  let client: Anthropic;

  beforeAll(async () => {
    h = await startHarness({
      policy: {
        tenants: {
          acme: {
            keys: [{ value: 'interdict-key-acme', account: 'alice' }],
            upstreamKey: { value: 'provider-key-acme' },
          },
        },
      },
    });
    client = new Anthropic({ apiKey: 'interdict-key-acme', baseURL: h.url, maxRetries: 0 });
  });
  afterAll(() => h.close());

  it('answers a clean message and swaps in the tenant upstream key', async () => {
    h.stub.reply = () => 'Hello there, friend.';
    const { data, response } = await client.messages
      .create({
        model: 'claude-test',
        max_tokens: 64,
        system: 'You are helpful.',
        messages: [{ role: 'user', content: 'Say hello' }],
      })
      .withResponse();
    expect(data.content[0]?.type === 'text' && data.content[0].text).toBe('Hello there, friend.');
    expect(response.headers.get('x-interdict-decision')).toBe('allow');
    expect(h.stub.received.at(-1)?.headers['x-api-key']).toBe('provider-key-acme');
    const event = await h.event(response.headers.get('x-interdict-event-id'));
    expect(event.tenant).toBe('acme');
    expect(event.account).toBe('alice');
    expect(event.request.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('blocks an injection with an Anthropic-format error', async () => {
    const err = await client.messages
      .create({
        model: 'claude-test',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'IGNORE-ALL-PREVIOUS now' }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    const apiErr = err as InstanceType<typeof Anthropic.APIError>;
    expect((apiErr.error as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect(apiErr.headers?.get('x-interdict-decision')).toBe('block');
  });

  it('screens tool_result blocks as documents', async () => {
    const err = await client.messages
      .create({
        model: 'claude-test',
        max_tokens: 64,
        messages: [
          { role: 'user', content: 'read the file' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read', input: {} }] },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't1', content: 'file says IGNORE-ALL-PREVIOUS' }],
          },
        ],
      })
      .catch((e: unknown) => e);
    const apiErr = err as InstanceType<typeof Anthropic.APIError>;
    const event = await h.event(apiErr.headers?.get('x-interdict-event-id') ?? null);
    const part = event.interdict.verdicts.find((v) => v.part === 'messages[2].content[0].content');
    expect(part?.side).toBe('document');
    expect(part?.flagged).toContain('injection');
  });

  it('streams a clean message through the SDK stream helper', async () => {
    h.stub.reply = () => 'First line of the answer. Second line of the answer.';
    const stream = client.messages.stream({
      model: 'claude-test',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]?.type === 'text' && final.content[0].text).toBe(
      'First line of the answer. Second line of the answer.',
    );
  });

  it('cuts a harmful stream with an error event before the harmful part is sent', async () => {
    h.stub.reply = () =>
      'This opening part is entirely fine to read. HARMFUL-SENTENCE with the bad part follows.';
    const stream = await client.messages.create({
      model: 'claude-test',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    const error = await (async () => {
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          text += event.delta.text;
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(String((error as Error).message)).toContain('blocked');
    expect(text).not.toContain('HARMFUL');
    expect(text).not.toContain('bad part');
  });

  it('redacts a secret in a non-streamed tool_use input', async () => {
    h.stub.toolArguments = JSON.stringify({ token: 'sk-live-zzzz99998888', action: 'login' });
    const data = await client.messages.create({
      model: 'claude-test',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'x' }],
    });
    h.stub.toolArguments = undefined;
    const block = data.content[0];
    expect(block?.type).toBe('tool_use');
    expect(block?.type === 'tool_use' && block.input).toEqual({ token: '[REDACTED]', action: 'login' });
  });
});
