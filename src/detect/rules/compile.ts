import { RE2JS } from 're2js';
import type { Side, Span } from '../../core/types.js';
import { type Automaton, type AutomatonPattern, buildAutomaton } from './automaton.js';
import { regexSource } from './loader.js';
import { type PatternBlock, type Rule, type RuleSet, SEVERITY_SCORES } from './schema.js';
import { type CanonicalText, canonicalize, canonicalPhrase } from './text.js';

/**
 * Compiles a rule set into one matcher:
 * 1. every literal, keyword term, exception term and regex prefilter term of every rule goes into ONE
 *    Aho–Corasick automaton, scanned once per view over the canonical text (text.ts);
 * 2. only rules with at least one seen term become candidates; keyword-proximity windows are checked only
 *    for rules whose every group was seen;
 * 3. regexes run on RE2 (re2js, linear time: no backtracking is possible on any input). A regex with
 *    `requires` runs only when one of those terms was seen in the view; one without runs on every view, which
 *    is safe (linear) but costs a pass, so shipped rules give `requires` wherever they can.
 */

/**
 * Occurrences are recorded without a cap, so padding a text with thousands of trigger words cannot push a
 * real keyword window out of view. Memory stays linear in the text: at most one occurrence per pattern per end
 * position, and only patterns that are suffixes of one another can end at the same position. Patterns used
 * only as literals keep just their first occurrence.
 */

interface CompiledKeywords {
  groups: number[][];
  within: number;
  ordered: boolean;
}

interface CompiledRegex {
  re: RE2JS;
  requires?: number[];
}

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
  patternCount: number;
  /** Matches one text view; returns rule index → span in VIEW coordinates. */
  matchView(text: string, side: Side): Map<number, Span>;
}

interface Occurrence {
  start: number;
  end: number;
}

type Hits = Map<number, Occurrence[]>;

export function ruleScore(rule: Rule): number {
  return rule.score ?? SEVERITY_SCORES[rule.severity];
}

export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const patterns: AutomatonPattern[] = [];
  const patternIds = new Map<string, number>();
  /** pattern id → indexes of rules that reference it. */
  const refs: number[][] = [];
  /** Patterns used as keyword terms (all occurrences matter for proximity windows). */
  const keywordTerm: boolean[] = [];
  const always: number[] = [];

  function patternId(term: string, ruleIndex: number, isKeyword = false): number {
    const prefix = term.endsWith('*');
    const text = canonicalPhrase(prefix ? term.slice(0, -1) : term);
    const key = `${prefix ? '*' : '='}${text}`;
    let id = patternIds.get(key);
    if (id === undefined) {
      id = patterns.length;
      patterns.push({ text, prefix });
      patternIds.set(key, id);
      refs.push([]);
      keywordTerm.push(false);
    }
    if (isKeyword) keywordTerm[id] = true;
    const list = refs[id]!;
    if (list[list.length - 1] !== ruleIndex) list.push(ruleIndex);
    return id;
  }

  function compileBlock(block: PatternBlock, ruleIndex: number, isMatch: boolean): CompiledBlock {
    const literals = (block.literals ?? [])
      .map((t) => patternId(t, ruleIndex))
      .filter((id) => patterns[id]!.text);
    const keywords = (block.keywords ?? []).map((set) => ({
      groups: set.all.map((group) => group.map((t) => patternId(t, ruleIndex, true))),
      within: set.within,
      ordered: set.ordered,
    }));
    const regex = (block.regex ?? []).map((entry) => {
      const re = RE2JS.compile(regexSource(entry), RE2JS.CASE_INSENSITIVE);
      const requires =
        typeof entry === 'string' ? undefined : entry.requires?.map((t) => patternId(t, ruleIndex));
      if (!requires && isMatch) always.push(ruleIndex);
      return requires ? { re, requires } : { re };
    });
    return { literals, keywords, regex };
  }

  const rules: CompiledRule[] = [];
  for (const rule of ruleSet.rules) {
    if (!rule.enabled) continue;
    const index = rules.length;
    const match = compileBlock(rule.patterns, index, true);
    const except = rule.exceptions ? compileBlock(rule.exceptions, index, false) : undefined;
    rules.push({
      rule,
      score: ruleScore(rule),
      sides: new Set(rule.sides),
      match,
      ...(except ? { except } : {}),
    });
  }
  const automaton = buildAutomaton(patterns);
  const alwaysSet = [...new Set(always)];

  function matchView(text: string, side: Side): Map<number, Span> {
    const found = new Map<number, Span>();
    if (!text) return found;
    const canon = canonicalize(text);
    const hits: Hits = new Map();
    automaton.scan(canon.text, (pattern, start, end) => {
      const list = hits.get(pattern);
      if (!list) hits.set(pattern, [{ start, end }]);
      else if (keywordTerm[pattern]) list.push({ start, end });
    });
    const candidates = new Set<number>(alwaysSet);
    for (const pattern of hits.keys()) for (const r of refs[pattern]!) candidates.add(r);
    for (const index of [...candidates].sort((a, b) => a - b)) {
      const compiled = rules[index]!;
      if (!compiled.sides.has(side)) continue;
      const span = matchBlock(compiled.match, canon, text, hits);
      if (!span) continue;
      if (compiled.except && matchBlock(compiled.except, canon, text, hits)) continue;
      found.set(index, span);
    }
    return found;
  }

  return { ruleSet, rules, automaton, patternCount: patterns.length, matchView };
}

