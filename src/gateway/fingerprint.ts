import { createHash } from 'node:crypto';

/**
 * SHA-256 of a text, hex, for the `hash` content mode. Near-duplicate fingerprints (SimHash, MinHash) come from
 * src/monitor/fingerprint.ts so gateway and ingest events compare.
 */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
