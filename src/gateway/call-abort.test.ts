import { describe, expect, it } from 'vitest';
import { CallAbort } from './call-abort.js';

/** Runs the same script of calls on a CallAbort and on an AbortController's signal; returns what each saw. */
function both(script: (api: { abort(): void; on(fn: () => void): void; off(fn: () => void): void }) => void) {
  const seen: string[][] = [[], []];
  const call = new CallAbort();
  script({
    abort: () => call.abort(),
    on: (fn) => call.onAbort(fn),
    off: (fn) => call.offAbort(fn),
  });
  seen[0]!.push(`aborted=${call.aborted}`);
  const controller = new AbortController();
  script({
    abort: () => controller.abort(),
    on: (fn) => controller.signal.addEventListener('abort', fn, { once: true }),
    off: (fn) => controller.signal.removeEventListener('abort', fn),
  });
  seen[1]!.push(`aborted=${controller.signal.aborted}`);
  return seen;
}

describe('CallAbort behaves as the AbortController it replaces', () => {
  it('runs callbacks once, in order, and forgets removed ones', () => {
    const log: string[] = [];
    const [mine, reference] = both((api) => {
      const a = () => log.push('a');
      const b = () => log.push('b');
      api.on(a);
      api.on(b);
      api.on(() => log.push('c'));
      api.off(b);
      log.push('before');
      api.abort();
      api.abort();
      log.push('after');
    });
    expect(mine).toEqual(reference);
    expect(log).toEqual(['before', 'a', 'c', 'after', 'before', 'a', 'c', 'after']);
  });

  it('does not run a callback added after the abort, and a callback may remove itself or another', () => {
    const log: string[] = [];
    const [mine, reference] = both((api) => {
      const second = () => log.push('second');
      api.on(() => {
        log.push('first');
        api.off(second);
      });
      api.on(second);
      api.abort();
      api.on(() => log.push('late'));
      api.abort();
    });
    expect(mine).toEqual(reference);
    expect(log).toEqual(['first', 'first']);
  });

  it('starts not aborted and stays aborted', () => {
    const call = new CallAbort();
    expect(call.aborted).toBe(false);
    call.abort();
    expect(call.aborted).toBe(true);
  });
});
