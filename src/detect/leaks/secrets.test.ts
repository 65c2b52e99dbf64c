import { describe, expect, it } from 'vitest';
import { dropOverlapping, type LeakFinding } from './finding.js';
import { SECRET_RULE_IDS, scanSecrets } from './secrets.js';
import { ALNUM, FakeKeys } from './testing/fake-keys.js';
import { SECRET_CASES as POSITIVES } from './testing/secret-cases.js';

const keys = new FakeKeys(4321);

/** Strongest finding per region, as the detector reports them. */
function scan(text: string): LeakFinding[] {
  return dropOverlapping(scanSecrets(text));
}

describe('secrets: positives with exact spans', () => {
  it.each(POSITIVES)('$name', ({ ruleId, secret, context, span, minScore }) => {
    const text = context.replace('{}', secret);
    const findings = scan(text);
    const hit = findings.find((f) => f.ruleId === ruleId);
    expect(hit, `no ${ruleId} in ${JSON.stringify(findings)}`).toBeDefined();
    expect(text.slice(hit!.start, hit!.end)).toBe(span ?? secret);
    expect(hit!.score).toBeGreaterThanOrEqual(minScore);
  });

  it('covers every rule id at least once', () => {
    const covered = new Set(POSITIVES.map((c) => c.ruleId));
    covered.add('SEC-PRIVATE-KEY').add('SEC-JWT').add('SEC-GCP-SERVICE-ACCOUNT'); // in secret-structured.test.ts
    expect(SECRET_RULE_IDS.filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('secrets: scores by kind', () => {
  it('scores publishable and test-mode Stripe keys low', () => {
    const pk = scan(`pk_live_${keys.chars(ALNUM, 24)}`);
    expect(pk[0]?.score).toBeLessThan(0.35);
    const test = scan(`sk_test_${keys.chars(ALNUM, 24)}`);
    expect(test[0]?.score).toBe(0.5);
  });

  it('rewards a valid GitHub checksum over a format-only match', () => {
    const valid = keys.githubToken();
    const last = valid.at(-1) === 'A' ? 'B' : 'A';
    const invalid = valid.slice(0, -1) + last;
    expect(scan(valid)[0]).toMatchObject({ score: 0.95, note: 'checksum-valid' });
    expect(scan(invalid)[0]).toMatchObject({ score: 0.85, note: 'format-match' });
  });
});

describe('secrets: documentation examples', () => {
  it.each([
    ['AWS docs key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS docs secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['Stripe docs key', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
  ])('%s is reported at a never-flagging score', (_name, text) => {
    const findings = scan(text);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.score).toBeLessThan(0.35);
      expect(f.note).toBe('docs-example');
    }
  });
});

describe('secrets: negatives', () => {
  it.each([
    ['placeholder GitHub token', 'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['templated key', 'OPENAI_API_KEY=<your-openai-key>'],
    ['env reference', 'api_key = process.env.OPENAI_API_KEY'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} placeholder is the input under test
    ['shell variable', 'password=${DB_PASSWORD}'],
    ['python env', "SECRET_KEY = os.environ['SECRET_KEY']"],
    ['masked', 'password: ****************'],
    ['changeme', 'password = "changeme"'],
    ['UUID', 'request id 123e4567-e89b-12d3-a456-426614174000'],
    ['git SHA', 'commit 3f786850e387550fdab836ed7e6dc881de23001b fixes it'],
    ['sha256', 'sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['md5 in AWS context', 'aws s3 etag d41d8cd98f00b204e9800998ecf8427e'],
    ['version strings', 'upgrade from 1.2.3 to 2.0.0-rc.1 (build 20240115)'],
    ['member access', 'password = config.database.password'],
    ['function call', 'token = get_token(user)'],
    ['type annotation', 'token: string;'],
    ['word chain value', "API_KEY = 'my-api-key'"],
    ['default DB credentials', 'postgres://postgres:postgres@localhost:5432/app'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} placeholder is the input under test
    ['DB URL with env password', 'postgres://app:${PGPASSWORD}@db/app'],
    ['DB URL without password', 'postgres://app@db.internal/app'],
    ['empty env line', 'MYSQL_PASSWORD=\nMYSQL_HOST=localhost'],
    ['public key token', 'PublicKeyToken=31bf3856ad364e35'],
    ['query string with short values', 'GET /auth?client_id=foo&client_secret=bar&code=baz'],
    ['quoted sentence', 'password: "please enter your password"'],
    ['prose about keys', 'Never commit your AWS secret key or your sk-... OpenAI key to git.'],
    ['sk- identifier', 'use the sk-learn style API: sk-learn-compatible-estimator'],
    ['hf_ identifier', 'from huggingface_hub import hf_hub_download'],
    ['PEM header without body', '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----'],
    [
      'public key PEM',
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----',
    ],
    [
      'base64 image',
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    ],
  ])('%s', (_name, text) => {
    const flagged = scan(text).filter((f) => f.score >= 0.35);
    expect(flagged).toEqual([]);
  });
});

describe('secrets: scanning behaviour', () => {
  it('finds several secrets in one text, in order, without overlaps', () => {
    const gh = keys.githubToken();
    const aws = keys.awsAccessKeyId();
    const text = `first ${gh} then ${aws} and sk_live_${keys.chars(ALNUM, 30)} done`;
    const found = scan(text);
    expect(found.map((f) => f.ruleId)).toEqual(['SEC-GITHUB-TOKEN', 'SEC-AWS-ACCESS-KEY', 'SEC-STRIPE-KEY']);
    for (let i = 1; i < found.length; i++) expect(found[i]!.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
  });

  it('does not match a prefix inside a longer token', () => {
    const inner = `xyz${keys.githubToken()}`;
    expect(scan(inner).filter((f) => f.ruleId === 'SEC-GITHUB-TOKEN')).toEqual([]);
  });

  it('prefers the specific rule over the generic assignment for the same value', () => {
    const gh = keys.githubToken();
    const found = scan(`token=${gh}`);
    expect(found).toHaveLength(1);
    expect(found[0]!.ruleId).toBe('SEC-GITHUB-TOKEN');
  });

  it('never returns matched text in notes', () => {
    const secret = `sk_live_${keys.chars(ALNUM, 24)}`;
    for (const f of scanSecrets(`stripe ${secret}`)) expect(f.note ?? '').not.toContain(secret.slice(8, 16));
  });
});
