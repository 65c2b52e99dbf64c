import { isUnspaced } from './text.js';

/**
 * Hand-written Aho–Corasick automaton over canonical text (see text.ts). All literals and keyword terms of
 * all rules go into ONE automaton, so a view is scanned once whatever the number of rules: cost is linear in
 * the text length plus the number of matches. Matches count only on word boundaries; a pattern marked
 * `prefix` (written `term*` in a rule) needs a boundary at its start only, so `instruct*` matches
 * "instructions" and "instrucciones" but not "reinstruct".
 */

export interface AutomatonPattern {
  /** Canonical phrase (output of canonicalPhrase). */
  text: string;
  /** Match any word that starts with the phrase. */
  prefix: boolean;
}

export interface AutomatonHit {
  pattern: number;
  start: number;
  end: number;
}

export interface Automaton {
  readonly size: number;
  /** Calls onHit for each boundary-respecting match; stops early when onHit returns false. */
  scan(text: string, onHit: (pattern: number, start: number, end: number) => boolean | undefined): void;
}

function boundaryBefore(text: string, start: number): boolean {
  if (start === 0) return true;
  const prev = text[start - 1]!;
  if (prev === ' ') return true;
  return isUnspaced(text[start]!) || isUnspaced(prev);
}

function boundaryAfter(text: string, end: number): boolean {
  if (end >= text.length) return true;
  const next = text[end]!;
  if (next === ' ') return true;
  return isUnspaced(text[end - 1]!) || isUnspaced(next);
}

export function buildAutomaton(patterns: readonly AutomatonPattern[]): Automaton {
  // State 0 is the root. goto[s] maps a UTF-16 code unit to the next state.
  const goto: Map<number, number>[] = [new Map()];
  const fail: number[] = [0];
  const depth: number[] = [0];
  /** Patterns ending exactly at this state. */
  const out: number[][] = [[]];
  /** Nearest state on the failure chain that has outputs (dictionary suffix link), -1 if none. */
  const dict: number[] = [-1];

  patterns.forEach((pattern, index) => {
    if (!pattern.text) return;
    let state = 0;
    for (let i = 0; i < pattern.text.length; i++) {
      const code = pattern.text.charCodeAt(i);
      let next = goto[state]!.get(code);
      if (next === undefined) {
        next = goto.length;
        goto.push(new Map());
        fail.push(0);
        depth.push(depth[state]! + 1);
        out.push([]);
        dict.push(-1);
        goto[state]!.set(code, next);
      }
      state = next;
    }
    out[state]!.push(index);
  });

  // Breadth-first failure links.
  const queue: number[] = [];
  for (const child of goto[0]!.values()) queue.push(child);
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    for (const [code, child] of goto[state]!) {
      let f = fail[state]!;
      while (f !== 0 && !goto[f]!.has(code)) f = fail[f]!;
      const target = goto[f]!.get(code);
      fail[child] = target !== undefined && target !== child ? target : 0;
      const fc = fail[child]!;
      dict[child] = out[fc]!.length ? fc : dict[fc]!;
      queue.push(child);
    }
  }

  // Resolved transitions (failure links followed once) are memoised into the goto maps for ASCII input, which
  // turns the hot path into one map lookup per character. Bounded so hostile input cannot grow memory.
  let memoised = 0;
  const MEMO_LIMIT = 1_000_000;

  function scan(
    text: string,
    onHit: (pattern: number, start: number, end: number) => boolean | undefined,
  ): void {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const edges = goto[state]!;
      let next = edges.get(code);
      if (next === undefined) {
        let s = state;
        while (next === undefined && s !== 0) {
          s = fail[s]!;
          next = goto[s]!.get(code);
        }
        next ??= 0;
        if (code < 128 && memoised < MEMO_LIMIT) {
          edges.set(code, next);
          memoised++;
        }
      }
      state = next;
      const end = i + 1;
      for (let s = out[state]!.length ? state : dict[state]!; s > 0; s = dict[s]!) {
        const start = end - depth[s]!;
        if (!boundaryBefore(text, start)) continue;
        for (const index of out[s]!) {
          if (!patterns[index]!.prefix && !boundaryAfter(text, end)) continue;
          if (onHit(index, start, end) === false) return;
        }
      }
    }
  }

  return { size: goto.length, scan };
}
