import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Screener } from '../detect/screener.js';
import type { Verdict } from '../core/types.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { parseConfig } from '../config/load.js';
import { contentPolicy } from './content.js';
import { checkpointSource, ingestFile, resolveWorkers } from './ingest.js';
import { writeEventsFile } from './testing/generate.js';

const dir = mkdtempSync(join(tmpdir(), 'interdict-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function freshStore(): Promise<{ store: SqliteStore; path: string }> {
  const path = join(dir, `s${n++}.db`);
  const store = new SqliteStore({ path });
  await store.migrate();
  return { store, path };
}

const full = contentPolicy({ content: 'full', tenants: {} });

function line(o: Record<string, unknown>): string {
  return JSON.stringify({
    ts: '2026-03-01T10:00:00.000Z',
    tenant: 't',
    account: 'a',
    request: { messages: [{ role: 'user', content: 'hi' }] },
    ...o,
  });
}

describe('ingestFile', () => {
  it('is idempotent: the same file twice stores each event once', async () => {
    const { store } = await freshStore();
    const input = join(dir, 'twice.jsonl');
    writeEventsFile(input, 1234, { accounts: 7 });
    const first = await ingestFile({ input, store, content: full, batchSize: 100 });
    expect(first).toMatchObject({ lines: 1234, events: 1234, inserted: 1234, duplicates: 0, malformed: 0 });
    const second = await ingestFile({ input, store, content: full, batchSize: 100, resume: false });
    expect(second).toMatchObject({ events: 1234, inserted: 0, duplicates: 1234 });
    expect(await store.countEvents()).toBe(1234);
    // With resume (default) a finished file reads nothing new.
    const third = await ingestFile({ input, store, content: full });
    expect(third).toMatchObject({ lines: 0, events: 0, inserted: 0 });
    await store.close();
  });

  it('commits one batch at a time in file order while the next is processed, and stops at a failed commit', async () => {
    const { store } = await freshStore();
    const input = join(dir, 'overlap.jsonl');
    writeEventsFile(input, 1000, { accounts: 5 });
    // A slow store (like a database server): each commit resolves later, and the 6th one fails.
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const offsets: number[] = [];
    const realPut = store.putPrepared.bind(store);
    store.putPrepared = async (rows, options) => {
      calls += 1;
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      try {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (calls === 6) throw new Error('database went away');
        offsets.push(options?.checkpoint?.offset ?? -1);
        return await realPut(rows, options);
      } finally {
        running -= 1;
      }
    };
    await expect(ingestFile({ input, store, content: full, batchSize: 100 })).rejects.toThrow(
      'database went away',
    );
    expect(maxRunning).toBe(1);
    expect(offsets).toHaveLength(5);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    // Nothing past the failed batch was committed: the checkpoint is the fifth batch's, with its events.
    expect(await store.countEvents()).toBe(500);
    expect((await store.getCheckpoint(checkpointSource(input)))?.line).toBe(500);
    store.putPrepared = realPut;
    const rest = await ingestFile({ input, store, content: full, batchSize: 100 });
    expect(rest).toMatchObject({ lines: 500, inserted: 500 });
    expect(await store.countEvents()).toBe(1000);
    await store.close();
  });

  it('resumes after the checkpoint and picks up appended lines with correct line numbers', async () => {
    const { store } = await freshStore();
    const input = join(dir, 'append.jsonl');
    writeFileSync(input, `${line({ id: 'a1' })}\n${line({ id: 'a2' })}\n`);
    await ingestFile({ input, store, content: full });
    appendFileSync(input, `{oops\n${line({ id: 'a3' })}\n`);
    const next = await ingestFile({ input, store, content: full });
    expect(next.resumedFrom).toBeGreaterThan(0);
    expect(next).toMatchObject({ lines: 2, inserted: 1, malformed: 1 });
    expect(next.problems).toEqual([{ line: 3, code: 'INTERDICT_INPUT_BAD_JSON', problem: 'malformed JSON' }]);
    expect((await store.getCheckpoint(checkpointSource(input)))?.line).toBe(4);
    await store.close();
  });

  it('reports malformed lines by number and code without their content, and skips them', async () => {
    const { store } = await freshStore();
    const input = join(dir, 'bad.jsonl');
    const secret = 'sk-THISISASECRETVALUE1234567890';
    writeFileSync(
      input,
      [
        line({ id: 'ok1' }),
        `{"id": "x", "text": "${secret}"`,
        '',
        line({ id: 'ok2', ts: 'yesterday' }),
        line({ id: 'ok3', account: 42 }),
        line({ id: 'ok4', request: { messages: [{ role: 'user', content: { nested: secret } }] } }),
        '[1,2]',
        line({ id: 'ok5', response: { content: 'no', refusal: 'yes' } }),
        line({ id: 'ok6' }),
      ].join('\n'),
    );
    const summary = await ingestFile({ input, store, content: full });
    expect(summary.inserted).toBe(2);
    expect(summary.problems.map((p) => [p.line, p.code])).toEqual([
      [2, 'INTERDICT_INPUT_BAD_JSON'],
      [4, 'INTERDICT_INPUT_INVALID'],
      [5, 'INTERDICT_INPUT_INVALID'],
      [6, 'INTERDICT_INPUT_INVALID'],
      [7, 'INTERDICT_INPUT_INVALID'],
      [8, 'INTERDICT_INPUT_INVALID'],
    ]);
    expect(JSON.stringify(summary)).not.toContain(secret);
    expect(await store.getEvent('ok6')).toBeDefined();
    await store.close();
  });

  it('keeps text per tenant content mode and computes fingerprints before redaction', async () => {
    const { store } = await freshStore();
    const input = join(dir, 'content.jsonl');
    const text = 'my key is sk-abcdefghijklmnopqrstuvwxyz0123 and mail me at eve@example.org';
    writeFileSync(
      input,
      ['red', 'hash', 'none', 'full']
        .map((tenant) =>
          line({
            id: tenant,
            tenant,
            request: { messages: [{ role: 'user', content: text }] },
            response: { content: 'ok' },
          }),
        )
        .join('\n'),
    );
    const policy = contentPolicy({
      content: 'redacted',
      tenants: { hash: { content: 'hash' }, none: { content: 'none' }, full: { content: 'full' } },
    });
    await ingestFile({ input, store, content: policy });
    const red = await store.getEvent('red');
    const redText = red!.request.messages[0]!.content;
    expect(redText).toBe('my key is [REDACTED] and mail me at [REDACTED]');
    expect((await store.getEvent('hash'))!.request.messages[0]!.content).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await store.getEvent('none'))!.request.messages[0]!.content).toBe('');
    expect((await store.getEvent('full'))!.request.messages[0]!.content).toBe(text);
    const prints = ['red', 'hash', 'none', 'full'].map(
      async (id) => (await store.getEvent(id))!.interdict.fingerprints.simhash,
    );
    const simhashes = await Promise.all(prints);
    expect(new Set(simhashes).size).toBe(1);
    expect(simhashes[0]).toMatch(/^[0-9a-f]{16}$/);
    await store.close();
  });

  it('screens user, system, tool and response parts on their sides, and keeps a given analysis', async () => {
    const { store } = await freshStore();
    const calls: string[] = [];
    const screener = {
      screen(req: { text: string; side: string }): Verdict {
        calls.push(`${req.side}:${req.text}`);
        const bad = req.text.includes('jailbreak');
        return {
          action: bad ? 'block' : 'allow',
          flagged: bad,
          score: bad ? 0.9 : 0.01,
          categories: bad ? { jailbreak: 0.9 } : {},
          flaggedCategories: bad ? ['jailbreak'] : [],
          evidence: bad
            ? [{ detector: 'rules', ruleId: 'JB-1', category: 'jailbreak', score: 0.9, view: 'original' }]
            : [],
          transforms: [],
          redactions: [],
          side: req.side as Verdict['side'],
          latencyMs: 0,
        };
      },
    } as unknown as Screener;
    const given = {
      verdicts: [],
      action: 'flag',
      score: 0.6,
      categories: ['fraud'],
      fingerprints: { simhash: 'aaaaaaaaaaaaaaaa' },
      reasons: ['upstream'],
    };
    const input = join(dir, 'screen.jsonl');
    writeFileSync(
      input,
      [
        line({
          id: 's1',
          request: {
            messages: [
              { role: 'system', content: 'be nice' },
              { role: 'user', content: 'do a jailbreak' },
              { role: 'assistant', content: 'earlier answer' },
              { role: 'tool', content: 'tool result' },
            ],
          },
          response: { content: 'fine' },
        }),
        line({ id: 's2', interdict: given }),
      ].join('\n'),
    );
    await ingestFile({ input, store, content: full, screener });
    // s2 carries its own analysis, so only s1's parts are screened (the assistant turn is not).
    expect(calls).toEqual(['input:be nice', 'input:do a jailbreak', 'document:tool result', 'output:fine']);
    const s1 = (await store.getEvent('s1'))!.interdict;
    expect(s1).toMatchObject({ action: 'block', score: 0.9, categories: ['jailbreak'] });
    expect(s1.verdicts.map((v) => `${v.part}/${v.side}`)).toEqual([
      'messages[0]/input',
      'messages[1]/input',
      'messages[3]/document',
      'response/output',
    ]);
    expect(s1.verdicts[1]!.rules).toEqual(['JB-1']);
    const s2 = (await store.getEvent('s2'))!.interdict;
    expect(s2).toMatchObject({ action: 'flag', categories: ['fraud'], reasons: ['upstream'] });
    expect(s2.fingerprints.simhash).toBe('aaaaaaaaaaaaaaaa');
    await store.close();
  });

  it('loses no acknowledged event when killed mid-ingest, and a rerun completes with the exact count', async () => {
    const { store, path } = await freshStore();
    await store.close();
    const input = join(dir, 'crash.jsonl');
    const total = 60_000;
    writeEventsFile(input, total, { accounts: 500 });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'ingest',
        '-i',
        input,
        '--db',
        path,
        '--no-screen',
        '--batch-size',
        '1000',
      ],
      { stdio: 'ignore', cwd: process.cwd() },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const reader = new Database(path, { readonly: true, fileMustExist: true });
    let seen = 0;
    for (let i = 0; i < 600 && seen < 5000; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        seen = (reader.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
      } catch {
        seen = 0; // schema not created yet
      }
    }
    child.kill('SIGKILL');
    await exited;
    const countAfterKill = (reader.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    const checkpoint = reader.prepare('SELECT "offset" AS o, line FROM checkpoints').get() as {
      o: number;
      line: number;
    };
    reader.close();
    expect(seen).toBeGreaterThanOrEqual(5000);
    expect(countAfterKill).toBeLessThan(total); // it really was interrupted
    // Every acknowledged (checkpointed) line is stored, and nothing beyond it: events and checkpoint commit together.
    expect(countAfterKill).toBe(checkpoint.line);

    const again = new SqliteStore({ path });
    await again.migrate();
    const rerun = await ingestFile({ input, store: again, content: full, batchSize: 5000 });
    expect(rerun.resumedFrom).toBe(checkpoint.o);
    expect(rerun.inserted).toBe(total - countAfterKill);
    expect(await again.countEvents()).toBe(total);
    await again.close();
  }, 120_000);
});

