import { describe, expect, it } from 'vitest';
import { dropOverlapping } from './finding.js';
import { scanPii } from './pii.js';
import { scanSecrets } from './secrets.js';
import { BASE64, FakeKeys } from './testing/fake-keys.js';

/**
 * Hostile 1 MB inputs built to trigger backtracking or repeated re-scanning in naive scanners: long runs of
 * one class, endless prefixes, unterminated structures. Each must complete and still find the real secret
 * or PII item planted at the very end (proof that the scan reached it). No timing is asserted here; the
 * test timeout is the only bound, and benchmarks measure speed.
 */

const MB = 1_000_000;
const keys = new FakeKeys(99);
const token = keys.githubToken();
const email = 'last.person@endcorp.io';

function fill(unit: string): string {
  return unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
}

const HOSTILE: [string, string][] = [
  ['one letter', fill('a')],
  ['digits', fill('7')],
  ['digits and spaces', fill('1 ')],
  ['digit groups', fill('123-45-')],
  ['at signs', fill('@')],
  ['local@ parts', fill('a@')],
  ['dotted domain', `x@${fill('a.')}`],
  ['colons', fill(':')],
  ['hex and colons', fill('ab:')],
  ['IPv4-like', fill('1.1.1.1.')],
  ['plus parens', fill('+1 (')],
  ['JWT prefix', fill('eyJ')],
  ['JWT-shaped segments', fill('eyJhbGciOiJIUzI1NiJ9.')],
  ['AKIA', fill('AKIA')],
  ['sk-', fill('sk-')],
  ['xoxb-', fill('xoxb-1')],
  ['PEM headers without END', fill('-----BEGIN RSA PRIVATE KEY-----\n')],
  ['PEM END lines', fill('-----END ')],
  ['password=', fill('password=')],
  ['password keyword run', fill('password')],
  ['generic quotes', fill('api_key: "')],
  ['postgres scheme', fill('postgres://a:')],
  ['jdbc', fill('jdbc:mysql:')],
  ['Bearer', fill('Bearer ')],
  ['uppercase country codes', fill('DE89 ')],
  ['base64 soup', keys.chars(BASE64, MB)],
  ['zero-width every other char', fill('a\u200b')],
  ['mixed-script pairs', fill('a\u0430')],
  [
    'random printable',
    keys.chars(
      ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`{|}~abcdefghijklmnopqrstuvwxyz',
      MB,
    ),
  ],
];

describe('hostile 1 MB inputs', () => {
  it.each(HOSTILE)('secrets: %s completes and still finds a trailing token', (_name, body) => {
    const text = `${body}\n${token}\n`;
    const found = dropOverlapping(scanSecrets(text)).filter((f) => f.ruleId === 'SEC-GITHUB-TOKEN');
    expect(found.length).toBeGreaterThanOrEqual(1);
    const last = found[found.length - 1]!;
    expect(text.slice(last.start, last.end)).toBe(token);
  });

  it.each(HOSTILE)('pii: %s completes and still finds a trailing e-mail', (_name, body) => {
    const text = `${body}\n${email}\n`;
    const found = scanPii(text).filter((f) => f.ruleId === 'PII-EMAIL' && f.end === text.length - 1);
    expect(found).toHaveLength(1);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(email);
  });

  it('reports the right number of findings in 1 MB of repeated real items', () => {
    const unit = `user${'x'.repeat(3)}@corp.io ${token} `;
    const count = Math.floor(MB / unit.length);
    const text = unit.repeat(count);
    expect(scanPii(text).filter((f) => f.ruleId === 'PII-EMAIL')).toHaveLength(count);
    expect(dropOverlapping(scanSecrets(text)).filter((f) => f.ruleId === 'SEC-GITHUB-TOKEN')).toHaveLength(
      count,
    );
  });
});
