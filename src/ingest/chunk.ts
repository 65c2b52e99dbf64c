import { isUtf8 } from 'node:buffer';
import type { RecordedEvent } from '../core/event.js';
import { ByteArena, type EventRow, toRow } from '../store/rows.js';
import type { Analyzer } from './analyze.js';
import { type ContentPolicy, keepContentInPlace } from './content.js';
import { parseEventRow } from './validate.js';

/**
 * Turns a chunk of complete JSONL lines into store rows: parse, validate, analyse (screening, fingerprints,
 * language features), apply the tenant's content mode, map to columns. Pure CPU work with no I/O, so it runs
 * inline or in a worker thread alike.
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

export interface ChunkContext {
  analyzer: Analyzer;
  content: ContentPolicy;
  defaultTenant?: string;
}

export interface ChunkResult {
  rows: EventRow[];
  problems: IngestProblem[];
  /** Lines in the chunk (blank ones included). */
  lines: number;
  /** Valid events. */
  events: number;
}

export function processChunk(buf: Uint8Array, firstLine: number, ctx: ChunkContext): ChunkResult {
  const work = new ChunkWork(buf, firstLine, ctx);
  work.step(Number.POSITIVE_INFINITY);
  return work.result;
}

/**
 * processChunk in slices of `sliceLines` lines, letting the event loop run between them: a database client
 * on this thread (PostgreSQL) can then send the previous batch's next statement and read its replies while
 * this batch is parsed, instead of waiting for the whole chunk.
 */
export async function processChunkInSlices(
  buf: Uint8Array,
  firstLine: number,
  ctx: ChunkContext,
  sliceLines = 100,
): Promise<ChunkResult> {
  const work = new ChunkWork(buf, firstLine, ctx);
  while (!work.step(sliceLines)) await new Promise<void>((resolve) => setImmediate(resolve));
  return work.result;
}

/** One chunk's processing state, advanced a number of lines at a time. */
class ChunkWork {
  readonly result: ChunkResult = { rows: [], problems: [], lines: 0, events: 0 };
  private readonly arena = new ByteArena();
  private readonly bytes: Buffer;
  /** The whole chunk decoded once (the usual case: valid UTF-8), so lines are cut from a string. */
  private readonly text: string | undefined;
  private pos = 0;

  constructor(
    buf: Uint8Array,
    private readonly firstLine: number,
    private readonly ctx: ChunkContext,
  ) {
    this.bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    this.text = isUtf8(this.bytes) ? this.bytes.toString('utf8') : undefined;
  }

  /** Processes up to `lines` lines; true when the chunk is done. */
  step(lines: number): boolean {
    const { text, bytes, result } = this;
    const size = text === undefined ? bytes.length : text.length;
    for (let n = 0; n < lines && this.pos < size; n++) {
      const lineNo = this.firstLine + result.lines;
      result.lines += 1;
      if (text !== undefined) {
        let end = text.indexOf('\n', this.pos);
        if (end === -1) end = text.length;
        handleText(text.slice(this.pos, end), lineNo, this.ctx, this.arena, result);
        this.pos = end + 1;
        continue;
      }
      // A chunk with invalid UTF-8 somewhere: lines are checked and decoded one by one.
      let end = bytes.indexOf(10, this.pos);
      if (end === -1) end = bytes.length;
      const line = bytes.subarray(this.pos, end);
      if (isUtf8(line)) handleText(line.toString('utf8'), lineNo, this.ctx, this.arena, result);
      else
        result.problems.push({
          line: lineNo,
          code: 'INTERDICT_INPUT_BAD_UTF8',
          problem: 'line is not valid UTF-8',
        });
      this.pos = end + 1;
    }
    return this.pos >= size;
  }
}

function isBlank(text: string): boolean {
  // Lines almost always start with '{': only other lines pay for the whitespace check.
  return text.charCodeAt(0) !== 123 && text.trim() === '';
}

function handleText(
  line: string,
  lineNo: number,
  ctx: ChunkContext,
  arena: ByteArena,
  out: ChunkResult,
): void {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (isBlank(text)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    out.problems.push({ line: lineNo, code: 'INTERDICT_INPUT_BAD_JSON', problem: 'malformed JSON' });
    return;
  }
  const row = parseEventRow(parsed, ctx.defaultTenant ? { tenant: ctx.defaultTenant } : {});
  if (!row.ok) {
    out.problems.push({ line: lineNo, code: 'INTERDICT_INPUT_INVALID', problem: row.problem });
    return;
  }
  const { analysis, redactions } = ctx.analyzer.analyze(row.event, row.analysis);
  // The event is this function's own (parseEventRow built it): keep its text in place and add the analysis,
  // no copies.
  const event = row.event as RecordedEvent;
  keepContentInPlace(event, ctx.content(event.tenant), redactions);
  event.interdict = analysis;
  out.rows.push(toRow(event, arena));
  out.events += 1;
}
