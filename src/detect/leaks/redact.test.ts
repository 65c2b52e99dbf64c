import { describe, expect, it } from 'vitest';
import { isInterdictError } from '../../core/errors.js';
import type { Evidence, Verdict } from '../../core/types.js';
import { labelForRule } from './labels.js';
import { redact, redactVerdict, toOriginalOffset, toRedactedOffset } from './redact.js';

const text = 'mail jane@corp.io card 4539 1488 0343 6467 key sk_live_abc';
const email = { start: 5, end: 17 };
const card = { start: 23, end: 42 };
const key = { start: 47, end: text.length };

describe('redact', () => {
  it('replaces spans with labelled placeholders and keeps the rest byte-exact', () => {
    const result = redact(text, [
      { ...email, label: 'EMAIL' },
      { ...card, label: 'CARD' },
      { ...key, label: 'SECRET' },
    ]);
    expect(result.text).toBe('mail [REDACTED:EMAIL] card [REDACTED:CARD] key [REDACTED:SECRET]');
  });

  it('accepts spans in any order and uses the default label', () => {
    const result = redact(text, [key, email], { defaultLabel: 'PII' });
    expect(result.text).toBe('mail [REDACTED:PII] card 4539 1488 0343 6467 key [REDACTED:PII]');
  });

  it('supports a custom template and the fixed style', () => {
    expect(redact(text, [{ ...email, label: 'EMAIL' }], { template: '<{label}>' }).text).toBe(
      'mail <EMAIL> card 4539 1488 0343 6467 key sk_live_abc',
    );
    expect(redact(text, [email, card], { style: 'fixed' }).text).toBe('mail *** card *** key sk_live_abc');
    expect(redact(text, [email], { style: 'fixed', fixed: '[x]' }).text).toBe(
      'mail [x] card 4539 1488 0343 6467 key sk_live_abc',
    );
  });

  it('masks cards keeping separators and the last four digits, other labels fully', () => {
    const result = redact(
      text,
      [
        { ...email, label: 'EMAIL' },
        { ...card, label: 'CARD' },
      ],
      { style: 'mask' },
    );
    expect(result.text).toBe('mail ************ card **** **** **** 6467 key sk_live_abc');
    const iban = 'DE44 5001 0517 5407 3249 31';
    expect(
      redact(iban, [{ start: 0, end: iban.length, label: 'IBAN' }], { style: 'mask', maskChar: '#' }).text,
    ).toBe('#### #### #### #### ##49 31');
  });

  it('merges overlapping spans; the longest constituent names the merged span', () => {
    const result = redact('0123456789abcdef', [
      { start: 2, end: 6, label: 'A' },
      { start: 4, end: 12, label: 'B' },
      { start: 11, end: 13, label: 'C' },
    ]);
    expect(result.text).toBe('01[REDACTED:B]def');
    expect(result.entries).toEqual([{ start: 2, end: 13, redactedStart: 2, redactedEnd: 14, label: 'B' }]);
  });

  it('keeps adjacent (touching) spans separate and handles nested spans', () => {
    expect(
      redact('aaaabbbb', [
        { start: 0, end: 4, label: 'X' },
        { start: 4, end: 8, label: 'Y' },
      ]).text,
    ).toBe('[REDACTED:X][REDACTED:Y]');
    expect(
      redact('aaaabbbbcc', [
        { start: 0, end: 8, label: 'OUT' },
        { start: 2, end: 4, label: 'IN' },
      ]).text,
    ).toBe('[REDACTED:OUT]cc');
  });

  it('ignores empty spans and returns the text unchanged without spans', () => {
    expect(redact(text, [{ start: 3, end: 3 }])).toEqual({ text, entries: [] });
    expect(redact(text, [])).toEqual({ text, entries: [] });
  });

  it('widens spans that would split a surrogate pair', () => {
    const s = 'a😀b';
    expect(redact(s, [{ start: 2, end: 3, label: 'E' }]).text).toBe('a[REDACTED:E]b');
  });

  it('throws a coded error for out-of-range spans', () => {
    for (const bad of [
      { start: -1, end: 2 },
      { start: 0, end: text.length + 1 },
      { start: 5, end: 4 },
      { start: 0.5, end: 2 },
    ]) {
      try {
        redact(text, [bad]);
        expect.unreachable('redact accepted a bad span');
      } catch (error) {
        expect(isInterdictError(error) && error.code).toBe('INTERDICT_INPUT_INVALID');
        expect(String((error as Error).message)).not.toContain(text);
      }
    }
  });
});

