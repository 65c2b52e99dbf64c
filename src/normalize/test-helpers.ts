import type { WordTable } from './cipher-words.js';
import type { Normalized, TextView } from './types.js';

/** Test helper: the view with `id`, failing loudly when it is missing. */
export function viewById(normalized: Normalized, id: string): TextView {
  const view = normalized.views.find((v) => v.id === id);
  if (!view) throw new Error(`no view ${id}; have ${normalized.views.map((v) => v.id).join(', ')}`);
  return view;
}

/** Test helper: the original text a range of a view maps back to. */
export function originalOf(normalized: Normalized, view: TextView, start: number, end: number): string {
  const span = view.toOriginal(start, end);
  return normalized.original.slice(span.start, span.end);
}

/** Test helper: maps the first occurrence of `needle` in a view back to the original text. */
export function mapNeedle(normalized: Normalized, view: TextView, needle: string): string {
  const at = view.text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not in view ${view.id}`);
  return originalOf(normalized, view, at, at + needle.length);
}

/** Test helper: Unicode tag characters spelling `ascii` (ASCII smuggling). */
export function tagged(ascii: string): string {
  return [...ascii].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
}

/** Test helper: bytes hidden in variation selectors after a base character ("emoji smuggling"). */
export function variationEncoded(base: string, text: string): string {
  let out = base;
  for (const b of Buffer.from(text)) out += String.fromCodePoint(b < 16 ? 0xfe00 + b : 0xe0100 + b - 16);
  return out;
}

/** Test helper: deterministic pseudo-random generator (mulberry32), so a failure reproduces. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every array of a word table, up to its count. */
export function wordTableSnapshot(words: WordTable): unknown {
  const n = words.count;
  return {
    count: n,
    start: Array.from(words.start.subarray(0, n)),
    end: Array.from(words.end.subarray(0, n)),
    rot: Array.from(words.rot.subarray(0, n)),
    rev: Array.from(words.rev.subarray(0, n)),
    shift: Array.from(words.shift.subarray(0, n)),
  };
}
