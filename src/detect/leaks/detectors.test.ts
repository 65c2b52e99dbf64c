import { describe, expect, it } from 'vitest';
import { screeningSchema } from '../../config/sections/screening.js';
import type { Preset, ScreenRequest } from '../../core/types.js';
import type { Normalized, TextView } from '../../normalize/types.js';
import { createNormalizer } from '../../normalize/index.js';
import { createScreenerFromParts } from '../screener.js';
import type { DetectInput } from '../types.js';
import {
  createPiiDetector,
  createSecretsDetector,
  leakDetectorsFor,
  PII_TYPES,
  redactVerdict,
} from './index.js';
import { FakeKeys } from './testing/fake-keys.js';
import { cleanedView } from './views.js';

const keys = new FakeKeys(31337);

function originalView(text: string): TextView {
  return { id: 'original', text, transforms: [], depth: 0, toOriginal: (start, end) => ({ start, end }) };
}

/** Input with the original view plus hand-built decoded views, independent of the normaliser in use. */
function input(text: string, extra: TextView[] = []): DetectInput {
  const normalized: Normalized = { original: text, views: [originalView(text), ...extra], transforms: [] };
  const request: ScreenRequest = { text, side: 'input' };
  return { request, normalized };
}

/** A decoded view the way the normaliser builds one: folded (lowercased) text mapped to its segment. */
function decodedView(
  id: string,
  decoded: string,
  segment: { start: number; end: number },
  transform = 'base64',
): TextView {
  return {
    id,
    text: decoded.toLowerCase(),
    transforms: [transform],
    depth: 1,
    toOriginal: () => ({ ...segment }),
  };
}

describe('secrets detector', () => {
  it('produces evidence with rule id, span, severity, note and view, never the matched text', () => {
    const token = keys.githubToken();
    const text = `push with ${token}`;
    const { evidence } = createSecretsDetector().detect(input(text));
    expect(evidence).toHaveLength(1);
    const [e] = evidence;
    expect(e).toMatchObject({
      detector: 'secrets',
      ruleId: 'SEC-GITHUB-TOKEN',
      category: 'secrets',
      severity: 'critical',
      view: 'original',
      note: 'checksum-valid',
    });
    expect(text.slice(e!.span!.start, e!.span!.end)).toBe(token);
    expect(JSON.stringify(evidence)).not.toContain(token.slice(4, 20));
  });

  it('finds a base64-encoded key through a decoded view and maps it to the encoded segment', () => {
    const key = keys.awsAccessKeyId();
    const secret = keys.awsSecretKey();
    const encoded = Buffer.from(
      `[default]\naws_access_key_id=${key}\naws_secret_access_key=${secret}\n`,
    ).toString('base64');
    const text = `config blob: ${encoded} end`;
    const segment = { start: text.indexOf(encoded), end: text.indexOf(encoded) + encoded.length };
    const view = decodedView(
      `base64@${segment.start}`,
      Buffer.from(encoded, 'base64').toString('utf8'),
      segment,
    );
    const { evidence } = createSecretsDetector().detect(input(text, [view]));
    // Both findings map to the same encoded segment; the strongest is kept for that span.
    expect(evidence.length).toBeGreaterThanOrEqual(1);
    for (const e of evidence) {
      expect(e.view).toBe(view.id);
      expect(e.span).toEqual(segment);
    }
    expect(evidence[0]!.score).toBeGreaterThanOrEqual(0.8);
  });

  it('decodes hex and URL-encoded segments itself so case-sensitive formats survive folding', () => {
    const key = keys.awsAccessKeyId();
    const hex = Buffer.from(`key ${key}`).toString('hex');
    const text = `payload=${hex}`;
    const segment = { start: 8, end: 8 + hex.length };
    const view = decodedView('hex@8', `key ${key}`, segment, 'hex');
    expect(createSecretsDetector().detect(input(text, [view])).evidence[0]).toMatchObject({
      ruleId: 'SEC-AWS-ACCESS-KEY',
      span: segment,
    });
  });

  it('decodes \\u escape runs reported as hex', () => {
    const token = keys.githubToken();
    const escaped = [...`token ${token}`]
      .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join('');
    const text = `payload "${escaped}" end`;
    const segment = { start: 9, end: 9 + escaped.length };
    const view = decodedView('hex@9', `token ${token}`, segment, 'hex');
    expect(createSecretsDetector().detect(input(text, [view])).evidence[0]).toMatchObject({
      ruleId: 'SEC-GITHUB-TOKEN',
      note: 'checksum-valid',
      span: segment,
    });
  });

  it('scans a nested view as given when it cannot re-decode it', () => {
    const text = 'opaque segment here';
    const view: TextView = {
      id: 'base64@0>rot13@0',
      text: 'contact me: jane.roe@megacorp.com',
      transforms: ['base64', 'rot13'],
      depth: 2,
      toOriginal: () => ({ start: 0, end: 6 }),
    };
    const { evidence } = createPiiDetector().detect(input(text, [view]));
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ ruleId: 'PII-EMAIL', view: view.id, span: { start: 0, end: 6 } });
  });

  it('works with the normaliser in use, whatever views it returns', () => {
    const token = keys.githubToken();
    const text = `plain ${token} and encoded ${Buffer.from(`export GH=${keys.githubToken()}`).toString('base64')}`;
    const evidence = createSecretsDetector().detect({
      request: { text, side: 'input' },
      normalized: createNormalizer()(text),
    }).evidence;
    const original = evidence.filter((e) => e.view === 'original');
    expect(original).toHaveLength(1);
    expect(text.slice(original[0]!.span!.start, original[0]!.span!.end)).toBe(token);
    for (const e of evidence) {
      expect(e.span!.start).toBeGreaterThanOrEqual(0);
      expect(e.span!.end).toBeLessThanOrEqual(text.length);
    }
  });
});

