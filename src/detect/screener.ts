import { performance } from 'node:perf_hooks';
import { InterdictError } from '../core/errors.js';
import { DECISION_RANK } from '../core/event.js';
import {
  CATEGORIES,
  type Category,
  type CategoryScores,
  type Evidence,
  LEAK_CATEGORIES,
  type ScreenRequest,
  type Span,
  type Verdict,
  type VerdictAction,
  isSide,
} from '../core/types.js';
import type { ScreeningConfig } from '../config/sections/screening.js';
import type { Normalizer } from '../normalize/types.js';
import { resolveThresholds, type ThresholdTable } from './thresholds.js';
import type { Detector, DetectInput, DetectorResult } from './types.js';

export interface ScreenerParts {
  normalize: Normalizer;
  detectors: readonly Detector[];
}

export interface Screener {
  screen(request: ScreenRequest): Verdict;
  readonly config: ScreeningConfig;
  readonly detectors: readonly string[];
  readonly thresholds: ThresholdTable;
}

const LEAKS = new Set<Category>(LEAK_CATEGORIES);
/** Position of each category in CATEGORIES, the order verdict scores are computed in. */
const CATEGORY_INDEX = new Map<Category, number>(CATEGORIES.map((category, index) => [category, index]));
const encoder = new TextEncoder();

/** Validates a request; throws a coded error for what cannot be screened at all. */
export function validateRequest(request: unknown, maxBytes: number): ScreenRequest {
  if (typeof request !== 'object' || request === null) {
    throw new InterdictError('INTERDICT_INPUT_INVALID', 'request must be an object with text and side');
  }
  const { text, side, context } = request as Record<string, unknown>;
  if (typeof text !== 'string') throw new InterdictError('INTERDICT_INPUT_NOT_TEXT');
  if (!isSide(side)) throw new InterdictError('INTERDICT_INPUT_BAD_SIDE');
  // Cheap upper bound first: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && encoder.encode(text).length > maxBytes)) {
    throw new InterdictError(
      'INTERDICT_INPUT_TOO_LARGE',
      `input exceeds the configured size limit of ${maxBytes} bytes`,
    );
  }
  return { text, side, ...(context && typeof context === 'object' ? { context } : {}) } as ScreenRequest;
}

