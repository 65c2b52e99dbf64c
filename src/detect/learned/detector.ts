import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InterdictError } from '../../core/errors.js';
import type { Category, Evidence } from '../../core/types.js';
import type { ScreeningConfig } from '../../config/sections/screening.js';
import type { Detector, DetectInput, DetectorResult } from '../types.js';
import { findPackageRoot } from '../../core/package-root.js';
import { ARTIFACT_FILE, decodeArtifact } from './artifact.js';
import { isWordCode } from './features.js';
import { LearnedModel } from './model.js';

/** Evidence is emitted for categories at or above this calibrated score (the strict flag point is 0.35). */
export const EVIDENCE_MIN_SCORE = 0.3;
/** Views scored per request: the original plus at most this many others (folded, decoded). */
export const MAX_EXTRA_VIEWS = 3;

/** The package's models/ directory: walk up from this module to the directory holding package.json. */
export function packageModelsDir(start: string = dirname(fileURLToPath(import.meta.url))): string {
  const root = findPackageRoot(start);
  if (root === undefined) {
    throw new InterdictError('INTERDICT_MODEL_NOT_FOUND', undefined, [
      { problem: 'no package.json above the module' },
    ]);
  }
  return join(root, 'models');
}

/** Reads and verifies the artifact in dir (a directory, or the artifact file itself). */
export function loadModel(dir: string): LearnedModel {
  let file = resolve(dir);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, ARTIFACT_FILE);
  if (!existsSync(file)) {
    throw new InterdictError('INTERDICT_MODEL_NOT_FOUND', undefined, [
      { where: file, problem: 'no model artifact here' },
    ]);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new InterdictError(
      'INTERDICT_MODEL_NOT_FOUND',
      undefined,
      [{ where: file, problem: 'cannot read' }],
      { cause },
    );
  }
  try {
    return new LearnedModel(decodeArtifact(bytes));
  } catch (err) {
    if (err instanceof InterdictError) {
      throw new InterdictError(
        err.code,
        err.message,
        err.details.map((d) => ({ ...d, where: file })),
      );
    }
    throw err;
  }
}

// One model per artifact path per process: screeners are cheap to create, the model is ~3 MB.
const cache = new Map<string, LearnedModel>();

export function cachedModel(dir: string): LearnedModel {
  const key = resolve(dir);
  let model = cache.get(key);
  if (!model) {
    model = loadModel(key);
    cache.set(key, model);
  }
  return model;
}

/** Fewer distinct characters than this (ignoring whitespace) is not language: the model has no basis. */
export const MIN_DISTINCT_CHARS = 5;

/**
 * True when the text has some character variety. A run of one character ("0000…") hashes to a handful of
 * n-grams whose weights say nothing about intent, so such views are not scored.
 */
export function hasLanguage(text: string): boolean {
  // The distinct codes met so far live in a small reused array: a Set per view was garbage on every request.
  let count = 0;
  const end = Math.min(text.length, 4096);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    let k = 0;
    while (k < count && distinctCodes[k] !== c) k++;
    if (k < count) continue;
    if (count + 1 >= MIN_DISTINCT_CHARS) return true;
    distinctCodes[count++] = c;
  }
  return false;
}

const distinctCodes = new Uint16Array(MIN_DISTINCT_CHARS);

/**
 * Whether two prepared streams say the same thing to the model: the same words (runs of word characters) in
 * the same order, whatever the non-word characters between them: full-width vs ASCII punctuation, curly vs
 * straight quotes, "…" vs "..." (what NFKC folding changes in ordinary CJK or typeset text; the model's
 * punctuation n-grams then differ a little, its words not at all). Letters, digits, homoglyphs, removed
 * invisible characters inside a word and letters split or joined ("i g n o r e" vs "ignore") all change the
 * words, so an obfuscated view is always scored.
 */
export function sameForModel(a: Uint16Array, b: Uint16Array): boolean {
  const n = a.length;
  const m = b.length;
  if (n === m && sameAlignedWords(a, b)) return true;
  let i = 0;
  let j = 0;
  for (let first = true; ; first = false) {
    const gapA = i < n && !isWordCode(a[i]!);
    const gapB = j < m && !isWordCode(b[j]!);
    while (i < n && !isWordCode(a[i]!)) i++;
    while (j < m && !isWordCode(b[j]!)) j++;
    if (i === n || j === m) return i === n && j === m;
    // A word start after a gap in one stream only: one word was split or two were joined.
    if (gapA !== gapB && !first) return false;
    while (i < n && j < m) {
      const x = a[i]!;
      const y = b[j]!;
      const wx = isWordCode(x);
      if (wx !== isWordCode(y)) return false; // one word ends before the other
      if (!wx) break;
      if (x !== y) return false;
      i++;
      j++;
    }
    if ((i < n && isWordCode(a[i]!)) || (j < m && isWordCode(b[j]!))) return false;
  }
}

