/**
 * Small non-cryptographic hashes shared by feature extraction, sampling and content fingerprints. Their
 * values are part of stored and shipped data (model buckets, MinHash signatures), so they must never change.
 */

/** FNV-1a offset basis and prime (32-bit). */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 16777619;

/** murmur3's 32-bit finaliser: spreads FNV's weak low bits over the whole word. Unsigned result. */
export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Stable 32-bit hash of a string (FNV-1a + murmur finaliser), for sampling, splits and ids. */
export function stableHash(text: string, seed = 0): number {
  let h = FNV_OFFSET ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return fmix32(h);
}