describe('token-splitting tricks (cleaned view)', () => {
  it('finds a key split by zero-width characters and redacts the whole obfuscated run', () => {
    const token = keys.githubToken();
    const split = `${token.slice(0, 10)}\u200b${token.slice(10, 25)}\u2060${token.slice(25)}`;
    const text = `my token: ${split}!`;
    const { evidence } = createSecretsDetector().detect(input(text));
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({
      ruleId: 'SEC-GITHUB-TOKEN',
      view: 'cleaned',
      note: 'checksum-valid',
    });
    expect(text.slice(evidence[0]!.span!.start, evidence[0]!.span!.end)).toBe(split);
  });

  it('maps offsets of the cleaned view back to the original', () => {
    const text = '\u200bab\u200c\u200dcd\ufeffe';
    const view = cleanedView(text)!;
    expect(view.text).toBe('abcde');
    expect(view.toOriginal(0, 2)).toEqual({ start: 1, end: 3 });
    expect(view.toOriginal(1, 4)).toEqual({ start: 2, end: 7 });
    expect(view.toOriginal(4, 5)).toEqual({ start: 8, end: 9 });
    expect(cleanedView('plain text')).toBeUndefined();
    expect(cleanedView('обычный русский текст без латиницы')).toBeUndefined();
  });

  it('maps look-alike letters in mixed-script tokens to ASCII, keeping case', () => {
    const key = keys.awsAccessKeyId();
    // Cyrillic capital A and small o-like letters inside the key.
    const disguised = `\u0410${key.slice(1)}`;
    const text = `aws key ${disguised} and jane.r\u043ee@megacorp.com`;
    const view = cleanedView(text)!;
    expect(view.transforms).toEqual(['homoglyph']);
    expect(view.text).toBe(`aws key ${key} and jane.roe@megacorp.com`);
    const secrets = createSecretsDetector().detect(input(text)).evidence;
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toMatchObject({ ruleId: 'SEC-AWS-ACCESS-KEY', view: 'cleaned' });
    expect(text.slice(secrets[0]!.span!.start, secrets[0]!.span!.end)).toBe(disguised);
    const pii = createPiiDetector().detect(input(text)).evidence;
    expect(pii.map((e) => text.slice(e.span!.start, e.span!.end))).toEqual(['jane.r\u043ee@megacorp.com']);
  });

  it('gives each request text its own cleaned view, also when inputs share one normalised object', () => {
    const token = keys.githubToken();
    const split = `${token.slice(0, 10)}\u200b${token.slice(10)}`;
    const shared = input(`key ${split}`);
    const first = createSecretsDetector().detect(shared).evidence;
    expect(first.map((e) => e.view)).toEqual(['cleaned']);
    expect(createSecretsDetector().detect(shared).evidence).toEqual(first);
    // Same normalised object, another request text: the view of that text, not the cached one.
    const other: DetectInput = {
      request: { text: 'plain words', side: 'input' },
      normalized: shared.normalized,
    };
    expect(createSecretsDetector().detect(other).evidence).toEqual([]);
    const moved: DetectInput = {
      request: { text: `xx ${split}`, side: 'input' },
      normalized: shared.normalized,
    };
    expect(createSecretsDetector().detect(moved).evidence[0]!.span).toEqual({
      start: 3,
      end: 3 + split.length,
    });
  });
});