describe('offset maps', () => {
  const result = redact(text, [
    { ...email, label: 'EMAIL' },
    { ...card, label: 'CARD' },
  ]);

  it('maps original offsets to the redacted text and back', () => {
    // Before any span: unchanged.
    expect(toRedactedOffset(result.entries, 2)).toBe(2);
    // Inside a span: the placeholder start.
    expect(toRedactedOffset(result.entries, 10)).toBe(5);
    // After the first span: shifted by the length change.
    const afterEmail = email.end + 1;
    expect(result.text[toRedactedOffset(result.entries, afterEmail)]).toBe(text[afterEmail]);
    // After the last span.
    const keyOffset = text.indexOf('key');
    expect(result.text.slice(toRedactedOffset(result.entries, keyOffset))).toBe(text.slice(keyOffset));
    for (const offset of [0, 4, 17, 18, 42, 44, text.length]) {
      expect(toOriginalOffset(result.entries, toRedactedOffset(result.entries, offset))).toBe(offset);
    }
  });

  it('maps offsets inside a placeholder to the span start', () => {
    const inside = result.entries[1]!.redactedStart + 3;
    expect(toOriginalOffset(result.entries, inside)).toBe(card.start);
  });
});

describe('redactVerdict', () => {
  function evidence(ruleId: string, span: { start: number; end: number }, score: number): Evidence {
    return {
      detector: ruleId.startsWith('SEC') ? 'secrets' : 'pii',
      ruleId,
      category: ruleId.startsWith('SEC') ? 'secrets' : 'pii',
      score,
      span,
      view: 'original',
    };
  }

  it('labels each redaction from the strongest overlapping leak evidence', () => {
    const verdict: Pick<Verdict, 'redactions' | 'evidence'> = {
      redactions: [email, card, key],
      evidence: [
        evidence('PII-EMAIL', email, 0.55),
        evidence('PII-CARD', card, 0.85),
        evidence('PII-PHONE', { start: 28, end: 42 }, 0.55),
        evidence('SEC-STRIPE-KEY', key, 0.9),
        {
          detector: 'rules',
          ruleId: 'INJ-001',
          category: 'injection',
          score: 0.99,
          span: email,
          view: 'original',
        },
      ],
    };
    expect(redactVerdict(text, verdict).text).toBe(
      'mail [REDACTED:EMAIL] card [REDACTED:CARD] key [REDACTED:SECRET]',
    );
  });

  it('falls back to the default label when no evidence overlaps', () => {
    expect(redactVerdict(text, { redactions: [email], evidence: [] }).text).toBe(
      'mail [REDACTED:REDACTED] card 4539 1488 0343 6467 key sk_live_abc',
    );
  });
});

describe('labelForRule', () => {
  it('names rule families', () => {
    expect(labelForRule('SEC-PRIVATE-KEY')).toBe('PRIVATE_KEY');
    expect(labelForRule('SEC-DB-CONNECTION-STRING')).toBe('PASSWORD');
    expect(labelForRule('SEC-GITHUB-TOKEN')).toBe('SECRET');
    expect(labelForRule('PII-IP')).toBe('IP_ADDRESS');
    expect(labelForRule('PII-NEW-KIND')).toBe('PII');
    expect(labelForRule(undefined)).toBe('REDACTED');
  });
});
