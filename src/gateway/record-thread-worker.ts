import { parentPort } from 'node:worker_threads';
import type { ContentMode } from './exchange.js';
import { toRecordedEvent } from './exchange.js';
import type { FromRecordThread, ToRecordThread } from './record-thread.js';
import { type BatchingOptions, createBatchingRecorder, type EventBatchSink } from './recorder.js';

/**
 * The worker side of createThreadRecorder: call it from a worker module with the sink that module opened (the
 * composition root decides the store; the gateway never imports one). Events are built here, then batched
 * into the sink exactly as on the request thread. `close` flushes, runs `onClose` (close the store) and answers.
 */
export function serveRecordThread(
  sink: EventBatchSink,
  options: Omit<BatchingOptions, 'onError'> & {
    /** Content mode for exchanges whose record carries none (records made by exchangeRecord always do). */
    contentMode?: ContentMode;
    onClose?: () => Promise<void> | void;
  },
): void {
  const port = parentPort;
  if (!port) throw new Error('serveRecordThread must run in a worker thread');
  const reply = (msg: FromRecordThread) => port.postMessage(msg);
  const recorder = createBatchingRecorder(sink, {
    batchSize: options.batchSize,
    flushMs: options.flushMs,
    ...(options.maxQueued ? { maxQueued: options.maxQueued } : {}),
    onError: (err) => reply({ type: 'write-failed', error: (err as Error)?.message ?? String(err) }),
  });
  const mode = options.contentMode ?? 'redacted';
  port.on('message', (msg: ToRecordThread) => {
    if (msg.type === 'exchanges') {
      for (const record of msg.records) {
        let event: ReturnType<typeof toRecordedEvent>;
        try {
          event = toRecordedEvent(record, mode);
        } catch {
          continue; // as on the request thread: an event that cannot be built is dropped, not fatal
        }
        void recorder.record(event);
      }
    } else if (msg.type === 'events') {
      for (const event of msg.events) void recorder.record(event);
    } else {
      const done = msg.type === 'close' ? recorder.close().then(() => options.onClose?.()) : recorder.flush();
      done.then(
        () => reply({ type: 'done', id: msg.id, pending: recorder.pending }),
        (err: unknown) =>
          reply({ type: 'done', id: msg.id, pending: recorder.pending, error: (err as Error)?.message }),
      );
    }
  });
}
