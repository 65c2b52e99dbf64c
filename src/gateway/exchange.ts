import { randomUUID } from 'node:crypto';
import {
  DECISION_RANK,
  type DecisionAction,
  type EventMessage,
  type PartVerdict,
  type RecordedEvent,
} from '../core/event.js';
import type { Category, Span, Verdict } from '../core/types.js';
import type { TenantPolicy } from '../policy/tenant/resolve.js';
import { fingerprint } from '../monitor/fingerprint.js';
import { detectCodeLanguage, detectLanguage } from '../monitor/language.js';
import type { Part } from './parts.js';
import { keepText } from '../ingest/content.js';
import type { ContentMode } from '../config/sections/store.js';
import type { ApiKind } from './types.js';

export type { ContentMode } from '../config/sections/store.js';

/**
 * Everything known about one proxied call; becomes one RecordedEvent when it ends. Its plain data is an
 * ExchangeRecord (below); the rest is the request's own working state.
 */
export interface Exchange extends ExchangeRecord {
  started: number;
  kind: ApiKind | 'models' | 'unknown';
  tenant?: TenantPolicy;
  inputParts: Part[];
  /** Redaction spans per input part (by part id), for `redacted` content mode. */
  spans: Map<string, Span[]>;
  categories: Set<Category>;
  status: number;
  recorded: boolean;
  /** Milliseconds from arrival to the decision/response (set when finished). */
  finishedMs?: number;
}

const RANK = DECISION_RANK;

export function newExchange(kind: Exchange['kind']): Exchange {
  return {
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    ts: new Date().toISOString(),
    started: performance.now(),
    kind,
    account: 'anonymous',
    inputParts: [],
    spans: new Map(),
    completion: '',
    completionSpans: [],
    verdicts: [],
    action: 'allow',
    score: 0,
    categories: new Set(),
    reasons: [],
    shadow: false,
    status: 200,
    recorded: false,
  };
}

export function raiseAction(ex: Exchange, action: DecisionAction): void {
  if (RANK[action] > RANK[ex.action]) ex.action = action;
}

/** Compact, content-free summary of a verdict for the event. */
export function partVerdict(part: string, verdict: Verdict): PartVerdict {
  const rules: string[] = [];
  for (const e of verdict.evidence) {
    if (e.score <= 0) continue;
    const id = e.ruleId ?? e.detector;
    if (!rules.includes(id)) rules.push(id);
  }
  return {
    part,
    side: verdict.side,
    action: verdict.action,
    score: verdict.score,
    categories: verdict.categories,
    flagged: verdict.flaggedCategories,
    rules: rules.slice(0, 32),
  };
}

/** Folds one more window's verdict into a running verdict for the same part (streamed completions). */
export function mergePartVerdict(into: PartVerdict | undefined, next: PartVerdict): PartVerdict {
  if (!into)
    return {
      ...next,
      categories: { ...next.categories },
      flagged: [...next.flagged],
      rules: [...next.rules],
    };
  const order = ['allow', 'flag', 'redact', 'block'] as const;
  if (order.indexOf(next.action) > order.indexOf(into.action)) into.action = next.action;
  into.score = Math.max(into.score, next.score);
  for (const [c, s] of Object.entries(next.categories) as [Category, number][]) {
    into.categories[c] = Math.max(into.categories[c] ?? 0, s);
  }
  for (const c of next.flagged) if (!into.flagged.includes(c)) into.flagged.push(c);
  for (const r of next.rules) if (!into.rules.includes(r) && into.rules.length < 32) into.rules.push(r);
  return into;
}

/**
 * What an event is built from: the exchange's plain data (no setters, no secrets such as the tenant's
 * upstream key), so it can be handed to a recording thread with `postMessage`. An Exchange extends it.
 */
export interface ExchangeRecord {
  id: string;
  ts: string;
  tenant?: { tenant: string; content?: ContentMode | undefined };
  account: string;
  keyId?: string;
  ip?: string;
  userAgent?: string;
  model?: string;
  conversation?: string;
  inputParts: ReadonlyArray<{ part: string; role: string; text: string }>;
  spans: ReadonlyMap<string, Span[]>;
  completion: string;
  completionSpans: Span[];
  verdicts: PartVerdict[];
  action: DecisionAction;
  score: number;
  categories: ReadonlySet<Category>;
  reasons: string[];
  shadow: boolean;
}

/** The exchange as plain, cloneable data, with its content mode resolved (so no function travels). */
export function exchangeRecord(
  ex: Exchange,
  defaultMode: ContentMode | ((tenant: string) => ContentMode),
): ExchangeRecord {
  const tenant = ex.tenant?.tenant ?? 'default';
  const content =
    ex.tenant?.content ?? (typeof defaultMode === 'function' ? defaultMode(tenant) : defaultMode);
  const record: ExchangeRecord = {
    id: ex.id,
    ts: ex.ts,
    tenant: { tenant, content },
    account: ex.account,
    inputParts: ex.inputParts.map((p) => ({ part: p.part, role: p.role, text: p.text })),
    spans: ex.spans,
    completion: ex.completion,
    completionSpans: ex.completionSpans,
    verdicts: ex.verdicts,
    action: ex.action,
    score: ex.score,
    categories: ex.categories,
    reasons: ex.reasons,
    shadow: ex.shadow,
  };
  if (ex.keyId) record.keyId = ex.keyId;
  if (ex.ip) record.ip = ex.ip;
  if (ex.userAgent) record.userAgent = ex.userAgent;
  if (ex.model) record.model = ex.model;
  if (ex.conversation) record.conversation = ex.conversation;
  return record;
}

export function toRecordedEvent(
  ex: ExchangeRecord,
  defaultMode: ContentMode | ((tenant: string) => ContentMode),
): RecordedEvent {
  const tenant = ex.tenant?.tenant ?? 'default';
  const mode = ex.tenant?.content ?? (typeof defaultMode === 'function' ? defaultMode(tenant) : defaultMode);
  const messages: EventMessage[] = new Array(ex.inputParts.length);
  let userText = '';
  for (let i = 0; i < ex.inputParts.length; i++) {
    const p = ex.inputParts[i]!;
    messages[i] = { role: p.role, content: keepText(p.text, mode, ex.spans.get(p.part)) };
    if (p.role === 'user') userText = userText ? `${userText}\n${p.text}` : p.text;
  }
  const interdict: RecordedEvent['interdict'] = {
    verdicts: ex.verdicts,
    action: ex.action,
    score: Math.round(ex.score * 1000) / 1000,
    categories: [...ex.categories],
    // The same fingerprints and features as `interdict ingest`, so live and imported traffic compare.
    fingerprints: fingerprint(userText),
    features: { lang: detectLanguage(userText), code: detectCodeLanguage(userText) },
    reasons: ex.reasons,
  };
  if (ex.shadow) interdict.shadow = true;
  const event: RecordedEvent = {
    id: ex.id,
    ts: ex.ts,
    tenant,
    account: ex.account,
    request: { messages },
    interdict,
  };
  if (ex.keyId) event.key = ex.keyId;
  if (ex.ip) event.ip = ex.ip;
  if (ex.userAgent) event.user_agent = ex.userAgent;
  if (ex.conversation) event.conversation = ex.conversation;
  if (ex.model) event.model = ex.model;
  if (ex.completion) event.response = { content: keepText(ex.completion, mode, ex.completionSpans) };
  return event;
}
