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
  for (const event of parser.push(chatEvents(text, 5))) {
    // Record what the client has at the moment each event arrives, to check the no-leak ordering.
    if (!guard.push(event)) break;
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
