/**
 * Rough odds of a lower-cased literal in a 2 KB text, from the share of each character in the lower-cased
 * text of every row of the shared datasets (41.5 M characters), taken as independent. Only used to order and
 * prune regex prefilter checks (regex-filter.ts plannedFilter, regex-starts.ts): a poor guess costs time,
 * never changes a result. `npx tsx scripts/literal-odds.ts` recomputes the table from ../shared/datasets
 * (`--check` compares it with this one).
 */
export const CHAR_SHARE: Readonly<Record<string, number>> = {
  ' ': 0.1928,
  e: 0.0912,
  t: 0.0696,
  a: 0.0615,
  o: 0.056,
  n: 0.0558,
  i: 0.055,
  s: 0.0502,
  r: 0.0452,
  h: 0.0319,
  l: 0.0275,
  c: 0.0258,
  d: 0.025,
  u: 0.0231,
  m: 0.0182,
  p: 0.0171,
  g: 0.0154,
  f: 0.0145,
  y: 0.0138,
  w: 0.0126,
  b: 0.0108,
  '.': 0.01,
  ',': 0.0087,
  v: 0.0085,
  k: 0.0059,
  '|': 0.0043,
  '\n': 0.0041,
  "'": 0.0034,
  '1': 0.0026,
  x: 0.0023,
  '0': 0.0023,
  ':': 0.0021,
  q: 0.002,
  '2': 0.0019,
  '-': 0.0017,
  '"': 0.0016,
  j: 0.0016,
  '?': 0.0014,
  ')': 0.0013,
  '3': 0.0011,
  '5': 0.0011,
  '(': 0.001,
  '4': 0.001,
  z: 0.0009,
  '9': 0.0009,
  '6': 0.0008,
  '8': 0.0007,
  '7': 0.0007,
  '/': 0.0005,
  ']': 0.0005,
  _: 0.0005,
  '[': 0.0003,
  '%': 0.0003,
  '!': 0.0003,
  '}': 0.0003,
  $: 0.0002,
  '=': 0.0002,
  ';': 0.0002,
  '*': 0.0002,
  '`': 0.0002,
  '>': 0.0002,
  '#': 0.0001,
  '+': 0.0001,
  '<': 0.0001,
};
/** Every other character (other symbols, non-ASCII). */
export const RARE_SHARE = 0.0001;
const TEXT_LENGTH = 2048;

/** Expected occurrences of a lower-cased literal in a 2 KB text. */
export function occurrences(literal: string): number {
  let rate = 1;
  for (const ch of literal) {
    rate *= CHAR_SHARE[ch] ?? RARE_SHARE;
  }
  return TEXT_LENGTH * rate;
}

/** Chance that a lower-cased literal occurs at least once in a 2 KB text. */
export function presence(literal: string): number {
  return 1 - Math.exp(-occurrences(literal));
}

/**
 * CPU µs of one indexOf of a literal over a 2 KB text (V8's search stops at every occurrence of the first
 * character; measured on the bench texts: ~0.12 µs for a rare one, ~1.2 µs for `e`).
 */
export function scanCost(literal: string): number {
  return 0.3 + 0.0045 * occurrences(literal.charAt(0));
}

/** CPU µs of one anchored DFA attempt (regex-anchored.ts), a few characters up to tens of them. */
export const ATTEMPT_COST = 0.3;

/** CPU µs of a full-text `re.test` on a 2 KB text (~15 ns per character). */
export const FULL_TEST_COST = 30;
