/**
 * Whole-engine CPU per 2 KB text (not a test): the screen bench's 2,000 texts of 2 KB, sides rotating, verdict
 * cache off, timed with process.cpuUsage() (CPU, not wall clock, so a busy machine disturbs it less), best of
 * R passes of N texts after a warm-up. Run it alternately on two trees to compare them.
 * Run: N=6000 R=3 npx tsx bench/screen-cpu.bench.ts
 */
import { loadConfig } from '../src/config/load.js';
import type { Side } from '../src/core/types.js';
import { createScreener } from '../src/detect/index.js';
import { corpusTexts, fixedSizeTexts } from './corpus.js';

const config = loadConfig({ env: process.env, flags: { screening: { cache: { entries: 0 } } } });
const screener = createScreener(config.screening);
const texts = fixedSizeTexts(corpusTexts(), 2048, 2000);
const sides: Side[] = ['input', 'document', 'output'];
for (let i = 0; i < 4000; i++) screener.screen({ text: texts[i % texts.length]!, side: sides[i % 3]! });
const n = Number(process.env.N ?? 6000);
const passes = Number(process.env.R ?? 3);
let best = Number.POSITIVE_INFINITY;
for (let r = 0; r < passes; r++) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) screener.screen({ text: texts[i % texts.length]!, side: sides[i % 3]! });
  const used = process.cpuUsage(t0);
  best = Math.min(best, (used.user + used.system) / n);
}
process.stdout.write(
  `whole engine, 2 KB texts: best CPU ${best.toFixed(1)} µs per text (${Math.round(1e6 / best)} texts/s per core), best of ${passes} passes of ${n}\n`,
);
