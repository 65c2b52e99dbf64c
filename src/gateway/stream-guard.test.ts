import { describe, expect, it } from 'vitest';
import { gatewayError } from './api-errors.js';
import { SseParser } from './sse.js';
import { StreamGuard, type WindowOutcome } from './stream-guard.js';

function chatEvents(text: string, size: number): string {
  let wire = '';
  for (let i = 0; i < text.length; i += size) {
    wire += `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text.slice(i, i + size) } }] })}\n\n`;
  }
  return `${wire}data: [DONE]\n\n`;
}

function run(
  text: string,
  screen: (window: string, context: number) => WindowOutcome,
  mode: 'no-leak' | 'monitor' = 'no-leak',
  /** Events handed over together (as a busy gateway does a turn at a time); 1 = one by one. */
  batch = 1,
) {
  const written: string[] = [];
  const windows: string[] = [];
  const guard = new StreamGuard({
    kind: 'chat',
    mode,
    firstWindowChars: 16,
    windowChars: 64,
    contextChars: 40,
    maxCompletionChars: 1_000_000,
    screenWindow: (window, context) => {
      windows.push(window);
      return screen(window, context);
    },
    write: (chunk) => written.push(chunk),
  });
  const parser = new SseParser();
  const events = parser.push(chatEvents(text, 5));
  for (let i = 0; i < events.length; i += batch) {
    if (!guard.pushAll(events.slice(i, i + batch))) break;
  }
  guard.end();
  const released = written
    .filter((w) => w.startsWith('data: {'))
    .map(
      (w) =>
        (JSON.parse(w.slice(6)) as { choices: Array<{ delta: { content: string } }> }).choices[0]!.delta
          .content,
    )
    .join('');
  return { guard, written, windows, released };
}

describe('StreamGuard (no-leak)', () => {
  it('releases everything, in order, when every window is clean, and screens all text', () => {
    const text =
      'First sentence is here. Second sentence follows it! A third one, longer than the rest of them?';
    const { released, windows, written } = run(text, () => ({ kind: 'release' }));
    expect(released).toBe(text);
    expect(written.at(-1)).toBe('data: [DONE]\n\n');
    // Every character was inside some screened window before release.
    expect(windows.join('')).toContain('A third one');
  });

  it('never writes text that was not screened yet', () => {
    const text = 'Alpha beta gamma delta. Epsilon zeta eta theta. Iota kappa lambda mu.';
    const written: string[] = [];
    const releasedText = () =>
      written
        .filter((w) => w.startsWith('data: {'))
        .map(
          (w) =>
            (JSON.parse(w.slice(6)) as { choices: Array<{ delta: { content: string } }> }).choices[0]!.delta
              .content,
        )
        .join('');
    let screenedUpTo = 0;
    const guard = new StreamGuard({
      kind: 'chat',
      mode: 'no-leak',
      firstWindowChars: 16,
      windowChars: 64,
      contextChars: 0,
      maxCompletionChars: 1_000_000,
      screenWindow: (window, contextLength) => {
        // With no context, a window is exactly the unreleased text that has arrived.
        expect(contextLength).toBe(0);
        expect(text.slice(releasedText().length).startsWith(window)).toBe(true);
        screenedUpTo = releasedText().length + window.length;
        return { kind: 'release' };
      },
      write: (chunk) => {
        written.push(chunk);
        const released = releasedText();
        expect(released.length).toBeLessThanOrEqual(screenedUpTo);
        expect(text.startsWith(released)).toBe(true);
      },
    });
    for (const event of new SseParser().push(chatEvents(text, 3))) guard.push(event);
    guard.end();
    expect(releasedText()).toBe(text);
  });

  it('holds a trailing partial word back to the next window', () => {
    const text = 'The key is SECRET123456789 and more words follow here.';
    const { windows } = run(text, () => ({ kind: 'release' }));
    // No window boundary cuts through the token: some window holds it whole.
    expect(windows.some((w) => w.includes('SECRET123456789'))).toBe(true);
  });

  it('cuts at the window holding the harmful text and drops everything after it', () => {
    const text =
      'Harmless opening words here. Then the BAD part arrives and more text follows after that point.';
    const { guard, released } = run(text, (window) =>
      window.includes('BAD')
        ? { kind: 'cut', error: gatewayError('INTERDICT_BLOCKED') }
        : { kind: 'release' },
    );
    expect(guard.cut?.code).toBe('INTERDICT_BLOCKED');
    expect(released).not.toContain('BAD');
    expect(text.startsWith(released)).toBe(true);
  });

  it('screens a window together with recent released context, so a split phrase is seen whole', () => {
    const text =
      'Some padding text to fill the first window. The phrase DANGER ZONE is split across windows here.';
    const { windows } = run(text, () => ({ kind: 'release' }));
    expect(windows.some((w) => w.includes('DANGER ZONE'))).toBe(true);
  });

  it('redacts spans inside the events that carry them', () => {
    const text = 'The key is SECRET123456 and that is all there is to say.';
    const { released } = run(text, (window, context) => {
      const at = window.indexOf('SECRET123456');
      return at >= context ? { kind: 'redact', spans: [{ start: at, end: at + 12 }] } : { kind: 'release' };
    });
    expect(released).toBe('The key is [REDACTED] and that is all there is to say.');
  });
});

