import type { Detector, DetectInput, DetectorResult } from '../types.js';
import type { LeakFinding } from './finding.js';
import { PREFIX_RULES, type PrefixRule, type RuleVerdict } from './secret-rules.js';
import { clearPemCache, SCAN_RULES, STRUCTURED_RULES } from './secret-structured.js';
import { createPrefixIndex } from './secret-prefixes.js';
import { isTokenChar } from './text.js';
import { scanViews } from './views.js';

export const SECRETS_DETECTOR_ID = 'secrets';

const ALL_PREFIX_RULES: readonly PrefixRule[] = [...PREFIX_RULES, ...STRUCTURED_RULES];

/** Every rule id the secrets detector can report. */
export const SECRET_RULE_IDS: readonly string[] = [
  ...ALL_PREFIX_RULES.map((rule) => rule.id),
  ...SCAN_RULES.map((rule) => rule.id),
];

const rulesByPrefix = new Map<string, PrefixRule[]>();
for (const rule of ALL_PREFIX_RULES) {
  for (const prefix of rule.prefixes) {
    const list = rulesByPrefix.get(prefix) ?? [];
    list.push(rule);
    rulesByPrefix.set(prefix, list);
  }
}

/** Prefixes whose every rule names a literal its matches contain: not searched in texts without it. */
const requiredLiteral = new Map<string, string>();
for (const [prefix, rules] of rulesByPrefix) {
  const literal = rules[0]!.requires;
  if (literal !== undefined && rules.every((rule) => rule.requires === literal))
    requiredLiteral.set(prefix, literal);
}

const prefixIndex = createPrefixIndex([...rulesByPrefix.keys()], requiredLiteral);

function finding(ruleId: string, match: RegExpExecArray, verdict: RuleVerdict): LeakFinding {
  const start = verdict.start ?? match.index;
  const end = verdict.end ?? match.index + match[0].length;
  const out: LeakFinding = { ruleId, start, end, score: verdict.score };
  if (verdict.note) out.note = verdict.note;
  return out;
}

function runCheck(
  rule: { check?: PrefixRule['check']; score: number },
  match: RegExpExecArray,
  text: string,
) {
  try {
    return rule.check ? rule.check(match, text) : { score: rule.score };
  } catch {
    // A check must never turn content into an exception; an unparseable candidate is simply not a finding.
    return null;
  }
}

/** Scans one text for secrets. Linear: one pass per prefix anchor plus a few gated global patterns. */
export function scanSecrets(text: string): LeakFinding[] {
  const out: LeakFinding[] = [];
  // At each position only the longest prefix's rules run (`sk-ant-` is Anthropic's, never OpenAI's `sk-`).
  // Every position is visited, not only those after a match: a JWT inside a `Bearer` value must be seen too
  // (overlaps are resolved later, strongest first). Inner prefixes of a random token are rejected by the
  // left-boundary check, so this adds no work proportional to match length.
  prefixIndex.forEachHit(text, (at, prefix) => {
    for (const rule of rulesByPrefix.get(prefix)!) {
      if (rule.leftBoundary !== false && at > 0 && isTokenChar(text.charCodeAt(at - 1))) continue;
      rule.pattern.lastIndex = at;
      const match = rule.pattern.exec(text);
      if (!match) continue;
      const verdict = runCheck(rule, match, text);
      if (!verdict) continue;
      out.push(finding(rule.id, match, verdict));
      break;
    }
  });
  for (const rule of SCAN_RULES) {
    if (rule.gate && !rule.gate(text)) continue;
    rule.pattern.lastIndex = 0;
    let match = rule.pattern.exec(text);
    while (match) {
      const verdict = runCheck({ check: rule.check, score: 0 }, match, text);
      if (verdict) out.push(finding(rule.id, match, verdict));
      match = rule.pattern.exec(text);
    }
  }
  clearPemCache(); // keep no reference to the scanned text after the scan
  return out;
}

/** Detector `secrets`: API keys, tokens, private keys and inline credentials (category `secrets`). */
export function createSecretsDetector(): Detector {
  return {
    id: SECRETS_DETECTOR_ID,
    detect(input: DetectInput): DetectorResult {
      return {
        evidence: scanViews(input, SECRETS_DETECTOR_ID, 'secrets', scanSecrets, { foldedViews: false }),
      };
    },
  };
}
