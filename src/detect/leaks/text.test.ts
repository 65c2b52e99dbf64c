import { describe, expect, it } from 'vitest';
import {
  base62,
  characterClasses,
  crc32,
  ibanChecksumValid,
  isPlaceholder,
  looksRandom,
  luhnValid,
  shannonEntropy,
  tokenChecksumValid,
} from './text.js';
import { FakeKeys } from './testing/fake-keys.js';

describe('shannonEntropy', () => {
  it('is 0 for a constant string and log2(k) for k equiprobable symbols', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaaaaaa')).toBe(0);
    expect(shannonEntropy('abababab')).toBeCloseTo(1, 10);
    expect(shannonEntropy('abcdefgh')).toBeCloseTo(3, 10);
  });

  it('is high for random base62 and low for words', () => {
    expect(
      shannonEntropy(new FakeKeys(1).chars('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ', 40)),
    ).toBeGreaterThan(4);
    expect(shannonEntropy('passwordpassword')).toBeLessThan(3);
  });
});

describe('characterClasses', () => {
  it('counts lower, upper, digit and other', () => {
    expect(characterClasses('abc')).toBe(1);
    expect(characterClasses('aB3')).toBe(3);
    expect(characterClasses('aB3$')).toBe(4);
  });
});

describe('isPlaceholder / looksRandom', () => {
  it.each([
    'xxxxxxxxxxxxxxxx',
    '<your-api-key>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} placeholder is the input under test
    '${API_KEY}',
    '{{ secret }}',
    '%SECRET%',
    'process.env.SECRET',
    'os.environ["KEY"]',
    'changeme',
    'EXAMPLEKEY123',
    'your_token_here',
    '****************',
    'abcdefghijklmnop',
    '1234567890123456',
    'aaaaaaaaaaaa1',
  ])('treats %s as a placeholder', (value) => {
    expect(isPlaceholder(value)).toBe(true);
    expect(looksRandom(value)).toBe(false);
  });

  it('accepts random key material', () => {
    const keys = new FakeKeys(9);
    for (let i = 0; i < 20; i++)
      expect(
        looksRandom(keys.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 32)),
      ).toBe(true);
  });
});

describe('luhnValid', () => {
  it('accepts known-valid numbers and rejects a changed digit', () => {
    expect(luhnValid('4539148803436467')).toBe(true);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('4539148803436468')).toBe(false);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4539-1488')).toBe(false);
  });
});

describe('ibanChecksumValid', () => {
  it('validates ISO 13616 mod-97', () => {
    expect(ibanChecksumValid('DE89370400440532013000')).toBe(true);
    expect(ibanChecksumValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanChecksumValid('GB82WEST12345698765433')).toBe(false);
    expect(ibanChecksumValid('DE8937040044053201300')).toBe(false);
  });

  it('agrees with the generator for many countries', () => {
    const keys = new FakeKeys(5);
    for (const [country, bban] of [
      ['DE', 18],
      ['FR', 23],
      ['NL', 14],
      ['ES', 20],
      ['IT', 23],
    ] as const) {
      expect(ibanChecksumValid(keys.iban(country, bban))).toBe(true);
    }
  });
});

describe('crc32 / base62 / tokenChecksumValid', () => {
  it('computes the IEEE CRC32', () => {
    expect(crc32('')).toBe(0);
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
  });

  it('encodes base62 with padding', () => {
    expect(base62(0, 6)).toBe('000000');
    expect(base62(61, 2)).toBe('0z');
    expect(base62(62, 1)).toBe('10');
  });

  it('checks the trailing base62 CRC32 of a token body', () => {
    const token = new FakeKeys(3).githubToken().slice(4);
    expect(tokenChecksumValid(token)).toBe(true);
    const broken = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    expect(tokenChecksumValid(broken)).toBe(false);
  });
});
