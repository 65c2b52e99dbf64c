import { parentPort, workerData } from 'node:worker_threads';
import { InterdictError } from '../errors.js';
import { fatalOf } from '../threads.js';

/** Test worker for WorkerPool: doubles `value`; fails to start, or crashes on a request, when told to. */
const setup = workerData as { failStart?: boolean };
if (setup.failStart) {
  parentPort!.postMessage(fatalOf(new InterdictError('INTERDICT_RULES_INVALID', 'bad rule file'), 'x'));
} else {
  parentPort!.on('message', (m: { seq: number; value: number; crash?: boolean }) => {
    if (m.crash) process.exit(3);
    parentPort!.postMessage({ seq: m.seq, value: m.value * 2 });
  });
}
