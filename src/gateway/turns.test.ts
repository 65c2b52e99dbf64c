import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createScreenerFromParts } from '../detect/screener.js';
import type { Detector } from '../detect/types.js';
import { createNormalizer } from '../normalize/index.js';
import { type Harness, startHarness } from './testing/harness.js';
import { TurnQueue } from './turns.js';

const nextLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TurnQueue', () => {
  it('gives turns in the order they were asked for', async () => {
    const turns = new TurnQueue();
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => {
        await turns.take();
        order.push(i);
      }),
    );
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(turns.length).toBe(0);
  });

  it('polls I/O between turns once the budget is spent, and not before', async () => {
    const run = async (budgetMs: number) => {
      const turns = new TurnQueue(budgetMs);
      const seen: string[] = [];
      await Promise.all([
        (async () => {
          await turns.take();
          seen.push('first');
          // Stands for I/O that became ready during the first step: it runs on the next loop iteration.
          setImmediate(() => seen.push('io'));
        })(),
        (async () => {
          await turns.take();
          seen.push('second');
        })(),
      ]);
      await nextLoopTurn();
      return seen;
    };
    expect(await run(0)).toEqual(['first', 'io', 'second']);
    expect(await run(60_000)).toEqual(['first', 'second', 'io']);
  });

  it('keeps working after a long queue drains (its storage is compacted)', async () => {
    const turns = new TurnQueue(60_000);
    let done = 0;
    await Promise.all(
      Array.from({ length: 3000 }, async () => {
        await turns.take();
        done++;
      }),
    );
    expect(done).toBe(3000);
    await turns.take();
    expect(turns.length).toBe(0);
  });
});

/** Every screening costs ~1 ms of CPU, like a 2 KB text on the real engine, and is counted. */
let screenings = 0;
const slowDetector: Detector = {
  id: 'test-slow',
  detect() {
    const until = performance.now() + 1;
    while (performance.now() < until) {
      // busy: the request thread is screening
    }
    screenings++;
    return { evidence: [] };
  },
};

describe('gateway fairness under load', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      screener: createScreenerFromParts(parseConfig({ screening: { cache: { entries: 0 } } }).screening, {
        normalize: createNormalizer(),
        detectors: [slowDetector],
      }),
    });
  });
  afterAll(() => h.close());

  function call(agent: http.Agent, n: number): Promise<{ status: number; connectedAt: number }> {
    return new Promise((resolve, reject) => {
      let connectedAt = screenings;
      const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: `question ${n}` }] });
      const req = http.request(
        `${h.url}/v1/chat/completions`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', authorization: 'Bearer client-key' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connectedAt }));
        },
      );
      req.on('socket', (socket) => socket.once('connect', () => (connectedAt = screenings)));
      req.on('error', reject);
      req.end(body);
    });
  }

  it('serves connections opened while busy keep-alive clients saturate it, in about arrival order', async () => {
    const busy = new http.Agent({ keepAlive: true, maxSockets: 16 });
    let stop = false;
    let n = 0;
    const loops = Array.from({ length: 16 }, async () => {
      while (!stop) expect((await call(busy, n++)).status).toBe(200);
    });
    while (screenings < 40) await new Promise((r) => setTimeout(r, 5));
    // 32 clients connect at once. Node accepts one connection per loop iteration: were every ready request's
    // screening run in the iteration it arrived (16 busy clients, two screenings per request), the last of
    // them would wait for hundreds of screenings (357 with the turns taken out of proxy.ts). Screenings get
    // a turn each (a 2 ms budget, two of these), so they wait for about the queue ahead of them (138).
    const fresh = await Promise.all(
      Array.from({ length: 32 }, async (_, i) => {
        const agent = new http.Agent({ keepAlive: false });
        const r = await call(agent, 10_000 + i);
        agent.destroy();
        return { status: r.status, waited: screenings - r.connectedAt };
      }),
    );
    stop = true;
    await Promise.all(loops);
    busy.destroy();
    expect(fresh.every((f) => f.status === 200)).toBe(true);
    const worst = Math.max(...fresh.map((f) => f.waited));
    expect(worst).toBeLessThan(220);
  });
});
