import { RE2JS } from 're2js';
import { presence, scanCost } from './literal-odds.js';

/**
 * A necessary condition for a case-insensitive rule regex, checked with native substring search before the
 * regex runs: an AND/OR tree of literals that every match must contain (Google RE2's FilteredRE2 idea).
 *
 * re2js builds such a tree itself but leaves out case-folded literals, which is every literal of a rule regex
 * (rules compile CASE_INSENSITIVE). So the pattern is compiled once more WITHOUT case folding, only to read
 * that tree; its literals are lower-cased and searched in the lower-cased view text. Lower-casing is exact
 * for this purpose when a literal holds only ASCII and caseless characters: the only non-ASCII characters
 * RE2 folds onto ASCII letters are KELVIN SIGN (lower-cases to `k`) and LATIN SMALL LETTER LONG S (folded
 * to `s` by `lowerForFilter`). A literal with any other cased non-ASCII character makes its subtree
 * "no condition", which only ever lets more texts through to the regex. The tree is read from re2js
 * internals; an unexpected shape gives no filter (same results, no speed-up).
 */
export type RegexFilter =
  | { kind: 'all'; subs: RegexFilter[] }
  | { kind: 'any'; subs: RegexFilter[] }
  | { kind: 'has'; text: string };

interface RawPrefilter {
  type?: unknown;
  str?: unknown;
  subs?: unknown;
}

// re2js Prefilter.Type: NONE 0, EXACT 1, AND 2, OR 3.
const EXACT = 1;
const AND = 2;
const OR = 3;

/** True for characters whose lower-casing matches RE2's case folding for filter purposes. */
function filterSafe(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    if (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch) return false;
  }
  return true;
}

function convert(node: RawPrefilter, depth: number): RegexFilter | null {
  if (depth > 64) return null;
  if (node.type === EXACT) {
    if (typeof node.str !== 'string' || node.str.length === 0 || !filterSafe(node.str)) return null;
    return { kind: 'has', text: node.str.toLowerCase() };
  }
  if ((node.type !== AND && node.type !== OR) || !Array.isArray(node.subs)) return null;
  const subs: RegexFilter[] = [];
  for (const sub of node.subs as RawPrefilter[]) {
    const converted = convert(sub, depth + 1);
    if (converted) subs.push(converted);
    // One alternative without a condition means the whole alternation has none.
    else if (node.type === OR) return null;
  }
  if (subs.length === 0) return null;
  if (subs.length === 1) return subs[0]!;
  return { kind: node.type === AND ? 'all' : 'any', subs };
}

/** The literal condition of a rule regex source (RE2 syntax), or null when it has none worth checking. */
export function regexFilter(source: string): RegexFilter | null {
  let raw: RawPrefilter | null | undefined;
  try {
    const re = RE2JS.compile(source);
    raw = (re as unknown as { re2Input?: { prefilter?: RawPrefilter | null } }).re2Input?.prefilter;
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object') return null;
  return convert(raw, 0);
}

/** The text a filter is checked against: lower-cased, with LONG S folded to `s` as RE2 folds it. */
export function lowerForFilter(text: string): string {
  const lower = text.toLowerCase();
  return lower.includes('\u017f') ? lower.replaceAll('\u017f', 's') : lower;
}

/** Whether `lower` (from lowerForFilter) satisfies the filter: false means the regex cannot match. */
export function passesFilter(filter: RegexFilter, lower: string): boolean {
  switch (filter.kind) {
    case 'has':
      return lower.includes(filter.text);
    case 'all':
      for (const sub of filter.subs) if (!passesFilter(sub, lower)) return false;
      return true;
    case 'any':
      for (const sub of filter.subs) if (passesFilter(sub, lower)) return true;
      return false;
  }
}

/** Chance that a literal is in a view that reached the filter. */
type Odds = (literal: string) => number;

function estimate(filter: RegexFilter, odds: Odds): number {
  switch (filter.kind) {
    case 'has':
      return odds(filter.text);
    case 'all':
      return filter.subs.reduce((p, sub) => p * estimate(sub, odds), 1);
    case 'any':
      return 1 - filter.subs.reduce((q, sub) => q * (1 - estimate(sub, odds)), 1);
  }
}

/** Expected CPU µs to check a filter (parts in their order, each checked until one decides). */
function checkCost(filter: RegexFilter, odds: Odds): number {
  if (filter.kind === 'has') return scanCost(filter.text);
  let total = 0;
  let reached = 1;
  for (const sub of filter.subs) {
    total += reached * checkCost(sub, odds);
    reached *= filter.kind === 'all' ? estimate(sub, odds) : 1 - estimate(sub, odds);
  }
  return total;
}

/**
 * Reorders a filter for the least expected cost: parts of an AND by cost per rejection (cheap and rarely
 * present first), alternatives by cost per acceptance.
 */
function ordered(filter: RegexFilter, odds: Odds): RegexFilter {
  if (filter.kind === 'has') return filter;
  const subs = filter.subs.map((sub) => ordered(sub, odds));
  const key = (sub: RegexFilter): number => {
    const p = estimate(sub, odds);
    return checkCost(sub, odds) / Math.max(1e-9, filter.kind === 'all' ? 1 - p : p);
  };
  subs.sort((a, b) => key(a) - key(b));
  return { kind: filter.kind, subs };
}

/** The literals of an `any` of plain literals (or of one literal), else null. */
function literalSet(filter: RegexFilter): string[] | null {
  if (filter.kind === 'has') return [filter.text];
  if (filter.kind !== 'any') return null;
  const texts: string[] = [];
  for (const sub of filter.subs) {
    if (sub.kind !== 'has') return null;
    texts.push(sub.text);
  }
  return texts;
}

/**
 * The filter rearranged for cost. The regex runs only when the whole filter passes, and every part of it is a
 * necessary condition of a match, so parts may be dropped or checked in any order without changing which
 * texts match. Parts are ordered for the least expected cost (see `ordered`); a part is kept only when its
 * expected cost is below what it saves by rejecting (its estimated absence times `followCost`, the CPU µs of
 * what runs after the filter), and one that only repeats the start-literal
 * search run afterwards is dropped (`searched`: every searched literal is a prefix of one of its literals or
 * has one as its prefix, i.e. the same words). Null when nothing worth checking is left.
 */
export function plannedFilter(
  filter: RegexFilter | null,
  searched: readonly string[] | null,
  followCost: number,
  required: readonly string[] = [],
): RegexFilter | null {
  if (!filter) return null;
  // The regex runs only once the automaton saw one of its `requires` terms in the view's canonical text, so
  // a literal spelling such a term is likely there (not certain: canonical text is not the view text).
  const terms = required.map((term) => term.replace(/\*$/, '')).filter((term) => term.length > 0);
  const odds: Odds = (literal) =>
    terms.some((term) => literal.includes(term) || term.includes(literal)) ? LIKELY : presence(literal);
  const parts = (filter.kind === 'all' ? filter.subs : [filter]).filter((part) => {
    const texts = searched && literalSet(part);
    return !texts || !searched!.every((s) => texts.some((t) => s.startsWith(t) || t.startsWith(s)));
  });
  const kept = parts
    .map((part) => ordered(part, odds))
    .filter((part) => checkCost(part, odds) < (1 - estimate(part, odds)) * followCost);
  if (kept.length === 0) return null;
  return ordered(kept.length === 1 ? kept[0]! : { kind: 'all', subs: kept }, odds);
}

/** Presence assumed for a literal that spells a `requires` term of its regex. */
const LIKELY = 0.95;
