/**
 * Where the screening engine's tail latency comes from (not a test): the same 2,000 texts of 2 KB as
 * bench/screen.bench.ts, each timed at the best of five passes, so what remains is the cost of the text itself
 * (more views, more rule candidates and regex runs), not a garbage collection or the scheduler that happened to
 * land on it. Prints the percentiles of those per-text minima and the slowest texts' views.
 *
 *   npx tsx bench/screen-tail.bench.ts [--passes 5]
 */
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/load.js';
import type { Side } from '../src/core/types.js';
import { createScreener } from '../src/detect/index.js';
import { createNormalizer } from '../src/normalize/index.js';
import { corpusTexts, fixedSizeTexts } from './corpus.js';

const at = process.argv.indexOf('--passes');
const passes = at >= 0 ? Number(process.argv[at + 1]) : 5;
const pool = corpusTexts();
if (pool.length === 0) {
  process.stderr.write('../shared/datasets not found: this benchmark needs the real corpus\n');
  process.exit(1);
}
const texts = fixedSizeTexts(pool, 2048, 2000);
const config = loadConfig({ env: process.env, flags: { screening: { cache: { entries: 0 } } } });
const screener = createScreener(config.screening);
const normalize = createNormalizer(config.screening.normalize);
const sides: Side[] = ['input', 'document', 'output'];

for (let i = 0; i < texts.length; i++) screener.screen({ text: texts[i]!, side: sides[i % 3]! }); // warm-up
// Garbage collections during the timed passes: a minor one costs ~0.5 ms and lands on whichever text is running.
const gcs = { minor: 0, minorMs: 0, major: 0 };
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      gcs.minor++;
      gcs.minorMs += entry.duration;
    } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gcs.major++;
  }
});
observer.observe({ entryTypes: ['gc'] });
const best = texts.map(() => Number.POSITIVE_INFINITY);
for (let pass = 0; pass < passes; pass++) {
  for (let i = 0; i < texts.length; i++) {
    const started = performance.now();
    screener.screen({ text: texts[i]!, side: sides[i % 3]! });
    best[i] = Math.min(best[i]!, performance.now() - started);
  }
}
await new Promise((resolve) => setTimeout(resolve, 100)); // the observer delivers entries asynchronously
observer.disconnect();
const sorted = [...best].sort((a, b) => a - b);
const pct = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(3);
console.log(
  `2 KB, best of ${passes} passes per text: p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms`,
);
const screened = passes * texts.length;
console.log(
  `garbage collections while screening ${screened} texts: ${gcs.minor} minor (one per ${Math.round(screened / Math.max(1, gcs.minor))} texts, ` +
    `${(gcs.minorMs / Math.max(1, gcs.minor)).toFixed(2)} ms each), ${gcs.major} major`,
);
const slowest = [...best.keys()].sort((a, b) => best[b]! - best[a]!).slice(0, 5);
for (const i of slowest) {
  const views = normalize(texts[i]!).views.map((v) => v.id);
  console.log(`  ${best[i]!.toFixed(3)} ms  ${sides[i % 3]}  views ${views.join(',')}`);
}
