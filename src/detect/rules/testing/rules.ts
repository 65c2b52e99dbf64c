import { type Rule, ruleSchema } from '../schema.js';

/** Test helper: a validated rule with placeholder examples (the matcher does not read them). */
export function testRule(partial: Record<string, unknown>): Rule {
  return {
    ...ruleSchema.parse({
      title: 'test rule',
      description: 'a rule for matcher tests',
      category: 'injection',
      severity: 'high',
      examples: { positive: ['a', 'b'], negative: ['c', 'd'] },
      ...partial,
    }),
    source: 'test.yaml:1',
  };
}

/**
 * Test helper, the reference the automaton is checked against: every occurrence of each pattern in a canonical
 * text that respects word boundaries (a space or the text's edge before it; after it too unless `prefix`), as
 * sorted `pattern@start-end` strings.
 */
export function naiveHits(patterns: readonly { text: string; prefix: boolean }[], text: string): string[] {
  const out: string[] = [];
  patterns.forEach((p, index) => {
    for (let i = text.indexOf(p.text); i >= 0; i = text.indexOf(p.text, i + 1)) {
      const end = i + p.text.length;
      const before = i === 0 || text[i - 1] === ' ';
      const after = p.prefix || end === text.length || text[end] === ' ';
      if (before && after) out.push(`${index}@${i}-${end}`);
    }
  });
  return out.sort();
}
