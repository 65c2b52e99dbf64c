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
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const result: ChunkResult = { rows: [], problems: [], lines: 0, events: 0 };
  const arena = new ByteArena();
  if (isUtf8(bytes)) {
    // The usual case: decode the whole chunk once and cut lines from the string (no Buffer view and no
    // decode call per line).
    const text = bytes.toString('utf8');
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      const lineNo = firstLine + result.lines;
      result.lines += 1;
      handleText(text.slice(start, end), lineNo, ctx, arena, result);
      start = end + 1;
    }
    return result;
  }
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end === -1) end = bytes.length;
    const lineNo = firstLine + result.lines;
    result.lines += 1;
    const line = bytes.subarray(start, end);
    if (isUtf8(line)) handleText(line.toString('utf8'), lineNo, ctx, arena, result);
    else
      result.problems.push({
        line: lineNo,
        code: 'INTERDICT_INPUT_BAD_UTF8',
        problem: 'line is not valid UTF-8',
      });
    start = end + 1;
  }
  return result;
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
