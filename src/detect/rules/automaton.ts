import type { CanonicalBuffer } from './text.js';
import { unspacedUnit } from './units.js';
import { buildWordAutomaton, type HitCallback, type WordAutomaton } from './word-automaton.js';

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
  scan(text: string, onHit: HitCallback): void;
  /** scan() over the first `length` code units of `codes` (a canonical text held in a reusable buffer). */
  scanCodes(codes: Uint16Array, length: number, onHit: HitCallback): void;
  /**
   * The word automaton's one-pass canonicalisation and word reading (WordAutomaton.readText); false when it
   * leaves the text to canonicalCodes and scanCodes, or when the set has no word automaton.
   */
  readText(text: string, buffer: CanonicalBuffer): boolean;
  /** Reports the hits of the text the last successful readText read. */
  scanRead(onHit: HitCallback): void;
  /** The word automaton behind readText and scanRead, null when the set has none. */
  readonly words: WordAutomaton | null;
}

function boundaryBefore(codes: Uint16Array, start: number): boolean {
  if (start === 0) return true;
  const prev = codes[start - 1]!;
  if (prev === 32) return true;
  return unspacedUnit(codes[start]!) || unspacedUnit(prev);
}

function boundaryAfter(codes: Uint16Array, length: number, end: number): boolean {
  if (end >= length) return true;
  const next = codes[end]!;
  if (next === 32) return true;
  return unspacedUnit(codes[end - 1]!) || unspacedUnit(next);
}

/**
 * Canonical text is lowercase letters, digits, single spaces and non-ASCII letters. The ASCII part gets a
 * dense transition table for the shallow states (a DFA: failure links resolved at build time), one
 * typed-array read per character, and per-state edge lists for the deep ones (see DEFAULT_DENSE_STATES);
 * non-ASCII code units walk the goto maps and failure links.
 */
const ASCII_CLASS = new Int8Array(128).fill(-1);
ASCII_CLASS[32] = 0;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = c - 96;
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = c - 48 + 27;
const CLASSES = 37;

/**
 * States (in breadth-first order) that get a dense row. A rule set of thousands of phrases has tens of
 * thousands of states: dense rows for all of them made a multi-megabyte table, and nearly every step into a
 * deep state missed the cache (the scan was memory-bound inside the full engine). Deep states are long chains
 * with one or two children, so they keep only their own ASCII edges and fall back along failure links to
 * the shallow, cache-resident dense rows.
 */
export const DEFAULT_DENSE_STATES = 1024;

export interface AutomatonOptions {
  /** How many of the shallowest states get a dense transition row (the rest are sparse). */
  denseStates?: number;
  /** Scan texts without unspaced-script characters word by word (word-automaton.ts); default true. */
  words?: boolean;
}

