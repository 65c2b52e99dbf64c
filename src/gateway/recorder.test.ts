import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../core/event.js';
import { createBatchingRecorder, MemoryEventLog } from './recorder.js';

function event(id: string): RecordedEvent {
  return {
    id,
    ts: '2026-01-01T00:00:00.000Z',
    tenant: 't',
    account: 'a',
    request: { messages: [] },
    interdict: {
      verdicts: [],
      action: 'allow',
      score: 0,
      categories: [],
      fingerprints: { simhash: '0' },
      reasons: [],
    },
  };
}

describe('createBatchingRecorder', () => {
  it('writes in batches of batchSize and flushes the rest on close', async () => {
    const batches: number[] = [];
    const log = new MemoryEventLog();
    const recorder = createBatchingRecorder(
      {
        writeBatch: (events) => {
          batches.push(events.length);
          log.writeBatch(events);
        },
      },
      { batchSize: 3, flushMs: 10_000 },
    );
    for (let i = 0; i < 7; i++) await recorder.record(event(`e${i}`));
    await recorder.close();
    expect(log.events.map((e) => e.id)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(7);
    expect(Math.max(...batches)).toBeLessThanOrEqual(3);
  });

  it('keeps a failed batch and writes it on the next flush', async () => {
    let fail = true;
    const log = new MemoryEventLog();
    const errors: unknown[] = [];
    const recorder = createBatchingRecorder(
      {
        writeBatch: (events) => {
          if (fail) throw new Error('store down');
          log.writeBatch(events);
        },
      },
      { batchSize: 100, flushMs: 10_000, onError: (e) => errors.push(e) },
    );
    await recorder.record(event('x1'));
    await recorder.flush();
    expect(errors).toHaveLength(1);
    expect(recorder.pending).toBe(1);
    fail = false;
    await recorder.record(event('x2'));
    await recorder.close();
    expect(log.events.map((e) => e.id)).toEqual(['x1', 'x2']);
  });
});
