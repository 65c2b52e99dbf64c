import { describe, expect, it } from 'vitest';
import { hasBase64Run, hasSixCharSegment, mayHoldNamedAssignment } from './secret-gates.js';
import { SCAN_RULES } from './secret-structured.js';
import { FakeKeys } from './testing/fake-keys.js';

const keys = new FakeKeys(77);

function pattern(id: string): RegExp {
  const rule = SCAN_RULES.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return new RegExp(rule.pattern.source, rule.pattern.flags.replace('g', ''));
}

function randomText(pieces: readonly string[], maxPieces: number): string {
  let text = '';
  const count = 1 + Math.floor(keys.next() * maxPieces);
  for (let i = 0; i < count; i++) text += pieces[Math.floor(keys.next() * pieces.length)]!;
  return text;
}

/** Random case, as the generic pattern matches its keywords case-insensitively. */
function anyCase(word: string): string {
  return [...word].map((c) => (keys.next() < 0.5 ? c.toUpperCase() : c)).join('');
}

describe('secret gates: a text the gate rejects never matches the pattern', () => {
  it('generic assignment: keywords at every distance from every operator', () => {
    const generic = pattern('SEC-GENERIC-ASSIGNMENT');
    const names = [
      'password',
      'passwd',
      'passphrase',
      'pwd',
      'secret',
      'api_key',
      'api-key',
      'apikey',
      'accesskey',
    ];
    names.push('access_key', 'auth_token', 'authtoken', 'access-token', 'token', 'credential', 'credentials');
    names.push('private_key', 'privatekey', 'PASS', 'kEy', 'tok', 'cred');
    const pieces = [
      ...names.map(anyCase),
      'x',
      'Ab9_',
      '-',
      '"',
      "'",
      ' ',
      '\t',
      ':',
      '=',
      '=>',
      ':=',
      '\n',
      '.',
    ];
    pieces.push('Zx81kq0PvQ3m', 'hunter22', 'é', '\u212A', 'lorem ipsum ');
    let matched = 0;
    for (let round = 0; round < 20_000; round++) {
      const text = randomText(pieces, 14);
      if (!generic.test(text)) continue;
      matched++;
      expect(mayHoldNamedAssignment(text), JSON.stringify(text)).toBe(true);
    }
    expect(matched).toBeGreaterThan(1000);
  });

  it('generic assignment: the longest keyword at the farthest reach from its operator', () => {
    const text = `${'prose words here. '.repeat(10)}access_token${'a'.repeat(24)}"    : Zx81kq0PvQ3m`;
    expect(pattern('SEC-GENERIC-ASSIGNMENT').test(text)).toBe(true);
    expect(mayHoldNamedAssignment(text)).toBe(true);
    expect(mayHoldNamedAssignment(`${'prose words here. '.repeat(10)}password is not assigned`)).toBe(false);
    // Dense operators: not checked one by one, the pattern decides.
    expect(mayHoldNamedAssignment(':='.repeat(1000))).toBe(true);
  });

  it('Discord bot token: dotted segments of every length', () => {
    const discord = pattern('SEC-DISCORD-BOT-TOKEN');
    const TOKEN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij0123456789_-';
    const around = ['', ' ', 'x', '.', 'M', 'token: ', 'a.b.c '];
    const part = (min: number, max: number) =>
      keys.chars(TOKEN, min + Math.floor(keys.next() * (max - min + 1)));
    let matched = 0;
    for (let round = 0; round < 20_000; round++) {
      const head = `${around[Math.floor(keys.next() * around.length)]}${'MNOx'[Math.floor(keys.next() * 4)]}`;
      const middle = keys.next() < 0.2 ? `${part(2, 5)}.${part(0, 4)}` : part(4, 8);
      const text = `${head}${part(21, 29)}.${middle}.${part(25, 40)}${around[Math.floor(keys.next() * around.length)]}`;
      if (!discord.test(text)) {
        continue;
      }
      matched++;
      expect(hasSixCharSegment(text), JSON.stringify(text)).toBe(true);
    }
    expect(matched).toBeGreaterThan(300);
  });

  it('base64 runs: the probing test agrees with a regex on random text and at every length', () => {
    const pieces = [
      'a',
      'Z',
      '0',
      '+',
      '/',
      ' ',
      '=',
      '-',
      'é',
      '\u212A', // Kelvin sign: reads like K, is no base64 character
      '\uFF21', // full-width A
      keys.chars('abcXYZ019+/', 17),
      keys.chars('qrs', 39),
    ];
    for (let round = 0; round < 20_000; round++) {
      const text = randomText(pieces, 12);
      for (const length of [1, 3, 17, 40]) {
        const run = new RegExp(`[A-Za-z0-9+/]{${length}}`).test(text);
        expect(hasBase64Run(text, length), `${length} ${JSON.stringify(text)}`).toBe(run);
      }
    }
    for (let size = 35; size <= 45; size++) {
      for (const lead of ['', ' ', 'x '.repeat(19)]) {
        const text = `${lead}${'k'.repeat(size)} tail`;
        expect(hasBase64Run(text, 40), `${lead.length} + ${size}`).toBe(size >= 40);
      }
    }
  });
});
