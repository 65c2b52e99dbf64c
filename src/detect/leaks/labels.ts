import type { Evidence } from '../../core/types.js';

/** Placeholder label for each leak rule; what `[REDACTED:<label>]` says about the removed text. */
const RULE_LABELS: Readonly<Record<string, string>> = {
  'SEC-PRIVATE-KEY': 'PRIVATE_KEY',
  'SEC-GCP-SERVICE-ACCOUNT': 'PRIVATE_KEY',
  'SEC-DB-CONNECTION-STRING': 'PASSWORD',
  'SEC-JDBC-PASSWORD': 'PASSWORD',
  'SEC-BASIC-AUTH': 'PASSWORD',
  'PII-EMAIL': 'EMAIL',
  'PII-PHONE': 'PHONE',
  'PII-CARD': 'CARD',
  'PII-IBAN': 'IBAN',
  'PII-SSN': 'SSN',
  'PII-IP': 'IP_ADDRESS',
  'PII-NINO': 'NINO',
  'PII-PASSPORT': 'PASSPORT',
};

/** Label for a rule id: its own label, else `SECRET` for secret rules and `PII` for other PII rules. */
export function labelForRule(ruleId: string | undefined): string {
  if (!ruleId) return 'REDACTED';
  const label = RULE_LABELS[ruleId];
  if (label) return label;
  if (ruleId.startsWith('SEC-')) return 'SECRET';
  if (ruleId.startsWith('PII-')) return 'PII';
  return 'REDACTED';
}

export function labelForEvidence(evidence: Evidence): string {
  if (evidence.ruleId) return labelForRule(evidence.ruleId);
  return evidence.category === 'secrets' ? 'SECRET' : evidence.category === 'pii' ? 'PII' : 'REDACTED';
}
