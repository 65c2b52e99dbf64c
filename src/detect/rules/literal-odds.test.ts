import { describe, expect, it } from 'vitest';
import { CHAR_SHARE, occurrences, presence, RARE_SHARE, scanCost } from './literal-odds.js';

describe('literal odds table', () => {
  const entries = Object.entries(CHAR_SHARE);

  it('holds shares of single ASCII characters, none below the rare share', () => {
    expect(entries.length).toBeGreaterThan(50);
    for (const [ch, share] of entries) {
      expect(ch.length).toBe(1);
      expect(ch.charCodeAt(0)).toBeLessThan(128);
      // Lower-cased text: no capital letters.
      expect(ch).toBe(ch.toLowerCase());
      expect(share).toBeGreaterThanOrEqual(RARE_SHARE);
      expect(share).toBeLessThan(1);
      // Four decimals, as scripts/literal-odds.ts rounds them.
      expect(Math.round(share * 10_000) / 10_000).toBe(share);
    }
    const sum = entries.reduce((s, [, share]) => s + share, 0);
    expect(sum).toBeGreaterThan(0.95);
    expect(sum).toBeLessThanOrEqual(1);
    // Every letter and digit has its own share.
    for (const ch of 'abcdefghijklmnopqrstuvwxyz0123456789 ') expect(CHAR_SHARE[ch]).toBeDefined();
  });

  it('gives odds that fall as a literal grows and stay probabilities', () => {
    expect(occurrences('e')).toBeCloseTo(2048 * CHAR_SHARE.e!, 9);
    expect(occurrences('\u00e9')).toBeCloseTo(2048 * RARE_SHARE, 9);
    let literal = '';
    let last = Number.POSITIVE_INFINITY;
    for (const ch of 'ignore previous instructions') {
      literal += ch;
      const p = presence(literal);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(p).toBeLessThanOrEqual(last);
      last = p;
    }
    expect(scanCost('e')).toBeGreaterThan(scanCost('z'));
  });
});
