import type { Evidence, Severity, Span } from '../core/types.js';
import type { NormalizeFinding } from '../normalize/types.js';
import type { Detector, DetectInput, DetectorResult } from './types.js';

/**
 * Obfuscation is itself a signal. This detector turns what the normaliser had to undo into evidence:
 * hidden text (Unicode tag characters, variation-selector bytes) is a strong injection signal on its own;
 * bidi overrides, words split by zero-width characters and homoglyph-spoofed words are weak signals that
 * matter when another detector also fires (the screener combines evidence by noisy-OR). Plain text in a
 * non-Latin script, emoji sequences, RTL marks and the like produce no evidence: the normaliser only reports
 * spoofed or split Latin words.
 */

/** Hidden characters decoded at or above this length are an instruction, not a stray byte. */
const HIDDEN_SUBSTANTIAL = 24;
const HIDDEN_SHORT = 8;

interface Scored {
  score: number;
  severity: Severity;
  span?: Span;
  view: string;
  note: string;
}

function hiddenText(findings: readonly NormalizeFinding[], transform: string): Scored | null {
  let best: NormalizeFinding | null = null;
  let total = 0;
  for (const f of findings) {
    if (f.transform !== transform || !f.view) continue;
    total += f.count;
    if (!best || f.count > best.count) best = f;
  }
  if (!best) return null;
  const score = total >= HIDDEN_SUBSTANTIAL ? 0.8 : total >= HIDDEN_SHORT ? 0.65 : 0.35;
  const severity: Severity = score >= 0.8 ? 'high' : score >= 0.6 ? 'medium' : 'low';
  return { score, severity, span: best.span, view: best.view ?? 'original', note: transform };
}

/** Per-word spoofing (zero-width splits, homoglyphs): 0.15 for one word, up to 0.3 for several. */
function spoofedWords(findings: readonly NormalizeFinding[], transform: string): Scored | null {
  let first: NormalizeFinding | null = null;
  let words = 0;
  for (const f of findings) {
    if (f.transform !== transform) continue;
    first ??= f;
    words++;
  }
  if (!first) return null;
  const score = Math.min(0.3, 0.15 + 0.05 * (words - 1));
  return { score, severity: 'low', span: first.span, view: 'original', note: transform };
}

function hasRtlScript(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x590 && c <= 0x8ff) || (c >= 0xfb1d && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefc))
      return true;
  }
  return false;
}

/**
 * Bidi overrides (RLO/LRO) reorder what a reader sees versus what a model reads (Trojan Source): ~0.3.
 * Embeddings and isolates are ordinary in right-to-left writing; without RTL text they score 0.15. Marks
 * (LRM/RLM/ALM) score nothing.
 */
function bidiControls(findings: readonly NormalizeFinding[], text: string): Scored | null {
  let override: NormalizeFinding | null = null;
  let embedding: NormalizeFinding | null = null;
  for (const f of findings) {
    if (f.transform !== 'bidi') continue;
    if (f.detail === 'override') override ??= f;
    else if (f.detail === 'embedding' || f.detail === 'isolate') embedding ??= f;
  }
  if (override) return { score: 0.3, severity: 'low', span: override.span, view: 'original', note: 'bidi' };
  if (embedding && !hasRtlScript(text)) {
    return { score: 0.15, severity: 'low', span: embedding.span, view: 'original', note: 'bidi' };
  }
  return null;
}

/** Text encoded twice or more (base64 of hex of ...) or hidden by ROT13, another letter shift or reversal is rarely innocent. */
function layeredEncoding(findings: readonly NormalizeFinding[]): Scored[] {
  const out: Scored[] = [];
  const nested = findings.find((f) => (f.depth ?? 0) >= 2 && f.view);
  if (nested) {
    out.push({ score: 0.2, severity: 'low', span: nested.span, view: nested.view!, note: 'nested_encoding' });
  }
  for (const transform of ['rot13', 'caesar', 'atbash', 'reversed']) {
    const f = findings.find((x) => x.transform === transform && x.view);
    if (f) out.push({ score: 0.15, severity: 'low', span: f.span, view: f.view!, note: transform });
  }
  return out;
}

/**
 * Score of text encoded more times than the normaliser unwraps. With the nested-encoding signal that always comes
 * with it (noisy-OR: 1 - 0.3 x 0.8 = 0.76) the text is blocked at the balanced and strict presets and flagged at
 * permissive.
 */
export const BEYOND_DEPTH_SCORE = 0.7;

/**
 * Text still encoded where the normaliser stopped decoding (`screening.normalize.maxDepth` layers): what it says
 * cannot be inspected, and no ordinary prompt, document or completion nests encodings that deep.
 */
function beyondDepth(findings: readonly NormalizeFinding[]): Scored | null {
  const f = findings.find((x) => x.transform === 'depth_limit');
  if (!f) return null;
  return {
    score: BEYOND_DEPTH_SCORE,
    severity: 'medium',
    span: f.span,
    view: f.view ?? 'original',
    note: 'encoding_beyond_depth',
  };
}

export function createObfuscationDetector(): Detector {
  return {
    id: 'obfuscation',
    detect({ request, normalized }: DetectInput): DetectorResult {
      const findings = normalized.findings ?? [];
      if (findings.length === 0) return { evidence: [] };
      const scored: Array<Scored | null> = [
        hiddenText(findings, 'tag_chars'),
        hiddenText(findings, 'variation_selector'),
        bidiControls(findings, request.text),
        spoofedWords(findings, 'zero_width'),
        spoofedWords(findings, 'homoglyph'),
        ...layeredEncoding(findings),
        beyondDepth(findings),
      ];
      const evidence: Evidence[] = [];
      for (const s of scored) {
        if (!s) continue;
        evidence.push({
          detector: 'obfuscation',
          category: 'injection',
          score: s.score,
          severity: s.severity,
          ...(s.span ? { span: { start: s.span.start, end: s.span.end } } : {}),
          view: s.view,
          note: s.note,
        });
      }
      return { evidence };
    },
  };
}
