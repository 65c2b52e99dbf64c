import type { EventAnalysis, EventMessage, InteractionEvent } from '../core/event.js';

/**
 * Checks one parsed JSONL row against the interaction-event shape. Problems name the field, never its value
 * (a value may be a prompt or a secret). Unknown top-level fields are dropped.
 */
export type ParsedRow =
  | { ok: true; event: InteractionEvent; analysis?: EventAnalysis }
  | { ok: false; problem: string };

const MAX_ID = 256;
const OPTIONAL_STRINGS = ['key', 'ip', 'user_agent', 'conversation', 'model'] as const;

function isTime(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value));
}

/** OpenAI-style content arrays ([{type:'text', text}]) are joined; other parts (images) carry no text. */
function contentText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (!Array.isArray(value)) return undefined;
  const parts: string[] = [];
  for (const part of value) {
    if (typeof part === 'string') parts.push(part);
    else if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
      parts.push((part as { text: string }).text);
    }
  }
  return parts.join('\n');
}

function isAnalysis(value: unknown): value is EventAnalysis {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<EventAnalysis>;
  return (
    Array.isArray(v.verdicts) &&
    typeof v.action === 'string' &&
    typeof v.score === 'number' &&
    Array.isArray(v.categories) &&
    Array.isArray(v.reasons)
  );
}

export function parseEventRow(row: unknown, defaults: { tenant?: string } = {}): ParsedRow {
  if (!row || typeof row !== 'object' || Array.isArray(row))
    return { ok: false, problem: 'row must be a JSON object' };
  const r = row as Record<string, unknown>;
  const id = typeof r.id === 'number' && Number.isFinite(r.id) ? String(r.id) : r.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID) {
    return { ok: false, problem: `id must be a non-empty string of at most ${MAX_ID} characters` };
  }
  if (!isTime(r.ts)) return { ok: false, problem: 'ts must be an ISO-8601 timestamp' };
  const tenant = r.tenant ?? defaults.tenant;
  if (typeof tenant !== 'string' || tenant.length === 0)
    return { ok: false, problem: 'tenant must be a non-empty string' };
  if (typeof r.account !== 'string' || r.account.length === 0) {
    return { ok: false, problem: 'account must be a non-empty string' };
  }
  const request = r.request as { messages?: unknown } | undefined;
  if (!request || typeof request !== 'object' || !Array.isArray(request.messages)) {
    return { ok: false, problem: 'request.messages must be an array' };
  }
  const messages: EventMessage[] = [];
  for (let i = 0; i < request.messages.length; i++) {
    const m = request.messages[i] as { role?: unknown; content?: unknown } | null;
    if (!m || typeof m !== 'object' || typeof m.role !== 'string') {
      return { ok: false, problem: `request.messages[${i}].role must be a string` };
    }
    const content = contentText(m.content);
    if (content === undefined) return { ok: false, problem: `request.messages[${i}].content must be text` };
    messages.push({ role: m.role, content });
  }
  const event: InteractionEvent = { id, ts: r.ts, tenant, account: r.account, request: { messages } };
  for (const field of OPTIONAL_STRINGS) {
    const value = r[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return { ok: false, problem: `${field} must be a string` };
    event[field] = value;
  }
  if (r.signup_ts !== undefined && r.signup_ts !== null) {
    if (!isTime(r.signup_ts)) return { ok: false, problem: 'signup_ts must be an ISO-8601 timestamp' };
    event.signup_ts = r.signup_ts;
  }
  if (typeof r.payment_fp === 'string') event.payment_fp = r.payment_fp;
  if (r.response !== undefined && r.response !== null) {
    const response = r.response as { content?: unknown; refusal?: unknown };
    const content = typeof response === 'object' ? contentText(response.content) : undefined;
    if (content === undefined) return { ok: false, problem: 'response.content must be text' };
    if (response.refusal !== undefined && typeof response.refusal !== 'boolean') {
      return { ok: false, problem: 'response.refusal must be a boolean' };
    }
    event.response = { content, ...(response.refusal === true ? { refusal: true } : {}) };
  }
  if (r.interdict !== undefined) {
    if (!isAnalysis(r.interdict)) return { ok: false, problem: 'interdict must be an analysis object' };
    return { ok: true, event, analysis: r.interdict };
  }
  return { ok: true, event };
}
