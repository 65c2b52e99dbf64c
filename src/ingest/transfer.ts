import type { EventRow } from '../store/rows.js';

/**
 * Moving a chunk's rows from a worker thread to the writer. Structured cloning copies a typed array's whole
 * backing buffer, once per row: the MinHash slices (views into shared blocks) would drag their blocks along
 * row by row. So the worker packs every row's MinHash into one buffer that is transferred without a copy,
 * and the writer gives each row back a view into it.
 */
export interface PackedMinhashes {
  bytes: Uint8Array<ArrayBuffer>;
  /** End offset of each row's bytes in `bytes` (a row without a MinHash ends where the previous one did). */
  ends: Uint32Array<ArrayBuffer>;
}

/** Moves the rows' MinHash bytes into one buffer and clears them on the rows. */
export function packMinhashes(rows: EventRow[]): PackedMinhashes {
  let total = 0;
  for (const row of rows) total += row.minhash?.length ?? 0;
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(rows.length);
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.minhash) {
      bytes.set(row.minhash, at);
      at += row.minhash.length;
      row.minhash = null;
    }
    ends[i] = at;
  }
  return { bytes, ends };
}

/** Gives each row its MinHash back, as a view into the packed buffer. */
export function unpackMinhashes(rows: EventRow[], packed: PackedMinhashes): void {
  let start = 0;
  for (let i = 0; i < rows.length; i++) {
    const end = packed.ends[i]!;
    rows[i]!.minhash = end > start ? packed.bytes.subarray(start, end) : null;
    start = end;
  }
}
