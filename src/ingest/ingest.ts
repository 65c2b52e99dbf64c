import { createReadStream, realpathSync, statSync } from 'node:fs';
import { InterdictError } from '../core/errors.js';
import type { RecordedEvent } from '../core/event.js';
import type { Screener } from '../detect/screener.js';
import type { EventStore } from '../store/port.js';
import { createAnalyzer } from './analyze.js';
import { applyContentMode, type ContentPolicy } from './content.js';
import { parseEventRow } from './validate.js';

/**
 * Streams a JSONL file of interaction events into a store: bounded batches, each committed in one
 * transaction together with a checkpoint (byte offset just past its last line), so a crash loses nothing
 * acknowledged and a rerun resumes where the last commit ended. Ids make it idempotent: the same file twice
 * changes nothing. Malformed lines are reported by number and skipped.
 */

export interface IngestProblem {
  line: number;
  code:
    | 'INTERDICT_INPUT_BAD_JSON'
    | 'INTERDICT_INPUT_INVALID'
    | 'INTERDICT_INPUT_TOO_LARGE'
    | 'INTERDICT_INPUT_BAD_UTF8';
  problem: string;
}

export interface IngestOptions {
  input: string;
  store: EventStore;
  /** Screening engine; when absent, rows without an `interdict` analysis are recorded unscreened. */
  screener?: Screener;
  content: ContentPolicy;
  /** Rows per transaction (default 2000). */
  batchSize?: number;
  /** Start from the stored checkpoint (default true); false re-reads from the start (still idempotent). */
  resume?: boolean;
  /** Tenant for rows that carry none. */
  defaultTenant?: string;
  /** Longest accepted line in bytes (default 16 MiB); longer lines are skipped as problems. */
  maxLineBytes?: number;
  /** Problems kept in the summary (all are counted). */
  maxProblems?: number;
  onTotal?: (bytes: number) => void;
  onProgress?: (bytes: number) => void;
  /** After each committed batch (tests and progress). */
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
}

export function checkpointSource(input: string): string {
  return `file:${realpathSync(input)}`;
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
  const analyzer = createAnalyzer(options.screener);
  const decoder = new TextDecoder('utf-8', { fatal: true });

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
  };
  options.onTotal?.(size);
  if (offset > 0) options.onProgress?.(offset);

  const problem = (p: IngestProblem) => {
    summary.malformed += 1;
    if (summary.problems.length < maxProblems) summary.problems.push(p);
  };

  let batch: RecordedEvent[] = [];
  let pos = offset; // byte offset just past the last line handled
  const commit = async () => {
    const { inserted } = batch.length
      ? await store.putEvents(batch, { checkpoint: { source, offset: pos, line: lineNo } })
      : { inserted: 0 };
    if (!batch.length) await store.setCheckpoint(source, pos, lineNo);
    summary.inserted += inserted;
    summary.duplicates += batch.length - inserted;
    summary.offset = pos;
    options.onCommit?.({ offset: pos, line: lineNo, inserted });
    batch = [];
  };

  const handle = (bytes: Buffer) => {
    lineNo += 1;
    summary.lines += 1;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      problem({ line: lineNo, code: 'INTERDICT_INPUT_BAD_UTF8', problem: 'line is not valid UTF-8' });
      return;
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      problem({ line: lineNo, code: 'INTERDICT_INPUT_BAD_JSON', problem: 'malformed JSON' });
      return;
    }
    const row = parseEventRow(parsed, options.defaultTenant ? { tenant: options.defaultTenant } : {});
    if (!row.ok) {
      problem({ line: lineNo, code: 'INTERDICT_INPUT_INVALID', problem: row.problem });
      return;
    }
    const { analysis, redactions } = analyzer.analyze(row.event, row.analysis);
    const kept = applyContentMode(row.event, options.content(row.event.tenant), redactions);
    batch.push({ ...kept, interdict: analysis });
    summary.events += 1;
  };

  const stream = createReadStream(options.input, { start: offset, highWaterMark: 1 << 20 });
  let carry: Buffer | null = null;
  let skipping = false; // inside an over-long line, discarding until its newline
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = null;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl === -1) break;
      const length = nl - start + 1;
      if (skipping) {
        skipping = false;
        pos += length;
        start = nl + 1;
        continue;
      }
      handle(buf.subarray(start, nl));
      pos += length;
      start = nl + 1;
      if (batch.length >= batchSize) await commit();
    }
    const rest = buf.subarray(start);
    if (skipping) {
      pos += rest.length;
    } else if (rest.length > maxLine) {
      lineNo += 1;
      summary.lines += 1;
      problem({ line: lineNo, code: 'INTERDICT_INPUT_TOO_LARGE', problem: `line exceeds ${maxLine} bytes` });
      pos += rest.length;
      skipping = true;
    } else if (rest.length) {
      carry = Buffer.from(rest);
    }
    options.onProgress?.(chunk.length);
  }
  if (carry?.length) {
    // Last line without a trailing newline.
    handle(carry);
    pos += carry.length;
  }
  await commit();
  return summary;
}
