import { describe, expect, it } from 'vitest';
import { CodeUnits, UNIT_PADDING } from './code-units.js';

function unitsOf(text: string): number[] {
  return Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
}

describe('CodeUnits', () => {
  it('holds every code unit as charCodeAt reads it, lone surrogates and NUL included, then zeros', () => {
    const buffer = new CodeUnits();
    const text = 'aZ\u0000é\ud800x\udc00😀\uffff日';
    const units = buffer.load(text);
    expect(Array.from(units.subarray(0, text.length))).toEqual(unitsOf(text));
    expect(Array.from(units.subarray(text.length, text.length + UNIT_PADDING))).toEqual([0, 0, 0, 0]);
    expect(buffer.units).toBe(units);
  });

  it('shows nothing of a longer text loaded before: the padding is zero again', () => {
    const buffer = new CodeUnits();
    buffer.load('x'.repeat(100));
    const units = buffer.load('ab');
    expect(Array.from(units.subarray(0, 2 + UNIT_PADDING))).toEqual([0x61, 0x62, 0, 0, 0, 0]);
  });

  it('grows for a huge text and drops that buffer for the next ordinary one', () => {
    const buffer = new CodeUnits();
    const huge = 'ab'.repeat(100_000);
    const big = buffer.load(huge);
    expect(big.length).toBeGreaterThanOrEqual(huge.length + UNIT_PADDING);
    expect(big[199_999]).toBe(0x62);
    expect(big[200_000]).toBe(0);
    const small = buffer.load('hello');
    expect(small.length).toBeLessThan(big.length);
    expect(Array.from(small.subarray(0, 6))).toEqual([...unitsOf('hello'), 0]);
  });

  it('matches charCodeAt on random text of every kind of unit', () => {
    const buffer = new CodeUnits();
    let seed = 3;
    for (let round = 0; round < 200; round++) {
      let text = '';
      const length = (round * 37) % 700;
      for (let i = 0; i < length; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        text += String.fromCharCode(seed >>> 16);
      }
      const units = buffer.load(text);
      expect(Array.from(units.subarray(0, length))).toEqual(unitsOf(text));
      expect(units[length]).toBe(0);
    }
  });
});