export function buildAutomaton(
  patterns: readonly AutomatonPattern[],
  options: AutomatonOptions = {},
): Automaton {
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

  // Breadth-first failure links; `order` is the BFS order (a state's failure target comes before it).
  const order: number[] = [0];
  const queue: number[] = [];
  for (const child of goto[0]!.values()) queue.push(child);
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    order.push(state);
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

  const states = goto.length;
  // The scan tables number states in breadth-first order: the shallow states most characters visit sit
  // together at the start of the dense table, which keeps the hot part of it in cache.
  const rank = new Int32Array(states);
  order.forEach((old, index) => {
    rank[old] = index;
  });
  // Dense ASCII transitions for the shallow states: delta[s * CLASSES + class] = goto, else the failure
  // target's transition (a failure target is shallower, so it has a dense row too). Int16 entries while the
  // state count allows, Int32 beyond.
  const dense = Math.max(1, Math.min(states, options.denseStates ?? DEFAULT_DENSE_STATES));
  const delta = states < 0x8000 ? new Int16Array(dense * CLASSES) : new Int32Array(dense * CLASSES);
  const classCode = new Int32Array(CLASSES);
  for (let c = 0; c < 128; c++) if (ASCII_CLASS[c]! >= 0) classCode[ASCII_CLASS[c]!] = c;
  for (let state = 0; state < dense; state++) {
    const old = order[state]!;
    const edges = goto[old]!;
    const row = state * CLASSES;
    const failRow = rank[fail[old]!]! * CLASSES;
    for (let k = 0; k < CLASSES; k++) {
      const next = edges.get(classCode[k]!);
      delta[row + k] = next !== undefined ? rank[next]! : state === 0 ? 0 : delta[failRow + k]!;
    }
  }
  // Sparse deep states: their own ASCII edges (class, target) and their failure link.
  const failRank = new Int32Array(states);
  const edgeStart = new Int32Array(states + 1);
  let edgeCount = 0;
  for (let state = 0; state < states; state++) {
    failRank[state] = rank[fail[order[state]!]!]!;
    edgeStart[state] = edgeCount;
    if (state < dense) continue;
    for (const code of goto[order[state]!]!.keys()) if (code < 128 && ASCII_CLASS[code]! >= 0) edgeCount++;
  }
  edgeStart[states] = edgeCount;
  const edgeClass = new Int8Array(edgeCount);
  const edgeTarget = new Int32Array(edgeCount);
  for (let state = dense, k = 0; state < states; state++) {
    for (const [code, next] of goto[order[state]!]!) {
      if (code >= 128 || ASCII_CLASS[code]! < 0) continue;
      edgeClass[k] = ASCII_CLASS[code]!;
      edgeTarget[k++] = rank[next]!;
    }
  }
  /** First state with outputs on the chain from s (s itself or its dictionary link), -1 if none. */
  const firstOut = new Int32Array(states);
  const depthOf = new Int32Array(states);
  const dictOf = new Int32Array(states);
  /** Outputs of state s: outList[outStart[s] .. outStart[s + 1]). */
  const outStart = new Int32Array(states + 1);
  let outCount = 0;
  for (let state = 0; state < states; state++) {
    const old = order[state]!;
    const link = dict[old]!;
    dictOf[state] = link >= 0 ? rank[link]! : -1;
    firstOut[state] = out[old]!.length ? state : dictOf[state]!;
    depthOf[state] = depth[old]!;
    outStart[state] = outCount;
    outCount += out[old]!.length;
  }
  outStart[states] = outCount;
  const outList = new Int32Array(outCount);
  for (let state = 0, k = 0; state < states; state++) for (const p of out[order[state]!]!) outList[k++] = p;
  // A dense entry whose target state has outputs is stored complemented (negative): the scan loop then
  // needs no second lookup on the many characters that end no pattern.
  for (let k = 0; k < delta.length; k++) if (firstOut[delta[k]!]! >= 0) delta[k] = ~delta[k]!;
  for (let k = 0; k < edgeTarget.length; k++)
    if (firstOut[edgeTarget[k]!]! >= 0) edgeTarget[k] = ~edgeTarget[k]!;

  /** The dense-table entry a sparse state would have: its own edge, else its failure chain's. */
  function sparseEntry(state: number, cls: number): number {
    let t = state;
    while (t >= dense) {
      for (let k = edgeStart[t]!, last = edgeStart[t + 1]!; k < last; k++) {
        if (edgeClass[k] === cls) return edgeTarget[k]!;
      }
      t = failRank[t]!;
    }
    return delta[t * CLASSES + cls]!;
  }
  const prefix = Uint8Array.from(patterns, (p) => (p.prefix ? 1 : 0));
  const byWords = options.words === false ? null : buildWordAutomaton(patterns);

  /** Transition on a code unit without a dense entry (non-ASCII, or ASCII outside the canonical alphabet). */
  function slowStep(state: number, code: number): number {
    if (code < 128) return 0; // no pattern contains a non-canonical ASCII character
    let s = order[state]!;
    let next = goto[s]!.get(code);
    while (next === undefined && s !== 0) {
      s = fail[s]!;
      next = goto[s]!.get(code);
    }
    return next === undefined ? 0 : rank[next]!;
  }

  function scanCodes(codes: Uint16Array, length: number, onHit: HitCallback): void {
    if (byWords?.scanCodes(codes, length, onHit)) return;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const code = codes[i]!;
      const cls = code < 128 ? ASCII_CLASS[code]! : -1;
      let s: number;
      if (cls >= 0) {
        const entry = state < dense ? delta[state * CLASSES + cls]! : sparseEntry(state, cls);
        if (entry >= 0) {
          state = entry;
          continue;
        }
        state = ~entry;
        s = firstOut[state]!;
      } else {
        state = slowStep(state, code);
        s = firstOut[state]!;
        if (s < 0) continue;
      }
      const end = i + 1;
      for (; s > 0; s = dictOf[s]!) {
        const start = end - depthOf[s]!;
        if (!boundaryBefore(codes, start)) continue;
        for (let k = outStart[s]!, last = outStart[s + 1]!; k < last; k++) {
          const index = outList[k]!;
          if (prefix[index] === 0 && !boundaryAfter(codes, length, end)) continue;
          if (onHit(index, start, end) === false) return;
        }
      }
    }
  }

  function scan(text: string, onHit: HitCallback): void {
    const codes = new Uint16Array(text.length);
    for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
    scanCodes(codes, text.length, onHit);
  }

  return {
    size: states,
    scan,
    scanCodes,
    readText: (text, buffer) => byWords?.readText(text, buffer) ?? false,
    scanRead: (onHit) => byWords?.scanRead(onHit),
    words: byWords ?? null,
  };
}
