import { availableParallelism } from 'node:os';
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { InterdictError } from '../core/errors.js';
import type { ScreeningConfig } from '../config/sections/screening.js';
import type { StoreConfig } from '../config/sections/store.js';
import type { Screener } from '../detect/screener.js';
import type { EventStore } from '../store/port.js';
import { createAnalyzer } from './analyze.js';
import { type ChunkContext, type ChunkResult, type IngestProblem, processChunkInSlices } from './chunk.js';
import { type ContentPolicy, contentPolicy } from './content.js';
import { ChunkPool } from './pool.js';

export type { IngestProblem } from './chunk.js';

/**
 * Streams a JSONL file of interaction events into a store: bounded batches, each committed in one
 * transaction together with a checkpoint (byte offset just past its last line), so a crash loses nothing
 * acknowledged and a rerun resumes where the last commit ended. Ids make it idempotent: the same file twice
 * changes nothing. Malformed lines are reported by number and skipped.
 *
 * Parsing, screening and row mapping can run on worker threads (`workers`); the calling thread reads the
 * file and writes to the store, committing batches strictly in file order.
 */

export interface IngestOptions {
  input: string;
  store: EventStore;
  /** Screening engine for inline processing. */
  screener?: Screener;
  /** Screening config: each worker builds its own engine from it (inline too, when no screener is given). */
  screening?: ScreeningConfig;
  /** Text kept per tenant: the store config's content settings, or a policy function (inline only). */
  content: ContentPolicy | Pick<StoreConfig, 'content' | 'tenants'>;
  /** Rows per transaction (default 2000). */
  batchSize?: number;
  /** Worker threads for parsing and screening: 0 = inline (default), 'auto' = cores - 1 (at most 8; inline on 1 core). */
  workers?: number | 'auto';
  /** Start from the stored checkpoint (default true); false re-reads from the start (still idempotent). */
  resume?: boolean;
  /** Tenant for rows that carry none. */
  defaultTenant?: string;
  /** Longest accepted line in bytes (default 16 MiB); longer lines are skipped as problems. */
  maxLineBytes?: number;
  /** Read size in bytes (default 1 MiB); tests use tiny reads so lines span many of them. */
  readBytes?: number;
  /** Problems kept in the summary (all are counted). */
  maxProblems?: number;
  onTotal?: (bytes: number) => void;
  onProgress?: (bytes: number) => void;
  /** After each committed batch. */
  onCommit?: (state: { offset: number; line: number; inserted: number }) => void;
}

export interface IngestSummary {
  source: string;
  /** Byte offset ingestion started from (non-zero after a resume). */
  resumedFrom: number;
  /** Lines read in this run. */
  lines: number;
  /** Valid events read in this run. */
  events: number;
  /** Events newly stored. */
  inserted: number;
  /** Valid events whose id was already stored. */
  duplicates: number;
  malformed: number;
  problems: IngestProblem[];
  /** Checkpoint offset at the end (the file size when everything was read). */
  offset: number;
  workers: number;
}

export function checkpointSource(input: string): string {
  return `file:${realpathSync(input)}`;
}

export function resolveWorkers(workers: number | 'auto' | undefined, cores = availableParallelism()): number {
  // One core writes, the others parse and fingerprint. On two cores one worker still pays: the writer's
  // ~8-12 µs per event leaves room beside the worker's ~20 µs (quiet 2-core machine, SQLite: 50,500-54,700
  // events/s with one worker against 35,600-37,300 inline, docs/performance.md). One core: inline.
  if (workers === 'auto') return cores <= 1 ? 0 : Math.min(8, cores - 1);
  return Math.max(0, Math.min(32, Math.floor(workers ?? 0)));
}

interface Chunk {
  buf: Buffer;
  firstLine: number;
  /** Offset and line count just past the chunk's last line. */
  endOffset: number;
  endLine: number;
}

