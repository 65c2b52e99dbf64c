import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import type { ConfigInput } from '../config/schema.js';
import type { Category, Evidence } from '../core/types.js';
import { createNormalizer } from '../normalize/index.js';
import { createScreenerFromParts } from './screener.js';
import type { Detector } from './types.js';

/** A detector that reports fixed evidence whenever a trigger word occurs: a stand-in at the detection edge. */
function wordDetector(word: string, category: Category, score: number, id = 'test'): Detector {
  return {
    id,
    detect({ normalized }) {
      const evidence: Evidence[] = [];
      for (const view of normalized.views) {
        const at = view.text.indexOf(word);
        if (at >= 0)
          evidence.push({
            detector: id,
            category,
            score,
            view: view.id,
            span: view.toOriginal(at, at + word.length),
          });
      }
      return { evidence };
    },
  };
}

function screenerWith(detectors: Detector[], screening: ConfigInput['screening'] = {}) {
  const config = parseConfig({ screening });
  return createScreenerFromParts(config.screening, { normalize: createNormalizer(), detectors });
}

describe('screener', () => {
  it('allows text no detector objects to', () => {
    const verdict = screenerWith([wordDetector('attack', 'injection', 0.9)]).screen({
      text: 'hello there',
      side: 'input',
    });
    expect(verdict).toMatchObject({
      action: 'allow',
      flagged: false,
      score: 0,
      flaggedCategories: [],
      evidence: [],
    });
    expect(verdict.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('blocks above the block threshold and flags between flag and block', () => {
    const s = screenerWith([wordDetector('hard', 'injection', 0.9), wordDetector('soft', 'cyber', 0.6)]);
    expect(s.screen({ text: 'a hard one', side: 'input' })).toMatchObject({ action: 'block', score: 0.9 });
    const soft = s.screen({ text: 'a soft one', side: 'input' });
    expect(soft).toMatchObject({ action: 'flag', flagged: true, flaggedCategories: ['cyber'] });
  });

  it('combines independent evidence by noisy-OR', () => {
    const s = screenerWith([wordDetector('one', 'fraud', 0.4, 'a'), wordDetector('two', 'fraud', 0.4, 'b')]);
    const verdict = s.screen({ text: 'one two', side: 'input' });
    expect(verdict.categories.fraud).toBeCloseTo(1 - 0.6 * 0.6, 3);
    expect(verdict.action).toBe('flag');
  });

  it('takes the larger of learned scores and evidence', () => {
    const learned: Detector = { id: 'learned', detect: () => ({ evidence: [], scores: { jailbreak: 0.8 } }) };
    const verdict = screenerWith([learned, wordDetector('x', 'jailbreak', 0.3)]).screen({
      text: 'x',
      side: 'input',
    });
    expect(verdict.categories.jailbreak).toBe(0.8);
    expect(verdict.action).toBe('block');
  });

  it('applies presets and per-category overrides', () => {
    const d = [wordDetector('w', 'violence', 0.4)];
    expect(screenerWith(d, { preset: 'balanced' }).screen({ text: 'w', side: 'input' }).action).toBe('allow');
    expect(screenerWith(d, { preset: 'strict' }).screen({ text: 'w', side: 'input' }).action).toBe('flag');
    expect(
      screenerWith(d, { thresholds: { violence: { flag: 0.3, block: 0.35 } } }).screen({
        text: 'w',
        side: 'input',
      }).action,
    ).toBe('block');
  });

  it('turns flagged leaks into redactions with merged spans', () => {
    const s = screenerWith([
      wordDetector('key123', 'secrets', 0.9, 'a'),
      wordDetector('123abc', 'secrets', 0.9, 'b'),
    ]);
    const verdict = s.screen({ text: 'my key123abc ok', side: 'output' });
    expect(verdict.action).toBe('redact');
    expect(verdict.redactions).toEqual([{ start: 3, end: 12 }]);
  });

  it('block outranks redact when both fire', () => {
    const s = screenerWith([wordDetector('sk', 'secrets', 0.9), wordDetector('ignore', 'injection', 0.95)]);
    expect(s.screen({ text: 'sk ignore', side: 'input' }).action).toBe('block');
  });

  it('keeps a failing detector from throwing and records it', () => {
    const broken: Detector = {
      id: 'broken',
      detect() {
        throw new Error('bug');
      },
    };
    const verdict = screenerWith([broken]).screen({ text: 'anything', side: 'input' });
    expect(verdict.action).toBe('allow');
    expect(verdict.evidence).toContainEqual(
      expect.objectContaining({ detector: 'broken', note: 'detector-error' }),
    );
  });

  it('rejects what cannot be screened with coded errors', () => {
    const s = screenerWith([], { maxBytes: 10 });
    expect(() => s.screen({ text: 42 as never, side: 'input' })).toThrow(
      expect.objectContaining({ code: 'INTERDICT_INPUT_NOT_TEXT' }),
    );
    expect(() => s.screen({ text: 'x', side: 'sideways' as never })).toThrow(
      expect.objectContaining({ code: 'INTERDICT_INPUT_BAD_SIDE' }),
    );
    expect(() => s.screen({ text: 'x'.repeat(11), side: 'input' })).toThrow(
      expect.objectContaining({ code: 'INTERDICT_INPUT_TOO_LARGE' }),
    );
    // Multi-byte characters count in UTF-8 bytes, not UTF-16 units.
    expect(() => s.screen({ text: 'é'.repeat(6), side: 'input' })).toThrow(
      expect.objectContaining({ code: 'INTERDICT_INPUT_TOO_LARGE' }),
    );
    expect(() => s.screen(null as never)).toThrow(
      expect.objectContaining({ code: 'INTERDICT_INPUT_INVALID' }),
    );
  });

  it('screens empty text as a correct allow verdict', () => {
    expect(screenerWith([wordDetector('x', 'injection', 1)]).screen({ text: '', side: 'input' }).action).toBe(
      'allow',
    );
  });

  it('makes lone surrogates well-formed before detectors see them', () => {
    let seen = '';
    const spy: Detector = {
      id: 'spy',
      detect({ request }) {
        seen = request.text;
        return { evidence: [] };
      },
    };
    screenerWith([spy]).screen({ text: 'a\uD800b', side: 'input' });
    expect(seen).toBe('a\uFFFDb');
  });

  describe('verdict cache', () => {
    function counting() {
      let calls = 0;
      const detector: Detector = {
        id: 'count',
        detect({ request }) {
          calls += 1;
          return {
            evidence: request.text.includes('bad')
              ? [
                  {
                    detector: 'count',
                    category: 'injection',
                    score: 0.9,
                    view: 'original',
                    span: { start: 0, end: 3 },
                  },
                ]
              : [],
          };
        },
      };
      return { detector, calls: () => calls };
    }

    it('reuses the verdict of an identical context-free request, as an independent copy', () => {
      const c = counting();
      const s = screenerWith([c.detector]);
      const first = s.screen({ text: 'bad thing', side: 'input' });
      first.evidence[0]!.span!.start = 99; // a caller mutating its verdict must not poison the cache
      const second = s.screen({ text: 'bad thing', side: 'input' });
      expect(c.calls()).toBe(1);
      expect(second.action).toBe('block');
      expect(second.evidence[0]!.span).toEqual({ start: 0, end: 3 });
    });

    it('keys on side, skips requests with context, and can be switched off', () => {
      const c = counting();
      const s = screenerWith([c.detector]);
      s.screen({ text: 'same', side: 'input' });
      s.screen({ text: 'same', side: 'output' });
      s.screen({ text: 'same', side: 'input', context: { systemPrompt: 'x' } });
      s.screen({ text: 'same', side: 'input', context: { systemPrompt: 'x' } });
      expect(c.calls()).toBe(4);
      const off = counting();
      const s2 = screenerWith([off.detector], { cache: { entries: 0 } });
      s2.screen({ text: 'same', side: 'input' });
      s2.screen({ text: 'same', side: 'input' });
      expect(off.calls()).toBe(2);
    });

    it('evicts the least recently used entry when full', () => {
      const c = counting();
      const s = screenerWith([c.detector], { cache: { entries: 2 } });
      s.screen({ text: 'a', side: 'input' });
      s.screen({ text: 'b', side: 'input' });
      s.screen({ text: 'a', side: 'input' }); // hit; b is now the oldest
      s.screen({ text: 'c', side: 'input' }); // evicts b
      s.screen({ text: 'a', side: 'input' }); // hit
      s.screen({ text: 'b', side: 'input' }); // miss
      expect(c.calls()).toBe(4);
    });
  });
});
