import { DOCS_EXAMPLE_SCORE, entropyNote } from './finding.js';
import { characterClasses, isPlaceholder, looksRandom, shannonEntropy, tokenChecksumValid } from './text.js';

/**
 * Provider token formats. Each rule is anchored on literal prefixes: one combined trigger regex finds the
 * prefixes, then the rule's sticky pattern runs at that position only. Every pattern is a flat sequence of
 * character classes with bounded repetition (no nested quantifiers), so a trigger costs a bounded amount of
 * work and a whole scan is linear in the text.
 */

/** What a rule's check says about a match. `start`/`end` narrow the span (e.g. to a password only). */
export interface RuleVerdict {
  score: number;
  note?: string;
  start?: number;
  end?: number;
}

export interface PrefixRule {
  id: string;
  prefixes: readonly string[];
  /** Sticky (`y`) pattern tried at the trigger position. */
  pattern: RegExp;
  score: number;
  /**
   * A literal every match contains beyond the prefix (`://` in a connection string): where the text lacks it,
   * the rule's prefixes are not searched at all. Only worth naming for prefixes common in prose.
   */
  requires?: string;
  /** When true (default) the character before the match must not continue a token. */
  leftBoundary?: boolean;
  /** Returns null to reject the match; default: group 1 must look random. */
  check?: (match: RegExpExecArray, text: string) => RuleVerdict | null;
}

/** Values published in vendor documentation: reported at a score that never flags. */
export const DOCS_EXAMPLES: ReadonlySet<string> = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  'pk_test_TYooMQauvdEDq54NiTphI7jx',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
]);

function docsExample(value: string): RuleVerdict | null {
  return DOCS_EXAMPLES.has(value) ? { score: DOCS_EXAMPLE_SCORE, note: 'docs-example' } : null;
}

/** Default check: group 1 (the random part) must look random. */
function randomBody(score: number, minEntropy = 3) {
  return (match: RegExpExecArray): RuleVerdict | null => {
    const body = match[1] ?? match[0];
    return looksRandom(body, minEntropy) ? { score, note: entropyNote(shannonEntropy(body)) } : null;
  };
}

/** Narrows the span to group `group`, whose text must occur at or after `from` within the match. */
export function groupSpan(
  match: RegExpExecArray,
  group: number,
  fromEnd = false,
): { start: number; end: number } {
  const value = match[group] ?? '';
  const offset = fromEnd ? match[0].lastIndexOf(value) : match[0].indexOf(value);
  const start = match.index + Math.max(0, offset);
  return { start, end: start + value.length };
}

function checksummed(match: RegExpExecArray): RuleVerdict | null {
  const body = match[1] ?? '';
  if (!looksRandom(body, 3.5)) return null;
  if (body.length === 36 && tokenChecksumValid(body)) return { score: 0.95, note: 'checksum-valid' };
  return { score: 0.85, note: 'format-match' };
}

