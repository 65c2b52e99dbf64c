import { describe, expect, it } from 'vitest';
import { rng } from '../../normalize/test-helpers.js';
import { compileRuleSet } from './compile.js';
import { HitTable } from './hits.js';
import { defaultRulesDir } from './index.js';
import { keywordWindow } from './keyword-windows.js';
import { loadRuleSet } from './loader.js';
import { CanonicalBuffer, canonicalizeInto } from './text.js';

const shipped = compileRuleSet(loadRuleSet(defaultRulesDir()));

/**
 * Texts made of the terms of a few shipped keyword sets in random order, with filler words, separators,
 * marks and capitals between them (so many windows are found and many are just too wide).
 */
function texts(count: number): string[] {
  const next = rng(23);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const sets = shipped.rules.flatMap((r) => [...r.match.keywords, ...(r.except?.keywords ?? [])]);
  const glue = [' ', ' ', '  ', ', ', '. ', '-', '\u0301 ', ' the ', ' and then ', ' X ', ' a b c d '];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const chosen = [pick(sets), pick(sets)];
    let text = '';
    const length = 2 + Math.floor(next() * 16);
    for (let w = 0; w < length; w++) {
      const pattern = shipped.patterns[pick(pick(pick(chosen).groups))]!;
      const term = pattern.prefix && next() < 0.5 ? `${pattern.text}ing` : pattern.text;
      text += (next() < 0.2 ? term.toUpperCase() : term) + pick(glue);
    }
    out.push(text);
  }
  return out;
}

describe('keyword windows', () => {
  it("find the same windows from the hits' word numbers as from the canonical word map", () => {
    const words = shipped.automaton.words!;
    const n = shipped.patterns.length;
    const spaces = Int32Array.from(shipped.patterns, (p) => p.text.split(' ').length - 1);
    const keep = new Uint8Array(n).fill(1);
    const worded = new HitTable(n, keep, spaces);
    const plain = new HitTable(n, keep, spaces);
    const read = new CanonicalBuffer(16);
    const mapped = new CanonicalBuffer(16);
    let windows = 0;
    let checked = 0;
    for (const text of texts(3000)) {
      if (!words.readText(text, read)) continue;
      worded.reset();
      plain.reset();
      words.scanRead(worded.record);
      // The same hits without word numbers: the window search then reads the word map.
      words.scanRead((p, s, e) => plain.record(p, s, e));
      expect(worded.worded).toBe(true);
      expect(plain.worded).toBe(false);
      canonicalizeInto(text, mapped);
      let mapReads = 0;
      const words1 = () => {
        mapReads++;
        return mapped;
      };
      for (const rule of shipped.rules) {
        for (const set of [...rule.match.keywords, ...(rule.except?.keywords ?? [])]) {
          if (!set.groups.every((g) => g.some((id) => worded.has(id)))) continue;
          const a = keywordWindow(set, { hits: worded, words: words1 });
          const b = keywordWindow(set, { hits: plain, words: () => mapped });
          expect(a).toEqual(b);
          checked++;
          if (a) windows++;
        }
      }
      // With word numbers in the hits the word map is never asked for.
      expect(mapReads).toBe(0);
    }
    expect(checked).toBeGreaterThan(2000);
    expect(windows).toBeGreaterThan(200);
  });
});
