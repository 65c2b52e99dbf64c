import { describe, expect, it } from 'vitest';
import { fmix32, stableHash } from './hash.js';

describe('shared hashes', () => {
  it('keep their published values (model buckets and fingerprints depend on them)', () => {
    // murmur3 fmix32 reference values.
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0xffffffff)).toBe(0x81f16f39);
    expect(fmix32(-1)).toBe(fmix32(0xffffffff));
    expect(stableHash('')).toBe(fmix32(0x811c9dc5));
    expect(stableHash('interdict')).toBe(stableHash('interdict', 0));
    expect(stableHash('interdict', 1)).not.toBe(stableHash('interdict'));
  });
});
