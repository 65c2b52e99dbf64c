import { Worker } from 'node:worker_threads';
import { ERROR_CODES, type ErrorCode, InterdictError } from '../core/errors.js';
import type { ChunkResult } from './chunk.js';
import { unpackRows } from './transfer.js';
import type { ChunkReply, ChunkRequest, WorkerFatal, WorkerSetup } from './worker.js';

/**
 * A fixed set of ingest worker threads. Chunks go to the least busy worker; results come back tagged with
 * their sequence number, and the caller commits them in order (checkpoints must only move forward).
 */
export class ChunkPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (r: ChunkResult) => void; reject: (e: unknown) => void }
  >();
  private failure: unknown;
  private closed = false;

  constructor(size: number, setup: WorkerSetup) {
    for (let i = 0; i < size; i++) {
      const worker = spawnWorker(setup);
      const slot = { worker, busy: 0 };
      worker.on('message', (message: ChunkReply | WorkerFatal) => {
        if ('fatal' in message) {
          const code =
            message.fatal.code in ERROR_CODES ? (message.fatal.code as ErrorCode) : 'INTERDICT_INTERNAL';
          this.fail(new InterdictError(code, message.fatal.message));
          return;
        }
        slot.busy -= 1;
        const entry = this.pending.get(message.seq);
        this.pending.delete(message.seq);
        const { seq: _seq, rows, ...rest } = message;
        entry?.resolve({ ...rest, rows: unpackRows(rows) });
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closed) this.fail(new Error(`ingest worker exited with code ${code}`));
      });
      this.workers.push(slot);
    }
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    for (const entry of this.pending.values()) entry.reject(this.wrap(err));
    this.pending.clear();
  }

  private wrap(err: unknown): unknown {
    return err instanceof InterdictError
      ? err
      : new InterdictError('INTERDICT_INTERNAL', 'ingest worker failed', [], { cause: err });
  }

  submit(seq: number, chunk: Buffer, firstLine: number): Promise<ChunkResult> {
    if (this.failure) return Promise.reject(this.wrap(this.failure));
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy += 1;
    // A private copy whose memory moves to the worker without another copy.
    const buf = new Uint8Array(chunk.length);
    buf.set(chunk);
    const request: ChunkRequest = { seq, buf, firstLine };
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      slot.worker.postMessage(request, [buf.buffer]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/**
 * Built code runs dist/ingest/worker.js directly. Under tsx or vitest this module is TypeScript: the worker
 * then registers the tsx loader itself before importing worker.ts (a loader given via execArgv is not
 * active yet when a worker's entry module loads).
 */
function spawnWorker(setup: WorkerSetup): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./worker.js', import.meta.url), { workerData: setup });
  const entry = new URL('./worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}
