import { isUtf8 } from 'node:buffer';
import { type EventRow, toRow } from '../store/rows.js';
import type { Analyzer } from './analyze.js';
import { applyContentMode, type ContentPolicy } from './content.js';
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
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end === -1) end = bytes.length;
    const lineNo = firstLine + result.lines;
    result.lines += 1;
    handleLine(bytes.subarray(start, end), lineNo, ctx, result);
    start = end + 1;
  }
  return result;
}

function handleLine(line: Buffer, lineNo: number, ctx: ChunkContext, out: ChunkResult): void {
  if (!isUtf8(line)) {
    out.problems.push({ line: lineNo, code: 'INTERDICT_INPUT_BAD_UTF8', problem: 'line is not valid UTF-8' });
    return;
  }
  let text = line.toString('utf8');
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (text.trim() === '') return;
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
  const kept = applyContentMode(row.event, ctx.content(row.event.tenant), redactions);
  out.rows.push(toRow({ ...kept, interdict: analysis }));
  out.events += 1;
}