export const PREFIX_RULES: readonly PrefixRule[] = [
  {
    id: 'SEC-AWS-ACCESS-KEY',
    prefixes: ['AKIA', 'ASIA'],
    // Access key ids use the base32 alphabet after the 4-letter type prefix.
    pattern: /(AKIA|ASIA)([A-Z2-7]{16})(?![A-Za-z0-9])/y,
    score: 0.85,
    check: (m) => {
      const body = m[2] ?? '';
      if (docsExample(m[0]) || body.includes('EXAMPLE'))
        return { score: DOCS_EXAMPLE_SCORE, note: 'docs-example' };
      if (!looksRandom(body, 3)) return null;
      return m[1] === 'ASIA'
        ? { score: 0.8, note: 'temporary-credential' }
        : { score: 0.85, note: 'format-match' };
    },
  },
  {
    id: 'SEC-GCP-API-KEY',
    prefixes: ['AIza'],
    pattern: /AIza([0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/y,
    score: 0.85,
  },
  {
    id: 'SEC-GCP-SERVICE-ACCOUNT',
    prefixes: ['"private_key"'],
    pattern: /"private_key"\s{0,4}:\s{0,4}"(-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----[^"]{64,8000})"/y,
    score: 0.95,
    leftBoundary: false,
    check: (m, text) => {
      const from = Math.max(0, m.index - 4000);
      const window = text.slice(from, Math.min(text.length, m.index + m[0].length + 4000));
      if (!window.includes('"client_email"') || !window.includes('gserviceaccount.com')) return null;
      return { score: 0.95, note: 'service-account-json', ...groupSpan(m, 1) };
    },
  },
  {
    id: 'SEC-AZURE-STORAGE-KEY',
    prefixes: ['AccountKey='],
    pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/y,
    score: 0.9,
    check: (m) =>
      looksRandom(m[1] ?? '', 4) ? { score: 0.9, note: 'format-match', ...groupSpan(m, 1) } : null,
  },
  {
    id: 'SEC-AZURE-SHARED-ACCESS-KEY',
    prefixes: ['SharedAccessKey='],
    pattern: /SharedAccessKey=([A-Za-z0-9+/]{43}=)/y,
    score: 0.9,
    check: (m) =>
      looksRandom(m[1] ?? '', 4) ? { score: 0.9, note: 'format-match', ...groupSpan(m, 1) } : null,
  },
  {
    id: 'SEC-AZURE-SAS-TOKEN',
    prefixes: ['sig='],
    pattern: /sig=([A-Za-z0-9%+/]{40,120})/y,
    score: 0.85,
    leftBoundary: false,
    check: (m, text) => {
      const before = text.charCodeAt(m.index - 1);
      if (before !== 38 /* & */ && before !== 63 /* ? */) return null;
      let signature: string;
      try {
        signature = decodeURIComponent(m[1] ?? '');
      } catch {
        return null;
      }
      // An HMAC-SHA256 signature: 32 bytes = 43 base64 characters plus one '='.
      if (!/^[A-Za-z0-9+/]{43}=$/.test(signature)) return null;
      const window = text.slice(Math.max(0, m.index - 600), m.index);
      if (!window.includes('sv=')) return null;
      return { score: 0.85, note: 'sas-signature', ...groupSpan(m, 1) };
    },
  },
  {
    id: 'SEC-GITHUB-TOKEN',
    prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: /gh[pousr]_([A-Za-z0-9]{36,251})(?![A-Za-z0-9_])/y,
    score: 0.85,
    check: checksummed,
  },
  {
    id: 'SEC-GITHUB-FINE-GRAINED-PAT',
    prefixes: ['github_pat_'],
    pattern: /github_pat_([A-Za-z0-9]{20,30}_[A-Za-z0-9]{50,70})(?![A-Za-z0-9_])/y,
    score: 0.9,
    check: randomBody(0.9, 4),
  },
  {
    id: 'SEC-GITLAB-TOKEN',
    prefixes: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glsoat-'],
    pattern: /gl(?:pat|dt|rt|ptt|soat)-([A-Za-z0-9_.-]{20,80})(?![A-Za-z0-9_.-])/y,
    score: 0.9,
    check: randomBody(0.9, 3.5),
  },
  {
    id: 'SEC-SLACK-TOKEN',
    prefixes: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxo-', 'xoxe-', 'xapp-'],
    pattern: /(?:xox[bparsoe]|xapp)-([0-9A-Za-z-]{10,250})(?![0-9A-Za-z_-])/y,
    score: 0.9,
    check: (m) => {
      const body = m[1] ?? '';
      if (isPlaceholder(body)) return null;
      let longest = '';
      for (const part of body.split('-')) if (part.length > longest.length) longest = part;
      if (longest.length >= 20 && looksRandom(longest, 3.5)) return { score: 0.9, note: 'structured' };
      const digits = body.replace(/[^0-9]/g, '').length;
      if (digits >= 8 && looksRandom(body, 3)) return { score: 0.7, note: 'format-match' };
      return null;
    },
  },
  {
    id: 'SEC-SLACK-WEBHOOK',
    prefixes: ['hooks.slack.com/'],
    pattern:
      /hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{6,12}\/[A-Z0-9]{6,12}\/([A-Za-z0-9]{20,32})(?![A-Za-z0-9])/y,
    score: 0.85,
    check: randomBody(0.85, 3.5),
  },
  {
    id: 'SEC-STRIPE-KEY',
    prefixes: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'pk_live_'],
    pattern: /([sr]k|pk)_(live|test)_([A-Za-z0-9]{20,250})(?![A-Za-z0-9_])/y,
    score: 0.9,
    check: (m) => {
      const example = docsExample(m[0]);
      if (example) return example;
      const body = m[3] ?? '';
      if (!looksRandom(body, 3.5)) return null;
      if (m[1] === 'pk') return { score: 0.3, note: 'publishable-key' };
      return m[2] === 'live' ? { score: 0.9, note: 'live-key' } : { score: 0.5, note: 'test-mode-key' };
    },
  },
  {
    id: 'SEC-ANTHROPIC-KEY',
    prefixes: ['sk-ant-'],
    pattern: /sk-ant-(?:api|admin|sid|oat|ort)\d{2}-([A-Za-z0-9_-]{20,250})(?![A-Za-z0-9_-])/y,
    score: 0.95,
    check: (m) => {
      const body = m[1] ?? '';
      if (!looksRandom(body, 4)) return null;
      return body.length >= 80 ? { score: 0.95, note: 'format-match' } : { score: 0.85, note: 'short-body' };
    },
  },
  {
    id: 'SEC-OPENAI-KEY',
    prefixes: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-', 'sk-'],
    pattern: /sk-(?:(proj|svcacct|admin|None)-)?([A-Za-z0-9_-]{20,250})(?![A-Za-z0-9_-])/y,
    score: 0.9,
    check: (m) => {
      const body = m[2] ?? '';
      if (body.startsWith('ant-')) return null;
      // "T3BlbkFJ" is base64 for "OpenAI": OpenAI embeds it in every key it issues.
      if (body.includes('T3BlbkFJ') && looksRandom(body, 4)) return { score: 0.95, note: 'openai-marker' };
      if (m[1] && body.length >= 40 && looksRandom(body, 4)) return { score: 0.85, note: 'format-match' };
      // Bare `sk-` + 32..64 random characters: the format several LLM vendors use.
      if (
        !m[1] &&
        body.length >= 32 &&
        body.length <= 64 &&
        characterClasses(body) >= 2 &&
        looksRandom(body, 3.5)
      ) {
        return { score: 0.7, note: 'sk-format' };
      }
      return null;
    },
  },
  {
    id: 'SEC-HUGGINGFACE-TOKEN',
    prefixes: ['hf_'],
    pattern: /hf_([A-Za-z0-9]{30,40})(?![A-Za-z0-9_])/y,
    score: 0.85,
    check: (m) => {
      const body = m[1] ?? '';
      return characterClasses(body) >= 2 && looksRandom(body, 3.5)
        ? { score: 0.85, note: 'format-match' }
        : null;
    },
  },
  {
    id: 'SEC-GOOGLE-OAUTH-SECRET',
    prefixes: ['GOCSPX-'],
    pattern: /GOCSPX-([A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/y,
    score: 0.9,
    check: randomBody(0.9, 3.5),
  },
  {
    id: 'SEC-GOOGLE-OAUTH-TOKEN',
    prefixes: ['ya29.', '1//0'],
    pattern: /(?:ya29\.|1\/\/0)([A-Za-z0-9_-]{30,2048})(?![A-Za-z0-9_-])/y,
    score: 0.85,
    check: randomBody(0.85, 3.5),
  },
  {
    id: 'SEC-TWILIO-API-KEY',
    prefixes: ['SK'],
    pattern: /SK([0-9a-f]{32})(?![0-9A-Za-z_])/y,
    score: 0.8,
    check: randomBody(0.8, 3.2),
  },
  {
    id: 'SEC-TWILIO-AUTH-TOKEN',
    prefixes: ['AC'],
    pattern: /AC([0-9a-f]{32})(?![0-9A-Za-z_])/y,
    score: 0.85,
    check: (m, text) => {
      // The account SID is an identifier; the secret is a 32-hex auth token written next to it.
      const from = m.index + m[0].length;
      const window = text.slice(from, Math.min(text.length, from + 300));
      const token = /(?<![0-9A-Za-z])[0-9a-f]{32}(?![0-9A-Za-z])/.exec(window);
      if (!token || !looksRandom(token[0], 3.2)) return null;
      const start = from + token.index;
      return { score: 0.85, note: 'sid-and-token', start, end: start + 32 };
    },
  },
  {
    id: 'SEC-SENDGRID-KEY',
    prefixes: ['SG.'],
    pattern: /SG\.([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/y,
    score: 0.9,
    check: randomBody(0.9, 4),
  },
  {
    id: 'SEC-NPM-TOKEN',
    prefixes: ['npm_'],
    pattern: /npm_([A-Za-z0-9]{36})(?![A-Za-z0-9_])/y,
    score: 0.85,
    check: checksummed,
  },
  {
    id: 'SEC-PYPI-TOKEN',
    prefixes: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'],
    // The macaroon starts with the base64 of its location, "pypi.org" or "test.pypi.org".
    pattern: /pypi-AgE(IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)([A-Za-z0-9_-]{50,1000})(?![A-Za-z0-9_-])/y,
    score: 0.95,
    check: (m) => {
      if (!looksRandom(m[2] ?? '', 4)) return null;
      return m[1] === 'IcHlwaS5vcmc'
        ? { score: 0.95, note: 'pypi.org' }
        : { score: 0.6, note: 'test.pypi.org' };
    },
  },
  {
    id: 'SEC-MAILGUN-KEY',
    prefixes: ['key-'],
    pattern: /key-([0-9a-f]{32})(?![0-9A-Za-z_])/y,
    score: 0.75,
    check: randomBody(0.75, 3.2),
  },
  {
    id: 'SEC-SHOPIFY-TOKEN',
    prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: /shp(?:at|ca|pa|ss)_([a-fA-F0-9]{32})(?![A-Za-z0-9_])/y,
    score: 0.9,
    check: randomBody(0.9, 3.2),
  },
  {
    id: 'SEC-SQUARE-TOKEN',
    prefixes: ['sq0atp-', 'sq0csp-'],
    pattern: /sq0(?:atp-([0-9A-Za-z_-]{22})|csp-([0-9A-Za-z_-]{43}))(?![0-9A-Za-z_-])/y,
    score: 0.9,
    check: (m) => (looksRandom(m[1] ?? m[2] ?? '', 3.5) ? { score: 0.9, note: 'format-match' } : null),
  },
  {
    id: 'SEC-DISCORD-WEBHOOK',
    prefixes: ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'],
    pattern: /discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/([A-Za-z0-9_-]{60,80})(?![A-Za-z0-9_-])/y,
    score: 0.85,
    check: randomBody(0.85, 4),
  },
];
