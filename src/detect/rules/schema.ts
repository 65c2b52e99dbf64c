import { z } from 'zod';
import { ATTACK_CATEGORIES, MISUSE_CATEGORIES, SEVERITIES, SIDES } from '../../core/types.js';

/**
 * The rule file format (rules/*.yaml): a YAML list of rules. Every object is `.strict()` so a misspelt field
 * is an error, never silently ignored. See docs/rules.md.
 */

/** Categories a rule may carry; leak categories (secrets, pii) belong to the leak detectors. */
export const RULE_CATEGORIES = [...ATTACK_CATEGORIES, ...MISUSE_CATEGORIES] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/** Severity → score on the common 0..1 scale (src/detect/thresholds.ts). */
export const SEVERITY_SCORES = { low: 0.3, medium: 0.55, high: 0.8, critical: 0.95 } as const;

export const RULE_ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$/;
const TAG = /^(?:LLM(?:0[1-9]|10):2025|AML\.T\d{4}(?:\.\d{3})?|[a-z][a-z0-9_.:-]*)$/;

const phrase = z.string().trim().min(1, 'must not be empty').max(200, 'is longer than 200 characters');

/** A keyword term: a word or short phrase; a trailing `*` matches any word starting with it. */
const term = phrase.refine((t) => !t.slice(0, -1).includes('*'), '`*` is only allowed at the end of a term');

const keywordSet = z
  .object({
    /** Groups of alternatives: one term of EACH group must appear. */
    all: z.array(z.array(term).min(1, 'a group needs at least one term')).min(2, 'needs at least two groups'),
    /** Window size in words that must contain one term of every group. */
    within: z.number().int().min(2).max(60).default(8),
    /** When true the groups must appear in the order given. */
    ordered: z.boolean().default(false),
  })
  .strict();

const regexEntry = z.union([
  z.string().min(1),
  z
    .object({
      re: z.string().min(1),
      /** Prefilter: the regex runs only on views where at least one of these terms was seen. */
      requires: z.array(term).min(1).optional(),
    })
    .strict(),
]);

const patternBlock = z
  .object({
    literals: z.array(term).optional(),
    keywords: z.array(keywordSet).optional(),
    regex: z.array(regexEntry).optional(),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: z.string().regex(RULE_ID, 'id must look like INJ-001 (upper-case letters, digits, dashes)'),
    title: z.string().trim().min(3).max(120),
    description: z.string().trim().min(10),
    category: z.enum(RULE_CATEGORIES),
    severity: z.enum(SEVERITIES),
    score: z.number().min(0).max(1).optional(),
    tags: z
      .array(
        z
          .string()
          .regex(TAG, 'tag must be an OWASP LLM 2025 id (LLM01:2025), an ATLAS id (AML.T0051) or lower-case'),
      )
      .default([]),
    sides: z
      .array(z.enum(SIDES))
      .min(1)
      .default([...SIDES]),
    patterns: patternBlock,
    exceptions: patternBlock.optional(),
    examples: z
      .object({
        positive: z.array(z.string().min(1)).min(2, 'needs at least 2 positive examples'),
        negative: z.array(z.string().min(1)).min(2, 'needs at least 2 negative examples'),
      })
      .strict(),
    enabled: z.boolean().default(true),
    /** ISO 639-1 codes of the languages the patterns cover (documentation; never used to filter). */
    languages: z.array(z.string().regex(/^[a-z]{2}$/, 'language must be an ISO 639-1 code')).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const p = rule.patterns;
    if (!p.literals?.length && !p.keywords?.length && !p.regex?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['patterns'],
        message: 'needs at least one literal, keyword set or regex',
      });
    }
  });

export const ruleFileSchema = z.array(ruleSchema);

export type PatternBlock = z.infer<typeof patternBlock>;
export type KeywordSet = z.infer<typeof keywordSet>;
export type RegexEntry = z.infer<typeof regexEntry>;

/** A validated rule, with the file and line it came from. */
export type Rule = z.infer<typeof ruleSchema> & { source: string };

export interface RuleSet {
  rules: readonly Rule[];
  /** Directory the rules were loaded from. */
  dir: string;
}
