import { DECISION_RANK } from '../../core/event.js';
import { type Category, LEAK_CATEGORIES, type Side, type Verdict } from '../../core/types.js';
import type { ThresholdTable } from '../../detect/thresholds.js';
import type { TenantPolicy } from './resolve.js';
import type { PolicyAction } from './schema.js';

export interface PartForDecision {
  part: string;
  side: Side;
  verdict: Verdict;
}

export interface Decision {
  /** The action policy chose; in shadow mode it is recorded but not applied. */
  action: PolicyAction;
  /** Parts whose redaction spans must be applied (only when action is `redact`). */
  redactParts: string[];
  /** Categories over their (tenant) flag threshold anywhere. */
  categories: Category[];
  score: number;
  /** Content-free reasons: `part:category=score>=threshold->action [rules]`. */
  reasons: string[];
}

const LEAKS = new Set<Category>(LEAK_CATEGORIES);

export function strongerAction(a: PolicyAction, b: PolicyAction): PolicyAction {
  return DECISION_RANK[b] > DECISION_RANK[a] ? b : a;
}

/**
 * Turns screener verdicts into one decision for a tenant. The tenant's per-category thresholds apply to the
 * verdict's category scores (which the screener reports whether or not they crossed its own threshold), so a
 * tenant can be stricter or laxer than the screening preset.
 */
export function decide(
  policy: TenantPolicy,
  thresholds: ThresholdTable,
  parts: readonly PartForDecision[],
): Decision {
  let action: PolicyAction = 'allow';
  let score = 0;
  const categories = new Set<Category>();
  const reasons: string[] = [];
  const redactParts: string[] = [];
  for (const { part, verdict } of parts) {
    score = Math.max(score, verdict.score);
    let partRedacts = false;
    for (const [category, value] of Object.entries(verdict.categories) as [Category, number][]) {
      const rule = policy.categories[category];
      const base = thresholds[category];
      const flagAt = rule?.flag ?? base.flag;
      const blockAt = Math.max(flagAt, rule?.block ?? base.block);
      if (value < flagAt) continue;
      categories.add(category);
      const severe = value >= blockAt;
      const leak = LEAKS.has(category);
      let chosen: PolicyAction = severe
        ? (rule?.onBlock ?? (leak ? 'redact' : 'block'))
        : (rule?.onFlag ?? (leak ? 'redact' : 'flag'));
      if (chosen === 'redact') {
        // Only spans of flagged leak categories are redactable; anything else cannot be cut out precisely.
        if (verdict.redactions.length > 0) partRedacts = true;
        else chosen = 'flag';
      }
      action = strongerAction(action, chosen);
      const rules = verdict.evidence
        .filter((e) => e.category === category && e.score > 0)
        .map((e) => e.ruleId ?? e.detector)
        .filter((id, i, all) => all.indexOf(id) === i)
        .slice(0, 8);
      reasons.push(
        `${part}:${category}=${value.toFixed(3)}>=${(severe ? blockAt : flagAt).toFixed(2)}(${severe ? 'block' : 'flag'})->${chosen}${rules.length ? ` [${rules.join(',')}]` : ''}`,
      );
    }
    if (partRedacts) redactParts.push(part);
  }
  return {
    action,
    redactParts: action === 'redact' ? redactParts : [],
    categories: [...categories],
    score,
    reasons,
  };
}
