import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterdictError } from '../../core/errors.js';
import { listSets, readLabelledSet } from './dataset.js';

describe('readLabelledSet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'interdict-sets-'));

  it('reads rows, names the set after the file and joins list-valued sub labels', () => {
    const file = join(dir, 'tiny.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({
          id: 'tiny:0',
          text: 'a',
          label: 1,
          category: 'cyber',
          side: 'input',
          permissive: true,
          sub: ['x', 'y'],
        }),
        '',
        JSON.stringify({ text: 'b', label: 0, side: 'document' }),
      ].join('\n'),
    );
    const rows = readLabelledSet(file);
    expect(rows).toEqual([
      {
        id: 'tiny:0',
        text: 'a',
        label: 1,
        category: 'cyber',
        side: 'input',
        set: 'tiny',
        permissive: true,
        sub: 'x+y',
      },
      {
        id: 'tiny:2',
        text: 'b',
        label: 0,
        category: 'benign',
        side: 'document',
        set: 'tiny',
        permissive: false,
      },
    ]);
    expect(listSets(dir)).toEqual([file]);
  });

  it('reports bad lines and missing files with coded errors naming the line, not the content', () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ text: 'ok', label: 0, side: 'input' })}\n{not json secret-token}\n`,
    );
    try {
      readLabelledSet(file);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InterdictError);
      expect((err as InterdictError).code).toBe('INTERDICT_INPUT_BAD_JSON');
      expect(JSON.stringify((err as InterdictError).toJSON())).not.toContain('secret-token');
      expect((err as InterdictError).details[0]?.where).toBe(`${file}:2`);
    }
    expect(() => readLabelledSet(join(dir, 'missing.jsonl'))).toThrow(InterdictError);
  });
});
