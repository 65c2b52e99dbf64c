import type { Category, Side, VerdictAction } from './types.js';

/**
 * The interaction event: one JSON object per model call, as users map their own logs to it and as the
 * gateway records live traffic. Timestamps are ISO-8601 strings.
 */
export interface EventMessage {
  role: string;
  content: string;
}

export interface InteractionEvent {
  id: string;
  ts: string;
  tenant: string;
  account: string;
  key?: string;
  ip?: string;
  user_agent?: string;
  conversation?: string;
  model?: string;
  signup_ts?: string;
  payment_fp?: string;
  request: { messages: EventMessage[] };
  response?: { content: string; refusal?: boolean };
}

/** What policy decided for an interaction (a superset of the screener's recommendation). */
export const DECISION_ACTIONS = ['allow', 'flag', 'redact', 'block', 'throttle', 'review'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** Severity order of decisions: when parts disagree, the highest wins. */
export const DECISION_RANK: Readonly<Record<DecisionAction, number>> = Object.freeze({
  allow: 0,
  flag: 1,
  redact: 2,
  throttle: 3,
  review: 4,
  block: 5,
});

/** Verdict summary per screened part of an event, small enough to store with every event. */
export interface PartVerdict {
  /** Which part: `messages[3]`, `response`, `conversation`. */
  part: string;
  side: Side;
  action: VerdictAction;
  score: number;
  categories: Partial<Record<Category, number>>;
  flagged: Category[];
  rules: string[];
}

/** What Interdict adds to an event. */
export interface EventAnalysis {
  verdicts: PartVerdict[];
  action: DecisionAction;
  /** Highest score across parts and the categories that crossed a threshold anywhere. */
  score: number;
  categories: Category[];
  /** Content fingerprints of the normalised user text, for near-duplicate and probing detection. */
  fingerprints: { simhash: string; minhash?: number[] };
  /**
   * Content-derived features computed before text is redacted or dropped, so monitoring never needs the text:
   * `lang` the script/language of the user text (`latin:en`, `cyrillic`, ...), `code` the programming language
   * it is about, when any.
   */
  features?: { lang?: string; code?: string };
  /** Why the decision was made, content-free (rule ids, thresholds, ladder level). */
  reasons: string[];
  /** Set when the decision was made in shadow mode (recorded, not applied). */
  shadow?: boolean;
}

export interface RecordedEvent extends InteractionEvent {
  interdict: EventAnalysis;
}