describe('pii detector', () => {
  it('scans a folded view only when de-obfuscation fired there', () => {
    // A fullwidth at sign: only the folded (NFKC) view reads it as an address.
    const text = 'mail: jane.roe\uff20megacorp.com';
    const folded: TextView = {
      id: 'folded',
      text: 'mail: jane.roe@megacorp.com',
      transforms: ['nfkc'],
      depth: 0,
      toOriginal: (start, end) => ({ start, end }),
    };
    const evidence = createPiiDetector().detect(input(text, [folded])).evidence;
    expect(evidence.map((e) => [e.ruleId, e.view, text.slice(e.span!.start, e.span!.end)])).toEqual([
      ['PII-EMAIL', 'folded', 'jane.roe\uff20megacorp.com'],
    ]);
    const plainFold: TextView = { ...folded, transforms: [] };
    expect(createPiiDetector().detect(input(text, [plainFold])).evidence).toEqual([]);
    expect(createSecretsDetector().detect(input(text, [folded])).evidence).toEqual([]);
  });

  it('honours the type allow-list', () => {
    const text = 'jane.roe@megacorp.com +14155552671';
    expect(
      createPiiDetector({ types: ['phone'] })
        .detect(input(text))
        .evidence.map((e) => e.ruleId),
    ).toEqual(['PII-PHONE']);
  });
});

describe('config', () => {
  it('keeps the schema piiTypes enum in step with PII_TYPES', () => {
    const parsed = screeningSchema.parse({ leaks: { piiTypes: [...PII_TYPES] } });
    expect(parsed.leaks.piiTypes).toEqual([...PII_TYPES]);
    expect(() => screeningSchema.parse({ leaks: { piiTypes: ['dna'] } })).toThrow();
    expect(() => screeningSchema.parse({ leaks: { piiTypes: [] } })).toThrow();
  });

  it('builds the detectors config.leaks asks for', () => {
    const ids = (leaks: object) => leakDetectorsFor(screeningSchema.parse({ leaks })).map((d) => d.id);
    expect(ids({})).toEqual(['secrets', 'pii']);
    expect(ids({ secrets: false })).toEqual(['pii']);
    expect(ids({ pii: false })).toEqual(['secrets']);
    expect(ids({ secrets: false, pii: false })).toEqual([]);
    const [pii] = leakDetectorsFor(screeningSchema.parse({ leaks: { secrets: false, piiTypes: ['email'] } }));
    expect(pii!.detect(input('a@corp.io +14155552671')).evidence.map((e) => e.ruleId)).toEqual(['PII-EMAIL']);
  });
});

describe('through the screener', () => {
  function screener(preset: Preset) {
    const config = screeningSchema.parse({ preset });
    return createScreenerFromParts(config, {
      normalize: createNormalizer(config.normalize),
      detectors: leakDetectorsFor(config),
    });
  }

  it('flags a private key, a live cloud key and a valid card at every preset', () => {
    const texts = [keys.pem(), `key ${keys.awsAccessKeyId()}`, `card ${keys.card('4', 16)}`];
    for (const preset of ['strict', 'balanced', 'permissive'] as const) {
      for (const text of texts) {
        const verdict = screener(preset).screen({ text, side: 'input' });
        expect(verdict.action, `${preset}: ${verdict.score}`).toBe('redact');
      }
    }
  });

  it('flags e-mail and phone at strict and balanced but not permissive; IPs nowhere', () => {
    for (const text of ['write to jane.roe@megacorp.com', 'call (415) 555-2671']) {
      expect(screener('strict').screen({ text, side: 'input' }).action).toBe('redact');
      expect(screener('balanced').screen({ text, side: 'input' }).action).toBe('redact');
      expect(screener('permissive').screen({ text, side: 'input' }).action).toBe('allow');
    }
    for (const preset of ['strict', 'balanced', 'permissive'] as const) {
      expect(screener(preset).screen({ text: 'server 8.8.8.8 is down', side: 'input' }).action).toBe('allow');
    }
  });

  it('redacts a mixed message end to end with redactVerdict', () => {
    const token = keys.githubToken();
    const text = `I am jane.roe@megacorp.com, use ${token} and DATABASE_URL=postgres://app:Zx81kq0PvQ3m@db/prod`;
    const verdict = screener('balanced').screen({ text, side: 'input' });
    expect(verdict.flaggedCategories.sort()).toEqual(['pii', 'secrets']);
    expect(redactVerdict(text, verdict).text).toBe(
      'I am [REDACTED:EMAIL], use [REDACTED:SECRET] and DATABASE_URL=postgres://app:[REDACTED:PASSWORD]@db/prod',
    );
  });

  it('allows text without leaks', () => {
    const verdict = screener('strict').screen({ text: 'How do I rotate my AWS keys safely?', side: 'input' });
    expect(verdict).toMatchObject({ action: 'allow', redactions: [] });
  });
});
