import { describe, expect, it } from 'vitest';
import { makeEvent } from '../store/testing/events.js';
import { ByteArena, toRow } from '../store/rows.js';
import { packMinhashes, unpackMinhashes } from './transfer.js';

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
});