function toView(canon: CanonicalText, start: number, end: number): Span {
  return { start: canon.from[start]!, end: canon.to[end - 1]! };
}

/** First match of a block in a view (span in view coordinates), or undefined. */
function matchBlock(block: CompiledBlock, canon: CanonicalText, text: string, hits: Hits): Span | undefined {
  let best: Occurrence | undefined;
  for (const id of block.literals) {
    const first = hits.get(id)?.[0];
    if (first && (!best || first.start < best.start)) best = first;
  }
  if (best) return toView(canon, best.start, best.end);
  for (const set of block.keywords) {
    const window = set.ordered ? orderedWindow(set, canon, hits) : anyOrderWindow(set, canon, hits);
    if (window) return toView(canon, window.start, window.end);
  }
  for (const rx of block.regex) {
    if (rx.requires && !rx.requires.some((id) => hits.has(id))) continue;
    // test() runs on the DFA fast path; the position is only computed for the rare texts that match.
    if (!rx.re.test(text)) continue;
    const m = rx.re.matcher(text);
    if (m.find()) return { start: m.start(), end: m.end() };
  }
  return undefined;
}

interface Entry {
  group: number;
  start: number;
  end: number;
  wordStart: number;
  wordEnd: number;
}

function groupEntries(set: CompiledKeywords, canon: CanonicalText, hits: Hits): Entry[][] | undefined {
  const perGroup: Entry[][] = [];
  for (let g = 0; g < set.groups.length; g++) {
    const list: Entry[] = [];
    for (const id of set.groups[g]!) {
      for (const o of hits.get(id) ?? []) {
        list.push({
          group: g,
          start: o.start,
          end: o.end,
          wordStart: canon.word[o.start]!,
          wordEnd: canon.word[o.end - 1]!,
        });
      }
    }
    if (!list.length) return undefined;
    list.sort((a, b) => a.start - b.start);
    perGroup.push(list);
  }
  return perGroup;
}

/** Smallest window holding one term of every group (any order), if it spans at most `within` words. */
function anyOrderWindow(set: CompiledKeywords, canon: CanonicalText, hits: Hits): Occurrence | undefined {
  const perGroup = groupEntries(set, canon, hits);
  if (!perGroup) return undefined;
  const entries = perGroup.flat().sort((a, b) => a.start - b.start);
  const counts = new Array<number>(set.groups.length).fill(0);
  let covered = 0;
  let left = 0;
  for (let right = 0; right < entries.length; right++) {
    const r = entries[right]!;
    if (counts[r.group]!++ === 0) covered++;
    while (covered === set.groups.length) {
      const l = entries[left]!;
      let wordEnd = r.wordEnd;
      let end = r.end;
      for (let k = left; k < right; k++) {
        const e = entries[k]!;
        if (e.wordEnd > wordEnd) wordEnd = e.wordEnd;
        if (e.end > end) end = e.end;
        if (k - left > 64) break; // windows are short; bound the scan on hostile input
      }
      if (wordEnd - l.wordStart + 1 <= set.within) return { start: l.start, end };
      if (--counts[l.group]! === 0) covered--;
      left++;
    }
  }
  return undefined;
}

/** First window holding the groups in the given order within `within` words. */
function orderedWindow(set: CompiledKeywords, canon: CanonicalText, hits: Hits): Occurrence | undefined {
  const perGroup = groupEntries(set, canon, hits);
  if (!perGroup) return undefined;
  const nextAfter = (list: Entry[], pos: number): Entry | undefined => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.start < pos) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  };
  for (const first of perGroup[0]!) {
    let last = first;
    let ok = true;
    for (let g = 1; g < perGroup.length; g++) {
      const next = nextAfter(perGroup[g]!, last.end);
      if (!next || next.wordEnd - first.wordStart + 1 > set.within) {
        ok = false;
        break;
      }
      last = next;
    }
    if (ok) return { start: first.start, end: last.end };
  }
  return undefined;
}
