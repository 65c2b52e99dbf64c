import type { Category, CategoryInfo } from './types.js';

/**
 * Category → OWASP Top 10 for LLM Applications 2025 and MITRE ATLAS technique ids.
 * Ids are facts taken from vendor/standards (OWASP CC-BY-SA-4.0, ATLAS Apache-2.0; see vendor/standards/).
 */
export const CATEGORY_INFO: Readonly<Record<Category, CategoryInfo>> = Object.freeze({
  injection: {
    id: 'injection',
    title: 'Prompt injection (direct and indirect)',
    owasp: ['LLM01:2025'],
    atlas: ['AML.T0051', 'AML.T0051.000', 'AML.T0051.001'],
  },
  jailbreak: { id: 'jailbreak', title: 'Jailbreak', owasp: ['LLM01:2025'], atlas: ['AML.T0054'] },
  prompt_leak: {
    id: 'prompt_leak',
    title: 'System-prompt extraction',
    owasp: ['LLM07:2025', 'LLM01:2025'],
    atlas: ['AML.T0056', 'AML.T0069'],
  },
  cyber: {
    id: 'cyber',
    title: 'Cybercrime assistance (malware, intrusion)',
    owasp: ['LLM05:2025'],
    atlas: ['AML.T0102', 'AML.T0048'],
  },
  fraud: {
    id: 'fraud',
    title: 'Fraud, scams and phishing',
    owasp: ['LLM09:2025'],
    atlas: ['AML.T0052', 'AML.T0048.000'],
  },
  influence: {
    id: 'influence',
    title: 'Influence operations and disinformation',
    owasp: ['LLM09:2025'],
    atlas: ['AML.T0048.002', 'AML.T0088'],
  },
  violence: {
    id: 'violence',
    title: 'Violence and weapons',
    owasp: ['LLM09:2025'],
    atlas: ['AML.T0048.003'],
  },
  other_harm: {
    id: 'other_harm',
    title: 'Other illicit or harmful use',
    owasp: ['LLM09:2025'],
    atlas: ['AML.T0048'],
  },
  secrets: {
    id: 'secrets',
    title: 'Secret and credential leakage',
    owasp: ['LLM02:2025'],
    atlas: ['AML.T0057', 'AML.T0055'],
  },
  pii: { id: 'pii', title: 'Personal data leakage', owasp: ['LLM02:2025'], atlas: ['AML.T0057'] },
});

/** Obfuscation of prompts is itself an ATLAS technique. */
export const OBFUSCATION_ATLAS = 'AML.T0068';
