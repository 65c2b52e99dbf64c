import type { Category, Evidence } from '../../core/types.js';
import { confusableOf } from '../../normalize/confusables.js';
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
    else if (transform === 'hex' && ESCAPE.test(segment)) {
      // `\u0041\x42` escape runs (the normaliser reports them as hex): decode each escape.
      decoded = segment.replace(ESCAPES, (_m, u: string | undefined, x: string | undefined) =>
        String.fromCharCode(Number.parseInt(u ?? x ?? '0', 16)),
      );
    } else {
      const encoded = transform === 'hex' ? segment.replace(/[^0-9a-fA-F]/g, '') : segment;
      decoded = Buffer.from(encoded, transform === 'hex' ? 'hex' : 'base64').toString('utf8');
    }
    // Replacement or control characters mean we decoded it differently from the normaliser: use its view.
    return decoded.length > 0 && !BAD_DECODE.test(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

const ESCAPE = /\\[ux][0-9a-fA-F]/;
const ESCAPES = /\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})/g;
const BAD_DECODE = /[\uFFFD\u0000-\u0008\u000E-\u001F]/;

/** The one invisible character below U+0100 (a soft hyphen). */
const SOFT_HYPHEN = '\u00AD';
/** The invisible format characters above U+00FF: zero-width and bidi controls, word joiners, the BOM. */
const WIDE_INVISIBLE_CHARS = '\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF';
/** Zero-width and other invisible format characters that split a token without changing how it reads. */
const INVISIBLE_CHARS = `\\u00AD${WIDE_INVISIBLE_CHARS}`;
const INVISIBLE = new RegExp(`[${INVISIBLE_CHARS}]`);
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g');
/** A look-alike letter (Greek, Cyrillic, Armenian, Cherokee, IPA) touching an ASCII letter or digit. */
const LOOKALIKE = '\\u0250-\\u02AF\\u0370-\\u058F\\u13A0-\\u13FF\\u1D00-\\u1D7F';
const ANY_LOOKALIKE = new RegExp(`[${LOOKALIKE}]`);
const MIXED_SCRIPT = new RegExp(`[A-Za-z0-9][${LOOKALIKE}]|[${LOOKALIKE}][A-Za-z0-9]`);
/**
 * Either kind except the soft hyphen: every character it matches is above U+00FF, which the regex engine
 * knows a one-byte (Latin-1) string cannot hold, so on such strings (most texts) it answers without reading
 * them; the soft hyphen is then one native indexOf.
 */
const WIDE_INVISIBLE_OR_LOOKALIKE = new RegExp(`[${WIDE_INVISIBLE_CHARS}${LOOKALIKE}]`);

/** Whether the text holds an invisible or a look-alike character (INVISIBLE or ANY_LOOKALIKE). */
export function mayNeedCleaning(text: string): boolean {
  return text.indexOf(SOFT_HYPHEN) >= 0 || WIDE_INVISIBLE_OR_LOOKALIKE.test(text);
}

/** Replaces look-alike letters by the ASCII letter they imitate, keeping case (same length, same offsets). */
function unconfuse(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x250) continue;
    const ascii = confusableOf(code);
    if (ascii === 0) continue;
    const ch = text[i]!;
    const upper = ch !== ch.toLowerCase();
    out += text.slice(from, i) + String.fromCharCode(upper ? ascii - 32 : ascii);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * The original text cleaned of token-splitting tricks, case kept: invisible characters removed and, where a
 * token mixes scripts, look-alike letters mapped to ASCII (`АKIA…` with a Cyrillic `А`). Keys and addresses
 * disguised this way match again here; the normaliser's folded view also undoes both but lowercases, which
 * case-sensitive key formats cannot survive. Undefined when neither trick is present (two regex tests).
 */
export function cleanedView(original: string): TextView | undefined {
  if (!mayNeedCleaning(original)) return undefined;
  const invisible = INVISIBLE.test(original);
  // The plain class test is the cheap common case (ASCII text); the pair test only runs when it hits.
  const mixed = ANY_LOOKALIKE.test(original) && MIXED_SCRIPT.test(original);
  if (!invisible && !mixed) return undefined;
  const starts: number[] = []; // original offset of each kept run
  const at: number[] = []; // its offset in the cleaned text
  let text = original;
  if (invisible) {
    const parts: string[] = [];
    let kept = 0;
    let from = 0;
    INVISIBLE_ALL.lastIndex = 0;
    for (let m = INVISIBLE_ALL.exec(original); m; m = INVISIBLE_ALL.exec(original)) {
      if (m.index > from) {
        parts.push(original.slice(from, m.index));
        starts.push(from);
        at.push(kept);
        kept += m.index - from;
      }
      from = m.index + m[0].length;
    }
    if (from < original.length) {
      parts.push(original.slice(from));
      starts.push(from);
      at.push(kept);
    }
    text = parts.join('');
  } else {
    starts.push(0);
    at.push(0);
  }
  if (mixed) text = unconfuse(text);
  // Offset in the cleaned text -> offset in the original: find the kept run holding it (binary search).
  const map = (offset: number): number => {
    let lo = 0;
    let hi = at.length - 1;
    let run = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid]! <= offset) {
        run = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return (starts[run] ?? 0) + offset - (at[run] ?? 0);
  };
  const transforms = [...(invisible ? ['zero_width'] : []), ...(mixed ? ['homoglyph'] : [])];
  return {
    id: 'cleaned',
    text,
    transforms,
    depth: 0,
    toOriginal: (start, end) =>
      end > start ? { start: map(start), end: map(end - 1) + 1 } : { start: map(start), end: map(start) },
  };
}

/**
 * The cleaned view of a request's original text. The secrets and the PII detector both need it: through the
 * screener's per-request scratch the first computes it and the second reads it; an input built without a
 * scratch (a detector called on its own) computes its own.
 */
function cleanedViewOf(input: DetectInput): TextView | undefined {
  const shared = input.shared;
  if (!shared) return cleanedView(input.request.text);
  if (shared.cleanedView === undefined) shared.cleanedView = cleanedView(input.request.text) ?? null;
  return shared.cleanedView ?? undefined;
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
  const cleaned = cleanedViewOf(input);
  for (const view of cleaned && cleaned.text !== original ? [cleaned, ...views] : views) {
    if (view.id === 'original' || view.text === original || view.text.length === 0) continue;
    if (view !== cleaned && view.depth === 0 && (!options.foldedViews || view.transforms.length === 0))
      continue;
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
