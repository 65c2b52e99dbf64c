/**
 * Recording-thread worker for record-thread.test.ts: appends every written batch as one JSON line to
 * `workerData.file`; the first `workerData.failures` writes fail (to exercise retry and error reporting);
 * with `workerData.crash` the thread dies at start, as one whose store cannot be opened does.
 */
import { appendFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { serveRecordThread } from '../record-thread-worker.js';

const { file, failures, crash } = workerData as { file: string; failures: number; crash?: boolean };
if (crash) throw new Error('cannot open the store');
let failed = 0;
serveRecordThread(
  {
    writeBatch(events) {
      if (failed < failures) {
        failed++;
        throw new Error('store unavailable');
      }
      appendFileSync(file, `${JSON.stringify(events)}\n`);
    },
  },
  { batchSize: 1000, flushMs: 60_000, contentMode: 'redacted' },
);
