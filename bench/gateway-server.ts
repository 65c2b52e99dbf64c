/**
 * Child process for bench/gateway.bench.ts (not run on its own): starts either the stub upstream or the gateway
 * (in front of a given upstream) on 127.0.0.1 and prints its URL as one JSON line on stdout.
 * Usage: tsx bench/gateway-server.ts stub | gateway <upstreamUrl> <real|none|bare> <dbPath> [workers]
 * With workers > 1 the gateway runs as `interdict serve --workers N` does: N cluster processes share the port,
 * each with its own recorder writing to the same SQLite file (WAL). SIGUSR2 prints the CPU time (ms) of the
 * gateway so far, summed over every gateway process; SIGTERM drains, flushes and prints the stored count.
 * env BENCH_RECORDER: thread (default, as `serve`), inline (build and write on the request thread, as
 * `serve --no-record-thread`) or memory (inline, into memory).
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../src/config/load.js';
import { createScreener } from '../src/detect/index.js';
import { createScreenerFromParts } from '../src/detect/screener.js';
import type { RecordedEvent } from '../src/core/event.js';
import type { ServeRecordWorkerData } from '../src/cli/commands/serve-record-worker.js';
import {
  createBatchingRecorder,
  createGateway,
  createThreadRecorder,
  MemoryEventLog,
  startGateway,
} from '../src/gateway/index.js';
import { startStubUpstream } from '../src/gateway/testing/stub-upstream.js';
import type { Normalizer } from '../src/normalize/types.js';
import { parsePolicy } from '../src/policy/tenant/load.js';
import { openStore } from '../src/store/index.js';

const [role, upstream, screening, db, workersArg] = process.argv.slice(2);
const workers = Math.max(1, Number(workersArg ?? 1));

/** `none` measures the gateway alone: no normalisation, no detectors. */
const identity: Normalizer = (text) => ({
  original: text,
  views: [{ id: 'original', text, transforms: [], depth: 0, toOriginal: (start, end) => ({ start, end }) }],
  transforms: [],
});

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * CPU time (ms) of this process's main thread alone (the request thread), from /proc on Linux (10 ms ticks);
 * NaN elsewhere. process.cpuUsage() also counts the recording thread, GC and libuv helper threads.
 */
function mainThreadMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

function gatewayConfig() {
  return parseConfig({
    gateway: {
      upstream: { openai: upstream!, anthropic: upstream! },
      upstreamSockets: Number(process.env.BENCH_UPSTREAM_SOCKETS ?? 512),
    },
    store: { path: db! },
  });
}

async function runGateway(port: number): Promise<void> {
  const config = gatewayConfig();
  const screener =
    screening === 'real'
      ? createScreener(config.screening)
      : createScreenerFromParts(config.screening, { normalize: identity, detectors: [] });
  const store = await openStore(config.store, { migrate: workers <= 1 });
  // As `serve` does by default: events are built and stored on a recording thread.
  const mode = process.env.BENCH_RECORDER ?? 'thread';
  const recorder =
    mode === 'thread'
      ? createThreadRecorder({
          entry: new URL('../src/cli/commands/serve-record-worker.ts', import.meta.url),
          workerData: { store: config.store, record: config.gateway.record } satisfies ServeRecordWorkerData,
        })
      : createBatchingRecorder(
          mode === 'memory'
            ? new MemoryEventLog(1_000)
            : {
                writeBatch: async (events: readonly RecordedEvent[]) => void (await store.putEvents(events)),
              },
          config.gateway.record,
        );
  const gateway = createGateway({
    config: config.gateway,
    screener,
    policy: parsePolicy({}),
    recorder,
    contentMode: 'redacted',
  });
  const running = await startGateway(gateway, {
    port,
    onClosed: async () => {
      await recorder.close();
      await store.close();
    },
  });
  const stop = () => running.close(2_000);
  if (cluster.isWorker) {
    process.on('message', (msg: { cpu?: number }) => {
      if (msg.cpu !== undefined) process.send!({ cpu: msg.cpu, cpuMs: cpuMs(), mainMs: mainThreadMs() });
    });
    process.send!({ listening: running.url });
    process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
    return;
  }
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  // The bench asks for CPU time used so far, to report gateway CPU per request independent of machine load.
  process.on('SIGUSR2', () =>
    process.stdout.write(`${JSON.stringify({ cpuMs: cpuMs(), mainMs: mainThreadMs() })}\n`),
  );
  process.once('SIGTERM', () => {
    stop().then(async () => {
      process.stdout.write(`${JSON.stringify({ stored: await countStored() })}\n`);
      process.exit(0);
    });
  });
}

