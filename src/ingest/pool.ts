import { siblingModule, WorkerPool } from '../core/threads.js';
import type { ChunkResult } from './chunk.js';
import { unpackRows } from './transfer.js';
import type { ChunkReply, ChunkRequest, WorkerSetup } from './worker.js';

/**
 * A fixed set of ingest worker threads. Chunks go to the least busy worker; results come back tagged with
 * their sequence number, and the caller commits them in order (checkpoints must only move forward).
 */
export class ChunkPool {
  private readonly pool: WorkerPool<ChunkRequest, ChunkReply>;

  constructor(size: number, setup: WorkerSetup) {
    this.pool = new WorkerPool(size, siblingModule(import.meta.url, 'worker'), setup, 'ingest worker');
  }

  async submit(seq: number, chunk: Buffer, firstLine: number): Promise<ChunkResult> {
    // A private copy whose memory moves to the worker without another copy.
    const buf = new Uint8Array(chunk.length);
    buf.set(chunk);
    const { seq: _seq, rows, ...rest } = await this.pool.submit({ seq, buf, firstLine }, [buf.buffer]);
    return { ...rest, rows: unpackRows(rows) };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
