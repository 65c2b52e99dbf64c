import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InterdictError } from '../../core/errors.js';
import { isSide, type Side } from '../../core/types.js';

/** One labelled row as the sets in ../shared/datasets carry it. */
export interface LabelledRow {
  id: string;
  text: string;
  label: 0 | 1;
  /** A Category, `harmful` (misuse of unknown kind) or `benign`. */
  category: string;
  side: Side;
  /** The set the row comes from (file name without .jsonl). */
  set: string;
  permissive: boolean;
  sub?: string;
}

/** Reads one JSONL set; a malformed line is a coded error naming the line (never its content). */
export function readLabelledSet(file: string): LabelledRow[] {
  const set = basename(file).replace(/\.jsonl$/, '');
  const rows: LabelledRow[] = [];
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InterdictError(
      'INTERDICT_USAGE',
      'labelled set not readable',
      [{ where: file, problem: 'cannot read file' }],
      {
        cause,
      },
    );
  }
  const lines = content.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new InterdictError('INTERDICT_INPUT_BAD_JSON', undefined, [
        { where: `${file}:${i + 1}`, problem: 'malformed JSON' },
      ]);
    }
    const { text, label, side } = raw;
    if (typeof text !== 'string' || (label !== 0 && label !== 1) || !isSide(side)) {
      throw new InterdictError('INTERDICT_INPUT_INVALID', undefined, [
        { where: `${file}:${i + 1}`, problem: 'row needs text (string), label (0|1) and side' },
      ]);
    }
    const sub = Array.isArray(raw.sub) ? raw.sub.join('+') : raw.sub;
    rows.push({
      id: typeof raw.id === 'string' ? raw.id : `${set}:${i}`,
      text,
      label,
      category: typeof raw.category === 'string' ? raw.category : label === 1 ? 'harmful' : 'benign',
      side,
      set,
      permissive: raw.permissive === true,
      ...(typeof sub === 'string' && sub ? { sub } : {}),
    });
  });
  return rows;
}

/** Every *.jsonl set in a directory, sorted by name (stable order = reproducible training). */
export function listSets(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    throw new InterdictError(
      'INTERDICT_USAGE',
      'dataset directory not found',
      [{ where: dir, problem: 'not readable' }],
      { cause },
    );
  }
  return names
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .map((n) => join(dir, n));
}