/**
 * The common case, cheaply: equal-length streams that differ only where both have a non-word character (the
 * original and its folded view of ordinary text are usually identical streams). True implies sameForModel.
 */
function sameAlignedWords(a: Uint16Array, b: Uint16Array): boolean {
  // Identical streams are the usual case: one native comparison of the bytes settles it (the loop below
  // reads every pair in JavaScript, several times slower).
  if (sameBytes(a, b)) return true;
  const n = a.length;
  let from = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    // Two units per step while they are equal (usually all the way: the folded view's stream is the original's).
    const pairsA = new Int32Array(a.buffer, a.byteOffset, n >> 1);
    const pairsB = new Int32Array(b.buffer, b.byteOffset, n >> 1);
    for (let k = 0; k < pairsA.length; k++) {
      if (pairsA[k] !== pairsB[k] && !sameUnlessWords(a, b, 2 * k, 2 * k + 2)) return false;
    }
    from = pairsA.length * 2;
  }
  return sameUnlessWords(a, b, from, n);
}

/** Whether two equal-length streams hold the same code units (a byte comparison, no copy). */
export function sameBytes(a: Uint16Array, b: Uint16Array): boolean {
  return (
    a.length === b.length &&
    Buffer.compare(
      new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
      new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

/** Whether a and b differ in [from, to) only where both have a non-word character. */
function sameUnlessWords(a: Uint16Array, b: Uint16Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (isWordCode(x) || isWordCode(y))) return false;
  }
  return true;
}

/** The learned detector over a loaded model. */
export function createLearnedDetectorFromModel(model: LearnedModel): Detector {
  // Copies of the scored views' character streams, reused across requests (a fresh copy per view was a
  // measurable share of the engine's garbage).
  const { head, tail } = model.artifact.header.features;
  const saved = Array.from({ length: MAX_EXTRA_VIEWS + 1 }, () => new Uint16Array(head + tail + 2));
  /** This request's scored streams: the first `scored` entries, views into `saved`. */
  const copies: Uint16Array[] = [];
  // Best view per category, in the order the categories first appear: parallel arrays reused across requests
  // (a Map of fresh records per request was garbage and Map natives on every call).
  const bestCategory: Category[] = [];
  const bestScore: number[] = [];
  const bestView: string[] = [];
  const bestOutput: string[] = [];
  return {
    id: 'learned',
    detect({ request, normalized }: DetectInput): DetectorResult {
      // Best view per category: an obfuscated payload scores on its decoded view, plain text on the original.
      let categories = 0;
      // The model lower-cases, collapses whitespace and folds digits before hashing (features.ts), so views
      // that differ only in those respects (typically `original` vs `folded`) would score identically: their
      // prepared character streams are compared and the repeat is skipped, as is a view whose words are the
      // same (sameForModel: only punctuation forms differ). This halves the model's cost on ordinary text.
      let scored = 0;
      for (const view of normalized.views) {
        if (scored > MAX_EXTRA_VIEWS) break;
        if (!hasLanguage(view.text)) continue;
        const codes = model.prepare(view.text);
        let repeat = false;
        for (let k = 0; k < scored && !repeat; k++) repeat = sameForModel(copies[k]!, codes);
        if (repeat) continue;
        const copy = saved[scored]!.subarray(0, codes.length);
        copy.set(codes);
        copies[scored++] = copy;
        for (const s of model.scorePrepared(request.side)) {
          let k = 0;
          while (k < categories && bestCategory[k] !== s.category) k++;
          if (k === categories) bestCategory[categories++] = s.category;
          else if (!(s.score > bestScore[k]!)) continue;
          bestScore[k] = s.score;
          bestView[k] = view.id;
          bestOutput[k] = s.output;
        }
      }
      if (scored === 0) return { evidence: [] };
      const scores: Partial<Record<Category, number>> = {};
      const evidence: Evidence[] = [];
      for (let k = 0; k < categories; k++) {
        const category = bestCategory[k]!;
        const score = bestScore[k]!;
        scores[category] = score;
        if (score >= EVIDENCE_MIN_SCORE) {
          evidence.push({
            detector: 'learned',
            category,
            score,
            view: bestView[k]!,
            note: `model:${bestOutput[k]!}`,
          });
        }
      }
      return { evidence, scores };
    },
  };
}

/**
 * The learned detector for a screening config, or null when switched off. A configured directory that holds
 * no valid artifact is an error (the operator asked for it); the shipped artifact is always present.
 */
export function createLearnedDetector(config: ScreeningConfig): Detector | null {
  if (!config.learned.enabled) return null;
  return createLearnedDetectorFromModel(cachedModel(config.learned.dir ?? packageModelsDir()));
}
