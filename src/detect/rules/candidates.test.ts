import { describe, expect, it } from 'vitest';
import { type CandidateBlock, CandidateIndex } from './candidates.js';

/** The reference: a rule can match when a literal, a whole keyword set or a runnable regex was seen. */
function naive(blocks: readonly CandidateBlock[], seen: ReadonlySet<number>): number[] {
  const has = (ids: readonly number[]) => ids.some((id) => seen.has(id));
  return blocks.flatMap((block, rule) =>
    has(block.literals) ||
    block.keywords.some((set) => set.groups.every(has)) ||
    block.regex.some((rx) => !rx.requires || has(rx.requires))
      ? [rule]
      : [],
  );
}

function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
}

describe('candidate index', () => {
  const patterns = 12;
  const rand = random(17);
  const ids = (max: number) => Array.from({ length: rand(max) }, () => rand(patterns));
  const blocks: CandidateBlock[] = Array.from({ length: 40 }, () => ({
    literals: ids(2),
    // Groups may repeat a term, share terms with other groups, or (rarely) be empty of seen terms.
    keywords: Array.from({ length: rand(3) }, () => ({
      groups: Array.from({ length: 2 + rand(2) }, () => ids(3)),
    })),
    regex: Array.from({ length: rand(2) }, () => (rand(4) === 0 ? {} : { requires: ids(2) })),
  }));

  function collect(index: CandidateIndex, seen: number[]): number[] {
    const out = new Int32Array(blocks.length);
    const count = index.collect({ touchedCount: seen.length, seen: (k) => seen[k]! }, out);
    return [...out.subarray(0, count)];
  }

  it('lists exactly the rules that can match, on random blocks and hit sets', () => {
    const index = new CandidateIndex(blocks, patterns);
    for (let round = 0; round < 1000; round++) {
      const seen = [...new Set(ids(8))];
      expect(collect(index, seen), JSON.stringify(seen)).toEqual(naive(blocks, new Set(seen)));
    }
  });

  it('gives the same lists when its stamps wrap around', () => {
    const index = new CandidateIndex(blocks, patterns);
    (index as unknown as { stamp: number }).stamp = 0x7fffffff - 2;
    const all = Array.from({ length: patterns }, (_, id) => id);
    for (let round = 0; round < 10; round++) {
      // Every pattern seen now and then: a stale stamp would then hide a group.
      const seen = round % 2 ? all : [...new Set(ids(8))];
      expect(collect(index, seen)).toEqual(naive(blocks, new Set(seen)));
    }
  });
});
