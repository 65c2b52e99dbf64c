import { DOCS_EXAMPLE_SCORE, entropyNote } from './finding.js';
import { hasBase64Run, hasSixCharSegment, mayHoldNamedAssignment } from './secret-gates.js';
import { DOCS_EXAMPLES, groupSpan, type PrefixRule, type RuleVerdict } from './secret-rules.js';
import {
  characterClasses,
  decodeBase64Text,
  isPlaceholder,
  looksRandom,
  shannonEntropy,
  windowIncludes,
} from './text.js';

/**
 * Secrets recognised by structure rather than a vendor prefix: PEM private keys, JWTs, credentials inside
 * connection strings and HTTP authorization headers (prefix-anchored), plus four unanchored rules (AWS secret
 * keys near AWS context, Telegram and Discord bot tokens, generic `password=` style assignments).
 */

/** Passwords that appear in tutorials and default configs: not worth a leak verdict. */
const DEFAULT_PASSWORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'pw',
  'secret',
  'root',
  'admin',
  'test',
  'user',
  'username',
  'guest',
  'postgres',
  'mysql',
  'redis',
  'mongo',
  'changeme',
  'default',
  'qwerty',
  'letmein',
  '123456',
  '12345678',
  'mypassword',
  'yourpassword',
  'pa55word',
]);

/** Scores an inline password: null for placeholders and well-known defaults. */
function scorePassword(password: string, user = ''): RuleVerdict | null {
  if (password.length < 4 || isPlaceholder(password)) return null;
  const lower = password.toLowerCase();
  if (DEFAULT_PASSWORDS.has(lower) || lower === user.toLowerCase()) return null;
  const bits = shannonEntropy(password);
  const strong = password.length >= 8 && characterClasses(password) >= 2 && looksRandom(password, 3);
  return { score: strong ? 0.85 : 0.6, note: entropyNote(bits) };
}

const PEM_END = '-----END ';
const PEM_MAX_BODY = 16_000;

/** Standard base64 only: a PEM body never holds `-` or `_`, so `-----` always ends it. */
function isBase64Char(code: number): boolean {
  return (
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 43 /* + */ ||
    code === 47 /* / */ ||
    code === 61 /* = */
  );
}

/**
 * Where the next `-----END ` at or after `from` is (-1: none). Cached per text so that a text with many
 * BEGIN lines and no END line searches once, not once per header (which would be quadratic).
 */
let endCache: { text: string; from: number; at: number } | undefined;
function nextPemEnd(text: string, from: number): number {
  const cache = endCache;
  if (cache && cache.text === text && cache.from <= from && (cache.at === -1 || cache.at >= from))
    return cache.at;
  const at = text.indexOf(PEM_END, from);
  endCache = { text, from, at };
  return at;
}

/** Drops the cached END position (and with it the reference to the last scanned text). */
export function clearPemCache(): void {
  endCache = undefined;
}

/**
 * A PEM private key: the span runs from BEGIN to the END line. A key whose body holds a real amount of base64
 * scores high; a header with an elided body (`...`) is documentation and scores low. Without an END line
 * (truncated paste) the span covers the base64 lines that follow the header.
 */
