import { describe, expect, it } from 'vitest';
import { OutBuffer } from './out-buffer.js';
import { rng } from './test-helpers.js';

/** The reference toString's natively decoded path must match: each unit as String.fromCharCode makes it. */
function unitByUnit(units: readonly number[]): string {
  let s = '';
  for (const u of units) s += String.fromCharCode(u);
  return s;
}

describe('OutBuffer.toString', () => {
  it('gives every unit as it is, lone surrogates included, on both sides of the native-decode length', () => {
    const random = rng(2026);
    const edges = [
      0x0000, 0x0041, 0x00e9, 0x7fff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfeff, 0xfffd, 0xfffe, 0xffff,
    ];
    for (const length of [0, 1, 511, 512, 513, 514, 2048, 9000, 20000]) {
      const units: number[] = [];
      for (let i = 0; i < length; i++) {
        const r = random();
        units.push(
          r < 0.3
            ? edges[Math.floor(random() * edges.length)]!
            : r < 0.6
              ? 0x20 + Math.floor(random() * 95)
              : Math.floor(random() * 0x10000),
        );
      }
      const out = new OutBuffer(4);
      for (const u of units) out.push(u);
      expect(out.toString()).toBe(unitByUnit(units));
    }
  });

  it('decodes only the written length of a reused, longer buffer', () => {
    const out = new OutBuffer(4096);
    for (let i = 0; i < 3000; i++) out.push(0x61);
    out.reset(16);
    for (let i = 0; i < 600; i++) out.push(i % 2 ? 0xd800 : 0x62);
    const text = out.toString();
    expect(text.length).toBe(600);
    expect(text).toBe('b\ud800'.repeat(300));
  });
});