function mergeSpans(spans: Span[]): Span[] {
  if (spans.length < 2) return spans;
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [{ ...sorted[0]! }];
  for (const span of sorted.slice(1)) {
    const last = out[out.length - 1]!;
    if (span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

export function createScreenerFromParts(config: ScreeningConfig, parts: ScreenerParts): Screener {
  const thresholds = resolveThresholds(config, CATEGORIES);
  const { normalize, detectors } = parts;

  const cache = new Map<string, Verdict>();
  const cacheEntries = config.cache.entries;

  function copyOf(verdict: Verdict, latencyMs: number): Verdict {
    return {
      ...verdict,
      categories: { ...verdict.categories },
      flaggedCategories: [...verdict.flaggedCategories],
      evidence: verdict.evidence.map((e) => ({ ...e, ...(e.span ? { span: { ...e.span } } : {}) })),
      transforms: [...verdict.transforms],
      redactions: verdict.redactions.map((r) => ({ ...r })),
      latencyMs,
    };
  }

  function screen(raw: ScreenRequest): Verdict {
    const started = performance.now();
    const validated = validateRequest(raw, config.maxBytes);
    // Context (history, system prompt) changes the verdict, so only context-free requests are cached.
    const key =
      cacheEntries > 0 && !validated.context && validated.text.length <= config.cache.maxChars
        ? `${validated.side}\u0000${validated.text}`
        : undefined;
    if (key !== undefined) {
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key); // refresh its place in the LRU order
        cache.set(key, hit);
        return copyOf(hit, Math.round((performance.now() - started) * 1000) / 1000);
      }
    }
    const verdict = evaluate(validated, started);
    if (key !== undefined) {
      if (cache.size >= cacheEntries) cache.delete(cache.keys().next().value as string);
      cache.set(key, copyOf(verdict, verdict.latencyMs));
    }
    return verdict;
  }

  /**
   * Per-category scratch for evaluate (noisy-OR of evidence scores: two medium signals beat one; the learned
   * maximum), this screener's own: screening is synchronous and a detector never screens, so no two
   * evaluations of one screener overlap.
   */
  const misses = new Float64Array(CATEGORIES.length);
  const learned = new Float64Array(CATEGORIES.length);

  function evaluate(validated: ScreenRequest, started: number): Verdict {
    // Lone surrogates become U+FFFD so every detector sees well-formed text; offsets are unchanged.
    const text = validated.text.toWellFormed();
    const request: ScreenRequest = text === validated.text ? validated : { ...validated, text };
    const normalized = normalize(text);

    const evidence: Evidence[] = [];
    // Per category (CATEGORIES order): the noisy-OR miss product of its evidence scores, taken in evidence
    // order exactly as noisyOr would, and the highest learned score. Scratch arrays, not a Map of lists and an
    // object per request.
    misses.fill(1);
    learned.fill(0);
    // One input for every detector: their shared scratch lives as long as this request, nothing else holds it.
    const input: DetectInput = { request, normalized, shared: {} };
    for (const detector of detectors) {
      let result: DetectorResult;
      try {
        result = detector.detect(input);
      } catch {
        // A detector bug must not turn into a thrown verdict; it is visible as evidence-free with a note.
        evidence.push({
          detector: detector.id,
          category: 'other_harm',
          score: 0,
          view: 'original',
          note: 'detector-error',
        });
        continue;
      }
      for (const item of result.evidence) {
        evidence.push(item);
        if (item.score <= 0) continue;
        const index = CATEGORY_INDEX.get(item.category);
        if (index !== undefined) misses[index] = misses[index]! * (1 - Math.min(1, Math.max(0, item.score)));
      }
      const scores = result.scores;
      if (scores) {
        for (const category in scores) {
          const index = CATEGORY_INDEX.get(category as Category);
          if (index !== undefined) learned[index] = Math.max(learned[index]!, scores[category as Category]!);
        }
      }
    }

    const categories: CategoryScores = {};
    const flaggedCategories: Category[] = [];
    let score = 0;
    let rank = DECISION_RANK.allow;
    let action: VerdictAction = 'allow';
    let flaggedLeak = false;
    for (let index = 0; index < CATEGORIES.length; index++) {
      const value = Math.max(1 - misses[index]!, learned[index]!);
      if (value <= 0) continue;
      const category = CATEGORIES[index]!;
      const rounded = Math.round(value * 1000) / 1000;
      categories[category] = rounded;
      score = Math.max(score, rounded);
      const t = thresholds[category];
      if (value >= t.flag) {
        flaggedCategories.push(category);
        const leak = LEAKS.has(category);
        if (leak) flaggedLeak = true;
        const next: VerdictAction = leak ? 'redact' : value >= t.block ? 'block' : 'flag';
        if (DECISION_RANK[next] > rank) {
          action = next;
          rank = DECISION_RANK[next];
        }
      }
    }

    // Only a flagged leak category has spans to redact: most verdicts skip the pass over the evidence.
    const spans: Span[] = [];
    if (flaggedLeak) {
      for (const e of evidence)
        if (LEAKS.has(e.category) && e.span && flaggedCategories.includes(e.category)) spans.push(e.span);
    }
    const redactions = mergeSpans(spans);

    return {
      action,
      flagged: action !== 'allow',
      score,
      categories,
      flaggedCategories,
      evidence,
      transforms: [...normalized.transforms],
      redactions,
      side: request.side,
      latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
  }

  return { screen, config, detectors: detectors.map((d) => d.id), thresholds };
}
