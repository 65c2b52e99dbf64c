import { describe, expect, it } from 'vitest';
import { makeEvent } from '../store/testing/events.js';
import { ByteArena, toRow } from '../store/rows.js';
import { packedTransfers, packMinhashes, packRows, unpackMinhashes, unpackRows } from './transfer.js';

describe('MinHash packing between ingest threads', () => {
  it('round-trips every row, with and without a MinHash, through one buffer that a clone carries once', () => {
    const arena = new ByteArena();
    const rows = [
      toRow(makeEvent({ id: 'a', ts: 0, minhash: [1, 2, 4294967295] }), arena),
      toRow(makeEvent({ id: 'b', ts: 0 }), arena),
      toRow(makeEvent({ id: 'c', ts: 0, minhash: [7] }), arena),
    ];
    const before = rows.map((r) => (r.minhash ? [...r.minhash] : null));
    const packed = packMinhashes(rows);
    expect(rows.every((r) => r.minhash === null)).toBe(true);
    expect(packed.bytes.byteLength).toBe(16);
    const cloned = structuredClone({ rows, packed }, { transfer: [packed.bytes.buffer, packed.ends.buffer] });
    unpackMinhashes(cloned.rows, cloned.packed);
    expect(cloned.rows.map((r) => (r.minhash ? [...r.minhash] : null))).toEqual(before);
    expect(cloned.rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('moves whole rows as columns: every field back as it was, numbers and bytes transferred', () => {
    const arena = new ByteArena();
    const rows = [
      toRow(makeEvent({ id: 'a', ts: 1_700_000_000_123, minhash: [1, 2, 3] }), arena),
      toRow({ ...makeEvent({ id: 'b', ts: 5 }), signup_ts: '2026-01-01T00:00:00.000Z' }, arena),
      toRow(makeEvent({ id: 'c', ts: 0 }), arena),
    ];
    const expected = rows.map((r) => ({ ...r, minhash: r.minhash ? [...r.minhash] : null }));
    const packed = packRows(rows);
    const cloned = structuredClone(packed, { transfer: packedTransfers(packed) });
    expect(packed.numbers.byteLength).toBe(0); // transferred, not copied
    const back = unpackRows(cloned).map((r) => ({ ...r, minhash: r.minhash ? [...r.minhash] : null }));
    expect(back).toEqual(expected);
    expect(back[1]!.signupTs).toBe(Date.UTC(2026, 0, 1));
    expect(back[0]!.signupTs).toBeNull();
  });
});
