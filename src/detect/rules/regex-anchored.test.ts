import { RE2JS } from 're2js';
import { describe, expect, it, vi } from 'vitest';
import { defaultRulesDir, loadRuleSet } from './index.js';
import { regexSource } from './loader.js';
import { AnchoredTest } from './regex-anchored.js';
import { lowerForFilter } from './regex-filter.js';
import { type CompiledRegex, compileRegex, regexSpan } from './regex-match.js';
import { programOf, regexStarts } from './regex-starts.js';
import { rng } from '../../normalize/test-helpers.js';

/** The slow path every fast path here shortcuts: RE2's own leftmost-first search over the whole text. */
function findSpan(re: RE2JS, text: string): string {
  const m = re.matcher(text);
  return m.find() ? `${m.start()}-${m.end()}` : 'none';
}

function fastSpan(rx: CompiledRegex, text: string): string {
  let lower: string | undefined;
  const span = regexSpan(rx, text, () => {
    lower ??= lowerForFilter(text);
    return lower;
  });
  return span ? `${span.start}-${span.end}` : 'none';
}

function starts(source: string) {
  return regexStarts(RE2JS.compile(source, RE2JS.CASE_INSENSITIVE));
}

/** Characters that stress case folding, word boundaries, line starts and surrogate pairs. */
const POOL = [
  ...'aeksAEKS xyz XYZ_09\n\t\r.-#=*%<>[]()!/@:"\'',
  '\u212a',
  '\u017f',
  '\u0130',
  '\u0131',
  'é',
  'É',
  'ß',
  '“',
  '🔓',
  '🔒',
  '\u00a0',
  '\u0000',
  '\ud800',
];

interface RawInst {
  op: number;
  out: number;
  arg: number;
  runes: ArrayLike<number>;
  matchRune(r: number): boolean;
}

/** A random string along a random path of the program (assertions ignored, so it may or may not match). */
function sample(re: RE2JS, rand: () => number): string {
  const prog = programOf(re) as unknown as { inst: RawInst[]; start: number };
  let pc = prog.start;
  let out = '';
  for (let steps = 0; steps < 400; steps++) {
    const inst = prog.inst[pc]!;
    if (inst.op === 1 || inst.op === 2) pc = rand() < 0.5 ? inst.out : inst.arg;
    else if (inst.op === 3 || inst.op === 4 || inst.op === 7) pc = inst.out;
    else if (inst.op === 5 || inst.op === 6) return out;
    else {
      const fits = POOL.filter((ch) => inst.matchRune(ch.codePointAt(0)!));
      if (fits.length > 0 && rand() < 0.9) out += fits[Math.floor(rand() * fits.length)];
      else if (inst.runes.length >= 2) {
        const pair = 2 * Math.floor((rand() * inst.runes.length) / 2);
        const lo = inst.runes[pair]!;
        const hi = Math.min(inst.runes[pair + 1]!, lo + 200);
        const cp = lo + Math.floor(rand() * (hi - lo + 1));
        out += cp >= 0xd800 && cp <= 0xdfff ? 'q' : String.fromCodePoint(cp);
      } else if (inst.runes.length === 1) {
        const ch = String.fromCodePoint(inst.runes[0]!);
        out += rand() < 0.5 ? ch.toUpperCase() : ch;
      } else out += 'z';
      pc = inst.out;
    }
  }
  return out;
}

function filler(rand: () => number, max: number): string {
  let s = '';
  const n = Math.floor(rand() * max);
  for (let i = 0; i < n; i++) s += POOL[Math.floor(rand() * POOL.length)];
  return s;
}

/** Texts around samples: at text start, after newlines, glued to word characters, overlapping, cut, cased. */
function texts(re: RE2JS, rand: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < 60; i++) {
    const a = sample(re, rand);
    const b = sample(re, rand);
    out.push(
      a,
      `${filler(rand, 6)}${a}${filler(rand, 6)}`,
      `x${a}`,
      `${a}x`,
      `\n${a}`,
      `ab\n${a}\n`,
      `${a.slice(0, Math.ceil(a.length / 2))}${b}`,
      `${a}${b}${a}`,
      a.slice(0, -1),
      a.toUpperCase(),
      a.replaceAll('k', '\u212a').replaceAll('s', '\u017f'),
      `\u0130${a}`,
      `🔓${a}🔒`,
    );
  }
  return out;
}

const ruleSet = loadRuleSet(defaultRulesDir());
const shipped = ruleSet.rules.flatMap((rule) =>
  [rule.patterns, rule.exceptions].flatMap((block) =>
    (block?.regex ?? []).map((entry) => ({ id: rule.id, source: regexSource(entry) })),
  ),
);
const examples = ruleSet.rules.flatMap((rule) => [
  ...(rule.examples?.positive ?? []),
  ...(rule.examples?.negative ?? []),
]);

