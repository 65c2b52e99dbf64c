import type { Span } from '../core/types.js';

export const REDACTION_MARK = '[REDACTED]';

/**
 * Replaces each span of `text` with a marker. Spans may be unsorted or overlap; they are clipped to the text.
 * (Minimal span replacer owned by the gateway; the leak detectors' own redact helper can replace it.)
 */
export function redactSpans(text: string, spans: readonly Span[], mark = REDACTION_MARK): string {
  if (spans.length === 0) return text;
  const sorted = spans
    .map((s) => ({ start: Math.max(0, s.start), end: Math.min(text.length, s.end) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of sorted) {
    if (span.end <= at) continue;
    out += text.slice(at, Math.max(at, span.start)) + mark;
    at = span.end;
  }
  return out + text.slice(at);
}