export async function ingestFile(options: IngestOptions): Promise<IngestSummary> {
  let size: number;
  try {
    size = statSync(options.input).size;
  } catch (err) {
    throw new InterdictError('INTERDICT_NOT_FOUND', `input file not found: ${options.input}`, [], {
      cause: err,
    });
  }
  const { store } = options;
  const source = checkpointSource(options.input);
  const batchSize = Math.max(1, options.batchSize ?? 2000);
  const maxLine = options.maxLineBytes ?? 16 * 1024 * 1024;
  const maxProblems = options.maxProblems ?? 1000;
  const workers = resolveWorkers(options.workers);
  if (workers > 0 && typeof options.content === 'function') {
    throw new InterdictError(
      'INTERDICT_USAGE',
      'worker threads need the content settings, not a policy function',
    );
  }
  if (workers > 0 && options.screener && !options.screening) {
    throw new InterdictError(
      'INTERDICT_USAGE',
      'worker threads build their own screener: pass `screening` config',
    );
  }

  let offset = 0;
  let lineNo = 0;
  if (options.resume !== false) {
    const checkpoint = await store.getCheckpoint(source);
    // A checkpoint past the end means the file was replaced or truncated: start over (ids keep it idempotent).
    if (checkpoint && checkpoint.offset <= size) {
      offset = checkpoint.offset;
      lineNo = checkpoint.line;
    }
  }
  const summary: IngestSummary = {
    source,
    resumedFrom: offset,
    lines: 0,
    events: 0,
    inserted: 0,
    duplicates: 0,
    malformed: 0,
    problems: [],
    offset,
    workers,
  };
  options.onTotal?.(size);
  if (offset > 0) options.onProgress?.(offset);

  const problem = (p: IngestProblem) => {
    summary.malformed += 1;
    if (summary.problems.length < maxProblems) summary.problems.push(p);
  };

  // Processing: inline, or on a worker pool. Either way results are committed in submission order.
  let processAsync: (seq: number, chunk: Chunk) => Promise<ChunkResult>;
  let pool: ChunkPool | undefined;
  if (workers > 0) {
    pool = new ChunkPool(workers, {
      screening: options.screening ?? null,
      content: options.content as Pick<StoreConfig, 'content' | 'tenants'>,
      ...(options.defaultTenant ? { defaultTenant: options.defaultTenant } : {}),
    });
    const p = pool;
    processAsync = (seq, chunk) => p.submit(seq, chunk.buf, chunk.firstLine);
  } else {
    // The detectors are loaded only when this ingest screens (a --no-screen run starts without them).
    const screener =
      options.screener ??
      (options.screening
        ? (await import('../detect/index.js')).createScreener(options.screening)
        : undefined);
    const ctx: ChunkContext = {
      analyzer: createAnalyzer(screener),
      content: typeof options.content === 'function' ? options.content : contentPolicy(options.content),
      ...(options.defaultTenant ? { defaultTenant: options.defaultTenant } : {}),
    };
    processAsync = (_seq, chunk) => processChunkInSlices(chunk.buf, chunk.firstLine, ctx);
  }

  const inFlight: { chunk: Chunk; result: Promise<ChunkResult> }[] = [];
  const maxInFlight = Math.max(1, workers * 2);
  let seq = 0;

  const commitOldest = async () => {
    const { chunk, result } = inFlight.shift()!;
    const r = await result;
    summary.lines += r.lines;
    summary.events += r.events;
    for (const p of r.problems) problem(p);
    const { inserted } = await store.putPrepared(r.rows, {
      checkpoint: { source, offset: chunk.endOffset, line: chunk.endLine },
    });
    summary.inserted += inserted;
    summary.duplicates += r.rows.length - inserted;
    summary.offset = chunk.endOffset;
    options.onCommit?.({ offset: chunk.endOffset, line: chunk.endLine, inserted });
  };

  // The chunk being built: whole segments of read buffers (one per read buffer it spans, not one per line,
  // so building a 2000-line chunk copies once instead of concatenating 2000 slices).
  let parts: Buffer[] = [];
  let partLines = 0;
  let chunkFirstLine = lineNo + 1;
  let pos = offset; // byte offset just past the last line read
  let current: Buffer = Buffer.alloc(0); // the read buffer being scanned
  let segStart = 0; // where the chunk's lines start in `current`

  /** Moves the chunk's pending lines of the current read buffer, up to `end`, into parts. */
  const cut = (end: number) => {
    if (end > segStart) parts.push(current.subarray(segStart, end));
    segStart = end;
  };

  const flush = async () => {
    if (partLines === 0) return;
    const chunk: Chunk = {
      buf: parts.length === 1 ? parts[0]! : Buffer.concat(parts),
      firstLine: chunkFirstLine,
      endOffset: pos,
      endLine: lineNo,
    };
    parts = [];
    partLines = 0;
    chunkFirstLine = lineNo + 1;
    inFlight.push({ chunk, result: processAsync(seq++, chunk) });
    // Avoid an unhandled rejection while it waits its turn; commitOldest awaits and rethrows it.
    inFlight[inFlight.length - 1]!.result.catch(() => {});
    if (inFlight.length >= maxInFlight) await startCommit();
  };

  // One commit may run while the next chunk is read and processed, so a database server's insert work
  // (PostgreSQL) overlaps this thread's parsing. Commits stay strictly in order: the next one starts only
  // after the previous one has finished.
  let committing: Promise<void> | null = null;
  const awaitCommit = async () => {
    const pending = committing;
    committing = null;
    if (pending) await pending;
  };
  const startCommit = async () => {
    await awaitCommit();
    const next = commitOldest();
    // Handled when awaited by the next startCommit/awaitCommit; avoid an unhandled rejection until then.
    next.catch(() => {});
    committing = next;
  };
  /** Commits everything read so far, in order. */
  const drain = async () => {
    await awaitCommit();
    while (inFlight.length) await commitOldest();
  };

  /**
   * Skips a line longer than maxLine as a problem. The chunks before it are committed first, so problems
   * and checkpoints stay in file order. `pos` is where the line starts.
   */
  const tooLong = async (length: number) => {
    await flush();
    await drain();
    lineNo += 1;
    summary.lines += 1;
    problem({ line: lineNo, code: 'INTERDICT_INPUT_TOO_LARGE', problem: `line exceeds ${maxLine} bytes` });
    pos += length;
    chunkFirstLine = lineNo + 1;
  };

  /**
   * A complete line of the current read buffer, ending just before `end`, `length` bytes long in all (with
   * the head carried over from earlier reads, and its newline unless it is the file's unterminated last
   * line). Batches are cut only when one is full, so most lines cost no await.
   */
  const addLine = (end: number, length: number, newline = 1): Promise<void> | undefined => {
    if (length - newline > maxLine) {
      cut(end - Math.min(end, length)); // up to the line's start in this buffer
      segStart = end;
      return tooLong(length);
    }
    lineNo += 1;
    partLines += 1;
    pos += length;
    if (partLines < batchSize) return undefined;
    cut(end);
    return flush();
  };

  try {
    const stream = createReadStream(options.input, {
      start: offset,
      highWaterMark: Math.max(1, options.readBytes ?? 1 << 20),
    });
    // The head of an unfinished line from earlier reads (a private copy), or null.
    let carry: Buffer | null = null;
    let skipping = false; // inside an over-long line, discarding until its newline
    for await (const data of stream as AsyncIterable<Buffer>) {
      current = data;
      segStart = 0;
      let start = 0;
      if (carry || skipping) {
        // The first newline ends the line begun in earlier reads.
        const nl = data.indexOf(10);
        if (nl === -1) {
          if (skipping) {
            pos += data.length;
          } else {
            carry = Buffer.concat([carry!, data]);
            if (carry.length > maxLine) {
              await tooLong(carry.length);
              carry = null;
              skipping = true;
            }
          }
          segStart = data.length;
          options.onProgress?.(data.length);
          continue;
        }
        if (skipping) {
          skipping = false;
          pos += nl + 1;
          segStart = nl + 1;
        } else {
          const head = carry!;
          carry = null;
          const length = head.length + nl + 1;
          // The line's head goes into the batch ahead of its rest in this buffer (too long: neither does).
          if (length - 1 <= maxLine) parts.push(head);
          const pending = addLine(nl + 1, length);
          if (pending) await pending;
        }
        start = nl + 1;
      }
      for (;;) {
        const nl = data.indexOf(10, start);
        if (nl === -1) break;
        const pending = addLine(nl + 1, nl - start + 1);
        if (pending) await pending;
        start = nl + 1;
      }
      cut(start);
      const rest = data.subarray(start);
      if (rest.length > maxLine) {
        segStart = data.length;
        await tooLong(rest.length);
        skipping = true;
      } else if (rest.length) {
        carry = Buffer.from(rest);
        segStart = data.length;
      }
      options.onProgress?.(data.length);
    }
    // Last line without a trailing newline.
    if (carry?.length) {
      current = carry;
      segStart = 0;
      const pending = addLine(carry.length, carry.length, 0);
      if (pending) await pending;
      cut(carry.length);
    }
    await flush();
    await drain();
    // Record the end even when the tail held no lines (e.g. an over-long last line).
    if (summary.offset !== pos) {
      await store.setCheckpoint(source, pos, lineNo);
      summary.offset = pos;
    }
  } finally {
    // Never leave a commit running behind the caller's back (it may close the store next).
    await (committing as Promise<void> | null)?.catch(() => {});
    await pool?.close();
  }
  return summary;
}
