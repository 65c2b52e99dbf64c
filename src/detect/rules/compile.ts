import { SIDES, type Side, type Span } from '../../core/types.js';
import { type Automaton, type AutomatonPattern, buildAutomaton } from './automaton.js';
import { CandidateIndex } from './candidates.js';
import { regexSource } from './loader.js';
import { type PatternBlock, type Rule, type RuleSet, SEVERITY_SCORES } from './schema.js';
import { type CanonicalBuffer, canonicalPhrase } from './text.js';
import { HitTable } from './hits.js';
import { ViewCanon } from './view-canon.js';
import { type CompiledKeywords, keywordWindow, type WindowView } from './keyword-windows.js';
import { lowerForFilter } from './regex-filter.js';
import { type CompiledRegex, compileRegex, regexSpan } from './regex-match.js';

/**
 * Compiles a rule set into one matcher:
 * 1. every literal, keyword term, exception term and regex prefilter term of every rule goes into ONE
 *    Aho–Corasick automaton, scanned once per view over the canonical text (text.ts);
 * 2. only rules that can match given the seen terms become candidates (candidates.ts); keyword-proximity
 *    windows (keyword-windows.ts) are checked only for sets whose every group was seen;
 * 3. regexes run on RE2 (re2js, linear time: no backtracking is possible on any input). A regex with
 *    `requires` runs only when one of those terms was seen in the view; one without runs on every view, which
 *    is safe (linear) but costs a pass, so shipped rules give `requires` wherever they can.
 */

interface CompiledBlock {
  literals: number[];
  keywords: CompiledKeywords[];
  regex: CompiledRegex[];
}

export interface CompiledRule {
  rule: Rule;
  score: number;
  sides: ReadonlySet<Side>;
  match: CompiledBlock;
  except?: CompiledBlock;
}

export interface CompiledRuleSet {
  ruleSet: RuleSet;
  rules: readonly CompiledRule[];
  automaton: Automaton;
  /** The automaton's patterns (every literal and term of every rule, canonical, deduplicated). */
  patterns: readonly AutomatonPattern[];
  patternCount: number;
  /**
   * Matches one text view; returns rule index → span in VIEW coordinates. Rules for which `skip` returns
   * true are not evaluated (the detector passes the rules it already holds a better match for).
   *
   * `continuing` says the previous call was on another view of the same text, for the same side, and that
   * `skip` covers every rule it matched. A view with the same canonical text as that one then gives the same
   * literal and keyword results, so only regexes (which read the view text itself) are evaluated again.
   */
  matchView(
    text: string,
    side: Side,
    skip?: (ruleIndex: number) => boolean,
    continuing?: boolean,
  ): Map<number, Span>;
}

/** One view's canonical text and hits, as matchBlock reads them. */
interface ViewMatch extends WindowView {
  /** Only regexes can add a match in this view (see CompiledRuleSet.matchView `continuing`). */
  regexOnly: boolean;
  /** The view text lower-cased for regex filters (built on first use). */
  lower: () => string;
  /** The canonical buffer with its offset and word maps built. */
  canon: () => CanonicalBuffer;
}

export function ruleScore(rule: Rule): number {
  return rule.score ?? SEVERITY_SCORES[rule.severity];
}

export interface CompileOptions {
  /** Canonicalise and scan views in the WebAssembly kernel when it is available (default true). */
  kernel?: boolean;
}

