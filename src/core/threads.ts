import { Worker } from 'node:worker_threads';
import { ERROR_CODES, type ErrorCode, InterdictError } from './errors.js';

/**
 * Starts a worker thread on a module of this package in the mode the code runs in: built JavaScript directly;
 * TypeScript (tsx, vitest: `entry` is a `.ts` URL) through a bootstrap that registers the tsx loader first, since
 * a loader given via execArgv is not active yet when a worker's entry module loads.
 */
export function spawnModuleWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** The URL of a sibling module of `from` (an import.meta.url): `name.js`, or `name.ts` when `from` is TypeScript. */
export function siblingModule(from: string, name: string): URL {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}

/** What a pool worker posts when it cannot start (a coded error keeps its code across the thread boundary). */
export interface WorkerFatal {
  fatal: { code: string; message: string };
}

/**
 * A fixed set of worker threads running one module. Each request carries a `seq` the worker echoes in its reply;
 * requests go to the least busy worker, and callers that need order re-order replies by `seq` themselves.
 * A worker that fails to start (posts WorkerFatal), throws or exits fails every pending and later request.
 */
export class WorkerPool<Request extends { seq: number }, Reply extends { seq: number }> {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: unknown) => void }>();
  private failure: unknown;
  private closed = false;

  /** @param label names the pool in errors ("ingest worker failed"). */
  constructor(
    size: number,
    entry: URL,
    workerData: unknown,
    private readonly label: string,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = spawnModuleWorker(entry, workerData);
      const slot = { worker, busy: 0 };
      worker.on('message', (message: Reply | WorkerFatal) => {
        if ('fatal' in message) {
          const code =
            message.fatal.code in ERROR_CODES ? (message.fatal.code as ErrorCode) : 'INTERDICT_INTERNAL';
          this.fail(new InterdictError(code, message.fatal.message));
          return;
        }
        slot.busy -= 1;
        const entry = this.pending.get(message.seq);
        this.pending.delete(message.seq);
        entry?.resolve(message);
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closed) this.fail(new Error(`${label} exited with code ${code}`));
      });
      this.workers.push(slot);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    for (const entry of this.pending.values()) entry.reject(this.wrap(err));
    this.pending.clear();
  }

  private wrap(err: unknown): unknown {
    return err instanceof InterdictError
      ? err
      : new InterdictError('INTERDICT_INTERNAL', `${this.label} failed`, [], { cause: err });
  }

  /** Sends a request (its `transfer` list moves without a copy) to the least busy worker. */
  submit(request: Request, transfer: readonly ArrayBuffer[] = []): Promise<Reply> {
    if (this.failure) return Promise.reject(this.wrap(this.failure));
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(request.seq, { resolve, reject });
      slot.worker.postMessage(request, transfer as ArrayBuffer[]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/** The WorkerFatal a pool worker posts when it cannot start: coded errors keep their code and message. */
export function fatalOf(err: unknown, fallback: string): WorkerFatal {
  const coded = err instanceof InterdictError;
  return {
    fatal: { code: coded ? err.code : 'INTERDICT_INTERNAL', message: coded ? err.message : fallback },
  };
}
