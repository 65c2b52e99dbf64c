import type { Category, Evidence } from '../../core/types.js';
import type { TextView } from '../../normalize/types.js';
import type { DetectInput } from '../types.js';
import { dropOverlapping, type LeakFinding, severityForScore } from './finding.js';

export type TextScanner = (text: string) => LeakFinding[];

interface MappedFinding extends LeakFinding {
  view: string;
}

export interface ScanViewOptions {
  /**
   * Also scan depth-0 rewrites of the original (the folded view) when a de-obfuscation transform fired
   * there (zero-width removal, homoglyphs). Folding lowercases, so it helps PII and defeats case-sensitive
   * token formats: the secrets detector leaves it off.
   */
  foldedViews: boolean;
}

const SELF_DECODABLE = new Set(['base64', 'hex', 'url_encoding']);

/**
 * Case-preserving text of a decoded view. The normaliser's decoded views are folded (lowercased), which
 * destroys case-sensitive key formats, so a first-level base64 / hex / URL-encoded view is decoded again here
 * from its encoded segment in the original. Anything else (nested decodings, ROT13, ...) is scanned as the
 * view gives it. Returns undefined when the segment does not decode to clean text.
 */
function redecode(original: string, view: TextView): string | undefined {
  const transform = view.transforms[0];
  if (view.depth !== 1 || !transform || !SELF_DECODABLE.has(transform)) return undefined;
  const span = view.toOriginal(0, view.text.length);
  if (!(span.end > span.start) || span.start < 0 || span.end > original.length) return undefined;
  const segment = original.slice(span.start, span.end);
  try {
    let decoded: string;
    if (transform === 'url_encoding') decoded = decodeURIComponent(segment);
    else {
      const encoded = transform === 'hex' ? segment.replace(/[^0-9a-fA-F]/g, '') : segment;
      decoded = Buffer.from(encoded, transform === 'hex' ? 'hex' : 'base64').toString('utf8');
    }
    return decoded.length > 0 && !decoded.includes('\uFFFD') ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs a scanner over the original text and the decoded views, maps each finding to the original text and
 * turns it into evidence. A match inside a decoded view (base64 of a key) maps through `toOriginal`, i.e. to
 * the encoded segment, which is exactly what a redaction must replace. Views whose text equals the original
 * are skipped, and overlapping findings keep the strongest (original view first on ties).
 */
export function scanViews(
  input: DetectInput,
  detector: string,
  category: Category,
  scan: TextScanner,
  options: ScanViewOptions,
): Evidence[] {
  const original = input.request.text;
  const views: readonly TextView[] = input.normalized?.views?.length ? input.normalized.views : [];
  const found: MappedFinding[] = [];
  for (const finding of scan(original)) found.push({ ...finding, view: 'original' });
  for (const view of views) {
    if (view.id === 'original' || view.text === original || view.text.length === 0) continue;
    if (view.depth === 0 && (!options.foldedViews || view.transforms.length === 0)) continue;
    const text = redecode(original, view) ?? view.text;
    for (const finding of scan(text)) {
      const span = view.toOriginal(finding.start, finding.end);
      if (!(span.end > span.start) || span.start < 0 || span.end > original.length) continue;
      found.push({ ...finding, start: span.start, end: span.end, view: view.id });
    }
  }
  return dropOverlapping(found).map((finding) => {
    const evidence: Evidence = {
      detector,
      ruleId: finding.ruleId,
      category,
      score: finding.score,
      severity: severityForScore(finding.score),
      span: { start: finding.start, end: finding.end },
      view: finding.view,
    };
    if (finding.note) evidence.note = finding.note;
    return evidence;
  });
}