/**
 * `bare`: the least any Node proxy adds on this machine: node:http in, a keep-alive agent out, bodies piped
 * both ways; no parsing, policy, screening or recording. It is the floor under the gateway's added latency.
 */
async function runBareProxy(): Promise<void> {
  const target = new URL(upstream!);
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: Number(process.env.BENCH_UPSTREAM_SOCKETS ?? 512),
  });
  const server = http.createServer((req, res) => {
    const out = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  process.on('SIGUSR2', () =>
    process.stdout.write(`${JSON.stringify({ cpuMs: cpuMs(), mainMs: mainThreadMs() })}\n`),
  );
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => {
      process.stdout.write(`${JSON.stringify({ stored: 0 })}\n`);
      process.exit(0);
    });
  });
}

async function countStored(): Promise<number> {
  const store = await openStore(gatewayConfig().store);
  try {
    return await store.countEvents();
  } finally {
    await store.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Primary of a multi-process gateway: forks the workers, sums their CPU on SIGUSR2, drains them on SIGTERM. */
async function runPrimary(): Promise<void> {
  await (await openStore(gatewayConfig().store)).close(); // migrate once, before the workers open it
  const port = await freePort();
  const forked = Array.from({ length: workers }, () => cluster.fork({ BENCH_GATEWAY_PORT: String(port) }));
  const urls = await Promise.all(
    forked.map(
      (w) =>
        new Promise<string>((resolve) =>
          w.on('message', (msg: { listening?: string }) => msg.listening && resolve(msg.listening)),
        ),
    ),
  );
  process.stdout.write(`${JSON.stringify({ url: urls[0] })}\n`);
  let round = 0;
  process.on('SIGUSR2', () => {
    const id = ++round;
    let total = cpuMs();
    let main = 0;
    let waiting = forked.length;
    for (const w of forked) {
      const onMessage = (msg: { cpu?: number; cpuMs?: number; mainMs?: number }) => {
        if (msg.cpu !== id) return;
        w.off('message', onMessage);
        total += msg.cpuMs ?? Number.NaN;
        main += msg.mainMs ?? Number.NaN;
        if (--waiting === 0) process.stdout.write(`${JSON.stringify({ cpuMs: total, mainMs: main })}\n`);
      };
      w.on('message', onMessage);
      w.send({ cpu: id });
    }
  });
  process.once('SIGTERM', async () => {
    await Promise.all(
      forked.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            w.kill('SIGTERM');
          }),
      ),
    );
    process.stdout.write(`${JSON.stringify({ stored: await countStored() })}\n`);
    process.exit(0);
  });
}

if (role === 'stub') {
  const stub = await startStubUpstream();
  stub.keep = false;
  // A different completion per call, as a model gives: no verdict cache hit on the completion.
  let calls = 0;
  // BENCH_COMPLETION_CHARS=N: a completion of about N characters (ordinary prose, numbered) instead of two
  // sentences; BENCH_CHUNK_CHARS=N: characters per streamed chunk (about one token is 4).
  const completionChars = Number(process.env.BENCH_COMPLETION_CHARS ?? 0);
  stub.chunkChars = Number(process.env.BENCH_CHUNK_CHARS ?? stub.chunkChars);
  const PROSE = [
    'The quarterly figures show steady growth in every region, with the strongest gains in the north.',
    'Our support team answered most questions within an hour, and customer satisfaction rose again.',
    'Next month we will move the billing service to the new cluster and retire the old database.',
    'Please review the attached plan and send your comments to the project lead by Friday.',
  ];
  stub.reply = () => {
    const n = ++calls;
    if (!completionChars)
      return `Here is a short, ordinary answer (number ${n}) from the model. It has two sentences.`;
    let text = `Answer ${n}.`;
    for (let i = 0; text.length < completionChars; i++) text += ` ${PROSE[(n + i) % PROSE.length]}`;
    return text.slice(0, completionChars);
  };
  process.stdout.write(`${JSON.stringify({ url: stub.url })}\n`);
  process.on('SIGUSR2', () =>
    process.stdout.write(`${JSON.stringify({ cpuMs: cpuMs(), mainMs: mainThreadMs() })}\n`),
  );
} else if (screening === 'bare') {
  await runBareProxy();
} else if (cluster.isWorker) {
  await runGateway(Number(process.env.BENCH_GATEWAY_PORT));
} else if (workers > 1) {
  await runPrimary();
} else {
  await runGateway(0);
}