describe('ingestFile line splitting', () => {
  it('gives the same events, problems and checkpoint whatever the read size and batch size', async () => {
    const input = join(dir, 'splits.jsonl');
    const long = 'x'.repeat(700);
    const lines = [
      line({ id: 's1' }),
      line({ id: 'too-long', request: { messages: [{ role: 'user', content: long }] } }),
      '',
      line({ id: 's2', request: { messages: [{ role: 'user', content: 'ünïcödé ✓ text' }] } }),
      '{broken',
      line({ id: 's3' }),
      line({ id: 'long-last', request: { messages: [{ role: 'user', content: `${long}${long}` }] } }),
      line({ id: 's4' }),
      line({ id: 's5' }),
    ];
    writeFileSync(input, `${lines.join('\n')}\r\n${line({ id: 'no-newline' })}`);
    const outcomes: unknown[] = [];
    for (const readBytes of [1, 7, 64, 333, 1 << 20]) {
      for (const batchSize of [1, 2, 100]) {
        const { store } = await freshStore();
        const summary = await ingestFile({
          input,
          store,
          content: full,
          batchSize,
          readBytes,
          maxLineBytes: 600,
        });
        const ids: string[] = [];
        for (const id of ['s1', 's2', 's3', 's4', 's5', 'no-newline', 'too-long', 'long-last']) {
          if (await store.getEvent(id)) ids.push(id);
        }
        const checkpoint = await store.getCheckpoint(checkpointSource(input));
        outcomes.push({
          summary: { ...summary, resumedFrom: 0 },
          ids,
          checkpoint: checkpoint?.offset,
          line: checkpoint?.line,
        });
        await store.close();
      }
    }
    const first = outcomes[0] as { summary: { problems: unknown[]; offset: number }; ids: string[] };
    expect(first.ids).toEqual(['s1', 's2', 's3', 's4', 's5', 'no-newline']);
    expect(first.summary).toMatchObject({ lines: 10, events: 6, malformed: 3, offset: statSync(input).size });
    expect(first.summary.problems).toEqual([
      { line: 2, code: 'INTERDICT_INPUT_TOO_LARGE', problem: 'line exceeds 600 bytes' },
      { line: 5, code: 'INTERDICT_INPUT_BAD_JSON', problem: 'malformed JSON' },
      { line: 7, code: 'INTERDICT_INPUT_TOO_LARGE', problem: 'line exceeds 600 bytes' },
    ]);
    for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
  });
});

