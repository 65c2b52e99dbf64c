import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import type { Detector } from '../detect/types.js';
import { createScreenerFromParts } from '../detect/screener.js';
import { createNormalizer } from '../normalize/index.js';
import { screenJsonl } from './screen-jsonl.js';

const trigger: Detector = {
  id: 'test',
  detect: ({ request }) => ({
    evidence: request.text.includes('evil')
      ? [{ detector: 'test', ruleId: 'T-1', category: 'injection', score: 0.9, view: 'original' }]
      : [],
  }),
};

describe('screenJsonl', () => {
  it('writes one row per input row with the same ids, reporting bad rows by line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'interdict-batch-'));
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    writeFileSync(
      input,
      [
        JSON.stringify({ id: 'a', text: 'hello', side: 'input' }),
        JSON.stringify({ id: 'b', text: 'something evil', side: 'document' }),
        '{"id": "c", "text": broken',
        '',
        JSON.stringify({ id: 7, text: 'no side given' }),
        JSON.stringify({ id: 'd', text: 12 }),
        JSON.stringify({ id: 'e', text: 'x', side: 'nowhere' }),
        JSON.stringify(['not', 'an', 'object']),
      ].join('\n'),
    );
    const screener = createScreenerFromParts(parseConfig({}).screening, {
      normalize: createNormalizer(),
      detectors: [trigger],
    });
    const summary = await screenJsonl(screener, { input, output });
    const rows = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', null, 7, 'd', 'e', null]);
    expect(rows[0]).toEqual({
      id: 'a',
      flagged: false,
      score: 0,
      action: 'allow',
      categories: [],
      rules: [],
    });
    expect(rows[1]).toEqual({
      id: 'b',
      flagged: true,
      score: 0.9,
      action: 'block',
      categories: ['injection'],
      rules: ['T-1'],
    });
    expect(rows[2].error).toEqual(expect.objectContaining({ code: 'INTERDICT_INPUT_BAD_JSON', line: 3 }));
    expect(rows[3]).toMatchObject({ id: 7, action: 'allow' });
    expect(rows[4].error).toEqual(expect.objectContaining({ code: 'INTERDICT_INPUT_NOT_TEXT', line: 6 }));
    expect(rows[5].error).toEqual(expect.objectContaining({ code: 'INTERDICT_INPUT_BAD_SIDE', line: 7 }));
    expect(rows[6].error).toEqual(expect.objectContaining({ code: 'INTERDICT_INPUT_INVALID', line: 8 }));
    expect(summary).toMatchObject({ rows: 7, flagged: 1, errors: 4 });
    expect(summary.problems.map((p) => p.line)).toEqual([3, 6, 7, 8]);
    // Error messages never echo the row's content.
    expect(readFileSync(output, 'utf8')).not.toContain('broken');
  });
});
