import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import type { ScreeningConfig } from '../config/sections/screening.js';
import { siblingModule, WorkerPool } from '../core/threads.js';
import { type BatchOptions, type BatchSummary, emptySummary, tally } from './screen-jsonl.js';
import type { LinesReply, LinesRequest, ScreenWorkerSetup } from './screen-worker.js';

/** Below this input size one thread finishes before worker threads have loaded their detectors (~0.5 s each). */
export const PARALLEL_MIN_BYTES = 512 * 1024;

/** Most workers `auto` starts: each holds its own detectors (rules, model: ~100 MB), as ingest's do. */
export const MAX_AUTO_WORKERS = 8;

/**
 * `auto` → one thread for small inputs, else one worker per core up to MAX_AUTO_WORKERS; a number is taken as
 * given (at least 1).
 */
export function batchWorkers(setting: number | 'auto', inputBytes: number): number {
  if (setting !== 'auto') return Math.max(1, Math.floor(setting));
  return inputBytes < PARALLEL_MIN_BYTES ? 1 : Math.min(MAX_AUTO_WORKERS, availableParallelism());
}

export interface ParallelBatchOptions extends BatchOptions {
  workers: number;
  /** Lines per chunk handed to a worker (default 128). */
  chunkLines?: number;
}

/**
 * IN.jsonl → OUT.jsonl screened on `workers` threads, each with its own screener built from `screening`. The
 * output is the single-thread output exactly: the same rows in input order (chunks are written in the order they
 * were read), the same summary. At most two chunks per worker are in flight, so memory stays bounded.
 */
export async function screenJsonlParallel(
  screening: ScreeningConfig,
  options: ParallelBatchOptions,
): Promise<BatchSummary> {
  const total = statSync(options.input).size;
  options.onTotal?.(total);
  const chunkLines = Math.max(1, options.chunkLines ?? 128);
  const setup: ScreenWorkerSetup = { screening };
  const pool = new WorkerPool<LinesRequest, LinesReply>(
    Math.max(1, options.workers),
    siblingModule(import.meta.url, 'screen-worker'),
    setup,
    'screening worker',
  );
  const input = createReadStream(options.input, { encoding: 'utf8' });
  const output = createWriteStream(options.output, { encoding: 'utf8' });
  const summary = emptySummary();
  const inFlight: Array<{ reply: Promise<LinesReply>; lineNos: number[]; bytes: number }> = [];
  const write = async (): Promise<void> => {
    const chunk = inFlight.shift()!;
    const { rows } = await chunk.reply;
    let text = '';
    for (let i = 0; i < rows.length; i++) {
      tally(summary, rows[i]!, chunk.lineNos[i]!);
      text += `${JSON.stringify(rows[i])}\n`;
    }
    options.onProgress?.(chunk.bytes);
    if (!output.write(text)) await once(output, 'drain');
  };
  try {
    let seq = 0;
    let lines: string[] = [];
    let lineNos: number[] = [];
    let bytes = 0;
    const submit = async (): Promise<void> => {
      const reply = pool.submit({ seq: seq++, lines, lineNos });
      reply.catch(() => undefined); // awaited in order by write(); a failure must not go unhandled meanwhile
      inFlight.push({ reply, lineNos, bytes });
      lines = [];
      lineNos = [];
      bytes = 0;
      if (inFlight.length >= 2 * pool.size) await write();
    };
    let lineNo = 0;
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNo += 1;
      bytes += Buffer.byteLength(line) + 1;
      if (line.trim() === '') continue;
      lines.push(line);
      lineNos.push(lineNo);
      if (lines.length >= chunkLines) await submit();
    }
    if (lines.length) await submit();
    options.onProgress?.(bytes);
    while (inFlight.length) await write();
  } finally {
    input.destroy();
    output.end();
    await Promise.all([once(output, 'finish'), pool.close()]);
  }
  return summary;
}
