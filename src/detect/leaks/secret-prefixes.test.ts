import { describe, expect, it } from 'vitest';
import { PREFIX_RULES } from './secret-rules.js';
import { STRUCTURED_RULES } from './secret-structured.js';
import { createPrefixIndex } from './secret-prefixes.js';
import { scanSecrets } from './secrets.js';
import { FakeKeys } from './testing/fake-keys.js';

const PREFIXES = [...new Set([...PREFIX_RULES, ...STRUCTURED_RULES].flatMap((rule) => rule.prefixes))];
const index = createPrefixIndex(PREFIXES);

type PrefixHit = { at: number; prefix: string };

/** What forEachHit visits, in order. */
function hitsOf(index: ReturnType<typeof createPrefixIndex>, text: string): PrefixHit[] {
  const out: PrefixHit[] = [];
  index.forEachHit(text, (at, prefix) => out.push({ at, prefix }));
  return out;
}

/** The reference: try every position (what the single alternation regex did). */
function everyPosition(text: string): PrefixHit[] {
  const out: PrefixHit[] = [];
  for (let at = 0; at < text.length; at++) {
    const longest = PREFIXES.filter((prefix) => text.startsWith(prefix, at)).sort(
      (a, b) => b.length - a.length,
    )[0];
    expect(index.longestAt(text, at)).toBe(longest);
    if (longest) out.push({ at, prefix: longest });
  }
  return out;
}

const keys = new FakeKeys(2024);
/** Pieces that put prefixes, their anchor characters and look-alikes next to each other. */
const PIECES = [
  ...PREFIXES,
  ...PREFIXES.map((prefix) => prefix.slice(0, -1)),
  ...PREFIXES.map((prefix) => prefix.slice(1)),
  '_',
  '=',
  '-',
  '/',
  'J',
  'B',
  'S',
  'A',
  'K',
  'z',
  'G',
  'C',
  'AS',
  'a',
  'k',
  ' ',
  '\n',
  'é',
  '\u0410',
  '\uD800',
  'sk',
  'gh',
];

describe('secret prefix index', () => {
  it('reports exactly the positions an exhaustive scan finds, on random text built around the prefixes', () => {
    for (let round = 0; round < 3000; round++) {
      let text = '';
      const pieces = 1 + Math.floor(keys.next() * 12);
      for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(keys.next() * PIECES.length)]!;
      expect(hitsOf(index, text), JSON.stringify(text)).toEqual(everyPosition(text));
    }
  });

  it('finds every prefix at the start, the end and inside a text, and overlapping copies', () => {
    for (const prefix of PREFIXES) {
      for (const text of [
        prefix,
        `x${prefix}`,
        `${prefix}${prefix}`,
        `a ${prefix} b ${prefix}`,
        prefix.repeat(3),
      ]) {
        expect(hitsOf(index, text), JSON.stringify(text)).toEqual(everyPosition(text));
      }
    }
  });

  it('reports the same hits through the alternation regex on texts dense in anchor characters', () => {
    for (const text of [
      'AccountKey=sk-ant-ghp_'.repeat(200),
      '-'.repeat(5000),
      `${'sk-'.repeat(3000)}AKIA`,
    ]) {
      expect(hitsOf(index, text)).toEqual(everyPosition(text));
    }
  });

  it('skips a self-anchored prefix only in texts without its required literal', () => {
    const gated = createPrefixIndex(PREFIXES, new Map([['redis', '://']]));
    const at = (text: string, dense = false) =>
      hitsOf(gated, dense ? text + ' -'.repeat(200) : text).map((hit) => hit.at);
    for (const dense of [false, true]) {
      expect(at('postgres and redis', dense)).toEqual([0]);
      expect(at('postgres and redis://x', dense)).toEqual([0, 13]);
    }
    // An anchored prefix is always searched, whatever it requires.
    expect(hitsOf(createPrefixIndex(PREFIXES, new Map([['sk-', '://']])), 'a sk-')).toEqual([
      { at: 2, prefix: 'sk-' },
    ]);
  });

  it('gates a long self-anchored prefix (searched by its first six characters) by its own literal only', () => {
    const dense = (text: string) => text + ' -'.repeat(200);
    const gated = createPrefixIndex(PREFIXES, new Map([['postgres', '://']]));
    for (const wrap of [(text: string) => text, dense]) {
      expect(hitsOf(gated, wrap('postgres and bearer x')).map((hit) => hit.at)).toEqual([13]);
      expect(hitsOf(gated, wrap('postgres and bearer ://')).map((hit) => hit.at)).toEqual([0, 13]);
    }
    // Two prefixes sharing their first six characters but not their literal: neither is skipped.
    const shared = createPrefixIndex(['abcdefgh', 'abcdefxy'], new Map([['abcdefgh', '://']]));
    for (const wrap of [(text: string) => text, dense]) {
      expect(hitsOf(shared, wrap('abcdefgh abcdefxy abcdef'))).toEqual([
        { at: 0, prefix: 'abcdefgh' },
        { at: 9, prefix: 'abcdefxy' },
      ]);
    }
  });

  it('searches connection-string schemes only in texts holding ://', () => {
    const password = 'Zx81kq0PvQ3m';
    expect(scanSecrets(`postgres://app:${password}@db/prod`).map((f) => f.ruleId)).toEqual([
      'SEC-DB-CONNECTION-STRING',
    ]);
    expect(scanSecrets(`postgres:app:${password}@db/prod`)).toEqual([]);
  });
});
