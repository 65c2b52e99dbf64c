/**
 * Which rules can match a text, from its automaton hits alone. A rule's match block can only succeed through
 * a literal that was seen, a keyword set whose every group has a term that was seen, or a regex that runs:
 * one without `requires`, or one with a `requires` term that was seen. A rule with none of these cannot
 * match, so the matcher does not evaluate it (nor read its compiled form: inside the engine those reads
 * miss the cache). Keyword sets are counted group by group as the seen patterns are listed, instead of
 * every set of every rule that merely mentions a seen term being checked group by group.
 */

/** The parts of a compiled match block the index reads (pattern ids). */
export interface CandidateBlock {
  literals: readonly number[];
  keywords: readonly { groups: readonly (readonly number[])[] }[];
  regex: readonly { requires?: readonly number[] }[];
}

/** The hit table, as far as the index reads it. */
export interface SeenPatterns {
  touchedCount: number;
  seen(k: number): number;
}

/** Lists of numbers per pattern as one flat array (compressed rows). */
function rows(lists: readonly (readonly number[])[]): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, k) => {
    start[k + 1] = start[k]! + list.length;
  });
  return { start, items: Int32Array.from(lists.flat()) };
}

export class CandidateIndex {
  /** Per pattern: rules it makes possible on its own (a literal or a regex `requires` term). */
  private readonly direct: { start: Int32Array; items: Int32Array };
  /** Per pattern: (keyword set, group) pairs it is a term of, the group numbered across all sets. */
  private readonly member: { start: Int32Array; items: Int32Array };
  /** Rules with a regex that runs whatever was seen. */
  private readonly always: Int32Array;
  private readonly setRule: Int32Array;
  private readonly setGroups: Int32Array;
  /** Per group and set: the count of the listing that last saw it (so nothing is cleared between texts). */
  private readonly groupStamp: Int32Array;
  private readonly setStamp: Int32Array;
  /** Per set: groups seen so far in the current listing. */
  private readonly setSeen: Int32Array;
  private readonly possible: Uint8Array;
  private stamp = 0;

  constructor(blocks: readonly CandidateBlock[], patternCount: number) {
    const direct: number[][] = Array.from({ length: patternCount }, () => []);
    const member: number[][] = Array.from({ length: patternCount }, () => []);
    const always: number[] = [];
    const setRule: number[] = [];
    const setGroups: number[] = [];
    let groups = 0;
    blocks.forEach((block, rule) => {
      for (const id of block.literals) direct[id]!.push(rule);
      for (const rx of block.regex) {
        if (!rx.requires) always.push(rule);
        else for (const id of rx.requires) direct[id]!.push(rule);
      }
      for (const set of block.keywords) {
        const s = setRule.length;
        setRule.push(rule);
        setGroups.push(set.groups.length);
        for (const group of set.groups) {
          for (const id of group) member[id]!.push(s, groups);
          groups++;
        }
      }
    });
    this.direct = rows(direct);
    this.member = rows(member);
    this.always = Int32Array.from(new Set(always));
    this.setRule = Int32Array.from(setRule);
    this.setGroups = Int32Array.from(setGroups);
    this.groupStamp = new Int32Array(groups);
    this.setStamp = new Int32Array(setRule.length);
    this.setSeen = new Int32Array(setRule.length);
    this.possible = new Uint8Array(blocks.length);
  }

  /** Writes the rules that can match, in rule order, into `out`; returns their count. */
  collect(hits: SeenPatterns, out: Int32Array): number {
    const { direct, member, possible, groupStamp, setStamp, setSeen } = this;
    if (this.stamp === 0x7fffffff) {
      // Stamps would wrap around: start again from clean arrays.
      groupStamp.fill(0);
      setStamp.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    for (const rule of this.always) possible[rule] = 1;
    for (let k = 0; k < hits.touchedCount; k++) {
      const pattern = hits.seen(k);
      for (let d = direct.start[pattern]!, end = direct.start[pattern + 1]!; d < end; d++)
        possible[direct.items[d]!] = 1;
      for (let m = member.start[pattern]!, end = member.start[pattern + 1]!; m < end; m += 2) {
        const set = member.items[m]!;
        const group = member.items[m + 1]!;
        if (groupStamp[group] === stamp) continue;
        groupStamp[group] = stamp;
        if (setStamp[set] !== stamp) {
          setStamp[set] = stamp;
          setSeen[set] = 0;
        }
        if (++setSeen[set]! === this.setGroups[set]) possible[this.setRule[set]!] = 1;
      }
    }
    let count = 0;
    for (let rule = 0; rule < possible.length; rule++) {
      if (possible[rule] === 0) continue;
      possible[rule] = 0;
      out[count++] = rule;
    }
    return count;
  }
}
