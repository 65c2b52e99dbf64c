import { parentPort, workerData } from 'node:worker_threads';
import type { ScreeningConfig } from '../config/sections/screening.js';
import { fatalOf } from '../core/threads.js';
import type { Screener } from '../detect/screener.js';
import { type BatchRow, screenLine } from './screen-jsonl.js';

/** Batch screening worker thread: builds its own screener once, then screens chunks of JSONL lines. */
export interface ScreenWorkerSetup {
  screening: ScreeningConfig;
}

export interface LinesRequest {
  seq: number;
  lines: string[];
  /** 1-based line number of each entry of `lines` in the input file. */
  lineNos: number[];
}

export interface LinesReply {
  seq: number;
  rows: BatchRow[];
}

const setup = workerData as ScreenWorkerSetup;
let screener: Screener | undefined;
try {
  screener = (await import('../detect/index.js')).createScreener(setup.screening);
} catch (err) {
  parentPort!.postMessage(fatalOf(err, 'screening worker failed to start'));
}

parentPort!.on('message', (request: LinesRequest) => {
  if (!screener) return;
  const rows = request.lines.map((line, i) => screenLine(screener!, line, request.lineNos[i]!));
  const reply: LinesReply = { seq: request.seq, rows };
  parentPort!.postMessage(reply);
});
