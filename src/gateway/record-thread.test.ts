import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../core/event.js';
import { type ExchangeRecord, exchangeRecord, newExchange, toRecordedEvent } from './exchange.js';
import { createThreadRecorder } from './record-thread.js';

const dir = mkdtempSync(join(tmpdir(), 'interdict-record-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function written(file: string): RecordedEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => JSON.parse(line) as RecordedEvent[]);
}

function sampleRecord(i: number): ExchangeRecord {
  const ex = newExchange('chat');
  ex.account = `acct-${i}`;
  ex.model = 'm';
  ex.inputParts = [
    { part: 'messages[0]', side: 'input', role: 'system', text: 'You are a helpful assistant.' },
    {
      part: 'messages[1]',
      side: 'input',
      role: 'user',
      text: `Mail me at jane${i}@example.com about the plan`,
    },
  ];
  ex.completion = 'Sure, I will.';
  ex.action = 'flag';
  ex.score = 0.61234;
  ex.categories.add('jailbreak');
  ex.reasons.push('messages[1]:jailbreak=0.612>=0.50(flag)->flag [learned]');
  ex.spans.set('messages[1]', [{ start: 11, end: 11 + `jane${i}@example.com`.length }]);
  return exchangeRecord(ex, 'redacted');
}

const entry = new URL('./testing/record-thread-test-worker.ts', import.meta.url);

describe('recording thread', () => {
  it('builds the same events as the request thread would, and flush and close write them all', async () => {
    const file = join(dir, 'events.jsonl');
    const recorder = createThreadRecorder({ entry, workerData: { file, failures: 0 } });
    const records = [sampleRecord(1), sampleRecord(2)];
    recorder.recordExchanges(records);
    await recorder.flush();
    expect(written(file)).toEqual(records.map((r) => toRecordedEvent(r, 'full')));
    expect(written(file)[0]?.request.messages[1]?.content).toBe('Mail me at [REDACTED] about the plan');
    recorder.recordExchanges([sampleRecord(3)]);
    await recorder.close();
    expect(written(file).map((e) => e.account)).toEqual(['acct-1', 'acct-2', 'acct-3']);
  });

  it('reports a failed write, keeps the batch and writes it on the next flush', async () => {
    const file = join(dir, 'retry.jsonl');
    const errors: string[] = [];
    const recorder = createThreadRecorder({
      entry,
      workerData: { file, failures: 1 },
      onError: (err) => errors.push(err.message),
    });
    recorder.recordExchanges([sampleRecord(7)]);
    await recorder.flush();
    expect(written(file)).toEqual([]);
    expect(recorder.pending).toBe(1);
    expect(errors).toEqual(['store unavailable']);
    await recorder.close();
    expect(written(file).map((e) => e.account)).toEqual(['acct-7']);
    expect(recorder.pending).toBe(0);
  });

  it('reports a thread that died, and refuses events instead of dropping them silently', async () => {
    const errors: string[] = [];
    const recorder = createThreadRecorder({
      entry,
      workerData: { file: join(dir, 'never.jsonl'), failures: 0, crash: true },
      onError: (err) => errors.push(err.message),
    });
    await expect(recorder.flush()).rejects.toThrow('cannot open the store');
    expect(errors).toEqual(['cannot open the store']);
    expect(() => recorder.recordExchanges([sampleRecord(9)])).toThrow('cannot open the store');
    await expect(recorder.close()).rejects.toThrow('cannot open the store');
  });
});