describe('StreamGuard (monitor)', () => {
  it('passes events straight through and keeps the completion text', () => {
    const text = 'Monitor mode text with BAD inside.';
    const { guard, released, windows } = run(
      text,
      () => ({ kind: 'cut', error: gatewayError('INTERDICT_BLOCKED') }),
      'monitor',
    );
    expect(released).toBe(text);
    expect(windows).toHaveLength(0);
    expect(guard.completion).toBe(text);
  });
});

describe('StreamGuard with events handed over together (a busy gateway)', () => {
  const prose = (n: number) =>
    Array.from({ length: n }, (_, i) => `Sentence number ${i} talks about gardens and tomatoes.`).join(' ');

  it('screens each batch once: the same text released with far fewer windows', () => {
    const text = prose(12);
    const one = run(text, () => ({ kind: 'release' }));
    const many = run(text, () => ({ kind: 'release' }), 'no-leak', 40);
    expect(many.released).toBe(text);
    expect(one.released).toBe(text);
    // At most one window per batch of 40 events (and the final one), where one by one screens many more.
    const batches = Math.ceil((Math.ceil(text.length / 5) + 1) / 40);
    expect(many.windows.length).toBeLessThanOrEqual(batches + 1);
    expect(one.windows.length).toBeGreaterThan(2 * many.windows.length);
    expect(many.written.at(-1)).toBe('data: [DONE]\n\n');
  });

  it('cutting a batch still releases the clean text before the harmful part, never the harmful part', () => {
    const clean = prose(4);
    const text = `${clean} Then HARMFUL-SENTENCE with the dangerous details follows.`;
    const cutAt = (window: string): WindowOutcome =>
      window.includes('HARMFUL')
        ? { kind: 'cut', error: gatewayError('INTERDICT_BLOCKED', 'blocked') }
        : { kind: 'release' };
    const { released, guard } = run(text, cutAt, 'no-leak', 1000);
    expect(guard.cut?.code).toBe('INTERDICT_BLOCKED');
    expect(released).not.toContain('HARMFUL');
    expect(released).not.toContain('dangerous');
    expect(released.length).toBeGreaterThan(clean.length / 2);
    expect(clean.startsWith(released)).toBe(true);
  });

  it('records redactable spans at their completion offsets whatever the batching', () => {
    const text = `${prose(3)} The key is KEY-123456 here. ${prose(2)} Another KEY-987654 at the end.`;
    const find = (window: string, context: number): WindowOutcome => {
      const found = [...window.matchAll(/KEY-\d{6}/g)]
        .filter((m) => m.index! + m[0].length > context)
        .map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
      return { kind: 'release', found };
    };
    const expected = [...text.matchAll(/KEY-\d{6}/g)].map((m) => ({ start: m.index!, end: m.index! + 10 }));
    for (const batch of [1, 7, 1000]) {
      const { guard } = run(text, find, 'no-leak', batch);
      const spans = guard.foundSpans.map((s) => text.slice(s.start, s.end));
      expect(new Set(spans), `batch ${batch}`).toEqual(
        new Set(expected.map((e) => text.slice(e.start, e.end))),
      );
    }
  });
});
