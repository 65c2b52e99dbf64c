import type { NormalizeLimits, Normalized, Normalizer, TextView } from './types.js';

export type { NormalizeLimits, Normalized, Normalizer, TextView } from './types.js';

export const DEFAULT_LIMITS: NormalizeLimits = {
  maxDepth: 4,
  maxDecodedChars: 200_000,
  maxViews: 32,
  minEncodedLength: 16,
};

// PLACEHOLDER until the de-obfuscation pipeline lands: original view only.
export function createNormalizer(_limits: Partial<NormalizeLimits> = {}): Normalizer {
  return (text: string): Normalized => {
    const original: TextView = {
      id: 'original',
      text,
      transforms: [],
      depth: 0,
      toOriginal: (start, end) => ({ start, end }),
    };
    return { original: text, views: [original], transforms: [] };
  };
}
