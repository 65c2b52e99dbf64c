import { InterdictError } from '../../core/errors.js';
import { LEAK_CATEGORIES, type Span, type Verdict } from '../../core/types.js';
import { labelForEvidence } from './labels.js';

/**
 * Redaction: replace spans of the original text with placeholders and keep an offset map, so callers can
 * translate positions between the original and the redacted text (e.g. to re-anchor later evidence).
 */

/** `label`: `[REDACTED:EMAIL]`; `mask`: same-length mask (cards/IBANs keep their last 4); `fixed`: `***`. */
export type RedactionStyle = 'label' | 'mask' | 'fixed';

export interface RedactionSpan extends Span {
  /** What the span holds, e.g. `EMAIL`, `CARD`, `SECRET`. Default `options.defaultLabel`. */
  label?: string;
}

export interface RedactOptions {
  style?: RedactionStyle;
  /** Template for the label style; `{label}` is replaced. Default `[REDACTED:{label}]`. */
  template?: string;
  /** Replacement for the fixed style. Default `***`. */
  fixed?: string;
  /** Mask character for the mask style. Default `*`. */
  maskChar?: string;
  /** Labels whose last `keepLast` letters/digits stay visible under the mask style. Default CARD, IBAN. */
  keepLastLabels?: readonly string[];
  /** Default 4. */
  keepLast?: number;
  /** Label for spans that carry none. Default `REDACTED`. */
  defaultLabel?: string;
}

/** One replacement: [start, end) in the original became [redactedStart, redactedEnd) in the output. */
export interface RedactionEntry {
  start: number;
  end: number;
  redactedStart: number;
  redactedEnd: number;
  label: string;
}

export interface RedactionResult {
  text: string;
  /** Replacements in order of position; spans that overlapped were merged into one entry. */
  entries: RedactionEntry[];
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isAlnumCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

interface Merged {
  start: number;
  end: number;
  label: string;
  /** Length of the span that gave the label (the longest constituent wins). */
  weight: number;
}

/** Validates, widens to whole code points, and merges overlapping spans. */
function normalizeSpans(text: string, spans: readonly RedactionSpan[], defaultLabel: string): Merged[] {
  const cleaned: Merged[] = [];
  for (const span of spans) {
    const { start, end } = span;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start > end) {
      throw new InterdictError('INTERDICT_INPUT_INVALID', 'redaction span is out of range for the text', [
        { problem: `span [${String(start)}, ${String(end)}) outside [0, ${text.length}]` },
      ]);
    }
    if (start === end) continue;
    let from = start;
    let to = end;
    if (from > 0 && isLowSurrogate(text.charCodeAt(from)) && isHighSurrogate(text.charCodeAt(from - 1)))
      from--;
    if (to < text.length && isLowSurrogate(text.charCodeAt(to)) && isHighSurrogate(text.charCodeAt(to - 1)))
      to++;
    cleaned.push({ start: from, end: to, label: span.label ?? defaultLabel, weight: to - from });
  }
  cleaned.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Merged[] = [];
  for (const span of cleaned) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      if (span.weight > last.weight) {
        last.label = span.label;
        last.weight = span.weight;
      }
      last.end = Math.max(last.end, span.end);
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

function mask(
  original: string,
  label: string,
  options: Required<Pick<RedactOptions, 'maskChar' | 'keepLast' | 'keepLastLabels'>>,
): string {
  if (!options.keepLastLabels.includes(label)) return options.maskChar.repeat(original.length);
  // Keep separators and the last `keepLast` letters/digits, like `**** **** **** 4242`.
  let keep = options.keepLast;
  const out: string[] = new Array(original.length);
  for (let i = original.length - 1; i >= 0; i--) {
    const code = original.charCodeAt(i);
    if (!isAlnumCode(code)) out[i] = original[i]!;
    else if (keep > 0) {
      out[i] = original[i]!;
      keep--;
    } else out[i] = options.maskChar;
  }
  return out.join('');
}

/** Replaces each span of `text` with a placeholder; overlapping spans merge into one replacement. */
export function redact(
  text: string,
  spans: readonly RedactionSpan[],
  options: RedactOptions = {},
): RedactionResult {
  const style = options.style ?? 'label';
  const template = options.template ?? '[REDACTED:{label}]';
  const fixed = options.fixed ?? '***';
  const maskOptions = {
    maskChar: options.maskChar ?? '*',
    keepLast: Math.max(0, options.keepLast ?? 4),
    keepLastLabels: options.keepLastLabels ?? ['CARD', 'IBAN'],
  };
  const merged = normalizeSpans(text, spans, options.defaultLabel ?? 'REDACTED');
  const parts: string[] = [];
  const entries: RedactionEntry[] = [];
  let cursor = 0;
  let length = 0;
  for (const span of merged) {
    const kept = text.slice(cursor, span.start);
    parts.push(kept);
    length += kept.length;
    const replacement =
      style === 'fixed'
        ? fixed
        : style === 'mask'
          ? mask(text.slice(span.start, span.end), span.label, maskOptions)
          : template.replaceAll('{label}', span.label);
    parts.push(replacement);
    entries.push({
      start: span.start,
      end: span.end,
      redactedStart: length,
      redactedEnd: length + replacement.length,
      label: span.label,
    });
    length += replacement.length;
    cursor = span.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), entries };
}

/**
 * Maps an offset in the original text to the redacted text. Offsets inside a replaced span map to the start
 * of its placeholder; offsets at or after its end shift by the change in length.
 */
export function toRedactedOffset(entries: readonly RedactionEntry[], offset: number): number {
  let lo = 0;
  let hi = entries.length - 1;
  let before = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.start <= offset) {
      before = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (before < 0) return offset;
  const entry = entries[before]!;
  if (offset < entry.end) return entry.redactedStart;
  return offset - entry.end + entry.redactedEnd;
}

/** Maps an offset in the redacted text back to the original; inside a placeholder it maps to the span start. */
export function toOriginalOffset(entries: readonly RedactionEntry[], offset: number): number {
  let lo = 0;
  let hi = entries.length - 1;
  let before = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.redactedStart <= offset) {
      before = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (before < 0) return offset;
  const entry = entries[before]!;
  if (offset < entry.redactedEnd) return entry.start;
  return offset - entry.redactedEnd + entry.end;
}

const LEAKS = new Set<string>(LEAK_CATEGORIES);

/**
 * Redacts a screened text with its verdict: every span in `verdict.redactions`, labelled by the strongest
 * leak evidence that overlaps it (`[REDACTED:EMAIL]`, `[REDACTED:SECRET]`, ...).
 */
export function redactVerdict(
  text: string,
  verdict: Pick<Verdict, 'redactions' | 'evidence'>,
  options: RedactOptions = {},
): RedactionResult {
  const spans: RedactionSpan[] = verdict.redactions.map((span) => ({ ...span }));
  const order = spans.map((_, index) => index).sort((a, b) => spans[a]!.start - spans[b]!.start);
  const best = new Map<number, number>();
  for (const evidence of verdict.evidence) {
    const s = evidence.span;
    if (!s || !LEAKS.has(evidence.category)) continue;
    // Last redaction starting before the evidence ends, then walk back over those it overlaps.
    let lo = 0;
    let hi = order.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[order[mid]!]!.start < s.end) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let k = at; k >= 0 && spans[order[k]!]!.end > s.start; k--) {
      const index = order[k]!;
      if ((best.get(index) ?? -1) < evidence.score) {
        best.set(index, evidence.score);
        spans[index]!.label = labelForEvidence(evidence);
      }
    }
  }
  return redact(text, spans, options);
}