export function compileRuleSet(ruleSet: RuleSet, options: CompileOptions = {}): CompiledRuleSet {
  const patterns: AutomatonPattern[] = [];
  const patternIds = new Map<string, number>();
  /** Patterns used as keyword terms (all occurrences matter for proximity windows). */
  const keywordTerm: boolean[] = [];

  function patternId(term: string, isKeyword = false): number {
    const prefix = term.endsWith('*');
    const text = canonicalPhrase(prefix ? term.slice(0, -1) : term);
    const key = `${prefix ? '*' : '='}${text}`;
    let id = patternIds.get(key);
    if (id === undefined) {
      id = patterns.length;
      patterns.push({ text, prefix });
      patternIds.set(key, id);
      keywordTerm.push(false);
    }
    if (isKeyword) keywordTerm[id] = true;
    return id;
  }

  function compileBlock(block: PatternBlock): CompiledBlock {
    const literals = (block.literals ?? []).map((t) => patternId(t)).filter((id) => patterns[id]!.text);
    const keywords = (block.keywords ?? []).map((set) => ({
      groups: set.all.map((group) => group.map((t) => patternId(t, true))),
      within: set.within,
      ordered: set.ordered,
    }));
    const regex = (block.regex ?? []).map((entry) => {
      const requires = typeof entry === 'string' ? undefined : entry.requires;
      return compileRegex(
        regexSource(entry),
        requires?.map((t) => patternId(t)),
        requires?.map((t) => t.toLowerCase()),
      );
    });
    return { literals, keywords, regex };
  }

  const rules: CompiledRule[] = [];
  for (const rule of ruleSet.rules) {
    if (!rule.enabled) continue;
    const match = compileBlock(rule.patterns);
    const except = rule.exceptions ? compileBlock(rule.exceptions) : undefined;
    rules.push({
      rule,
      score: ruleScore(rule),
      sides: new Set(rule.sides),
      match,
      ...(except ? { except } : {}),
    });
  }
  const automaton = buildAutomaton(patterns);
  const candidateIndex = new CandidateIndex(
    rules.map((r) => r.match),
    patterns.length,
  );

  const hits = new HitTable(
    patterns.length,
    Uint8Array.from(keywordTerm, (k) => (k ? 1 : 0)),
    Int32Array.from(patterns, (p) => p.text.split(' ').length - 1),
  );
  /** Bit per side (SIDES order) each rule applies to: one byte read per candidate instead of a Set lookup. */
  const sideMask = Uint8Array.from(rules, (r) =>
    SIDES.reduce((m, s, i) => (r.sides.has(s) ? m | (1 << i) : m), 0),
  );
  /**
   * Candidate rules of the hit table (the rules that can match, candidates.ts), in rule order. Derived from
   * the hit table alone, so views that reuse the table reuse the list.
   */
  const candidates = new Int32Array(rules.length);
  let candidateCount = 0;
  /** Canonicalises each view and keeps the hit table in step with it (view-canon.ts). */
  const reader = new ViewCanon(automaton, options.kernel !== false);

  /**
   * The view being matched, as matchBlock reads it: one object for every call, its fields set per view (no
   * closures or view object allocated per call; matchView is not re-entrant).
   */
  let viewText = '';
  let viewLower: string | undefined;
  const view: ViewMatch = {
    regexOnly: false,
    lower: () => {
      viewLower ??= lowerForFilter(viewText);
      return viewLower;
    },
    hits,
    canon: () => reader.canon(),
    words: () => reader.words(),
  };

  function matchView(
    text: string,
    side: Side,
    skip?: (ruleIndex: number) => boolean,
    continuing = false,
  ): Map<number, Span> {
    const found = new Map<number, Span>();
    if (!text) return found;
    // The hit table depends only on the canonical codes: a view that folds to the same canonical text as
    // the previous one (the original and its folded view, usually) reuses it.
    const sameCanonical = !reader.read(text, hits);
    if (!sameCanonical) candidateCount = candidateIndex.collect(hits, candidates);
    const sideBit = 1 << SIDES.indexOf(side);
    viewText = text;
    viewLower = undefined;
    view.regexOnly = continuing && sameCanonical;
    for (let c = 0; c < candidateCount; c++) {
      const index = candidates[c]!;
      if ((sideMask[index]! & sideBit) === 0 || skip?.(index)) continue;
      const compiled = rules[index]!;
      if (view.regexOnly && compiled.match.regex.length === 0) continue;
      const span = matchBlock(compiled.match, view, text, view.regexOnly);
      if (!span) continue;
      if (compiled.except && matchBlock(compiled.except, view, text)) continue;
      found.set(index, span);
    }
    // Nothing keeps the view text or its lower-cased copy past the call.
    viewText = '';
    viewLower = undefined;
    reader.release(hits);
    return found;
  }

  return { ruleSet, rules, automaton, patterns, patternCount: patterns.length, matchView };
}

function toView(canon: CanonicalBuffer, start: number, end: number): Span {
  return { start: canon.from[start]!, end: canon.to[end - 1]! };
}

/** True when every group of the set has at least one term in the view (else no window can exist). */
function allGroupsSeen(set: CompiledKeywords, hits: HitTable): boolean {
  for (const group of set.groups) {
    let seen = false;
    for (const id of group) {
      if (hits.has(id)) {
        seen = true;
        break;
      }
    }
    if (!seen) return false;
  }
  return true;
}

/**
 * First match of a block in a view (span in view coordinates), or undefined. With `regexOnly` the literal
 * and keyword parts are skipped (they gave nothing on an earlier view with the same canonical text).
 */
function matchBlock(
  block: CompiledBlock,
  view: ViewMatch,
  text: string,
  regexOnly = false,
): Span | undefined {
  const { hits } = view;
  if (!regexOnly) {
    const span = matchTerms(block, view);
    if (span) return span;
  }
  for (const rx of block.regex) {
    if (rx.requires && !rx.requires.some((id) => hits.has(id))) continue;
    const span = regexSpan(rx, text, view.lower);
    if (span) return span;
  }
  return undefined;
}

/** First literal or keyword-window match of a block. */
function matchTerms(block: CompiledBlock, view: ViewMatch): Span | undefined {
  const { hits } = view;
  let bestStart = -1;
  let bestEnd = -1;
  for (const id of block.literals) {
    const first = hits.head[id]!;
    if (first < 0) continue;
    const start = hits.start[first]!;
    if (bestStart < 0 || start < bestStart) {
      bestStart = start;
      bestEnd = hits.end[first]!;
    }
  }
  if (bestStart >= 0) return toView(view.canon(), bestStart, bestEnd);
  for (const set of block.keywords) {
    if (!allGroupsSeen(set, hits)) continue;
    const window = keywordWindow(set, view);
    if (window) return toView(view.canon(), window.start, window.end);
  }
  return undefined;
}
