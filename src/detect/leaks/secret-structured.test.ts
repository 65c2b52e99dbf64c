import { describe, expect, it } from 'vitest';
import { dropOverlapping } from './finding.js';
import { scanSecrets } from './secrets.js';
import { ALNUM, FakeKeys } from './testing/fake-keys.js';

const keys = new FakeKeys(777);
const scan = (text: string) => dropOverlapping(scanSecrets(text));

describe('PEM private keys', () => {
  it.each([
    'RSA PRIVATE KEY',
    'EC PRIVATE KEY',
    'OPENSSH PRIVATE KEY',
    'PRIVATE KEY',
    'ENCRYPTED PRIVATE KEY',
    'PGP PRIVATE KEY BLOCK',
  ])('%s block: span covers BEGIN..END, score >= 0.9', (kind) => {
    const pem = keys.pem(kind);
    const text = `here is my key:\n${pem}\nthanks`;
    const [hit] = scan(text);
    expect(hit).toMatchObject({ ruleId: 'SEC-PRIVATE-KEY', note: 'pem-block' });
    expect(text.slice(hit!.start, hit!.end)).toBe(pem);
    expect(hit!.score).toBeGreaterThanOrEqual(0.9);
  });

  it('detects a truncated key without an END line and spans its body', () => {
    const pem = keys.pem('RSA PRIVATE KEY', 800);
    const truncated = pem.slice(0, pem.indexOf('-----END'));
    const text = `${truncated.trimEnd()} and then the paste was cut`;
    const [hit] = scan(text);
    expect(hit).toMatchObject({ ruleId: 'SEC-PRIVATE-KEY', note: 'pem-truncated' });
    expect(text.slice(hit!.start, hit!.end)).toBe(truncated.trimEnd());
  });

  it('detects a key with JSON-escaped newlines', () => {
    const pem = keys.pem('PRIVATE KEY', 1200, '\\n');
    const text = `{"key": "${pem}"}`;
    const [hit] = scan(text);
    expect(hit?.score).toBeGreaterThanOrEqual(0.9);
    expect(text.slice(hit!.start, hit!.end)).toBe(pem);
  });

  it('scores a header with an elided body low', () => {
    const [hit] = scan(
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE...\n-----END OPENSSH PRIVATE KEY-----',
    );
    expect(hit).toMatchObject({ ruleId: 'SEC-PRIVATE-KEY', note: 'pem-header-only' });
    expect(hit!.score).toBeLessThan(0.35);
  });

  it('ignores certificates and public keys', () => {
    const body = keys.chars(ALNUM, 600);
    expect(scan(`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`)).toEqual([]);
    expect(scan(`-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`)).toEqual([]);
  });
});

describe('GCP service-account JSON', () => {
  it('reports the private_key value when client_email names a service account', () => {
    const pem = keys.pem('PRIVATE KEY', 1600, '\\n');
    const json = `{\n  "type": "service_account",\n  "project_id": "acme-prod",\n  "private_key_id": "${keys.chars('0123456789abcdef', 40)}",\n  "private_key": "${pem}\\n",\n  "client_email": "deployer@acme-prod.iam.gserviceaccount.com"\n}`;
    const found = scan(json);
    expect(found).toHaveLength(1);
    const [hit] = found;
    expect(hit).toMatchObject({ ruleId: 'SEC-GCP-SERVICE-ACCOUNT', note: 'service-account-json' });
    expect(json.slice(hit!.start, hit!.end)).toBe(`${pem}\\n`);
    expect(hit!.score).toBeGreaterThanOrEqual(0.9);
  });

  it('falls back to the PEM rule without a service-account e-mail', () => {
    const pem = keys.pem('PRIVATE KEY', 1600, '\\n');
    const [hit] = scan(`{"private_key": "${pem}"}`);
    expect(hit?.ruleId).toBe('SEC-PRIVATE-KEY');
  });
});

describe('JWT', () => {
  it('detects a signed token with a decodable header', () => {
    const jwt = keys.jwt({ sub: '42', role: 'admin', exp: 1900000000 });
    const text = `cookie: session=${jwt}; Path=/`;
    const [hit] = scan(text);
    expect(hit).toMatchObject({ ruleId: 'SEC-JWT', note: 'jwt-valid' });
    expect(text.slice(hit!.start, hit!.end)).toBe(jwt);
    expect(hit!.score).toBeGreaterThanOrEqual(0.8);
  });

  it('scores an unsigned (alg none) token lower', () => {
    const [hit] = scan(`token ${keys.jwt({ sub: '1' }, 'none')} end`);
    expect(hit).toMatchObject({ ruleId: 'SEC-JWT', note: 'jwt-unsigned', score: 0.5 });
  });

  it('rejects eyJ-prefixed strings whose header is not JSON with alg', () => {
    const noAlg = Buffer.from(JSON.stringify({ typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from('{"a":1}').toString('base64url');
    expect(scan(`${noAlg}.${payload}.${keys.chars(ALNUM, 43)}`)).toEqual([]);
    expect(scan(`eyJnotjsonatall.${payload}.${keys.chars(ALNUM, 43)}`)).toEqual([]);
  });

  it('treats the jwt.io example token as documentation', () => {
    const example =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    const [hit] = scan(`decode ${example}`);
    expect(hit).toMatchObject({ note: 'docs-example' });
    expect(hit!.score).toBeLessThan(0.35);
  });

  it('reports the JWT inside a Bearer header rather than the generic bearer rule', () => {
    const jwt = keys.jwt();
    const found = scan(`Authorization: Bearer ${jwt}`);
    expect(found).toHaveLength(1);
    expect(found[0]!.ruleId).toBe('SEC-JWT');
  });
});

describe('connection-string passwords', () => {
  it('redacts only the password, not user or host', () => {
    const text = 'postgresql://reporting:Xk29vLq7Tz8m@pg.prod.internal:5432/metrics?sslmode=require';
    const [hit] = scan(text);
    expect(text.slice(hit!.start, hit!.end)).toBe('Xk29vLq7Tz8m');
  });

  it('scores a short non-default password as a weaker finding', () => {
    const [hit] = scan('mysql://shop:hunter2@db/shop');
    expect(hit).toMatchObject({ ruleId: 'SEC-DB-CONNECTION-STRING', score: 0.6 });
  });

  it('ignores tutorial defaults and a password equal to the user', () => {
    expect(scan('postgres://user:password@localhost/db')).toEqual([]);
    expect(scan('amqp://guest:guest@localhost:5672/')).toEqual([]);
    expect(scan('redis://admin:admin@cache:6379')).toEqual([]);
    expect(scan('mongodb://app:<password>@cluster0.mongodb.net')).toEqual([]);
  });
});
