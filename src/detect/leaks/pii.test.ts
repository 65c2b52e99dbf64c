import { describe, expect, it } from 'vitest';
import { dropOverlapping, type LeakFinding } from './finding.js';
import { createPiiScanner, scanPii } from './pii.js';
import { FakeKeys, groupDigits } from './testing/fake-keys.js';

const keys = new FakeKeys(2024);
const scan = (text: string): LeakFinding[] => dropOverlapping(scanPii(text));
const flagged = (text: string) => scan(text).filter((f) => f.score >= 0.35);

/** Asserts exactly one finding of `ruleId` whose span is `expected`. */
function expectOne(text: string, ruleId: string, expected: string): LeakFinding {
  const hits = scan(text).filter((f) => f.ruleId === ruleId);
  expect(hits, JSON.stringify(scan(text))).toHaveLength(1);
  expect(text.slice(hits[0]!.start, hits[0]!.end)).toBe(expected);
  return hits[0]!;
}

describe('PII-EMAIL', () => {
  it.each([
    ['plain', 'Write to jane.roe@megacorp.com today', 'jane.roe@megacorp.com'],
    [
      'plus tag and subdomain',
      'cc: ops+alerts@mail.eu.example-corp.io.',
      'ops+alerts@mail.eu.example-corp.io',
    ],
    ['in angle brackets', 'From: "Jane" <jane@corp.co.uk>', 'jane@corp.co.uk'],
    ['mailto', '<a href="mailto:bob_smith99@gmail.com">', 'bob_smith99@gmail.com'],
  ])('%s', (_name, text, email) => {
    const hit = expectOne(text, 'PII-EMAIL', email);
    expect(hit.score).toBe(0.55);
  });

  it.each(['username@domain.com', 'foo@gmail.com', 'John.Doe@acme.org', 'emoore@email.com'])(
    'reports the template address %s at a never-flagging score',
    (address) => {
      const hit = expectOne(`login: ${address}`, 'PII-EMAIL', address);
      expect(hit).toMatchObject({ note: 'placeholder-address' });
      expect(hit.score).toBeLessThan(0.35);
    },
  );

  it('reports reserved example domains at a never-flagging score', () => {
    const hit = expectOne('e.g. user@example.com', 'PII-EMAIL', 'user@example.com');
    expect(hit.score).toBeLessThan(0.35);
  });

  it.each([
    ['npm scope', 'npm i @types/node'],
    ['retina asset', 'icon@2x.png and logo@3x.jpg'],
    ['ssh remote', 'git clone git@github.com:acme/app.git'],
    ['decorator', '@app.route("/")'],
    ['no tld', 'root@localhost'],
    ['at sign in prose', 'meet @ 5pm, price @ $3'],
  ])('ignores %s', (_name, text) => {
    expect(flagged(text).filter((f) => f.ruleId === 'PII-EMAIL')).toEqual([]);
  });
});

