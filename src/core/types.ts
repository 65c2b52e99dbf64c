/**
 * Core value types shared by every layer. This module imports nothing else in src/.
 * Data flows one way: normalize → detect → decide (policy) → record → monitor → cases → share.
 */

/** Where a piece of text sits in an LLM interaction. */
export const SIDES = ['input', 'document', 'output'] as const;
export type Side = (typeof SIDES)[number];

/** Abuse categories (attack, misuse) and leak categories (secrets, pii). */
export const ATTACK_CATEGORIES = ['injection', 'jailbreak', 'prompt_leak'] as const;
export const MISUSE_CATEGORIES = ['cyber', 'fraud', 'influence', 'violence', 'other_harm'] as const;
export const LEAK_CATEGORIES = ['secrets', 'pii'] as const;
export const CATEGORIES = [...ATTACK_CATEGORIES, ...MISUSE_CATEGORIES, ...LEAK_CATEGORIES] as const;
export type AttackCategory = (typeof ATTACK_CATEGORIES)[number];
export type MisuseCategory = (typeof MISUSE_CATEGORIES)[number];
export type LeakCategory = (typeof LEAK_CATEGORIES)[number];
export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
export function isSide(value: unknown): value is Side {
  return typeof value === 'string' && (SIDES as readonly string[]).includes(value);
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Operating points for detector thresholds. */
export const PRESETS = ['strict', 'balanced', 'permissive'] as const;
export type Preset = (typeof PRESETS)[number];

/** Optional context about where the text came from. Never required for a verdict. */
export interface ScreenContext {
  tenant?: string;
  account?: string;
  conversation?: string;
  /** Earlier turns of the same conversation (oldest first), for split-across-turns attacks. */
  history?: readonly string[];
  /** The operator's system prompt, so prompt-leak detection can look for it in outputs. */
  systemPrompt?: string;
  /** BCP-47 hint; detectors must not rely on it. */
  language?: string;
}

export interface ScreenRequest {
  text: string;
  side: Side;
  context?: ScreenContext;
}

/** Half-open range [start, end) in UTF-16 code units of the ORIGINAL text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * One reason for a verdict. Evidence never carries the matched text itself (it may be a secret or a
 * prompt); the span locates it in the original text for callers that hold the text.
 */
export interface Evidence {
  /** Detector that produced it, e.g. `rules`, `secrets`, `pii`, `learned`, `normalize`. */
  detector: string;
  /** Stable rule id for rule-based detectors (e.g. `INJ-001`, `SEC-AWS-KEY`). */
  ruleId?: string;
  category: Category;
  /** 0..1 confidence contributed by this evidence. */
  score: number;
  severity?: Severity;
  /** Location in the original text; for matches inside a decoded view, the encoded segment's span. */
  span?: Span;
  /** Id of the text view the match was found in, e.g. `original`, `folded`, `base64@12`. */
  view: string;
  /** Short machine-readable note (never user content), e.g. `luhn-valid`, `model:input/injection`. */
  note?: string;
}

/** What the screener recommends. Policy (per tenant) turns this into the final decision. */
export const VERDICT_ACTIONS = ['allow', 'flag', 'redact', 'block'] as const;
export type VerdictAction = (typeof VERDICT_ACTIONS)[number];

export type CategoryScores = Partial<Record<Category, number>>;

export interface Verdict {
  action: VerdictAction;
  /** True when action is not `allow`. */
  flagged: boolean;
  /** Overall score 0..1: the maximum category score. */
  score: number;
  /** Per-category scores 0..1 (absent = 0). */
  categories: CategoryScores;
  /** Categories whose score crossed their threshold. */
  flaggedCategories: Category[];
  evidence: Evidence[];
  /** Normalisation transforms that fired (obfuscation is itself evidence). */
  transforms: string[];
  /** Spans to redact (secrets / PII) in the original text. */
  redactions: Span[];
  side: Side;
  latencyMs: number;
}

/** Descriptor of a category for reporting and intel mapping. */
export interface CategoryInfo {
  id: Category;
  title: string;
  owasp: string[];
  atlas: string[];
}
