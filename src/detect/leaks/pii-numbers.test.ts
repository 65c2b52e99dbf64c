import { describe, expect, it } from 'vitest';
import { type NumberKind, scanNumberRuns, scanNumbers } from './pii-numbers.js';
import { FakeKeys, groupDigits } from './testing/fake-keys.js';

const keys = new FakeKeys(31);
const ALL: ReadonlySet<NumberKind> = new Set(['card', 'ssn', 'phone', 'ip']);
const DIGITS = '0123456789';

/** Digit groups, separators, parentheses and context words: number runs of every shape and length. */
function randomText(): string {
  const pieces = [
    () => keys.chars(DIGITS, 1 + Math.floor(keys.next() * 5)),
    () => keys.chars(DIGITS, 8 + Math.floor(keys.next() * 9)),
    () => ' -./()+'[Math.floor(keys.next() * 7)]!,
    () => ') (',
    () =>
      ['phone: ', 'card ', 'SSN ', 'version ', 'order #', 'x', 'é', ' and ', '\n'][
        Math.floor(keys.next() * 9)
      ]!,
    () => groupDigits(keys.card('4', 16), [4, 4, 4, 4], keys.next() < 0.5 ? ' ' : '-'),
    () =>
      `${Math.floor(keys.next() * 256)}.${Math.floor(keys.next() * 256)}.${Math.floor(keys.next() * 256)}`,
  ];
  let text = '';
  const count = 1 + Math.floor(keys.next() * 16);
  for (let i = 0; i < count; i++) text += pieces[Math.floor(keys.next() * pieces.length)]!();
  return text;
}

describe('number PII: the shape test in front of the run scan', () => {
  it('changes nothing: the scan with and without it agree on random number-heavy text', () => {
    let found = 0;
    for (let round = 0; round < 20_000; round++) {
      const text = randomText();
      const full = scanNumberRuns(text, ALL);
      if (full.length > 0) found++;
      expect(scanNumbers(text, ALL), JSON.stringify(text)).toEqual(full);
    }
    expect(found).toBeGreaterThan(2000);
  });

  it('agrees on the tightest shapes of each kind', () => {
    const texts = [
      '+44 20 7946 0958',
      '+1 (415) 555-2671',
      '+(44) 2079 460958',
      '(415) (555) 2671',
      'call 0207946095',
      '123-45-6789',
      'SSN 123 45 6789',
      '81.2.69.160',
      '1.2.3.4',
      'v1.2.3.4',
      groupDigits(keys.card('37', 15), [4, 6, 5]),
      keys.card('4', 13),
    ];
    for (const text of texts) {
      for (const kinds of [ALL, ...[...ALL].map((kind) => new Set([kind]))]) {
        expect(scanNumbers(text, kinds), text).toEqual(scanNumberRuns(text, kinds));
      }
    }
    expect(scanNumbers('+1 (415) 555-2671', ALL)).toHaveLength(1);
    expect(scanNumbers('81.2.69.160', ALL)).toHaveLength(1);
  });
});