describe('PII-PHONE', () => {
  it.each([
    ['E.164', 'reach me on +14155552671 today', '+14155552671'],
    ['international spaced', 'office +44 20 7946 0958.', '+44 20 7946 0958'],
    ['international with trunk', 'tel. +49 (0)30 1234567', '+49 (0)30 1234567'],
    ['NANP parentheses', 'my number is (415) 555-2671', '(415) 555-2671'],
    ['NANP dashes', 'fax 212-555-0147 anytime', '212-555-0147'],
    ['NANP dots', 'Phone: 646.555.0199', '646.555.0199'],
    ['NANP with country code', 'call 1-800-555-0123 now', '1-800-555-0123'],
    ['UK mobile', 'mobile 07700 900123', '07700 900123'],
    ['UK landline', 'London 020 7946 0958', '020 7946 0958'],
    ['FR pairs', 'portable : 06 12 34 56 78', '06 12 34 56 78'],
    ['FR dotted', 'tél 01.23.45.67.89', '01.23.45.67.89'],
    ['DE slash', 'Telefon 089/1234567', '089/1234567'],
    ['DE spaced', 'Tel 030 12345678', '030 12345678'],
    ['bare 10 digits with context', 'phone: 4155552671', '4155552671'],
    ['bare national number with context', 'Call 09061701461 now', '09061701461'],
  ])('%s', (_name, text, phone) => {
    const hit = expectOne(text, 'PII-PHONE', phone);
    expect(hit.score).toBeGreaterThanOrEqual(0.5);
    expect(hit.score).toBeLessThan(0.75);
  });

  it.each([
    ['ISO date', 'released 2023-01-15 and 2024-12-31'],
    ['EU date', 'on 15.01.2023 at 10:30'],
    ['US date', 'due 01/15/2024'],
    ['version', 'requires 1.2.3 or v10.20.30.40'],
    ['order id', 'Order #123-456-7890 shipped'],
    ['order number word', 'order number: 415-555-2671'],
    ['invoice', 'invoice no. 0612 3456 78'],
    ['bare digits without context', 'id 4155552671 processed'],
    ['bare national digits without context', 'batch 09061701461 done'],
    ['unix timestamp', 'ts=1700000000 and 1700000000123'],
    ['money', 'costs $1,234,567.89 or €2 345'],
    ['time', 'meeting 10:30-11:45'],
    ['decimal', 'pi is 3.14159265358979'],
    ['hyphenated range', 'pages 123-456'],
    ['ISBN', 'ISBN 978-3-16-148410-0'],
  ])('ignores %s', (_name, text) => {
    expect(flagged(text).filter((f) => f.ruleId === 'PII-PHONE')).toEqual([]);
  });
});

