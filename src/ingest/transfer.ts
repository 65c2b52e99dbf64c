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

/**
 * A chunk's rows as columns, for the worker → writer message. Structured cloning writes every property name
 * of every row object; as columns the names go once per chunk, the numbers travel in transferred typed
 * arrays, and only the strings are copied. MinHash bytes are packed as above.
 */
export interface PackedRows {
  count: number;
  strings: {
    id: string[];
    tenant: string[];
    account: string[];
    action: string[];
    simhash: (string | null)[];
    lang: string[];
    code: string[];
    doc: string[];
  };
  /** ts, signupTs (NaN for none), score per row. */
  numbers: Float64Array<ArrayBuffer>;
  /** catMask, flagged, refused per row. */
  ints: Int32Array<ArrayBuffer>;
  minhashes: PackedMinhashes;
}

/** Packs rows into columns (the rows' MinHash fields are cleared). */
export function packRows(rows: EventRow[]): PackedRows {
  const n = rows.length;
  const strings: PackedRows['strings'] = {
    id: new Array(n),
    tenant: new Array(n),
    account: new Array(n),
    action: new Array(n),
    simhash: new Array(n),
    lang: new Array(n),
    code: new Array(n),
    doc: new Array(n),
  };
  const numbers = new Float64Array(n * 3);
  const ints = new Int32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    strings.id[i] = row.id;
    strings.tenant[i] = row.tenant;
    strings.account[i] = row.account;
    strings.action[i] = row.action;
    strings.simhash[i] = row.simhash;
    strings.lang[i] = row.lang;
    strings.code[i] = row.code;
    strings.doc[i] = row.doc;
    numbers[i * 3] = row.ts;
    numbers[i * 3 + 1] = row.signupTs ?? Number.NaN;
    numbers[i * 3 + 2] = row.score;
    ints[i * 3] = row.catMask;
    ints[i * 3 + 1] = row.flagged;
    ints[i * 3 + 2] = row.refused;
  }
  return { count: n, strings, numbers, ints, minhashes: packMinhashes(rows) };
}

/** The buffers packRows made, to transfer without copying. */
export function packedTransfers(packed: PackedRows): ArrayBuffer[] {
  return [
    packed.numbers.buffer,
    packed.ints.buffer,
    packed.minhashes.bytes.buffer,
    packed.minhashes.ends.buffer,
  ];
}

/** The rows back from their columns. */
export function unpackRows(packed: PackedRows): EventRow[] {
  const { strings, numbers, ints } = packed;
  const rows: EventRow[] = new Array(packed.count);
  for (let i = 0; i < packed.count; i++) {
    const signupTs = numbers[i * 3 + 1]!;
    rows[i] = {
      id: strings.id[i]!,
      tenant: strings.tenant[i]!,
      account: strings.account[i]!,
      ts: numbers[i * 3]!,
      signupTs: Number.isNaN(signupTs) ? null : signupTs,
      action: strings.action[i]!,
      score: numbers[i * 3 + 2]!,
      catMask: ints[i * 3]!,
      flagged: ints[i * 3 + 1]!,
      refused: ints[i * 3 + 2]!,
      simhash: strings.simhash[i]!,
      minhash: null,
      lang: strings.lang[i]!,
      code: strings.code[i]!,
      doc: strings.doc[i]!,
    };
  }
  unpackMinhashes(rows, packed.minhashes);
  return rows;
}
