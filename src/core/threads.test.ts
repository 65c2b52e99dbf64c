import { describe, expect, it } from 'vitest';
import { InterdictError } from './errors.js';
import { fatalOf, siblingModule, WorkerPool } from './threads.js';

type Req = { seq: number; value: number; crash?: boolean };
type Rep = { seq: number; value: number };
const entry = siblingModule(new URL('./testing/x.ts', import.meta.url).href, 'echo-worker');

describe('WorkerPool', () => {
  it('answers every request by its seq', async () => {
    const pool = new WorkerPool<Req, Rep>(2, entry, {}, 'echo worker');
    try {
      expect(pool.size).toBe(2);
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) => pool.submit({ seq: i, value: i })),
      );
      expect(replies.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(replies.map((r) => r.value)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    } finally {
      await pool.close();
    }
  });

  it('fails every request with the coded error a worker could not start with', async () => {
    const pool = new WorkerPool<Req, Rep>(1, entry, { failStart: true }, 'echo worker');
    try {
      const err = await pool.submit({ seq: 1, value: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InterdictError);
      expect((err as InterdictError).code).toBe('INTERDICT_RULES_INVALID');
      const later = await pool.submit({ seq: 2, value: 2 }).catch((e: unknown) => e);
      expect((later as InterdictError).code).toBe('INTERDICT_RULES_INVALID');
    } finally {
      await pool.close();
    }
  });

  it('turns a worker that dies into an internal error naming the pool', async () => {
    const pool = new WorkerPool<Req, Rep>(1, entry, {}, 'echo worker');
    try {
      const err = await pool.submit({ seq: 1, value: 1, crash: true }).catch((e: unknown) => e);
      expect((err as InterdictError).code).toBe('INTERDICT_INTERNAL');
      expect((err as InterdictError).message).toBe('echo worker failed');
    } finally {
      await pool.close();
    }
  });
});

describe('fatalOf and siblingModule', () => {
  it('keeps a coded error and hides any other', () => {
    expect(fatalOf(new InterdictError('INTERDICT_CONFIG_INVALID', 'unknown key'), 'x')).toEqual({
      fatal: { code: 'INTERDICT_CONFIG_INVALID', message: 'unknown key' },
    });
    expect(fatalOf(new Error('secret path /etc/x'), 'worker failed to start')).toEqual({
      fatal: { code: 'INTERDICT_INTERNAL', message: 'worker failed to start' },
    });
  });

  it('names the sibling module with the extension the code runs with', () => {
    expect(siblingModule('file:///a/b/pool.ts', 'worker').href).toBe('file:///a/b/worker.ts');
    expect(siblingModule('file:///a/b/pool.js', 'worker').href).toBe('file:///a/b/worker.js');
  });
});
