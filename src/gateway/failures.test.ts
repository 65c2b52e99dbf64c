import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testing/harness.js';

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  const res = await fetch(url, { method: 'POST', body, headers: { authorization: 'Bearer k', ...headers } });
  return { res, json: (await res.json()) as { error: { code: string; message: string; type: string } } };
}

describe('gateway failure modes', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      config: {
        gateway: { maxBodyBytes: 2_000, timeouts: { connectMs: 500, firstByteMs: 300, totalMs: 5_000 } },
      },
    });
  });
  afterAll(() => h.close());

  it('malformed JSON gets a coded 400 and an event', async () => {
    const { res, json } = await post(`${h.url}/v1/chat/completions`, '{"model": "x", "messages": [');
    expect(res.status).toBe(400);
    expect(json.error.code).toBe('INTERDICT_INPUT_BAD_JSON');
    const event = await h.event(res.headers.get('x-interdict-event-id'));
    expect(event.interdict.reasons).toContain('error:INTERDICT_INPUT_BAD_JSON');
  });

  it('an oversized body gets a coded 413 and an event', async () => {
    const body = JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'a'.repeat(5_000) }] });
    const { res, json } = await post(`${h.url}/v1/chat/completions`, body);
    expect(res.status).toBe(413);
    expect(json.error.code).toBe('INTERDICT_INPUT_TOO_LARGE');
    await h.event(res.headers.get('x-interdict-event-id'));
  });

  it('a wrong content type gets a coded 415', async () => {
    const { res, json } = await post(`${h.url}/v1/chat/completions`, 'hello', {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(415);
    expect(json.error.code).toBe('INTERDICT_UNSUPPORTED_MEDIA');
    await h.event(res.headers.get('x-interdict-event-id'));
  });

  it('a body of the wrong shape gets a coded 400', async () => {
    const { res, json } = await post(
      `${h.url}/v1/messages`,
      JSON.stringify({ model: 'x', messages: 'nope' }),
      {
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
      },
    );
    expect(res.status).toBe(400);
    expect(json.error.type).toBe('invalid_request_error');
    expect(res.headers.get('x-interdict-error-code')).toBe('INTERDICT_INPUT_INVALID');
  });

  it('an unknown route gets a coded 404 and an event', async () => {
    const res = await fetch(`${h.url}/v1/nothing-here`, { headers: { authorization: 'Bearer k' } });
    expect(res.status).toBe(404);
    const json = (await res.json()) as { error: { code: string } };
    expect(json.error.code).toBe('INTERDICT_ROUTE_NOT_FOUND');
    await h.event(res.headers.get('x-interdict-event-id'));
  });

  it('an upstream that hangs gets a coded 504 and the event records the timeout', async () => {
    const client = new OpenAI({ apiKey: 'k', baseURL: `${h.url}/v1`, maxRetries: 0 });
    const err = await client.chat.completions
      .create({ model: 'stub:hang', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const apiErr = err as InstanceType<typeof OpenAI.APIError>;
    expect(apiErr.status).toBe(504);
    expect(apiErr.code).toBe('INTERDICT_UPSTREAM_TIMEOUT');
    const event = await h.event(apiErr.headers?.get('x-interdict-event-id') ?? null);
    expect(event.interdict.action).toBe('allow');
    expect(event.interdict.reasons).toContain('error:INTERDICT_UPSTREAM_TIMEOUT');
  });

  it('an upstream that drops the connection gets a coded 502 after retries', async () => {
    const before = h.stub.received.length;
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'stub:die', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INTERDICT_UPSTREAM_ERROR');
    expect(h.stub.received.length - before).toBe(3); // first try + 2 retries
    await h.event(res.headers.get('x-interdict-event-id'));
  });

  it('retries 503s before any byte reached the client', async () => {
    const client = new OpenAI({ apiKey: 'k', baseURL: `${h.url}/v1`, maxRetries: 0 });
    h.stub.reply = () => 'Recovered.';
    const { data, response } = await client.chat.completions
      .create({ model: 'stub:503x2', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Recovered.');
    const event = await h.event(response.headers.get('x-interdict-event-id'));
    expect(event.interdict.reasons).toContain('upstream:attempts=3');
  });

  it('a stream whose upstream dies midway ends with an error event and is recorded', async () => {
    h.stub.reply = () => 'Sentence one is here. Sentence two is here. Sentence three is here. Sentence four.';
    const client = new OpenAI({ apiKey: 'k', baseURL: `${h.url}/v1`, maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'stub:die', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const error = await (async () => {
      for await (const _ of stream) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('INTERDICT_UPSTREAM_ERROR');
    const event = await h.event(response.headers.get('x-interdict-event-id'));
    expect(event.interdict.reasons).toContain('upstream:stream-broken');
  });

  it('a stream that stalls past idleMs ends with a timeout error event and is recorded', async () => {
    const stalled = await startHarness({ config: { gateway: { timeouts: { idleMs: 150 } } } });
    try {
      stalled.stub.reply = () => 'word '.repeat(40);
      stalled.stub.chunkDelayMs = 400;
      const client = new OpenAI({ apiKey: 'k', baseURL: `${stalled.url}/v1`, maxRetries: 0 });
      const { data: stream, response } = await client.chat.completions
        .create({ model: 'gpt', stream: true, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      const error = await (async () => {
        for await (const _ of stream) {
          // drain
        }
      })().catch((e: unknown) => e);
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('INTERDICT_UPSTREAM_TIMEOUT');
      const event = await stalled.event(response.headers.get('x-interdict-event-id'));
      expect(event.interdict.reasons).toContain('upstream:stream-stalled');
    } finally {
      await stalled.close();
    }
  });

  it('a client that disconnects mid-stream aborts the upstream call', async () => {
    h.stub.reply = () => 'word '.repeat(200);
    h.stub.chunkDelayMs = 5;
    const aborts = h.stub.aborts;
    const controller = new AbortController();
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      signal: controller.signal,
    });
    const id = res.headers.get('x-interdict-event-id');
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    const event = await h.event(id);
    expect(event.interdict.reasons).toContain('client-disconnected');
    for (let i = 0; i < 50 && h.stub.aborts === aborts; i++) await new Promise((r) => setTimeout(r, 10));
    h.stub.chunkDelayMs = 0;
    expect(h.stub.aborts).toBe(aborts + 1);
  });
});

describe('gateway upstream unreachable, auth, accounts and fail modes', () => {
  it('a refused upstream connection gets a coded 502', async () => {
    const h = await startHarness({ upstreamUrl: 'http://127.0.0.1:9', config: { gateway: { retries: 1 } } });
    try {
      const { res, json } = await post(
        `${h.url}/v1/chat/completions`,
        JSON.stringify({ model: 'x', messages: [] }),
      );
      expect(res.status).toBe(502);
      expect(json.error.code).toBe('INTERDICT_UPSTREAM_ERROR');
    } finally {
      await h.close();
    }
  });

  it('requires a known key when the policy says so, and rate-limits per account', async () => {
    const h = await startHarness({
      policy: {
        requireKnownKey: true,
        tenants: {
          t: { keys: [{ value: 'good-key', account: 'a1' }], rateLimit: { requestsPerMinute: 60, burst: 2 } },
        },
      },
    });
    try {
      const bad = new OpenAI({ apiKey: 'bad-key', baseURL: `${h.url}/v1`, maxRetries: 0 });
      const err = await bad.chat.completions
        .create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
      const good = new OpenAI({ apiKey: 'good-key', baseURL: `${h.url}/v1`, maxRetries: 0 });
      await good.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] });
      await good.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] });
      const limited = await good.chat.completions
        .create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e) => e);
      expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
      const event = await h.event(
        (limited as InstanceType<typeof OpenAI.APIError>).headers?.get('x-interdict-event-id') ?? null,
      );
      expect(event.interdict.action).toBe('throttle');
    } finally {
      await h.close();
    }
  });

  it('a suspended account gets a 403 in the API format', async () => {
    const h = await startHarness({
      accountStatus: {
        statusOf: async (_t, account) => ({ level: account === 'bad-user' ? 'suspend' : 'none' }),
      },
    });
    try {
      const client = new OpenAI({ apiKey: 'k', baseURL: `${h.url}/v1`, maxRetries: 0 });
      const err = await client.chat.completions
        .create({ model: 'x', user: 'bad-user', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('INTERDICT_ACCOUNT_SUSPENDED');
      const ok = await client.chat.completions.create({
        model: 'x',
        user: 'fine-user',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(ok.choices).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('fails closed or open on a screening failure as the tenant says', async () => {
    const h = await startHarness({
      config: { screening: { maxBytes: 100 } },
      policy: {
        defaults: { failMode: 'closed' },
        tenants: { lenient: { failMode: 'open', keys: [{ value: 'open-key' }] } },
      },
    });
    try {
      const long = 'x'.repeat(500);
      const closed = new OpenAI({ apiKey: 'k', baseURL: `${h.url}/v1`, maxRetries: 0 });
      const err = await closed.chat.completions
        .create({ model: 'x', messages: [{ role: 'user', content: long }] })
        .catch((e) => e);
      expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
      expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('INTERDICT_SCREENING_FAILED');
      const open = new OpenAI({ apiKey: 'open-key', baseURL: `${h.url}/v1`, maxRetries: 0 });
      const { response } = await open.chat.completions
        .create({ model: 'x', messages: [{ role: 'user', content: long }] })
        .withResponse();
      const event = await h.event(response.headers.get('x-interdict-event-id'));
      expect(event.interdict.reasons).toContain('screening-failed:fail-open');
    } finally {
      await h.close();
    }
  });

  it('flushes every queued event when the server closes', async () => {
    const h = await startHarness();
    const client = new OpenAI({ apiKey: 'k', baseURL: `${h.url}/v1`, maxRetries: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { response } = await client.chat.completions
        .create({ model: 'x', messages: [{ role: 'user', content: `hi ${i}` }] })
        .withResponse();
      ids.push(response.headers.get('x-interdict-event-id')!);
    }
    await h.close();
    for (const id of ids) expect(await h.log.getEvent(id)).toBeDefined();
  });
});
