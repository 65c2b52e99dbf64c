import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { InterdictError } from '../core/errors.js';

export interface UpstreamTimeouts {
  connectMs: number;
  firstByteMs: number;
}

export interface UpstreamRequest {
  url: URL;
  method: string;
  headers: OutgoingHttpHeaders;
  body?: Buffer;
  timeouts: UpstreamTimeouts;
  retries: number;
  /** Aborts the call (client went away, or the total timeout fired). */
  signal: AbortSignal;
  agents?: UpstreamAgents;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: IncomingMessage;
  attempts: number;
}

const RETRY_STATUS = new Set([502, 503, 504]);
/** Errors that mean the upstream never started on the request, so sending it again is safe. */
const RETRY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

export interface UpstreamAgents {
  'http:': http.Agent;
  'https:': https.Agent;
}

/** Keep-alive connection pools to the upstreams; `maxSockets` bounds concurrent upstream calls per host. */
export function createUpstreamAgents(maxSockets = 512): UpstreamAgents {
  const options = {
    keepAlive: true,
    maxSockets,
    maxFreeSockets: Math.min(256, maxSockets),
    scheduling: 'fifo' as const,
  };
  return { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };
}

const defaultAgents = createUpstreamAgents();

class AttemptError extends Error {
  constructor(
    readonly kind: 'connect' | 'first-byte' | 'network' | 'aborted',
    readonly errno?: string,
  ) {
    super(kind);
  }
}

function attempt(req: UpstreamRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const transport = req.url.protocol === 'https:' ? https : http;
    const agent = (req.agents ?? defaultAgents)[req.url.protocol as 'http:' | 'https:'];
    const outgoing = transport.request(req.url, { method: req.method, headers: req.headers, agent });
    let settled = false;
    const fail = (err: AttemptError) => {
      if (settled) return;
      settled = true;
      clearTimeout(firstByte);
      req.signal.removeEventListener('abort', onAbort);
      outgoing.destroy();
      reject(err);
    };
    const firstByte = setTimeout(() => fail(new AttemptError('first-byte')), req.timeouts.firstByteMs);
    const onAbort = () => fail(new AttemptError('aborted'));
    req.signal.addEventListener('abort', onAbort, { once: true });
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connect = setTimeout(() => fail(new AttemptError('connect')), req.timeouts.connectMs);
      socket.once('connect', () => clearTimeout(connect));
      socket.once('close', () => clearTimeout(connect));
    });
    outgoing.on('error', (err: NodeJS.ErrnoException) => fail(new AttemptError('network', err.code)));
    outgoing.on('response', (response) => {
      if (settled) {
        response.resume();
        return;
      }
      settled = true;
      clearTimeout(firstByte);
      req.signal.removeEventListener('abort', onAbort);
      // Later aborts (client gone, total timeout) tear down the response stream.
      req.signal.addEventListener('abort', () => response.destroy(), { once: true });
      resolve(response);
    });
    outgoing.end(req.body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls the upstream. Retries only while nothing of this call has reached the client and the upstream cannot
 * have started generating: refused/reset connections before any response header, and 502/503/504 answers
 * (which the upstream's own front end sends instead of running the model). A 500 or a timeout after the request
 * was accepted is not retried: the model call may have run, and it is not idempotent.
 */
export async function callUpstream(req: UpstreamRequest): Promise<UpstreamResponse> {
  for (let i = 0; ; i++) {
    if (req.signal.aborted) throw new InterdictError('INTERDICT_UPSTREAM_ERROR', 'request was aborted');
    try {
      const response = await attempt(req);
      const status = response.statusCode ?? 502;
      if (RETRY_STATUS.has(status) && i < req.retries) {
        response.resume();
        await sleep(25 * 2 ** i);
        continue;
      }
      return { status, headers: response.headers, body: response, attempts: i + 1 };
    } catch (err) {
      if (!(err instanceof AttemptError)) throw err;
      if (err.kind === 'aborted') throw new InterdictError('INTERDICT_UPSTREAM_ERROR', 'request was aborted');
      if (err.kind === 'first-byte') {
        throw new InterdictError('INTERDICT_UPSTREAM_TIMEOUT', 'upstream did not answer in time');
      }
      const retryable = err.kind === 'connect' || (err.errno !== undefined && RETRY_CODES.has(err.errno));
      if (retryable && i < req.retries) {
        await sleep(25 * 2 ** i);
        continue;
      }
      if (err.kind === 'connect')
        throw new InterdictError('INTERDICT_UPSTREAM_TIMEOUT', 'upstream connection timed out');
      throw new InterdictError(
        'INTERDICT_UPSTREAM_ERROR',
        `upstream connection failed (${err.errno ?? 'network'})`,
      );
    }
  }
}

/** Reads a whole upstream body, bounded. */
export function readUpstreamBody(body: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        body.destroy();
        reject(new InterdictError('INTERDICT_UPSTREAM_ERROR', 'upstream response exceeds the size limit'));
        return;
      }
      chunks.push(chunk);
    });
    body.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    body.on('error', () =>
      reject(new InterdictError('INTERDICT_UPSTREAM_ERROR', 'upstream response was cut off')),
    );
    body.on('close', () => {
      if (!body.complete)
        reject(new InterdictError('INTERDICT_UPSTREAM_ERROR', 'upstream response was cut off'));
    });
  });
}
