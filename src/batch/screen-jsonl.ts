import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { isInterdictError } from '../core/errors.js';
import { isSide, type Side } from '../core/types.js';
import type { Screener } from '../detect/screener.js';

/** One output row of batch screening. This shape is how quality is measured: keep it stable. */
export interface BatchRow {
  id: string | number | null;
  flagged: boolean;
  score: number;
  action: string;
  categories: string[];
  rules: string[];
  error?: { code: string; message: string; line: number };
}

export interface BatchProblem {
  line: number;
  code: string;
  message: string;
}

export interface BatchSummary {
  rows: number;
  flagged: number;
  errors: number;
  problems: BatchProblem[];
}

export interface BatchOptions {
  input: string;
  output: string;
  onProgress?: (bytes: number) => void;
  /** Called once the input size is known. */
  onTotal?: (bytes: number) => void;
}

function errorRow(id: BatchRow['id'], line: number, code: string, message: string): BatchRow {
  return {
    id,
    flagged: false,
    score: 0,
    action: 'error',
    categories: [],
    rules: [],
    error: { code, message, line },
  };
}

/** Screens one parsed row; never throws. */
export function screenRow(screener: Screener, row: unknown, line: number): BatchRow {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    return errorRow(null, line, 'INTERDICT_INPUT_INVALID', 'row must be a JSON object');
  }
  const { id = null, text, side } = row as Record<string, unknown>;
  const rowId = typeof id === 'string' || typeof id === 'number' ? id : null;
  const resolvedSide: Side = side === undefined ? 'input' : isSide(side) ? side : ('bad' as Side);
  try {
    const verdict = screener.screen({ text: text as string, side: resolvedSide });
    const rules = [...new Set(verdict.evidence.filter((e) => e.ruleId).map((e) => e.ruleId!))];
    return {
      id: rowId,
      flagged: verdict.flagged,
      score: verdict.score,
      action: verdict.action,
      categories: verdict.flaggedCategories,
      rules,
    };
  } catch (err) {
    if (isInterdictError(err)) return errorRow(rowId, line, err.code, err.message);
    return errorRow(rowId, line, 'INTERDICT_INTERNAL', 'screening failed');
  }
}

/** Parses and screens one non-blank input line; never throws. */
export function screenLine(screener: Screener, line: string, lineNo: number): BatchRow {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return errorRow(null, lineNo, 'INTERDICT_INPUT_BAD_JSON', 'malformed JSON');
  }
  return screenRow(screener, parsed, lineNo);
}

/** Counts a written row into the summary (the first 1,000 problems are kept). */
export function tally(summary: BatchSummary, row: BatchRow, lineNo: number): void {
  summary.rows += 1;
  if (row.flagged) summary.flagged += 1;
  if (row.error) {
    summary.errors += 1;
    if (summary.problems.length < MAX_PROBLEMS) {
      summary.problems.push({ line: lineNo, code: row.error.code, message: row.error.message });
    }
  }
}

export const MAX_PROBLEMS = 1000;

export function emptySummary(): BatchSummary {
  return { rows: 0, flagged: 0, errors: 0, problems: [] };
}

/** Streams IN.jsonl → OUT.jsonl on this thread, one output row per non-blank input line, in order. */
export async function screenJsonl(screener: Screener, options: BatchOptions): Promise<BatchSummary> {
  options.onTotal?.(statSync(options.input).size);
  const input = createReadStream(options.input, { encoding: 'utf8' });
  const output = createWriteStream(options.output, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const summary = emptySummary();
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    options.onProgress?.(Buffer.byteLength(line) + 1);
    if (line.trim() === '') continue;
    const row = screenLine(screener, line, lineNo);
    tally(summary, row, lineNo);
    if (!output.write(`${JSON.stringify(row)}\n`)) await once(output, 'drain');
  }
  output.end();
  await once(output, 'finish');
  return summary;
}
