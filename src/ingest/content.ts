import { createHash } from 'node:crypto';
import type { InteractionEvent } from '../core/event.js';
import type { Span } from '../core/types.js';
import type { ContentMode, StoreConfig } from '../config/sections/store.js';

/**
 * What text is kept with a stored event, per tenant: `full` as given, `redacted` with secret/PII spans
 * replaced, `hash` a SHA-256 of the text only, `none` no text. Analysis (verdicts, fingerprints, features)
 * is computed before this runs and is kept in every mode.
 */

export const REDACTED = '[REDACTED]';

/**
 * Fallback patterns for the common secret and PII shapes, used on top of the screener's redaction spans so
 * `redacted` mode protects stored text even when leak detectors are off. Deliberately conservative: a
 * missed false positive costs a little text, a missed secret costs a leak.
 */
export const FALLBACK_PATTERNS: readonly RegExp[] = [
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, // email
  /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}/g, // OpenAI/Stripe-style keys
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, // GitHub token
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack token
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b(?:bearer|token|api[_-]?key|secret|password|passwd)\s*[:=]\s*\S{8,}/gi, // key=value secrets
  /\b(?:\d[ -]?){13,19}\b/g, // card-like digit runs
  /\+?\d{1,3}[ .-]?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}\b/g, // phone numbers
];

/**
 * Something every fallback pattern's match contains: '@' (email), a digit (cards, phones), ':' or '='
 * (key=value), '_' or '-' (token prefixes, PEM armour), or a case-sensitive key prefix. Prose without any
 * of them (most stored text) skips the pattern scan. Keep in step with FALLBACK_PATTERNS.
 */
const TRIGGER = /[@\d:=_-]|AKIA|ASIA|AIza|eyJ/;

// All fallback patterns as one alternation: one scan of the text instead of one per pattern.
const ANY_PATTERN = new RegExp(FALLBACK_PATTERNS.map((re) => `(?:${re.source})`).join('|'), 'gi');

function patternSpans(text: string): Span[] {
  const spans: Span[] = [];
  if (!TRIGGER.test(text)) return spans;
  ANY_PATTERN.lastIndex = 0;
  if (!ANY_PATTERN.test(text)) return spans;
  // Something matched case-insensitively: find exact spans with each pattern's own flags.
  for (const re of FALLBACK_PATTERNS) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/** Replaces the union of the given spans and the fallback patterns' spans. */
export function redactText(text: string, spans: readonly Span[] = []): string {
  const found = patternSpans(text);
  if (spans.length === 0 && found.length === 0) return text;
  const all = [...spans, ...found].filter((s) => s.end > s.start && s.start >= 0 && s.end <= text.length);
  if (all.length === 0) return text;
  all.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const span of all) {
    if (span.end <= pos) continue;
    out += text.slice(pos, Math.max(pos, span.start)) + REDACTED;
    pos = span.end;
  }
  return out + text.slice(pos);
}

function hashText(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** One text as a content mode keeps it (the gateway and ingest share this). */
export function keepText(text: string, mode: ContentMode, spans?: readonly Span[]): string {
  if (mode === 'full') return text;
  if (mode === 'none') return '';
  if (mode === 'hash') return text.length ? hashText(text) : '';
  return redactText(text, spans ?? []);
}

export type ContentPolicy = (tenant: string) => ContentMode;

export function contentPolicy(config: Pick<StoreConfig, 'content' | 'tenants'>): ContentPolicy {
  return (tenant) => config.tenants[tenant]?.content ?? config.content;
}

/**
 * applyContentMode for an event the caller owns (ingest's freshly parsed events): texts are replaced in
 * place, so no copy of the event is made.
 */
export function keepContentInPlace(
  event: InteractionEvent,
  mode: ContentMode,
  redactions: ReadonlyMap<string, Span[]>,
): void {
  if (mode === 'full') return;
  const messages = event.request.messages;
  const spans = redactions.size > 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    message.content = keepText(message.content, mode, spans ? redactions.get(`messages[${i}]`) : undefined);
  }
  if (event.response) {
    event.response.content = keepText(
      event.response.content,
      mode,
      spans ? redactions.get('response') : undefined,
    );
  }
}

/** Returns the event with its text kept as the mode says (a new object; the input is not changed). */
export function applyContentMode<E extends InteractionEvent>(
  event: E,
  mode: ContentMode,
  redactions: ReadonlyMap<string, Span[]> = new Map(),
): E {
  if (mode === 'full') return event;
  const transform = (part: string, text: string): string => keepText(text, mode, redactions.get(part));
  const messages = event.request.messages.map((m, i) => ({
    role: m.role,
    content: transform(`messages[${i}]`, m.content),
  }));
  const out: E = { ...event, request: { ...event.request, messages } };
  if (event.response)
    out.response = { ...event.response, content: transform('response', event.response.content) };
  return out;
}
