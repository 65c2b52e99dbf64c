import type { Evidence, Span } from '../../core/types.js';
import type { Detector, DetectInput, DetectorResult } from '../types.js';
import type { CompiledRuleSet } from './compile.js';

/**
 * The rule detector (id `rules`). Scans every normalised view (original, folded, de-obfuscated, decoded) and
 * reports each rule at most once per text, from its best view. A rule that fires ONLY in a decoded or
 * de-obfuscated view gets a modest bonus: hiding an instruction is itself evidence of intent.
 */

/** Added to a rule's score when it matched only in a non-original view. */
export const DEOBFUSCATED_BONUS = 0.1;
/** The bonus never lifts a score above this. */
export const DEOBFUSCATED_CAP = 0.99;

interface Best {
  view: string;
  depth: number;
  span: Span;
  original: boolean;
}

export function createRuleDetector(compiled: CompiledRuleSet): Detector {
  // The current text's best matches and view depth, read by `held`: one closure for the detector instead of
  // one per view (detect is synchronous and never re-entered).
  let best = new Map<number, Best>();
  let viewDepth = 0;
  // Prefer the original view, then the shallowest decoding: a rule already held from such a view is not
  // evaluated again.
  const held = (ruleIndex: number): boolean => {
    const prev = best.get(ruleIndex);
    return prev !== undefined && (prev.original || prev.depth <= viewDepth);
  };

  function detect({ request, normalized }: DetectInput): DetectorResult {
    best = new Map<number, Best>();
    const { views } = normalized;
    for (let viewIndex = 0; viewIndex < views.length; viewIndex++) {
      const view = views[viewIndex]!;
      viewDepth = view.depth;
      // Views come in order of depth, so `held` covers every rule an earlier view matched (`continuing`).
      const matches = compiled.matchView(
        view.text,
        request.side,
        best.size ? held : undefined,
        viewIndex > 0,
      );
      for (const [ruleIndex, span] of matches) {
        const original = viewIndex === 0;
        if (held(ruleIndex)) continue;
        best.set(ruleIndex, {
          view: view.id,
          depth: view.depth,
          span: view.toOriginal(span.start, span.end),
          original,
        });
      }
    }
    const evidence: Evidence[] = [];
    for (const [ruleIndex, hit] of [...best].sort((a, b) => a[0] - b[0])) {
      const { rule, score } = compiled.rules[ruleIndex]!;
      const boosted = hit.original
        ? score
        : Math.max(score, Math.min(DEOBFUSCATED_CAP, score + DEOBFUSCATED_BONUS));
      evidence.push({
        detector: 'rules',
        ruleId: rule.id,
        category: rule.category,
        score: boosted,
        severity: rule.severity,
        view: hit.view,
        span: hit.span,
        ...(hit.original ? {} : { note: 'deobfuscated-only' }),
      });
    }
    return { evidence };
  }
  return { id: 'rules', detect };
}
