import type { RecordedEvent } from '../core/event.js';
import type { EventReader, EventRecorder } from './types.js';

/** A sink that writes many events at once (one transaction). */
export interface EventBatchSink {
  writeBatch(events: readonly RecordedEvent[]): Promise<void> | void;
}

export interface BatchingRecorder extends EventRecorder {
  /** Writes everything queued; resolves when it is stored. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. Events recorded after close are still written (synchronously queued + flushed). */
  close(): Promise<void>;
  /** Events that could not be written (the sink failed); they are retried on the next flush. */
  readonly pending: number;
}

export interface BatchingOptions {
  batchSize: number;
  flushMs: number;
  /** Called when a batch fails to write; the batch is kept and retried. */
  onError?: (err: unknown) => void;
  /** Cap on queued events while the sink is failing; the oldest are dropped past it (and reported). */
  maxQueued?: number;
}

/**
 * Keeps recording off the request path: `record` only queues; a timer or a full batch triggers one write.
 * `close()` (wired to SIGTERM and server close) flushes, so a clean shutdown loses nothing.
 */
export function createBatchingRecorder(sink: EventBatchSink, options: BatchingOptions): BatchingRecorder {
  let queue: RecordedEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  const maxQueued = options.maxQueued ?? 100_000;

  async function writeOnce(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await sink.writeBatch(batch);
      } catch (err) {
        queue = batch.concat(queue);
        if (queue.length > maxQueued) queue.splice(0, queue.length - maxQueued);
        options.onError?.(err);
        return;
      }
    }
  }

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (!writing) {
      writing = writeOnce().finally(() => {
        writing = undefined;
      });
      return writing;
    }
    // A write is in flight: chain one more pass for what arrived meanwhile.
    return writing.then(() => flush());
  }

  return {
    async record(event) {
      queue.push(event);
      if (queue.length >= options.batchSize) void flush();
      else if (!timer) {
        timer = setTimeout(() => {
          timer = undefined;
          void flush();
        }, options.flushMs);
        timer.unref();
      }
    },
    flush,
    async close() {
      await flush();
      if (queue.length) await flush();
    },
    get pending() {
      return queue.length;
    },
  };
}

/** In-memory recorder and reader (tests, and `serve` without a database). Bounded. */
export class MemoryEventLog implements EventRecorder, EventReader, EventBatchSink {
  readonly events: RecordedEvent[] = [];
  private readonly byId = new Map<string, RecordedEvent>();

  constructor(private readonly max = 100_000) {}

  async record(event: RecordedEvent): Promise<void> {
    this.writeBatch([event]);
  }

  writeBatch(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      this.events.push(event);
      this.byId.set(event.id, event);
    }
    while (this.events.length > this.max) this.byId.delete(this.events.shift()!.id);
  }

  async getEvent(id: string): Promise<RecordedEvent | undefined> {
    return this.byId.get(id);
  }
}
