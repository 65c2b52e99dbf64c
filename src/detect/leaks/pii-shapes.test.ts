import { describe, expect, it } from 'vitest';
import { DIGIT_PII_SHAPES, mayHoldDigitPii } from './pii.js';
import { type NumberKind, scanNumbers } from './pii-numbers.js';
import { scanNino } from './pii-text.js';
import { FakeKeys, groupDigits } from './testing/fake-keys.js';

const keys = new FakeKeys(31);
const ALL: ReadonlySet<NumberKind> = new Set(['card', 'ssn', 'phone', 'ip']);
const DIGITS = '0123456789';

/** Digit groups, separators, parentheses, NINO letters and context words: number runs of every shape. */
function randomText(): string {
  const pieces = [
    () => keys.chars(DIGITS, 1 + Math.floor(keys.next() * 5)),
    () => keys.chars(DIGITS, 6 + Math.floor(keys.next() * 11)),
    () => ' -./()+'[Math.floor(keys.next() * 7)]!,
    () => ') (',
    () =>
      ['phone: ', 'card ', 'SSN ', 'version ', 'order #', 'x', 'é', ' and ', '\n', 'AB ', 'C', 'D '][
        Math.floor(keys.next() * 12)
      ]!,
    () => groupDigits(keys.card('4', 16), [4, 4, 4, 4], keys.next() < 0.5 ? ' ' : '-'),
    () => {
      const space = () => (keys.next() < 0.5 ? ' ' : '');
      const pair = () => keys.chars(DIGITS, 2);
      return `${keys.chars('ABCEGHJ', 2)}${space()}${pair()}${space()}${pair()}${space()}${pair()}${space()}${keys.chars('ABCD', 1)} `;
    },
    () =>
      `${Math.floor(keys.next() * 256)}.${Math.floor(keys.next() * 256)}.${Math.floor(keys.next() * 256)}`,
  ];
  let text = keys.next() < 0.3 ? 'national insurance ' : '';
  const count = 1 + Math.floor(keys.next() * 16);
  for (let i = 0; i < count; i++) text += pieces[Math.floor(keys.next() * pieces.length)]!();
  return text;
}

describe('digit PII shape test: every text with a number finding or a NINO passes it', () => {
  it('on random number-heavy text', () => {
    let numbers = 0;
    let ninos = 0;
    for (let round = 0; round < 30_000; round++) {
      const text = randomText();
      const found = scanNumbers(text, ALL).length > 0;
      const nino = scanNino(text).length > 0;
      if (found) numbers++;
      if (nino) ninos++;
      if (found || nino) expect(mayHoldDigitPii(text), JSON.stringify(text)).toBe(true);
    }
    expect(numbers).toBeGreaterThan(2000);
    expect(ninos).toBeGreaterThan(50);
  });

  it('on the tightest shape of each kind', () => {
    const texts = [
      '+44 20 7946 0958',
      '+1 (415) 555-2671',
      '(415) (555) 2671',
      'call 0207946095',
      '123-45-6789',
      'SSN 123 45 6789',
      '81.2.69.160',
      '1.2.3.4',
      groupDigits(keys.card('37', 15), [4, 6, 5]),
      keys.card('4', 13),
      'NI number AB123456C',
      'national insurance AB 12 34 56 C',
    ];
    for (const text of texts) {
      expect(scanNumbers(text, ALL).length + scanNino(text).length, text).toBeGreaterThan(0);
      expect(mayHoldDigitPii(text), text).toBe(true);
    }
    expect(mayHoldDigitPii('In 2023, 12 of 40 teams (30%) met on 2024-01-15.')).toBe(false);
  });
});

describe('digit PII shape test against the plain alternation of the shapes', () => {
  // What mayHoldDigitPii shortcuts: one regex of every shape (its digit factored out, the `+` shape gated).
  const alternation = new RegExp(DIGIT_PII_SHAPES.join('|'));

  it('answers as the alternation does on random number-heavy text, with and without a +', () => {
    let held = 0;
    for (let round = 0; round < 30_000; round++) {
      const text = randomText();
      const expected = alternation.test(text);
      if (expected) held++;
      expect(mayHoldDigitPii(text), JSON.stringify(text)).toBe(expected);
    }
    expect(held).toBeGreaterThan(5000);
    expect(held).toBeLessThan(29_000);
  });

  it('answers as the alternation does where only the + shape or only one digit shape matches', () => {
    const texts = [
      '+4 4 2 0 7 9 4 6',
      '+(4)4 2 0 7 9 4 6 x',
      'a+12345678b',
      '+1234567',
      '+ 12345678',
      '1.2.3.4',
      '1.22.333.4444',
      '1.2222.3.4',
      '12 34 56 A',
      '123456D',
      '12 34 56 E',
      '1 2 3 4 5 6 7 8 9',
      '1 2 3 4 5 6 7 8',
      '1)(2)(3)(4)(5)(6)(7)(8)(9',
      '1    2 3 4 5 6 7 8 9',
      '',
      '+',
      '9',
    ];
    for (const text of texts) expect(mayHoldDigitPii(text), text).toBe(alternation.test(text));
  });

  it('answers as the alternation does on texts dense in + (scanned from the first + past the budget)', () => {
    const plus = '+4 4 2 0 7 9 4 6';
    for (const filler of ['+', '+1', '+(1 ', 'a+']) {
      for (const count of [10, 100, 2000]) {
        const dense = filler.repeat(count);
        for (const text of [
          dense,
          dense + plus,
          plus + dense,
          `${dense}x${plus}${dense}`,
          dense + plus.slice(0, -1),
        ])
          expect(mayHoldDigitPii(text), `${filler} x ${count}`).toBe(alternation.test(text));
      }
    }
  });
});
