import { RE2JS } from 're2js';
import type { Span } from '../../core/types.js';
import { FULL_TEST_COST } from './literal-odds.js';
import { AnchoredTest } from './regex-anchored.js';
import { passesFilter, plannedFilter, type RegexFilter, regexFilter } from './regex-filter.js';
import { searchCost } from './regex-starts.js';

/** One rule regex, compiled with the checks that run before it (cheapest first). */
export interface CompiledRegex {
  re: RE2JS;
  /** Automaton pattern ids: the regex runs only when one was seen in the view (the rule's `requires`). */
  requires?: number[];
  /** Literal every match starts with (case-sensitive, from RE2's program), '' when there is none. */
  prefix: string;
  /**
   * Literals every match contains (regex-filter.ts), checked on the lower-cased view first; only the parts
   * worth their cost given what runs after them (plannedFilter).
   */
  filter: RegexFilter | null;
  /** `re.test` by anchored runs at the offsets a match can start at (regex-anchored.ts), when derivable. */
  anchored: AnchoredTest | null;
}

/**
 * The literal prefix RE2 computed for the compiled program: every match begins with it (RE2's own NFA skips
 * ahead on it; its DFA does not), so a text without it cannot match. RE2 stops the prefix at the first
 * case-folded or non-literal instruction, so it is exact under CASE_INSENSITIVE. Read from re2js internals;
 * an unexpected shape gives '' (no prefilter, same results).
 */
function literalPrefix(re: RE2JS): string {
  const prefix = (re as unknown as { re2Input?: { prefix?: unknown } }).re2Input?.prefix;
  return typeof prefix === 'string' ? prefix : '';
}

/**
 * Compiles a rule regex source (RE2 syntax, matched case-insensitively); `requires` are the automaton ids of
 * its `requires` terms, `requiredTerms` those terms as written (they steer the filter plan only).
 */
export function compileRegex(
  source: string,
  requires?: number[],
  requiredTerms: readonly string[] = [],
): CompiledRegex {
  const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  const prefix = literalPrefix(re);
  const anchored = AnchoredTest.for(re);
  const filter = plannedFilter(
    regexFilter(source),
    anchored?.starts.literals ?? null,
    anchored ? searchCost(anchored.starts) : FULL_TEST_COST,
    requiredTerms,
  );
  return requires ? { re, requires, prefix, filter, anchored } : { re, prefix, filter, anchored };
}

/**
 * The first match of a rule regex in a view (leftmost-first, as `re.matcher(text).find()` gives it), or
 * undefined. `lower` gives the view lower-cased by lowerForFilter (built once per view, on first use). Every
 * check before `find` is a necessary condition of a match, or (anchored) decides exactly whether one exists,
 * so the span is always find()'s, and find() runs only for the rare views that match.
 */
export function regexSpan(rx: CompiledRegex, text: string, lower: () => string): Span | undefined {
  if (rx.prefix && !text.includes(rx.prefix)) return undefined;
  if (rx.filter && !passesFilter(rx.filter, lower())) return undefined;
  if (rx.anchored ? !rx.anchored.test(text, lower()) : !rx.re.test(text)) return undefined;
  const m = rx.re.matcher(text);
  return m.find() ? { start: m.start(), end: m.end() } : undefined;
}
