import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { screeningSchema } from '../src/config/sections/screening.js';
import { cachedModel, createLearnedDetector, packageModelsDir } from '../src/detect/learned/detector.js';
import { LearnedModel } from '../src/detect/learned/model.js';
import { createNormalizer } from '../src/normalize/index.js';
import { corpusTexts } from './corpus.js';
import { flag } from './args.js';

const TEXTS = Number(flag('--texts', '1000'));
const ROUNDS = Number(flag('--rounds', '3'));
const BASELINE = flag('--baseline');

/** Real prompts from several sets (bench/corpus.ts). */
const realPool = corpusTexts;

/** Without the datasets: sentences of seeded pseudo-random words (still thousands of distinct n-grams). */
function syntheticPool(): string[] {
  let seed = 0x2545f491;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  const words = Array.from({ length: 5000 }, () => {
    let w = '';
    for (let n = 2 + (next() % 9); n > 0; n--)
      w += letters[((next() >>> 8) % 13) + ((next() >>> 4) % 2) * 13];
    return w;
  });
  return Array.from({ length: 2000 }, () => {
    const n = 8 + (next() % 40);
    return `${Array.from({ length: n }, () => words[next() % words.length]).join(' ')}.`;
  });
}

function textsOf(pool: readonly string[], bytes: number, count: number): string[] {
  const out: string[] = [];
  let k = 0;
  for (let i = 0; i < count; i++) {
    let text = '';
    while (text.length < bytes) text += `${pool[k++ % pool.length]} `;
    out.push(text.slice(0, bytes));
  }
  return out;
}

/** Best of ROUNDS passes over all texts: wall ns and CPU ns per call. */
function measure(texts: readonly string[], fn: (text: string) => void): { wall: number; cpu: number } {
  for (const text of texts) fn(text); // warm up the JIT and the caches
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    for (const text of texts) fn(text);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu0);
    wall = Math.min(wall, (ms * 1e6) / texts.length);
    cpu = Math.min(cpu, ((used.user + used.system) * 1e3) / texts.length);
  }
  return { wall, cpu };
}

const pool = realPool();
const source = pool.length ? `${pool.length} prompts from ../shared/datasets` : 'synthetic vocabulary';
const model = cachedModel(packageModelsDir());
const detector = createLearnedDetector(screeningSchema.parse({}))!;
const normalize = createNormalizer();
console.log(`learned detector bench: ${TEXTS} distinct texts per size (${source}), best of ${ROUNDS} rounds`);

const fmt = (ns: number) => `${(ns / 1000).toFixed(1).padStart(7)} µs`;
// The same artifact scored by the JavaScript extractor, the reference and fallback of the WebAssembly kernel.
const jsPath = new LearnedModel(model.artifact, { kernel: false });
console.log(`scoring path: ${model.usesKernel ? 'WebAssembly kernel' : 'JavaScript (no kernel available)'}`);
for (const size of [256, 2048, 8192]) {
  const texts = textsOf(pool.length ? pool : syntheticPool(), size, TEXTS);
  const view = measure(texts, (text) => model.score(text, 'input'));
  const js = measure(texts, (text) => jsPath.score(text, 'input'));
  const inputs = new Map(
    texts.map((text) => [text, { request: { text, side: 'input' as const }, normalized: normalize(text) }]),
  );
  const request = measure(texts, (text) => detector.detect(inputs.get(text)!));
  console.log(
    `${String(size).padStart(5)} B  model per scored view: wall ${fmt(view.wall)} cpu ${fmt(view.cpu)}` +
      `  (JavaScript path: cpu ${fmt(js.cpu)})` +
      `  |  detector per request: wall ${fmt(request.wall)} cpu ${fmt(request.cpu)}`,
  );
}

interface Scorer {
  score(text: string, side: 'input'): unknown;
}

/** Alternating rounds of this checkout's model and the baseline's on the same 2 KB texts. */
async function compare(dir: string): Promise<void> {
  const root = resolve(dir);
  const { loadModel: loadBaseline } = (await import(join(root, 'src/detect/learned/detector.ts'))) as {
    loadModel: (dir: string) => Scorer;
  };
  const models: Array<[string, Scorer]> = [
    [`baseline ${root}`, loadBaseline(join(root, 'models'))],
    ['this checkout', model],
  ];
  const texts = textsOf(pool.length ? pool : syntheticPool(), 2048, TEXTS);
  const rounds = Math.max(ROUNDS, 5);
  const stats = models.map(() => ({
    mean: 0,
    best: Number.POSITIVE_INFINITY,
    cpu: Number.POSITIVE_INFINITY,
  }));
  for (const [, m] of models) for (const text of texts) m.score(text, 'input');
  for (let r = 0; r < rounds; r++) {
    models.forEach(([, m], i) => {
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      for (const text of texts) m.score(text, 'input');
      const ns = ((performance.now() - started) * 1e6) / texts.length;
      const used = process.cpuUsage(cpu0);
      const s = stats[i]!;
      s.mean += ns / rounds;
      s.best = Math.min(s.best, ns);
      s.cpu = Math.min(s.cpu, ((used.user + used.system) * 1e3) / texts.length);
    });
  }
  console.log(`2 KB texts, model per scored view, ${rounds} alternating rounds:`);
  models.forEach(([name], i) => {
    const s = stats[i]!;
    console.log(`  ${name}: wall mean ${fmt(s.mean)}  wall best ${fmt(s.best)}  cpu best ${fmt(s.cpu)}`);
  });
}

if (BASELINE) await compare(BASELINE);