function checkPem(m: RegExpExecArray, text: string): RuleVerdict | null {
  const bodyStart = m.index + m[0].length;
  const limit = Math.min(text.length, bodyStart + PEM_MAX_BODY);
  const endAt = nextPemEnd(text, bodyStart);
  let bodyEnd = endAt >= 0 && endAt < limit ? endAt : -1;
  let base64 = 0;
  let last = bodyStart;
  const stop = bodyEnd >= 0 ? bodyEnd : limit;
  for (let i = bodyStart; i < stop; i++) {
    const code = text.charCodeAt(i);
    if (isBase64Char(code)) {
      base64++;
      last = i + 1;
    } else if (code === 92 /* \ */ && text.charCodeAt(i + 1) === 110 /* n */) {
      i++; // "\n" escape inside JSON strings
    } else if (code === 45 /* - */ && text.startsWith('-----', i)) {
      bodyEnd = -1; // another BEGIN line before any END: this block was cut off
      break;
    } else if (bodyEnd < 0 && code !== 10 && code !== 13) {
      break; // a truncated body is whole lines of base64: it ends at the first other character
    }
  }
  let end = last;
  if (bodyEnd >= 0) {
    const close = text.slice(bodyEnd + PEM_END.length, bodyEnd + PEM_END.length + 64).indexOf('-----');
    end = close >= 0 ? bodyEnd + PEM_END.length + close + 5 : bodyEnd;
  }
  if (base64 >= 200 || (bodyEnd >= 0 && base64 >= 100)) {
    return { score: 0.95, note: bodyEnd >= 0 ? 'pem-block' : 'pem-truncated', start: m.index, end };
  }
  return { score: 0.3, note: 'pem-header-only', start: m.index, end: bodyEnd >= 0 ? end : bodyStart };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  const decoded = decodeBase64Text(part);
  if (!decoded) return undefined;
  try {
    const value: unknown = JSON.parse(decoded);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** JWT: the header must decode to a JSON object carrying `alg`; unsigned tokens score lower. */
function checkJwt(m: RegExpExecArray): RuleVerdict | null {
  if (DOCS_EXAMPLES.has(m[0])) return { score: DOCS_EXAMPLE_SCORE, note: 'docs-example' };
  const header = decodeJson(`eyJ${m[1] ?? ''}`);
  if (!header || typeof header.alg !== 'string') return null;
  const payload = decodeJson(m[2] ?? '');
  const signature = m[3] ?? '';
  const signed = header.alg.toLowerCase() !== 'none' && signature.length >= 16;
  if (!signed) return { score: 0.5, note: 'jwt-unsigned' };
  return { score: payload ? 0.8 : 0.7, note: payload ? 'jwt-valid' : 'jwt-header-valid' };
}

export const STRUCTURED_RULES: readonly PrefixRule[] = [
  {
    id: 'SEC-PRIVATE-KEY',
    prefixes: ['-----BEGIN '],
    pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/y,
    score: 0.95,
    leftBoundary: false,
    check: checkPem,
  },
  {
    id: 'SEC-JWT',
    prefixes: ['eyJ'],
    pattern:
      /eyJ([A-Za-z0-9_-]{8,1000})\.([A-Za-z0-9_-]{2,10000})\.([A-Za-z0-9_-]{0,1000})(?![A-Za-z0-9_-])/y,
    score: 0.8,
    check: checkJwt,
  },
  {
    id: 'SEC-DB-CONNECTION-STRING',
    prefixes: ['postgres', 'mysql', 'mariadb', 'mongodb', 'redis', 'amqp', 'mssql'],
    requires: '://',
    pattern:
      /(?:postgres(?:ql)?|mysql|mariadb|mongodb|rediss?|amqps?|mssql)(?:\+[a-z0-9]{1,20})?:\/\/([^\s:/?#@"'`]{0,128}):([^\s@/?#"'`]{1,256})@[A-Za-z0-9[]/y,
    score: 0.85,
    check: (m) => {
      const verdict = scorePassword(m[2] ?? '', m[1] ?? '');
      return verdict && { ...verdict, ...groupSpan(m, 2, true) };
    },
  },
  {
    id: 'SEC-JDBC-PASSWORD',
    prefixes: ['jdbc:'],
    pattern: /jdbc:[a-z0-9]{2,20}:[^\s"'`]{0,300}?[;&?:]password=([^;&\s"'`]{1,128})/iy,
    score: 0.85,
    leftBoundary: false,
    check: (m) => {
      const verdict = scorePassword(m[1] ?? '');
      return verdict && { ...verdict, ...groupSpan(m, 1, true) };
    },
  },
  {
    id: 'SEC-BEARER-TOKEN',
    prefixes: ['Bearer ', 'bearer '],
    pattern: /[Bb]earer ([A-Za-z0-9_\-.~+/]{20,2048}={0,2})(?![A-Za-z0-9_\-.~+/=])/y,
    score: 0.7,
    check: (m) => {
      const token = m[1] ?? '';
      if (!looksRandom(token, 3.5) || characterClasses(token) < 2) return null;
      return { score: 0.7, note: entropyNote(shannonEntropy(token)), ...groupSpan(m, 1, true) };
    },
  },
  {
    id: 'SEC-BASIC-AUTH',
    prefixes: ['Basic '],
    pattern: /Basic ([A-Za-z0-9+/]{8,400}={0,2})(?![A-Za-z0-9+/=])/y,
    score: 0.75,
    check: (m, text) => {
      if (!windowIncludes(text, m.index - 40, m.index, ['authorization', 'auth'])) return null;
      const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0 || decoded.includes('\uFFFD')) return null;
      const verdict = scorePassword(decoded.slice(colon + 1), decoded.slice(0, colon));
      return (
        verdict && {
          score: Math.min(0.75, verdict.score),
          note: 'basic-credentials',
          ...groupSpan(m, 1, true),
        }
      );
    },
  },
];

/** A rule without a literal anchor: a global pattern, gated by a cheap test on the whole text. */
export interface ScanRule {
  id: string;
  pattern: RegExp;
  gate?: (text: string) => boolean;
  check: (match: RegExpExecArray, text: string) => RuleVerdict | null;
}

const AWS_CONTEXT = /aws|akia|asia/i;

const NOT_SECRET_NAME =
  /(?:id|ids|name|type|url|uri|path|file|len|length|count|expiry|expires|ttl|field|label|prompt|header|policy|version|endpoint|size|format)$/;

/** `my-api-key`, `real_password`: words joined by dashes or underscores name a value, they are not one. */
const WORD_CHAIN = /^[a-z]+(?:[-_][a-z]+)+$/;
/** `config.db.password`, `Secret.fromJson`: member accesses are code. */
const MEMBER_ACCESS = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

function genericCheck(m: RegExpExecArray, text: string): RuleVerdict | null {
  // Group 1: a quoted value (any non-space character); group 2: a bare value, which ends at delimiters.
  const raw = m[1] ?? m[2] ?? '';
  if (isPlaceholder(raw)) return null;
  let value = raw;
  while (value.endsWith('.') || value.endsWith(':')) value = value.slice(0, -1);
  if (value.length < 8) return null;
  const valueStart = m.index + m[0].length - raw.length;
  // `token_id`, `password_field`, `secret_name`: the name says the value is not the secret itself.
  const name = /^[A-Za-z0-9_-]+/.exec(m[0])?.[0].toLowerCase() ?? '';
  if (NOT_SECRET_NAME.test(name)) return null;
  // A call or an index right after the value (`getenv(`, `settings[`) means an expression, not a literal.
  const after = text.charCodeAt(valueStart + value.length);
  if (after === 40 /* ( */ || after === 91 /* [ */) return null;
  // PublicKeyToken=..., public_key: ... are public by design.
  if (windowIncludes(text, m.index - 12, m.index, ['public'])) return null;
  const lower = value.toLowerCase();
  if (lower.startsWith('http') || lower.includes('://')) return null;
  if (value.startsWith('.') || value.startsWith('/') || value.startsWith('~') || value.includes('../'))
    return null;
  if (MEMBER_ACCESS.test(value) || WORD_CHAIN.test(value)) return null;
  if (/^[A-Za-z_$][\w$]*$/.test(value) && characterClasses(value) < 3) return null; // a bare identifier
  if (characterClasses(value) < 2) return null;
  const bits = shannonEntropy(value);
  if (!looksRandom(value, 3)) return null;
  const strong = bits >= 3.5 && value.length >= 12;
  return {
    score: strong ? 0.7 : 0.55,
    note: entropyNote(bits),
    start: valueStart,
    end: valueStart + value.length,
  };
}

export const SCAN_RULES: readonly ScanRule[] = [
  {
    id: 'SEC-AWS-SECRET-KEY',
    pattern: /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g,
    // The run test first: it reads a few hundred characters of a 2 KB text where the context regex reads all.
    gate: (text) => hasBase64Run(text, 40) && AWS_CONTEXT.test(text),
    check: (m, text) => {
      const value = m[0];
      if (value.includes('EXAMPLE')) return { score: DOCS_EXAMPLE_SCORE, note: 'docs-example' };
      // Base64 of 30 random bytes: all three letter/digit classes and high entropy (git SHAs are hex).
      if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/[0-9]/.test(value)) return null;
      if (shannonEntropy(value) < 4 || isPlaceholder(value)) return null;
      const nearKeyId = /(?:AKIA|ASIA)[A-Z2-7]{16}/.test(
        text.slice(Math.max(0, m.index - 400), m.index + 440),
      );
      if (nearKeyId) return { score: 0.9, note: 'near-access-key-id' };
      if (windowIncludes(text, m.index - 200, m.index, ['aws', 'secret_access', 'secretaccess'])) {
        return { score: 0.8, note: 'aws-context' };
      }
      return null;
    },
  },
  {
    id: 'SEC-TELEGRAM-BOT-TOKEN',
    pattern: /(?<![0-9A-Za-z_])\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
    gate: (text) => text.includes(':AA'),
    check: (m) => {
      const secret = m[0].slice(m[0].indexOf(':') + 1);
      return looksRandom(secret, 3.5) ? { score: 0.85, note: 'format-match' } : null;
    },
  },
  {
    id: 'SEC-DISCORD-BOT-TOKEN',
    pattern:
      /(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_.-])/g,
    gate: hasSixCharSegment,
    check: (m) => {
      // The first segment is the base64 of the bot's numeric user id (a snowflake).
      const id = decodeBase64Text(m[0].slice(0, m[0].indexOf('.')));
      if (!id || !/^\d{17,20}$/.test(id)) return null;
      return looksRandom(m[0].slice(m[0].lastIndexOf('.') + 1), 3.5)
        ? { score: 0.85, note: 'snowflake-id' }
        : null;
    },
  },
  {
    id: 'SEC-GENERIC-ASSIGNMENT',
    // Horizontal whitespace only around the operator: an empty `KEY=` line must not swallow the next line.
    // A quoted value may hold any non-space character; a bare one stops at `&` (query strings) and brackets.
    pattern:
      /(?:password|passwd|passphrase|pwd|secret|api[_-]?key|apikey|access[_-]?key|auth[_-]?token|access[_-]?token|token|credentials?|private[_-]?key)[A-Za-z0-9_-]{0,24}["']?[ \t]{0,4}(?::=|=>|=|:)[ \t]{0,4}(?:["'`]([^\s"'`]{6,200})|([^\s"'`,;<>()[\]{}&]{6,200}))/gi,
    gate: mayHoldNamedAssignment,
    check: genericCheck,
  },
];
