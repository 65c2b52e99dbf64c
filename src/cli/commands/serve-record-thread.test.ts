import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { openStore } from '../../store/index.js';
import { chatThroughServe, startServeFixture, stopServe } from '../testing/serve-process.js';

/**
 * `serve` records on a recording thread by default (serve.test.ts and serve-workers.test.ts run that path);
 * `--no-record-thread` builds and writes events on the request thread. Both must store every event, with the
 * same content handling, by the time a SIGTERM'd server exits.
 */
describe('interdict serve --no-record-thread', () => {
  for (const flags of [[], ['--no-record-thread']]) {
    it(`stores every event, redacted, on SIGTERM (${flags.length ? flags[0] : 'recording thread'})`, async () => {
      const fx = await startServeFixture(flags);
      onTestFinished(() => fx.close());
      const { serve, url, db } = fx;
      const ids: string[] = [];
      try {
        for (let i = 0; i < 5; i++) {
          const res = await chatThroughServe(url, `Reach me at user${i}@example.com please`);
          expect(res.status).toBe(200);
          ids.push(res.eventId);
        }
        expect(await stopServe(serve)).toBe(0);
      } finally {
        if (serve.exitCode === null) serve.kill('SIGKILL');
      }
      const store = await openStore(parseConfig({ store: { path: db } }).store);
      try {
        expect(await store.countEvents()).toBe(5);
        for (const id of ids) {
          const event = await store.getEvent(id);
          expect(event?.request.messages[0]?.content).toBe('Reach me at [REDACTED] please');
        }
      } finally {
        await store.close();
      }
    }, 60_000);
  }
});