describe('no PII in code-like tokens and ordinary numbers', () => {
  it.each([
    ['UUID', 'request 123e4567-e89b-12d3-a456-426614174000 failed'],
    ['git SHA', 'commit 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['sha256', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['ISO timestamp', 'at 2024-03-01T12:00:00Z'],
    ['hex literal', 'mask 0x1234567890ab'],
    ['float', 'value 3.14159265358979 and 2.718281828'],
    ['large counts', 'we served 1000000 users and 123456789 requests'],
    ['semver and dates', 'v2.3.4 released 2024-01-15, next 15/02/2024'],
    ['order numbers', 'Order #100234987 and invoice INV-2024-000123'],
    ['table of numbers', '| 12 | 345 | 6789 | 1011 | 1213 | 1415 | 1617 |'],
  ])('%s', (_name, text) => {
    expect(flagged(text)).toEqual([]);
  });
});

describe('PII-CARD', () => {
  const visa = keys.card('4', 16);
  const mastercard = keys.card('51', 16);
  const mastercard2 = keys.card('2221', 16);
  const amex = keys.card('37', 15);
  const discover = keys.card('6011', 16);

  it.each([
    ['Visa spaced', `card ${groupDigits(visa, [4, 4, 4, 4])} exp 12/29`, groupDigits(visa, [4, 4, 4, 4])],
    [
      'Visa dashed',
      `pay with ${groupDigits(visa, [4, 4, 4, 4], '-')}.`,
      groupDigits(visa, [4, 4, 4, 4], '-'),
    ],
    ['Visa bare', `number ${visa}`, visa],
    ['Mastercard 51', `MC ${groupDigits(mastercard, [4, 4, 4, 4])}`, groupDigits(mastercard, [4, 4, 4, 4])],
    ['Mastercard 2-series', `${mastercard2} is mine`, mastercard2],
    ['Amex 4-6-5', `amex ${groupDigits(amex, [4, 6, 5])}`, groupDigits(amex, [4, 6, 5])],
    ['Discover', `d: ${groupDigits(discover, [4, 4, 4, 4])}`, groupDigits(discover, [4, 4, 4, 4])],
  ])('%s', (_name, text, card) => {
    const hit = expectOne(text, 'PII-CARD', card);
    expect(hit).toMatchObject({ note: 'luhn-valid' });
    expect(hit.score).toBeGreaterThanOrEqual(0.8);
  });

  it('rejects a Luhn-invalid number and an unknown IIN', () => {
    const broken = visa.slice(0, -1) + String((Number(visa.at(-1)) + 1) % 10);
    expect(scan(`card ${broken}`).filter((f) => f.ruleId === 'PII-CARD')).toEqual([]);
    const unknownIin = keys.card('9', 16);
    expect(scan(`card ${unknownIin}`).filter((f) => f.ruleId === 'PII-CARD')).toEqual([]);
  });

  it('scores an ungrouped 19-digit Luhn match without card context as unflagged-at-balanced', () => {
    const long = keys.card('4', 19);
    const hit = expectOne(`ref ${long}`, 'PII-CARD', long);
    expect(hit).toMatchObject({ score: 0.5, note: 'luhn-valid-ungrouped' });
    expect(expectOne(`credit card ${long}`, 'PII-CARD', long).score).toBeGreaterThanOrEqual(0.8);
  });

  it('reports network test numbers at a never-flagging score', () => {
    const hit = expectOne('use 4242 4242 4242 4242 in test mode', 'PII-CARD', '4242 4242 4242 4242');
    expect(hit).toMatchObject({ note: 'test-card' });
    expect(hit.score).toBeLessThan(0.35);
  });

  it('does not match inside longer digit strings or with mixed separators', () => {
    expect(scan(`id=${visa}7`).filter((f) => f.ruleId === 'PII-CARD')).toEqual([]);
    expect(
      scan(`${visa.slice(0, 4)} ${visa.slice(4, 8)}-${visa.slice(8)}`).filter((f) => f.ruleId === 'PII-CARD'),
    ).toEqual([]);
  });
});

describe('PII-IBAN', () => {
  const de = keys.iban('DE', 18);
  const fr = keys.iban('FR', 23);
  const printed = de.replace(/(.{4})/g, '$1 ').trim();

  it.each([
    ['electronic form', `IBAN: ${de}.`, de],
    ['printed form', `pay to ${printed} by Friday`, printed],
    ['France', `RIB ${fr}`, fr],
  ])('%s', (_name, text, iban) => {
    const hit = expectOne(text, 'PII-IBAN', iban);
    expect(hit).toMatchObject({ score: 0.8, note: 'mod97-valid' });
  });

  it('rejects a wrong checksum, wrong length and unknown country', () => {
    const wrong = `${de.slice(0, 2)}${de[2] === '9' ? '0' : '9'}${de.slice(3)}`;
    expect(scan(wrong).filter((f) => f.ruleId === 'PII-IBAN')).toEqual([]);
    expect(scan(de.slice(0, -1)).filter((f) => f.ruleId === 'PII-IBAN')).toEqual([]);
    expect(scan(`QQ${de.slice(2)}`).filter((f) => f.ruleId === 'PII-IBAN')).toEqual([]);
  });

  it('treats the published DE example as documentation', () => {
    expect(
      expectOne('DE89 3704 0044 0532 0130 00', 'PII-IBAN', 'DE89 3704 0044 0532 0130 00').score,
    ).toBeLessThan(0.35);
  });
});

describe('PII-SSN', () => {
  it('detects the dashed format and excludes invalid ranges', () => {
    expect(expectOne('SSN: 536-90-4399', 'PII-SSN', '536-90-4399').score).toBeGreaterThanOrEqual(0.8);
    expect(expectOne('emp 536-90-4399', 'PII-SSN', '536-90-4399').score).toBe(0.75);
    for (const invalid of ['000-12-3456', '666-12-3456', '912-12-3456', '536-00-4399', '536-90-0000']) {
      expect(scan(`ssn ${invalid}`).filter((f) => f.ruleId === 'PII-SSN')).toEqual([]);
    }
  });

  it('needs context for the bare 9-digit form', () => {
    expect(
      expectOne('social security number 536904399', 'PII-SSN', '536904399').score,
    ).toBeGreaterThanOrEqual(0.8);
    expect(scan('zip 536904399').filter((f) => f.ruleId === 'PII-SSN')).toEqual([]);
  });

  it('treats famous example SSNs as documentation', () => {
    expect(expectOne('like 078-05-1120', 'PII-SSN', '078-05-1120').score).toBeLessThan(0.35);
  });
});

describe('PII-IP', () => {
  it('scores public addresses 0.3 and internal / documentation ranges lower', () => {
    expect(expectOne('from 8.8.4.4 port 53', 'PII-IP', '8.8.4.4')).toMatchObject({
      score: 0.3,
      note: 'public-ip',
    });
    expect(expectOne('host 10.1.2.3', 'PII-IP', '10.1.2.3').note).toBe('internal-ip');
    expect(expectOne('host 192.168.0.10', 'PII-IP', '192.168.0.10').note).toBe('internal-ip');
    expect(expectOne('see 203.0.113.7', 'PII-IP', '203.0.113.7').note).toBe('docs-range');
    expect(expectOne('route 81.2.69.160/28', 'PII-IP', '81.2.69.160').score).toBe(0.3);
  });

  it('parses IPv6 forms', () => {
    expect(expectOne('dns 2001:4860:4860::8888.', 'PII-IP', '2001:4860:4860::8888').score).toBe(0.3);
    expect(
      expectOne('addr 2a00:1450:4007:80e:0:0:0:200e', 'PII-IP', '2a00:1450:4007:80e:0:0:0:200e').score,
    ).toBe(0.3);
    expect(
      expectOne('docs 2001:db8:85a3::8a2e:370:7334', 'PII-IP', '2001:db8:85a3::8a2e:370:7334').note,
    ).toBe('docs-range');
    expect(expectOne('mapped ::ffff:192.0.2.128', 'PII-IP', '::ffff:192.0.2.128').note).toBe('internal-ip');
    // The fewest colons an address can have (three) at the start, middle and end of the text.
    expect(expectOne('fe80::1:2', 'PII-IP', 'fe80::1:2').note).toBe('internal-ip');
    expect(expectOne('gw 2a00::1:2 up', 'PII-IP', '2a00::1:2').score).toBe(0.3);
    expect(expectOne('Note: cafe 2a00::1:2', 'PII-IP', '2a00::1:2').score).toBe(0.3);
  });

  it.each([
    ['version', 'version 1.2.3.4'],
    ['octet over 255', '256.1.1.1'],
    ['five parts', '1.2.3.4.5'],
    ['time', '12:30:45'],
    ['MAC', '00:1A:2B:3C:4D:5E'],
    ['C++ scope', 'std::vector<int>'],
    ['loopback', '::1'],
    ['lone colons', 'Note: cafe: dead:beef'],
  ])('ignores %s', (_name, text) => {
    expect(scan(text).filter((f) => f.ruleId === 'PII-IP')).toEqual([]);
  });
});

describe('context-only identifiers', () => {
  it('detects a UK NINO only with context', () => {
    expect(expectOne('National Insurance number: AB 12 34 56 C', 'PII-NINO', 'AB 12 34 56 C').score).toBe(
      0.7,
    );
    expect(scan('part AB123456C').filter((f) => f.ruleId === 'PII-NINO')).toEqual([]);
  });

  it('detects a passport number only right after the word', () => {
    expect(expectOne('Passport No: 533380006', 'PII-PASSPORT', '533380006').score).toBe(0.6);
    expect(scan('model 533380006').filter((f) => f.ruleId === 'PII-PASSPORT')).toEqual([]);
    expect(scan('passport photo guidelines').filter((f) => f.ruleId === 'PII-PASSPORT')).toEqual([]);
  });
});

describe('createPiiScanner type selection', () => {
  it('only reports the selected kinds', () => {
    const text = 'jane@corp.io, +14155552671, 8.8.8.8';
    expect(
      new Set(
        createPiiScanner(['email'])
          .call(null, text)
          .map((f) => f.ruleId),
      ),
    ).toEqual(new Set(['PII-EMAIL']));
    expect(
      new Set(
        createPiiScanner(['phone', 'ip'])
          .call(null, text)
          .map((f) => f.ruleId),
      ),
    ).toEqual(new Set(['PII-PHONE', 'PII-IP']));
  });
});

describe('mixed text', () => {
  it('finds every item in a realistic support message with exact spans', () => {
    const card = groupDigits(keys.card('4', 16), [4, 4, 4, 4]);
    const text = `Hi, I'm Jane (jane.roe@megacorp.com, +1 415-555-2671). My card ${card} was charged twice on 2024-03-01; order 415-555-2672.`;
    const found = scan(text).filter((f) => f.score >= 0.5);
    expect(found.map((f) => [f.ruleId, text.slice(f.start, f.end)])).toEqual([
      ['PII-EMAIL', 'jane.roe@megacorp.com'],
      ['PII-PHONE', '+1 415-555-2671'],
      ['PII-CARD', card],
    ]);
  });
});
