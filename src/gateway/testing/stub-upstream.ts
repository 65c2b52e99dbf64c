import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny OpenAI- and Anthropic-format model server on 127.0.0.1 for tests and the gateway benchmark.
 * Behaviour is chosen by the request's `model`:
 *   `stub:hang`    never answers;            `stub:die`  closes the socket (mid-stream when streaming);
 *   `stub:503xN`   answers 503 N times, then normally (per-server counter);
 *   anything else  answers `reply(body)` (default: a fixed sentence), streamed in `chunkChars` pieces.
 */
export interface StubUpstream {
  url: string;
  server: Server;
  /** Parsed JSON bodies received, newest last. */
  received: Array<{ path: string; body: unknown; headers: IncomingMessage['headers'] }>;
  reply: (body: Record<string, unknown>, path: string) => string;
  /** Tool-call arguments to return instead of text, when set. */
  toolArguments?: string;
  chunkChars: number;
  /** Pause between streamed chunks (ms). */
  chunkDelayMs: number;
  /** Keep `received` (off for benchmarks). */
  keep: boolean;
  /** Streams the client (the gateway) abandoned before they ended. */
  aborts: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export async function startStubUpstream(): Promise<StubUpstream> {
  let failures = 0;
  const stub: StubUpstream = {
    url: '',
    server: undefined as unknown as Server,
    received: [],
    reply: () => 'Hello from the stub model. It is a fine day.',
    chunkChars: 8,
    chunkDelayMs: 0,
    keep: true,
    aborts: 0,
    close: async () => {},
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: [{ id: 'stub-model', object: 'model', created: 0, owned_by: 'stub' }],
        }),
      );
      return;
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'stub: bad json', type: 'invalid_request_error' } }));
      return;
    }
    if (stub.keep) stub.received.push({ path, body, headers: req.headers });
    const model = typeof body.model === 'string' ? body.model : 'stub-model';
    if (model === 'stub:hang') return;
    const retry = /^stub:503x(\d+)$/.exec(model);
    if (retry && failures < Number(retry[1])) {
      failures++;
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'stub overloaded', type: 'server_error' } }));
      return;
    }
    const stream = body.stream === true;
    if (model === 'stub:die' && !stream) {
      req.socket.destroy();
      return;
    }
    const text = stub.reply(body, path);
    if (path === '/v1/embeddings') {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, 0.3] })),
          model,
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }),
      );
      return;
    }
    if (!stream) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_stub' });
      res.end(JSON.stringify(completion(path, model, text, stub.toolArguments)));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    const events = streamEvents(path, model, text, stub.chunkChars, stub.toolArguments);
    for (let i = 0; i < events.length; i++) {
      if (model === 'stub:die' && i === Math.floor(events.length / 2)) {
        await sleep(20); // let what was written reach the gateway first
        req.socket.destroy();
        return;
      }
      if (closed || res.destroyed) {
        stub.aborts++;
        return;
      }
      res.write(events[i]!);
      if (stub.chunkDelayMs) await sleep(stub.chunkDelayMs);
    }
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  stub.url = `http://127.0.0.1:${port}`;
  stub.server = server;
  stub.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}

function completion(path: string, model: string, text: string, toolArguments?: string): unknown {
  if (path === '/v1/messages') {
    return {
      id: 'msg_stub',
      type: 'message',
      role: 'assistant',
      model,
      content: toolArguments
        ? [{ type: 'tool_use', id: 'toolu_stub', name: 'run', input: JSON.parse(toolArguments) }]
        : [{ type: 'text', text }],
      stop_reason: toolArguments ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 10 },
    };
  }
  if (path === '/v1/responses') {
    return {
      id: 'resp_stub',
      object: 'response',
      created_at: 0,
      status: 'completed',
      model,
      output: [
        {
          type: 'message',
          id: 'msg_stub',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text, annotations: [] }],
        },
      ],
      usage: { input_tokens: 10, output_tokens: 10, total_tokens: 20 },
    };
  }
  return {
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [
      {
        index: 0,
        message: toolArguments
          ? {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'call_stub', type: 'function', function: { name: 'run', arguments: toolArguments } },
              ],
            }
          : { role: 'assistant', content: text },
        finish_reason: toolArguments ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

function streamEvents(
  path: string,
  model: string,
  text: string,
  size: number,
  toolArguments?: string,
): string[] {
  const parts = pieces(toolArguments ?? text, size);
  if (path === '/v1/messages') {
    const out = [
      sse(
        {
          type: 'message_start',
          message: {
            id: 'msg_stub',
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 10, output_tokens: 1 },
          },
        },
        'message_start',
      ),
      sse(
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        'content_block_start',
      ),
      sse({ type: 'ping' }, 'ping'),
    ];
    for (const p of parts) {
      out.push(
        sse(
          { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: p } },
          'content_block_delta',
        ),
      );
    }
    out.push(sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'));
    out.push(
      sse(
        {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: 10 },
        },
        'message_delta',
      ),
    );
    out.push(sse({ type: 'message_stop' }, 'message_stop'));
    return out;
  }
  if (path === '/v1/responses') {
    let seq = 0;
    const base = { id: 'resp_stub', object: 'response', created_at: 0, model, output: [] as unknown[] };
    const item = {
      type: 'message',
      id: 'msg_stub',
      status: 'in_progress',
      role: 'assistant',
      content: [] as unknown[],
    };
    const out = [
      sse(
        { type: 'response.created', sequence_number: seq++, response: { ...base, status: 'in_progress' } },
        'response.created',
      ),
      sse(
        { type: 'response.output_item.added', sequence_number: seq++, output_index: 0, item },
        'response.output_item.added',
      ),
      sse(
        {
          type: 'response.content_part.added',
          sequence_number: seq++,
          item_id: 'msg_stub',
          output_index: 0,
          content_index: 0,
          part: { type: 'output_text', text: '', annotations: [] },
        },
        'response.content_part.added',
      ),
    ];
    for (const p of parts) {
      out.push(
        sse(
          {
            type: 'response.output_text.delta',
            sequence_number: seq++,
            item_id: 'msg_stub',
            output_index: 0,
            content_index: 0,
            delta: p,
          },
          'response.output_text.delta',
        ),
      );
    }
    const done = { type: 'output_text', text, annotations: [] };
    out.push(
      sse(
        {
          type: 'response.output_text.done',
          sequence_number: seq++,
          item_id: 'msg_stub',
          output_index: 0,
          content_index: 0,
          text,
        },
        'response.output_text.done',
      ),
    );
    const finalItem = { ...item, status: 'completed', content: [done] };
    out.push(
      sse(
        { type: 'response.output_item.done', sequence_number: seq++, output_index: 0, item: finalItem },
        'response.output_item.done',
      ),
    );
    out.push(
      sse(
        {
          type: 'response.completed',
          sequence_number: seq++,
          response: { ...base, status: 'completed', output: [finalItem] },
        },
        'response.completed',
      ),
    );
    return out;
  }
  const chunk = (delta: unknown, finish: string | null) => ({
    id: 'chatcmpl-stub',
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const out = [sse(chunk({ role: 'assistant', content: '' }, null))];
  for (const p of parts) {
    out.push(
      sse(
        chunk(
          toolArguments ? { tool_calls: [{ index: 0, function: { arguments: p } }] } : { content: p },
          null,
        ),
      ),
    );
  }
  out.push(sse(chunk({}, toolArguments ? 'tool_calls' : 'stop')));
  out.push('data: [DONE]\n\n');
  return out;
}
