/**
 * Finds where the secret rules' literal prefixes start in a text without trying every position.
 *
 * A regex alternation of all ~70 prefixes costs the regex engine an attempt at nearly every position (it was
 * the secrets detector's largest cost on prose). Instead each prefix is assigned an anchor: the first of a few
 * characters that are rare in prose (`_ = - /`, then the letters `J B K z G`) that it contains, at a fixed
 * offset. `indexOf` (a native scan) finds each anchor; a prefix can only start at an anchor hit minus its
 * offset (one holding the anchor past its start only where the character before the hit is its own: most
 * hits try no offset at all), and there the two-character table and a `startsWith` check decide. A prefix
 * holding none of those characters is its own anchor (its first characters). Every occurrence of every prefix
 * is therefore found, exactly once (from its own anchor), so the hits are exactly those an exhaustive scan
 * reports (a test checks this).
 */

/**
 * Anchor characters in order of preference (rarest in prose first). `K`, `z` and `G` anchor `AKIA` / `SK`,
 * `AIza` and `SG.`: capital A and S, which anchored them before, start a word or two in every sentence, and
 * each of those hits cost a call; `AC` and `ASIA` hold none of these and are searched whole (a native scan
 * that rejects the `A`s itself). On 2 KB prose this made the prefix search ~0.5 µs cheaper.
 */
const ANCHOR_CHARS = ['_', '=', '-', '/', 'J', 'B', 'K', 'z', 'G'];

/**
 * A prefix holding no anchor character is searched by its first six characters at most (`bearer ` by
 * `bearer`; longestAt then checks the whole prefix): V8 searches a pattern of seven characters or more with
 * Boyer-Moore tables it builds on every call, which cost a 2 KB text ~0.25 us more than the plain scan.
 */
const SELF_NEEDLE_MAX = 6;

/** A prefix occurrence: the longest prefix starting at `at`. */
interface PrefixHit {
  at: number;
  prefix: string;
}

export interface PrefixIndex {
  /** The longest prefix starting at `at`, or undefined. */
  longestAt(text: string, at: number): string | undefined;
  /**
   * Visits every position where some prefix starts, ascending, with the longest prefix there; except
   * occurrences of a self-anchored prefix whose required literal the text lacks (its rules cannot match there).
   */
  forEachHit(text: string, visit: (at: number, prefix: string) => void): void;
}

interface Anchor {
  needle: string;
  /** The prefixes it anchors, each with the needle's offset in it. */
  prefixes: Map<string, number>;
  /** Whether some prefix starts with the needle (offset 0: tried at every hit). */
  atHit: boolean;
  /**
   * The offsets above 0 worth trying at a hit, by the code unit just before it: a prefix holding the needle
   * at offset k has its own character k - 1 there. ASCII code units by index, others in `beforeWide`.
   */
  before: (number[] | undefined)[];
  beforeWide: Map<number, number[]>;
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
  const longestFirst = [...new Set(prefixes)].sort((a, b) => b.length - a.length);
  // Prefixes by first code unit, longest first; the first two code units of each in a 128 x 128 table.
  const byFirst: string[][] = Array.from({ length: 128 }, () => []);
  const pairs = new Uint8Array(128 * 128);
  const anchors = new Map<string, Anchor>();
  for (const prefix of longestFirst) {
    const first = prefix.charCodeAt(0);
    const second = prefix.charCodeAt(1);
    if (prefix.length < 2 || first >= 128 || second >= 128) throw new Error(`unsupported prefix ${prefix}`);
    pairs[first * 128 + second] = 1;
    byFirst[first]!.push(prefix);
    const char = ANCHOR_CHARS.find((c) => prefix.includes(c));
    const needle = char ?? prefix.slice(0, SELF_NEEDLE_MAX);
    const literal = char ? undefined : requires.get(prefix);
    const existing = anchors.get(needle);
    // Two prefixes sharing a needle share its gate only when they name the same literal.
    if (existing && existing.requires !== literal) delete existing.requires;
    const anchor: Anchor = existing ?? {
      needle,
      prefixes: new Map(),
      atHit: false,
      before: new Array<number[] | undefined>(128).fill(undefined),
      beforeWide: new Map(),
      ...(literal ? { requires: literal } : {}),
    };
    const offset = prefix.indexOf(needle);
    anchor.prefixes.set(prefix, offset);
    if (offset === 0) anchor.atHit = true;
    else {
      const code = prefix.charCodeAt(offset - 1);
      const list = (code < 128 ? anchor.before[code] : anchor.beforeWide.get(code)) ?? [];
      if (!list.includes(offset)) list.push(offset);
      if (code < 128) anchor.before[code] = list;
      else anchor.beforeWide.set(code, list);
    }
    anchors.set(needle, anchor);
  }
  // The literal gating each prefix, for the alternation's scan (which finds prefixes, not needles).
  const gatedBy = new Map<string, string>();
  for (const { prefixes: anchored, requires: literal } of anchors.values())
    if (literal) for (const prefix of anchored.keys()) gatedBy.set(prefix, literal);
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

  // One alternation of every prefix, longest first: the regex engine's scan of every position, for texts so
  // dense in anchor characters (hostile input: a megabyte of dashes) that a call per anchor hit costs more.
  const alternation = new RegExp(
    longestFirst.map((prefix) => prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'),
  );
  const visitEvery = (text: string, visit: (at: number, prefix: string) => void): void => {
    const present = new Map<string, boolean>();
    const scan = new RegExp(alternation.source, 'g');
    for (let match = scan.exec(text); match; match = scan.exec(text)) {
      scan.lastIndex = match.index + 1;
      const literal = gatedBy.get(match[0]);
      if (literal !== undefined) {
        if (!present.has(literal)) present.set(literal, text.includes(literal));
        if (!present.get(literal)) continue;
      }
      visit(match.index, match[0]);
    }
  };

  return {
    longestAt,
    forEachHit(text, visit) {
      const found: PrefixHit[] = [];
      // Past one anchor hit per 16 characters the alternation's scan is cheaper.
      let budget = text.length >> 4;
      let literal: string | undefined;
      let present = true;
      for (const anchor of anchorList) {
        const { needle, prefixes: anchored, atHit, before, beforeWide, requires: required } = anchor;
        if (required !== undefined) {
          if (required !== literal) {
            literal = required;
            present = text.includes(required);
          }
          if (!present) continue;
        }
        for (let hit = text.indexOf(needle); hit >= 0; hit = text.indexOf(needle, hit + 1)) {
          if (--budget < 0) return visitEvery(text, visit);
          if (atHit) {
            const prefix = longestAt(text, hit);
            // Found from its own anchor only, so that each occurrence is reported once.
            if (prefix !== undefined && anchored.get(prefix) === 0) found.push({ at: hit, prefix });
          }
          if (hit === 0) continue;
          // Only offsets whose prefixes have the code unit before the hit there can start a prefix: most
          // hits (a dash inside a word) try none, where every offset cost a longestAt call.
          const code = text.charCodeAt(hit - 1);
          const offsets = code < 128 ? before[code] : beforeWide.get(code);
          if (offsets === undefined) continue;
          for (const offset of offsets) {
            const at = hit - offset;
            const prefix = at >= 0 ? longestAt(text, at) : undefined;
            if (prefix !== undefined && anchored.get(prefix) === offset) found.push({ at, prefix });
          }
        }
      }
      if (found.length > 1) found.sort((a, b) => a.at - b.at);
      for (const { at, prefix } of found) visit(at, prefix);
    },
  };
}
