/**
 * Finds where the secret rules' literal prefixes start in a text without trying every position.
 *
 * A regex alternation of all ~70 prefixes costs the regex engine an attempt at nearly every position (it was
 * the secrets detector's largest cost on prose). Instead each prefix is assigned an anchor: the first of a few
 * characters that are rare in prose (`_ = - /`, then the capitals `J B S A`) that it contains, at a fixed
 * offset. `indexOf` (a native scan) finds each anchor; a prefix can only start at an anchor hit minus one of
 * its anchor's offsets, and there the two-character table and a `startsWith` check decide. A prefix holding
 * none of those characters is its own anchor. Every occurrence of every prefix therefore yields a candidate,
 * so the positions reported are exactly those an exhaustive scan would report (a test checks this).
 */

/** Anchor characters in order of preference (rarest in prose first). */
const ANCHOR_CHARS = ['_', '=', '-', '/', 'J', 'B', 'S', 'A'];

export interface PrefixIndex {
  /** The longest prefix starting at `at`, or undefined. */
  longestAt(text: string, at: number): string | undefined;
  /**
   * Every position where some prefix starts, ascending, except occurrences of a self-anchored prefix whose
   * required literal the text lacks (its rules cannot match there).
   */
  positions(text: string): number[];
}

interface Anchor {
  needle: string;
  /** Distinct offsets of the needle inside the prefixes it anchors. */
  offsets: number[];
  /** For a self-anchored prefix: a literal every match of its rules contains (the search is skipped without). */
  requires?: string;
}

/**
 * Indexes `prefixes`; `requires` names, for some prefixes, a literal that every match of their rules contains.
 * It is honoured only for prefixes that are their own anchor (no anchor character): those are searched one by
 * one, and skipping the search is what saves work.
 */
export function createPrefixIndex(
  prefixes: readonly string[],
  requires: ReadonlyMap<string, string> = new Map(),
): PrefixIndex {
  // Prefixes by first code unit, longest first; the first two code units of each in a 128 x 128 table.
  const byFirst: string[][] = Array.from({ length: 128 }, () => []);
  const pairs = new Uint8Array(128 * 128);
  const anchors = new Map<string, Anchor>();
  for (const prefix of [...new Set(prefixes)].sort((a, b) => b.length - a.length)) {
    const first = prefix.charCodeAt(0);
    const second = prefix.charCodeAt(1);
    if (prefix.length < 2 || first >= 128 || second >= 128) throw new Error(`unsupported prefix ${prefix}`);
    pairs[first * 128 + second] = 1;
    byFirst[first]!.push(prefix);
    const char = ANCHOR_CHARS.find((c) => prefix.includes(c));
    const needle = char ?? prefix;
    const literal = char ? undefined : requires.get(prefix);
    const anchor = anchors.get(needle) ?? { needle, offsets: [], ...(literal ? { requires: literal } : {}) };
    const offset = prefix.indexOf(needle);
    if (!anchor.offsets.includes(offset)) anchor.offsets.push(offset);
    anchors.set(needle, anchor);
  }
  // Ungated anchors first, then the gated ones grouped by literal: each literal is looked up once per text.
  const anchorList = [...anchors.values()].sort((a, b) =>
    (a.requires ?? '') < (b.requires ?? '') ? -1 : (a.requires ?? '') > (b.requires ?? '') ? 1 : 0,
  );

  const longestAt = (text: string, at: number): string | undefined => {
    const first = text.charCodeAt(at);
    const second = text.charCodeAt(at + 1);
    if (!(first < 128 && second < 128) || pairs[first * 128 + second] === 0) return undefined;
    for (const prefix of byFirst[first]!) if (text.startsWith(prefix, at)) return prefix;
    return undefined;
  };

  return {
    longestAt,
    positions(text) {
      const found: number[] = [];
      let literal: string | undefined;
      let present = true;
      for (const { needle, offsets, requires: required } of anchorList) {
        if (required !== undefined) {
          if (required !== literal) {
            literal = required;
            present = text.includes(required);
          }
          if (!present) continue;
        }
        for (let hit = text.indexOf(needle); hit >= 0; hit = text.indexOf(needle, hit + 1)) {
          for (const offset of offsets) {
            const at = hit - offset;
            if (at >= 0 && longestAt(text, at) !== undefined) found.push(at);
          }
        }
      }
      return ascendingUnique(found, text.length);
    },
  };
}

/** Sorts and deduplicates positions in [0, length): a sort for the usual handful, a linear sweep for many. */
function ascendingUnique(positions: number[], length: number): number[] {
  if (positions.length < 2) return positions;
  if (positions.length > 256) {
    const marked = new Uint8Array(length);
    for (const at of positions) marked[at] = 1;
    const out: number[] = [];
    for (let at = 0; at < length; at++) if (marked[at] === 1) out.push(at);
    return out;
  }
  positions.sort((a, b) => a - b);
  let kept = 1;
  for (let i = 1; i < positions.length; i++)
    if (positions[i] !== positions[kept - 1]) positions[kept++] = positions[i]!;
  positions.length = kept;
  return positions;
}
