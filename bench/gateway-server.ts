/**
 * Child process for bench/gateway.bench.ts (not run on its own): starts either the stub upstream or the gateway
 * (in front of a given upstream) on 127.0.0.1 and prints its URL as one JSON line on stdout.
 * Usage: tsx bench/gateway-server.ts stub | gateway <upstreamUrl> <real|none> <dbPath>
 */
import { parseConfig } from '../src/config/load.js';
import { createScreener } from '../src/detect/index.js';
import { createScreenerFromParts } from '../src/detect/screener.js';
import type { RecordedEvent } from '../src/core/event.js';
import { createBatchingRecorder, createGateway, MemoryEventLog, startGateway } from '../src/gateway/index.js';
import { startStubUpstream } from '../src/gateway/testing/stub-upstream.js';
import type { Normalizer } from '../src/normalize/types.js';
import { parsePolicy } from '../src/policy/tenant/load.js';
import { openStore } from '../src/store/index.js';

const [role, upstream, screening, db] = process.argv.slice(2);

/** `none` measures the gateway alone: no normalisation, no detectors. */
const identity: Normalizer = (text) => ({
  original: text,
  views: [{ id: 'original', text, transforms: [], depth: 0, toOriginal: (start, end) => ({ start, end }) }],
  transforms: [],
});

if (role === 'stub') {
  const stub = await startStubUpstream();
  stub.keep = false;
  stub.reply = () => 'Here is a short, ordinary answer from the model. It has two sentences.';
  process.stdout.write(`${JSON.stringify({ url: stub.url })}\n`);
} else {
  const config = parseConfig({
    gateway: {
      upstream: { openai: upstream!, anthropic: upstream! },
      upstreamSockets: Number(process.env.BENCH_UPSTREAM_SOCKETS ?? 512),
    },
    store: { path: db! },
  });
  const screener =
    screening === 'real'
      ? createScreener(config.screening)
      : createScreenerFromParts(config.screening, { normalize: identity, detectors: [] });
  const store = await openStore(config.store);
  const memory = process.env.BENCH_RECORDER === 'memory';
  const sink = memory
    ? new MemoryEventLog(1_000)
    : { writeBatch: async (events: readonly RecordedEvent[]) => void (await store.putEvents(events)) };
  const recorder = createBatchingRecorder(sink, config.gateway.record);
  const gateway = createGateway({
    config: config.gateway,
    screener,
    policy: parsePolicy({}),
    recorder,
    contentMode: 'redacted',
  });
  const running = await startGateway(gateway, {
    onClosed: async () => {
      await recorder.close();
      await store.close();
    },
  });
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  // The bench asks for CPU time used so far, to report gateway CPU per request independent of machine load.
  process.on('SIGUSR2', () => {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
  });
  process.once('SIGTERM', () => {
    running.close(2_000).then(async () => {
      process.stdout.write(
        `${JSON.stringify({ stored: await (await openStore(config.store)).countEvents() })}\n`,
      );
      process.exit(0);
    });
  });
}
