import { describe, expect, it } from 'vitest';
import { FALLBACK_PATTERNS, REDACTED, redactText } from './content.js';

/** Redaction without the trigger prefilter: every fallback pattern run over the text, spans merged. */
function reference(text: string): string {
  const spans: { start: number; end: number }[] = [];
  for (const pattern of FALLBACK_PATTERNS) {
    const re = new RegExp(pattern.source, pattern.flags);
    for (const m of text.matchAll(re)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const span of spans) {
    if (span.end <= pos || span.end === span.start) continue;
    out += text.slice(pos, Math.max(pos, span.start)) + REDACTED;
    pos = span.end;
  }
  return out + text.slice(pos);
}

const SECRETS = [
  'ana@example.com',
  'sk-abcdefghijklmnopqrstuv',
  'AKIAABCDEFGHIJKLMNOP',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'xoxb-1234567890-abcdef',
  'AIzaSyA-abcdefghijklmnopqrstuvwxyz12345',
  'eyJhbGciOiJI.eyJzdWIiOiIx.SflKxwRJSMeK',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
  'password: hunter2hunter2',
  'Bearer=abcdefgh12345678',
  '4111 1111 1111 1111',
  '+1 (415) 555-0123',
];

describe('redactText', () => {
  it('redacts every fallback shape and leaves plain prose as the same string', () => {
    for (const secret of SECRETS) {
      const text = `before ${secret} after`;
      expect(redactText(text), secret).toContain(REDACTED);
      expect(redactText(text), secret).toBe(reference(text));
    }
    const prose = 'You are a helpful assistant for ACME support. Please summarise the report?';
    expect(redactText(prose)).toBe(prose);
  });

  it('gives the same result as running every pattern, on random mixes of prose, digits and secrets', () => {
    const pieces = [
      ...SECRETS,
      'the',
      'report',
      'well-known',
      'a:b',
      'x=y',
      'snake_case',
      'AKIA',
      'eyJ',
      'AIza',
      'Token',
      'call 555 0123 4567',
      '12',
      'ünïcode',
      '\n',
      '@',
    ];
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const words = Array.from({ length: 1 + (next() % 12) }, () => pieces[next() % pieces.length]!);
      const text = words.join(next() % 3 === 0 ? '' : ' ');
      expect(redactText(text)).toBe(reference(text));
    }
  });

  it('merges screener spans with the fallback spans', () => {
    expect(redactText('call Bob now, mail bob@x.io', [{ start: 5, end: 8 }])).toBe(
      `call ${REDACTED} now, mail ${REDACTED}`,
    );
  });
});
