import { createHash } from 'node:crypto';
import { InterdictError } from '../../core/errors.js';
import { type Category, isCategory, isSide, type Side } from '../../core/types.js';
import { knotsAreMonotone } from './calibrate.js';
import { type FeatureOptions, MAX_CHAR_ORDER, MIN_CHAR_ORDER } from './features.js';

/**
 * Binary model artifact: a small JSON header (what the weights mean, calibration, provenance) followed by
 * int8 weights laid out bucket-major ([bucket * heads + head]) so scoring one feature touches one cache line.
 *
 *   bytes 0..3   magic "IDLM"
 *   bytes 4..7   format version (u32 LE)
 *   bytes 8..11  header length H (u32 LE)
 *   bytes 12..   header JSON (UTF-8), zero-padded to a multiple of 8
 *   then         int8 weights, 2^bits * heads bytes; their SHA-256 is in the header
 */
export const ARTIFACT_MAGIC = 'IDLM';
export const ARTIFACT_VERSION = 1;
export const ARTIFACT_FILE = 'learned.bin';

/** What a model output scores: a category directly, or `misuse`, split over misuse categories by the router. */
export type OutputTarget = Category | 'misuse';

export interface ModelOutput {
  side: Side;
  target: OutputTarget;
  /** Head (weight column) whose logit this output reads. */
  head: string;
  /** Piecewise-linear map from the head's logit to the common 0..1 scale (see calibrate.ts). */
  knots: Array<[number, number]>;
}

export interface ArtifactHeader {
  format: 'interdict-learned';
  features: FeatureOptions;
  /** Weight columns in order. */
  heads: string[];
  /** Per head: weight = int8 * scale. */
  scales: number[];
  biases: number[];
  outputs: ModelOutput[];
  /** Heads that route a `misuse` score to its category: p(category) from each head, normalised to the top. */
  router: Array<{ head: string; category: Category }>;
  /** Provenance and held-out metrics; informational, never read by scoring. */
  training: Record<string, unknown>;
  weightsSha256: string;
}

export interface Artifact {
  header: ArtifactHeader;
  weights: Int8Array;
}

function invalid(problem: string): InterdictError {
  return new InterdictError('INTERDICT_MODEL_INVALID', undefined, [{ problem }]);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function encodeArtifact(
  header: Omit<ArtifactHeader, 'weightsSha256'>,
  weights: Int8Array,
): Uint8Array {
  const weightBytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  const full: ArtifactHeader = { ...header, weightsSha256: sha256(weightBytes) };
  const json = new TextEncoder().encode(JSON.stringify(full));
  const padded = Math.ceil((12 + json.length) / 8) * 8;
  const out = new Uint8Array(padded + weightBytes.length);
  out.set(new TextEncoder().encode(ARTIFACT_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, ARTIFACT_VERSION, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(weightBytes, padded);
  return out;
}

/** Absent (the legacy 3/4/5) or a non-empty list of distinct integer orders within the supported range. */
function validCharOrders(orders: unknown): boolean {
  if (orders === undefined) return true;
  if (!Array.isArray(orders) || orders.length === 0) return false;
  const seen = new Set<number>();
  for (const o of orders) {
    if (!Number.isInteger(o) || o < MIN_CHAR_ORDER || o > MAX_CHAR_ORDER || seen.has(o)) return false;
    seen.add(o);
  }
  return true;
}

function checkHeader(value: unknown): ArtifactHeader {
  if (typeof value !== 'object' || value === null) throw invalid('header is not an object');
  const h = value as ArtifactHeader;
  if (h.format !== 'interdict-learned') throw invalid('unknown artifact format');
  const f = h.features;
  if (
    !f ||
    !Number.isInteger(f.bits) ||
    f.bits < 8 ||
    f.bits > 24 ||
    !(f.head > 0) ||
    !(f.tail >= 0) ||
    !((f.pairs ?? 0) >= 0) ||
    !validCharOrders(f.charOrders)
  ) {
    throw invalid('bad feature options');
  }
  if (!Array.isArray(h.heads) || h.heads.length === 0 || h.heads.some((x) => typeof x !== 'string')) {
    throw invalid('bad heads');
  }
  const k = h.heads.length;
  for (const arr of [h.scales, h.biases]) {
    if (
      !Array.isArray(arr) ||
      arr.length !== k ||
      arr.some((x) => typeof x !== 'number' || !Number.isFinite(x))
    ) {
      throw invalid('bad scales or biases');
    }
  }
  if (!Array.isArray(h.outputs)) throw invalid('bad outputs');
  for (const o of h.outputs) {
    if (!isSide(o.side) || !(o.target === 'misuse' || isCategory(o.target)) || !h.heads.includes(o.head)) {
      throw invalid('bad output');
    }
    if (!Array.isArray(o.knots) || !knotsAreMonotone(o.knots)) throw invalid('calibration is not monotone');
  }
  if (
    !Array.isArray(h.router) ||
    h.router.some((r) => !h.heads.includes(r.head) || !isCategory(r.category))
  ) {
    throw invalid('bad router');
  }
  if (typeof h.weightsSha256 !== 'string') throw invalid('missing weights hash');
  return h;
}

/** Decodes and verifies an artifact; any damage is INTERDICT_MODEL_INVALID. */
export function decodeArtifact(bytes: Uint8Array): Artifact {
  if (bytes.length < 12) throw invalid('artifact is truncated');
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== ARTIFACT_MAGIC) throw invalid('not a model artifact');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== ARTIFACT_VERSION) throw invalid(`unsupported artifact version ${version}`);
  const length = view.getUint32(8, true);
  if (12 + length > bytes.length) throw invalid('artifact is truncated');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + length)));
  } catch {
    throw invalid('header is not valid JSON');
  }
  const header = checkHeader(parsed);
  const padded = Math.ceil((12 + length) / 8) * 8;
  const expected = (1 << header.features.bits) * header.heads.length;
  if (bytes.length - padded !== expected) throw invalid('weights have the wrong size (truncated or padded)');
  const weightBytes = bytes.subarray(padded);
  if (sha256(weightBytes) !== header.weightsSha256) throw invalid('weights do not match their hash');
  // Copy so the weights are aligned and independent of the caller's buffer.
  const weights = new Int8Array(expected);
  weights.set(new Int8Array(weightBytes.buffer, weightBytes.byteOffset, weightBytes.byteLength));
  return { header, weights };
}
