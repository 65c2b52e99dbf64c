import { parentPort, workerData } from 'node:worker_threads';
import type { ScreeningConfig } from '../config/sections/screening.js';
import type { StoreConfig } from '../config/sections/store.js';
import { fatalOf } from '../core/threads.js';
import { createAnalyzer } from './analyze.js';
import { type ChunkContext, type ChunkResult, processChunk } from './chunk.js';
import { contentPolicy } from './content.js';
import { type PackedRows, packedTransfers, packRows } from './transfer.js';

/** Ingest worker thread: builds its own screener once, then turns line chunks into store rows. */
export interface WorkerSetup {
  screening: ScreeningConfig | null;
  content: Pick<StoreConfig, 'content' | 'tenants'>;
  defaultTenant?: string;
}

export interface ChunkRequest {
  seq: number;
  buf: Uint8Array;
  firstLine: number;
}

/** A processed chunk; its rows travel as columns (transfer.ts). */
export interface ChunkReply extends Omit<ChunkResult, 'rows'> {
  seq: number;
  rows: PackedRows;
}

const setup = workerData as WorkerSetup;
let ctx: ChunkContext | undefined;
try {
  // The detectors (rules, model, their parsers) are loaded only when this ingest screens: loading them is most
  // of a worker's start-up, which delays the first batch.
  const screener = setup.screening
    ? (await import('../detect/index.js')).createScreener(setup.screening)
    : undefined;
  ctx = {
    analyzer: createAnalyzer(screener),
    content: contentPolicy(setup.content),
    ...(setup.defaultTenant ? { defaultTenant: setup.defaultTenant } : {}),
  };
} catch (err) {
  // Coded errors (e.g. an invalid rule set) travel back with their code; a thrown Error would lose it.
  parentPort!.postMessage(fatalOf(err, 'ingest worker failed to start'));
}

parentPort!.on('message', (request: ChunkRequest) => {
  if (!ctx) return;
  const result = processChunk(request.buf, request.firstLine, ctx);
  const rows = packRows(result.rows);
  const reply: ChunkReply = { ...result, seq: request.seq, rows };
  parentPort!.postMessage(reply, packedTransfers(rows));
});
