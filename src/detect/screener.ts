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
import type { Detector, DetectorResult } from './types.js';

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

/** Noisy-OR of independent evidence scores: two medium signals beat one. */
function noisyOr(scores: number[]): number {
  let miss = 1;
  for (const s of scores) miss *= 1 - Math.min(1, Math.max(0, s));
  return 1 - miss;
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

  function evaluate(validated: ScreenRequest, started: number): Verdict {
    // Lone surrogates become U+FFFD so every detector sees well-formed text; offsets are unchanged.
    const text = validated.text.toWellFormed();
    const request: ScreenRequest = text === validated.text ? validated : { ...validated, text };
    const normalized = normalize(text);

    const evidence: Evidence[] = [];
    const learned: CategoryScores = {};
    for (const detector of detectors) {
      let result: DetectorResult;
      try {
        result = detector.detect({ request, normalized });
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
      evidence.push(...result.evidence);
      if (result.scores) {
        for (const [category, value] of Object.entries(result.scores) as [Category, number][]) {
          learned[category] = Math.max(learned[category] ?? 0, value);
        }
      }
    }

    const perCategory = new Map<Category, number[]>();
    for (const item of evidence) {
      if (item.score <= 0) continue;
      const list = perCategory.get(item.category) ?? [];
      list.push(item.score);
      perCategory.set(item.category, list);
    }
    const categories: CategoryScores = {};
    const flaggedCategories: Category[] = [];
    let score = 0;
    let action: VerdictAction = 'allow';
    const raise = (next: VerdictAction) => {
      if (DECISION_RANK[next] > DECISION_RANK[action]) action = next;
    };
    for (const category of CATEGORIES) {
      const value = Math.max(noisyOr(perCategory.get(category) ?? []), learned[category] ?? 0);
      if (value <= 0) continue;
      const rounded = Math.round(value * 1000) / 1000;
      categories[category] = rounded;
      score = Math.max(score, rounded);
      const t = thresholds[category];
      if (value >= t.flag) {
        flaggedCategories.push(category);
        if (LEAKS.has(category)) raise('redact');
        else raise(value >= t.block ? 'block' : 'flag');
      }
    }

    const redactions = mergeSpans(
      evidence
        .filter((e) => LEAKS.has(e.category) && e.span && flaggedCategories.includes(e.category))
        .map((e) => e.span!),
    );

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