describe('ingestFile on worker threads', () => {
  it('stores exactly what inline processing stores, in order, with the same problems', async () => {
    const input = join(dir, 'workers.jsonl');
    writeEventsFile(input, 5000, { accounts: 13 });
    appendFileSync(input, `not json\n${line({ id: 'tail', ts: 'bad' })}\n${line({ id: 'last' })}`);
    const inline = await freshStore();
    const pooled = await freshStore();
    const settings = { content: 'redacted' as const, tenants: {} };
    const a = await ingestFile({ input, store: inline.store, content: settings, batchSize: 300 });
    const commits: number[] = [];
    const b = await ingestFile({
      input,
      store: pooled.store,
      content: settings,
      batchSize: 300,
      workers: 2,
      onCommit: (c) => commits.push(c.offset),
    });
    expect(b.workers).toBe(2);
    expect({ ...b, workers: 0 }).toEqual({ ...a, workers: 0 });
    expect(b.problems.map((p) => p.line)).toEqual([5001, 5002]);
    expect(commits).toEqual([...commits].sort((x, y) => x - y));
    for (const id of ['ev-0', 'ev-2999', 'ev-4999', 'last']) {
      expect(await pooled.store.getEvent(id)).toEqual(await inline.store.getEvent(id));
    }
    expect(await pooled.store.countEvents()).toBe(5001);
    await inline.store.close();
    await pooled.store.close();
  });

  it('reports a screener that cannot start with its own error code', async () => {
    const { store } = await freshStore();
    const input = join(dir, 'noscreen.jsonl');
    writeFileSync(input, `${line({ id: 'x' })}\n`);
    const screening = parseConfig({ screening: { rules: { dir: join(dir, 'no-such-rules') } } }).screening;
    const error = await ingestFile({
      input,
      store,
      content: { content: 'none', tenants: {} },
      screening,
      workers: 1,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: expect.stringMatching(/^INTERDICT_(RULES|MODEL)_/) });
    expect(await store.countEvents()).toBe(0);
    await store.close();
  });
});

describe('resolveWorkers', () => {
  it('runs inline on one core and uses every other core (at most 8) for auto', () => {
    expect(resolveWorkers('auto', 1)).toBe(0);
    expect(resolveWorkers('auto', 2)).toBe(1);
    expect(resolveWorkers('auto', 4)).toBe(3);
    expect(resolveWorkers('auto', 64)).toBe(8);
    expect(resolveWorkers(undefined, 4)).toBe(0);
    expect(resolveWorkers(3, 2)).toBe(3);
    expect(resolveWorkers(99, 2)).toBe(32);
  });
});