describe('regex start analysis', () => {
  it('finds the literals, text and line starts every match begins with', () => {
    const words = starts(String.raw`\b(?:repeat|print)\b\s+it`)!;
    expect(words).toMatchObject({ textStart: false, lineStart: false });
    // Both words, possibly cut short (the depth is chosen by cost): each literal starts one of them.
    expect(words.literals).toHaveLength(2);
    expect(words.literals.find((l) => 'repeat'.startsWith(l))?.length).toBeGreaterThanOrEqual(4);
    expect(words.literals.find((l) => 'print'.startsWith(l))?.length).toBeGreaterThanOrEqual(4);
    expect(starts(String.raw`(?m)^\s*system`)).toEqual({ literals: [], textStart: false, lineStart: true });
    expect(starts(String.raw`(?:\n|^)---`)).toMatchObject({ textStart: true, lineStart: false });
    expect(starts(String.raw`(?:\n|^)---`)!.literals).toEqual(['\n---']);
  });

  it('lower-cases folded letters (Kelvin sign and long s included) and keeps caseless characters', () => {
    expect(starts('KS')!.literals).toEqual(['ks']);
    expect(starts('\u212a\u017fx')!.literals).toEqual(['ksx']);
    expect(starts('🔓x')!.literals).toEqual(['🔓x']);
  });

  it('refuses what it cannot bound: empty matches, wide classes first, cased non-ASCII letters first', () => {
    expect(starts('a*')).toBeNull();
    expect(starts(String.raw`\w+x`)).toBeNull();
    expect(starts('.x')).toBeNull();
    expect(starts('éx')).toBeNull();
    expect(starts('\u0130x')).toBeNull();
  });

  it('stops a literal at a wide class or a cased non-ASCII letter', () => {
    expect(starts(String.raw`ab\w`)!.literals).toEqual(['ab']);
    expect(starts('abéc')!.literals).toEqual(['ab']);
  });
});

describe('anchored regex test', () => {
  it('gives the same span as find() for every shipped rule regex on sampled and crafted texts', () => {
    const rand = rng(20261126);
    let compared = 0;
    let matched = 0;
    for (const { id, source } of shipped) {
      const rx = compileRegex(source);
      expect(rx.anchored, id).not.toBeNull();
      for (const text of [...texts(rx.re, rand), ...examples]) {
        const expected = findSpan(rx.re, text);
        expect(fastSpan(rx, text), `${id} ${JSON.stringify(text)}`).toBe(expected);
        expect(rx.anchored!.test(text, lowerForFilter(text)), id).toBe(expected !== 'none');
        compared++;
        if (expected !== 'none') matched++;
      }
    }
    // The samples must actually exercise matches, not only misses.
    expect(matched).toBeGreaterThan(compared / 10);
  });

  it('sees the character before each start as the unanchored search does (\\b, ^, (?m)^)', () => {
    const cases: [string, string[]][] = [
      [String.raw`\bab`, ['ab', 'xab', ' ab', '_ab', 'éab', '🔓ab', '\u212aab', 'AB', 'x\nab']],
      ['(?m)^ab', ['ab', 'x\nab', 'x ab', '\nab', 'x\r\nab', 'xab\n']],
      ['^ab|-ab', ['ab', 'x-ab', 'xab', '\nab', '-AB']],
      [String.raw`ab\b`, ['ab', 'abx', 'ab ', 'ab\u212a', 'abé']],
      [String.raw`(?:^|\s)/d`, ['/d', 'x /d', 'x/d', '\n/D', 'x\t/d']],
    ];
    for (const [source, inputs] of cases) {
      const rx = compileRegex(source);
      expect(rx.anchored, source).not.toBeNull();
      for (const text of inputs) expect(fastSpan(rx, text), `${source} ${text}`).toBe(findSpan(rx.re, text));
    }
  });

  it('falls back to the full-text test when lower-casing changes the length (İ)', () => {
    const rx = compileRegex(String.raw`\bab`);
    const spy = vi.spyOn(rx.re, 'test');
    expect(rx.anchored!.test('\u0130 ab', lowerForFilter('\u0130 ab'))).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('stays linear on overlapping starts: past its budget the full-text test decides', () => {
    const source = String.raw`(?:\n|^)\s*(?:[#=*%\-]{3,})\s*(?:new|real|updated|actual)\s+instructions?`;
    const rx = compileRegex(source);
    const spy = vi.spyOn(rx.re, 'test');
    for (const text of ['\n'.repeat(200_000), `${'\n'.repeat(200_000)}--- new instructions`]) {
      expect(rx.anchored!.test(text, lowerForFilter(text))).toBe(rx.re.matcher(text).find());
    }
    expect(spy).toHaveBeenCalled();
  });

  it('ends in the full-text test when a start sits at every other character (attempt budget)', () => {
    const rx = compileRegex(String.raw`<\|(?:system|assistant)\|>`);
    const spy = vi.spyOn(rx.re, 'test');
    for (const text of ['<|'.repeat(100_000), `${'<|'.repeat(100_000)}<|system|>`]) {
      expect(rx.anchored!.test(text, lowerForFilter(text))).toBe(rx.re.matcher(text).find());
    }
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('answers 1 MB texts of one repeated character the same as the full-text test', () => {
    for (const { id, source } of shipped) {
      const rx = compileRegex(source);
      for (const ch of ['a', ' ', '\n', '[']) {
        const text = ch.repeat(1 << 20);
        expect(rx.anchored!.test(text, lowerForFilter(text)), `${id} ${JSON.stringify(ch)}`).toBe(
          rx.re.test(text),
        );
      }
    }
  });

  it('is derived only when the re2js internals answer the probes as expected', () => {
    expect(AnchoredTest.for(RE2JS.compile(String.raw`\bmy x`, RE2JS.CASE_INSENSITIVE))).not.toBeNull();
  });
});
