import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { InterdictError } from '../core/errors.js';
import type { CallAbort } from './call-abort.js';

export interface UpstreamTimeouts {
  connectMs: number;
  firstByteMs: number;
}

export interface UpstreamRequest {
  /** Where to send it: upstreamTarget(base, path). */
  target: UpstreamTarget;
  method: string;
  headers: OutgoingHttpHeaders;
  body?: Buffer;
  timeouts: UpstreamTimeouts;
  retries: number;
  /** Aborts the call (client went away, or the total timeout fired). */
  abort: CallAbort;
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
    const transport = req.target.protocol === 'https:' ? https : http;
    const agent = (req.agents ?? defaultAgents)[req.target.protocol as 'http:' | 'https:'];
    // What http.request(url, options) would pass on: the URL's options with these on top (a fresh object, as
    // http.request writes into the one it is given).
    const outgoing = transport.request({
      ...req.target,
      method: req.method,
      headers: req.headers,
      agent,
    });
    let settled = false;
    let response: IncomingMessage | undefined;
    const fail = (err: AttemptError) => {
      if (settled) return;
      settled = true;
      clearTimeout(firstByte);
      req.abort.offAbort(onAbort);
      outgoing.destroy();
      reject(err);
    };
    const firstByte = setTimeout(() => fail(new AttemptError('first-byte')), req.timeouts.firstByteMs);
    // One callback for the whole call: before the response it fails the attempt; after it, later aborts (client
    // gone, total timeout) tear down the response stream.
    const onAbort = () => {
      if (response) response.destroy();
      else fail(new AttemptError('aborted'));
    };
    req.abort.onAbort(onAbort);
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connect = setTimeout(() => fail(new AttemptError('connect')), req.timeouts.connectMs);
      socket.once('connect', () => clearTimeout(connect));
      socket.once('close', () => clearTimeout(connect));
    });
    outgoing.on('error', (err: NodeJS.ErrnoException) => fail(new AttemptError('network', err.code)));
    outgoing.on('response', (incoming) => {
      if (settled) {
        incoming.resume();
        return;
      }
      settled = true;
      clearTimeout(firstByte);
      response = incoming;
      resolve(incoming);
    });
    outgoing.end(req.body);
  });
}

/** An upstream URL as http.request options (what urlToHttpOptions makes of it). */
export type UpstreamTarget = ReturnType<typeof urlToHttpOptions>;

/** Upstream URLs already parsed, by base and path: the gateway calls the same few on every request. */
const targets = new Map<string, Map<string, UpstreamTarget>>();
const MAX_PATHS = 256;

/**
 * The request options for base + path (trailing slashes of base dropped), as http.request(new URL(...)) derives
 * them; parsed once per URL and then served from a bounded cache. Throws as `new URL` does on a bad URL.
 */
export function upstreamTarget(base: string, pathAndQuery: string): UpstreamTarget {
  let paths = targets.get(base);
  if (!paths) {
    paths = new Map();
    targets.set(base, paths);
  }
  let target = paths.get(pathAndQuery);
  if (!target) {
    target = urlToHttpOptions(new URL(base.replace(/\/+$/, '') + pathAndQuery));
    if (paths.size >= MAX_PATHS) paths.clear();
    paths.set(pathAndQuery, target);
  }
  return target;
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
    if (req.abort.aborted) throw new InterdictError('INTERDICT_UPSTREAM_ERROR', 'request was aborted');
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
