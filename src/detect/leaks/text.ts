/**
 * Small, allocation-light helpers shared by the secret and PII scanners: character classes, Shannon entropy,
 * placeholder recognition and the checksums (Luhn, ISO 7064 mod-97, CRC32/base62) that cut false positives.
 * Every function here is linear in its input and never throws on content.
 */

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

export function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

export function isAlnum(code: number): boolean {
  return isDigit(code) || isUpper(code) || isLower(code);
}

export function isHex(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** Characters that continue a token (base64url alphabet): a match must not start or end inside such a run. */
export function isTokenChar(code: number): boolean {
  return isAlnum(code) || code === 95 /* _ */ || code === 45 /* - */;
}

const asciiCounts = new Int32Array(128);

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const length = value.length;
  if (length === 0) return 0;
  let other: Map<number, number> | undefined;
  let bits = 0;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code < 128) asciiCounts[code]!++;
    else {
      other ??= new Map();
      other.set(code, (other.get(code) ?? 0) + 1);
    }
  }
  // Read and reset the ASCII counters in one pass over the string's own characters.
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128) continue;
    const count = asciiCounts[code]!;
    if (count === 0) continue;
    asciiCounts[code] = 0;
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  if (other) {
    for (const count of other.values()) {
      const p = count / length;
      bits -= p * Math.log2(p);
    }
  }
  return bits;
}

/** Number of character classes present among lower, upper, digit and other. */
export function characterClasses(value: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isLower(code)) lower = 1;
    else if (isUpper(code)) upper = 1;
    else if (isDigit(code)) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/** Longest run of one repeated character, and of ascending neighbours (`abcd`, `1234`). */
function longestRuns(value: string): { repeat: number; ascending: number } {
  let repeat = 1;
  let ascending = 1;
  let currentRepeat = 1;
  let currentAscending = 1;
  for (let i = 1; i < value.length; i++) {
    const previous = value.charCodeAt(i - 1);
    const code = value.charCodeAt(i);
    currentRepeat = code === previous ? currentRepeat + 1 : 1;
    currentAscending = code === previous + 1 ? currentAscending + 1 : 1;
    if (currentRepeat > repeat) repeat = currentRepeat;
    if (currentAscending > ascending) ascending = currentAscending;
  }
  return { repeat, ascending };
}

const PLACEHOLDER_WORDS = [
  'xxxx',
  'example',
  'changeme',
  'change_me',
  'change-me',
  'placeholder',
  'your_',
  'your-',
  'yourkey',
  'yourtoken',
  'yoursecret',
  'yourpassword',
  'insert',
  'redacted',
  'dummy',
  'sample',
  'fake',
  'replace',
  'todo',
  'secret_here',
  'key_here',
  'token_here',
  '...',
  '***',
  '###',
];

/** One case-insensitive alternation: a single native scan instead of a lowercase copy and many searches. */
const PLACEHOLDER_PATTERN = new RegExp(
  [...PLACEHOLDER_WORDS, 'process.env', 'os.environ', 'getenv', 'env[', 'env.']
    .map((word) => word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|'),
  'i',
);

/** Values that are templates, references or obvious fillers rather than key material. */
export function isPlaceholder(value: string): boolean {
  if (value.length === 0) return true;
  const first = value.charCodeAt(0);
  // <your-key>, ${VAR}, {{ var }}, %VAR%, $VAR, [KEY]
  if (first === 60 || first === 36 || first === 123 || first === 37 || first === 91) return true;
  if (PLACEHOLDER_PATTERN.test(value)) return true;
  const runs = longestRuns(value);
  return runs.repeat >= 5 || runs.ascending >= 6;
}

/**
 * Heuristic for the random part of a token: not a placeholder, no long filler runs and enough entropy for
 * its length (short strings cannot reach high per-character entropy, so the bar scales with log2(length)).
 */
export function looksRandom(value: string, minEntropy = 3): boolean {
  if (isPlaceholder(value)) return false;
  const ceiling = Math.log2(Math.max(2, value.length));
  return shannonEntropy(value) >= Math.min(minEntropy, ceiling * 0.8);
}

/** Luhn check over the digits of `digits` (non-digits must be stripped by the caller). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let value = digits.charCodeAt(i) - 48;
    if (value < 0 || value > 9) return false;
    if (double) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616 IBAN check: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
export function ibanChecksumValid(iban: string): boolean {
  if (iban.length < 5) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    if (isDigit(code)) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else if (isUpper(code)) {
      remainder = (remainder * 100 + (code - 55)) % 97;
    } else {
      return false;
    }
  }
  return remainder === 1;
}

let crcTable: Uint32Array | undefined;

export function crc32(value: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < value.length; i++) {
    crc = crcTable[(crc ^ value.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  do {
    out = BASE62[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub-style token checksum (also used by npm): the last six characters are the base62 CRC32 of the
 * random part that precedes them.
 */
export function tokenChecksumValid(body: string): boolean {
  if (body.length < 7) return false;
  const random = body.slice(0, -6);
  return base62(crc32(random), 6) === body.slice(-6);
}

/** Decodes base64 or base64url text to a UTF-8 string; undefined when it does not decode cleanly. */
export function decodeBase64Text(value: string): string | undefined {
  if (value.length === 0 || value.length > 8192) return undefined;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length === 0) return undefined;
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') ? undefined : text;
}

/** Case-insensitive check that one of `words` occurs in text[from, to). */
export function windowIncludes(text: string, from: number, to: number, words: readonly string[]): boolean {
  const slice = text.slice(Math.max(0, from), Math.min(text.length, to)).toLowerCase();
  for (const word of words) if (slice.includes(word)) return true;
  return false;
}
