import { parseConfig } from '../../config/load.js';
import type { ConfigInput } from '../../config/schema.js';
import type { Category, Evidence } from '../../core/types.js';
import { createNormalizer } from '../../normalize/index.js';
import { createScreenerFromParts, type Screener } from '../../detect/screener.js';
import type { Detector } from '../../detect/types.js';
import { parsePolicy } from '../../policy/tenant/load.js';
import type { PolicyInput } from '../../policy/tenant/schema.js';
import { createGateway, type Gateway } from '../app.js';
import { createBatchingRecorder, MemoryEventLog, type BatchingRecorder } from '../recorder.js';
import { type RunningGateway, startGateway } from '../server.js';
import type { AccountStatus } from '../types.js';
import { startStubUpstream, type StubUpstream } from './stub-upstream.js';

/**
 * Detection-edge stand-in for gateway tests: fixed markers produce fixed verdicts, so each test controls the
 * decision exactly. (End-to-end tests with the real screener live in e2e.test.ts.)
 */
export const MARKERS: ReadonlyArray<{ marker: string; category: Category; score: number }> = [
  { marker: 'IGNORE-ALL-PREVIOUS', category: 'injection', score: 0.95 },
  { marker: 'HARMFUL-SENTENCE', category: 'violence', score: 0.95 },
  { marker: 'FLAG-ME', category: 'jailbreak', score: 0.6 },
];

export const SECRET_RE = /sk-live-[a-z0-9]{8,}/g;

export const markerDetector: Detector = {
  id: 'test-markers',
  detect({ request }) {
    const evidence: Evidence[] = [];
    for (const m of MARKERS) {
      const at = request.text.indexOf(m.marker);
      // Like real detectors, see through line breaks: a marker split over joined turns still matches (no span).
      if (at === -1 && request.text.replace(/\s+/g, '').includes(m.marker)) {
        evidence.push({
          detector: 'test-markers',
          ruleId: `TEST-${m.category}`,
          category: m.category,
          score: m.score,
          view: 'folded',
        });
      } else if (at !== -1) {
        evidence.push({
          detector: 'test-markers',
          ruleId: `TEST-${m.category}`,
          category: m.category,
          score: m.score,
          view: 'original',
          span: { start: at, end: at + m.marker.length },
        });
      }
    }
    for (const match of request.text.matchAll(SECRET_RE)) {
      evidence.push({
        detector: 'test-markers',
        ruleId: 'TEST-SECRET',
        category: 'secrets',
        score: 0.9,
        view: 'original',
        span: { start: match.index, end: match.index + match[0].length },
      });
    }
    if (request.text.includes('THROW-IN-DETECTOR')) throw new Error('detector bug');
    return { evidence };
  },
};

export function markerScreener(config: ConfigInput = {}): Screener {
  const parsed = parseConfig(config);
  return createScreenerFromParts(parsed.screening, {
    normalize: createNormalizer(),
    detectors: [markerDetector],
  });
}

export interface Harness {
  stub: StubUpstream;
  gateway: Gateway;
  running: RunningGateway;
  log: MemoryEventLog;
  recorder: BatchingRecorder;
  url: string;
  /** Flushes the recorder and returns the event with this id. */
  event(id: string | null): Promise<import('../../core/event.js').RecordedEvent>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  policy?: PolicyInput;
  config?: ConfigInput;
  screener?: Screener;
  accountStatus?: AccountStatus;
  contentMode?: 'full' | 'redacted' | 'hash' | 'none';
  /** Point the gateway somewhere else than the stub (e.g. a closed port). */
  upstreamUrl?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const stub = await startStubUpstream();
  const upstream = options.upstreamUrl ?? stub.url;
  const config = parseConfig({
    ...options.config,
    gateway: {
      ...(options.config?.gateway ?? {}),
      upstream: { openai: upstream, anthropic: upstream },
    },
  });
  const log = new MemoryEventLog();
  const recorder = createBatchingRecorder(log, { batchSize: 1000, flushMs: 5 });
  const gateway = createGateway({
    config: config.gateway,
    screener: options.screener ?? markerScreener(options.config),
    policy: parsePolicy(options.policy ?? {}),
    recorder,
    contentMode: options.contentMode ?? 'full',
    ...(options.accountStatus ? { accountStatus: options.accountStatus } : {}),
  });
  const running = await startGateway(gateway, { onClosed: () => recorder.close() });
  return {
    stub,
    gateway,
    running,
    log,
    recorder,
    url: running.url,
    async event(id) {
      if (!id) throw new Error('no event id header');
      for (let i = 0; i < 50; i++) {
        await recorder.flush();
        const found = await log.getEvent(id);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`event ${id} was not recorded`);
    },
    async close() {
      await running.close(500);
      await stub.close();
    },
  };
}
