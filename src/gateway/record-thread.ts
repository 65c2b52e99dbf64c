import { spawnModuleWorker } from '../core/threads.js';
import type { RecordedEvent } from '../core/event.js';
import type { ExchangeRecord } from './exchange.js';
import type { BatchingRecorder } from './recorder.js';

/**
 * A recorder whose work runs on a worker thread: building each event (content mode, fingerprints, language
 * features) and writing batches to the store. The request thread only clones finished exchanges into one
 * message per event-loop turn, so recording neither takes its CPU nor stalls it with synchronous SQLite
 * commits. The worker module (see record-thread-worker.ts) owns the store; this side never touches it.
 */

/** Main → worker. */
export type ToRecordThread =
  | { type: 'exchanges'; records: readonly ExchangeRecord[] }
  | { type: 'events'; events: readonly RecordedEvent[] }
  | { type: 'flush' | 'close'; id: number };

/** Worker → main. */
export type FromRecordThread =
  | { type: 'done'; id: number; pending: number; error?: string }
  | { type: 'write-failed'; error: string };

export interface RecordThreadOptions {
  /** The worker module, e.g. `new URL('./my-record-worker.js', import.meta.url)` (a `.ts` URL under tsx/vitest). */
  entry: URL;
  /** Passed to the worker as `workerData` (must be cloneable: configuration, never secrets it does not need). */
  workerData: unknown;
  /** A batch failed to write in the worker (it is kept and retried there). */
  onError?: (err: Error) => void;
}

export interface ThreadRecorder extends BatchingRecorder {
  recordExchanges(records: readonly ExchangeRecord[]): void;
}

export function createThreadRecorder(options: RecordThreadOptions): ThreadRecorder {
  const worker = spawnModuleWorker(options.entry, options.workerData);
  // The thread must not keep a finished process alive; flush() and close() hold it until it answers.
  worker.unref();
  let nextId = 0;
  let pending = 0;
  let closed: Promise<void> | undefined;
  let failure: Error | undefined;
  const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  worker.on('message', (msg: FromRecordThread) => {
    if (msg.type === 'write-failed') {
      options.onError?.(new Error(msg.error));
      return;
    }
    pending = msg.pending;
    const waiter = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (waiting.size === 0) worker.unref();
    if (msg.error) waiter?.reject(new Error(msg.error));
    else waiter?.resolve();
  });
  let closing = false;
  const fail = (err: Error) => {
    if (failure) return;
    failure = err;
    for (const waiter of waiting.values()) waiter.reject(err);
    waiting.clear();
    // Events handed over from now on cannot be stored: say so loudly (serve logs it) rather than lose them quietly.
    if (!closing) options.onError?.(err);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`recording thread exited (${code})`)));

  const post = (msg: ToRecordThread) => {
    if (failure) throw failure;
    worker.postMessage(msg);
  };
  const ask = (type: 'flush' | 'close') =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = ++nextId;
      waiting.set(id, { resolve, reject });
      // An unref'd thread's answer would not keep the process alive: hold it until every question is answered.
      worker.ref();
      worker.postMessage({ type, id } satisfies ToRecordThread);
    });

  return {
    async record(event) {
      post({ type: 'events', events: [event] });
    },
    recordExchanges(records) {
      if (records.length) post({ type: 'exchanges', records });
    },
    flush: () => ask('flush'),
    close() {
      closed ??= ask('close').finally(() => {
        closing = true;
        return worker.terminate();
      });
      return closed;
    },
    get pending() {
      return pending;
    },
  };
}
