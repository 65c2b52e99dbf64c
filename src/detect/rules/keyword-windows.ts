import type { HitTable } from './hits.js';
import type { CanonicalBuffer } from './text.js';

/**
 * Keyword-proximity windows: one term of every group of a keyword set within `within` words, in the given
 * order or any order, found from the automaton's hits (canonical offsets) and the view's word map.
 */

export interface CompiledKeywords {
  groups: number[][];
  within: number;
  ordered: boolean;
}

/** What a window search reads of a view. */
export interface WindowView {
  hits: HitTable;
  /** The canonical buffer with at least its word map built (cheaper than the offset maps). */
  words: () => CanonicalBuffer;
}

interface Occurrence {
  start: number;
  end: number;
}

/** The first window of the set in the view (canonical offsets), if any. */
export function keywordWindow(set: CompiledKeywords, view: WindowView): Occurrence | undefined {
  return set.ordered ? orderedWindow(set, view) : anyOrderWindow(set, view);
}

interface Entry {
  group: number;
  start: number;
  end: number;
  wordStart: number;
  wordEnd: number;
}

function groupEntries(set: CompiledKeywords, view: WindowView): Entry[][] | undefined {
  const { hits } = view;
  // Hits that carry their word numbers need no word map (building it is a pass over the whole view).
  const word = hits.worded ? null : view.words().word;
  const perGroup: Entry[][] = [];
  for (let g = 0; g < set.groups.length; g++) {
    const list: Entry[] = [];
    for (const id of set.groups[g]!) {
      for (let o = hits.head[id]!; o >= 0; o = hits.next[o]!) {
        const start = hits.start[o]!;
        const end = hits.end[o]!;
        const wordEnd = word ? word[end - 1]! : hits.word[o]!;
        const wordStart = word ? word[start]! : wordEnd - hits.spaces[id]!;
        list.push({ group: g, start, end, wordStart, wordEnd });
      }
    }
    if (!list.length) return undefined;
    list.sort((a, b) => a.start - b.start);
    perGroup.push(list);
  }
  return perGroup;
}

/** Smallest window holding one term of every group (any order), if it spans at most `within` words. */
function anyOrderWindow(set: CompiledKeywords, view: WindowView): Occurrence | undefined {
  const perGroup = groupEntries(set, view);
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
function orderedWindow(set: CompiledKeywords, view: WindowView): Occurrence | undefined {
  const perGroup = groupEntries(set, view);
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
