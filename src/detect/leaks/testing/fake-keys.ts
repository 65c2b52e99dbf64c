import { base62, crc32, luhnValid } from '../text.js';

/**
 * Deterministic generators of realistic but fake credentials and identifiers for tests and benchmarks.
 * Nothing here is a real key: values come from a seeded PRNG and carry valid structure (checksums, Luhn).
 */

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const BASE64 = `${ALNUM}+/`;
export const BASE64URL = `${ALNUM}_-`;
export const HEX = '0123456789abcdef';
export const BASE32_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export class FakeKeys {
  private state: number;

  constructor(seed = 42) {
    this.state = seed >>> 0 || 1;
  }

  /** xorshift32: fast, deterministic, good enough for test data. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)]!;
    return out;
  }

  awsAccessKeyId(prefix: 'AKIA' | 'ASIA' = 'AKIA'): string {
    return prefix + this.chars(BASE32_UPPER, 16);
  }

  /** 40 base64 characters containing all of lower, upper and digit. */
  awsSecretKey(): string {
    for (;;) {
      const value = this.chars(BASE64, 40);
      if (/[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value)) return value;
    }
  }

  /** GitHub-format token with a valid base62 CRC32 checksum. */
  githubToken(prefix = 'ghp_'): string {
    const random = this.chars(ALNUM, 30);
    return prefix + random + base62(crc32(random), 6);
  }

  jwt(payload: Record<string, unknown> = { sub: 'user-1', iat: 1700000000 }, alg = 'HS256'): string {
    const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${header}.${body}.${alg === 'none' ? '' : this.chars(BASE64URL, 43)}`;
  }

  /** A PEM block with `bytes` of random base64 body wrapped at 64 columns. */
  pem(kind = 'RSA PRIVATE KEY', bodyChars = 1600, newline = '\n'): string {
    const body = this.chars(BASE64, bodyChars);
    const lines: string[] = [];
    for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
    return `-----BEGIN ${kind}-----${newline}${lines.join(newline)}${newline}-----END ${kind}-----`;
  }

  /** Luhn-valid card number with the given IIN prefix and length. */
  card(prefix: string, length: number): string {
    const partial = prefix + this.chars('0123456789', length - prefix.length - 1);
    for (let digit = 0; digit <= 9; digit++) {
      const candidate = partial + String(digit);
      if (luhnValid(candidate)) return candidate;
    }
    throw new Error('unreachable: one check digit always satisfies Luhn');
  }

  /** IBAN with a valid mod-97 check for a country code and BBAN length. */
  iban(country: string, bbanLength: number): string {
    const bban = this.chars('0123456789', bbanLength);
    const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
    let remainder = 0;
    for (const ch of numeric) remainder = (remainder * 10 + Number(ch)) % 97;
    return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
  }
}

/** Groups a digit string as `4 4 4 4` (or a custom pattern) with a separator. */
export function groupDigits(digits: string, sizes: readonly number[], separator = ' '): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) parts.push(digits.slice(at));
  return parts.join(separator);
}
