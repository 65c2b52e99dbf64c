import { resolve } from 'node:path';
import { corpusTexts } from './corpus.js';

interface Impl {
  name: string;
  normalize: (text: string) => { views: readonly unknown[] };
  rules: { detect(input: unknown): { evidence: readonly unknown[] } };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const rounds = Number(arg('--rounds') ?? 7);
const baseline = arg('--baseline');

const FALLBACK =
  'Please summarise the attached quarterly report for the board. Focus on revenue growth, churn and the new ' +
  'pricing experiment; keep it under 200 words and list three risks we should discuss on 12 March 2024. ';

function pool(): string[] {
  const out = corpusTexts();
  return out.length ? out : [FALLBACK];
}

async function load(root: string, name: string): Promise<Impl> {
  const at = (p: string) => new URL(`file://${resolve(root, p)}`).href;
  const { loadConfig } = await import(at('src/config/load.ts'));
  const { ruleDetectorFor } = await import(at('src/detect/rules/index.ts'));
  const { createNormalizer } = await import(at('src/normalize/index.ts'));
  const config = loadConfig().screening;
  // Both trees match this tree's rule files, so only the engine differs.
  const rules = { ...config.rules, dir: config.rules.dir ?? resolve(import.meta.dirname, '..', 'rules') };
  return {
    name,
    normalize: createNormalizer(config.normalize),
    rules: ruleDetectorFor({ ...config, rules }),
  };
}

const sourceTexts = pool();
const texts: string[] = [];
for (let i = 0, k = 0; i < 500; i++) {
  let t = '';
  while (t.length < 2048) t += `${sourceTexts[k++ % sourceTexts.length]} `;
  texts.push(t.slice(0, 2048));
}

const impls: Impl[] = [];
if (baseline) impls.push(await load(baseline, 'baseline'));
impls.push(await load(resolve(import.meta.dirname, '..'), baseline ? 'this tree' : ''));
const normalized = impls.map((impl) => texts.map((t) => impl.normalize(t)));

let sink = 0;
function cpuPerText(run: (i: number) => void): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < texts.length; i++) run(i);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / texts.length;
}
function calibrate(): number {
  return (
    cpuPerText((i) => {
      const text = texts[i]!;
      for (let k = 0; k < 20; k++)
        for (let j = 0; j < text.length; j++) sink = (sink + text.charCodeAt(j)) | 0;
    }) / 20
  );
}

const samples = new Map<string, number[]>();
const record = (key: string, value: number) => {
  const list = samples.get(key) ?? [];
  list.push(value);
  samples.set(key, list);
};
for (let r = 0; r <= rounds; r++) {
  const warm = r === 0;
  const cal = calibrate();
  if (!warm) record('calibration', cal);
  impls.forEach((impl, j) => {
    const norm = cpuPerText((i) => {
      sink ^= impl.normalize(texts[i]!).views.length;
    });
    const rules = cpuPerText((i) => {
      const input = { request: { text: texts[i]!, side: 'input' }, normalized: normalized[j]![i]! };
      sink ^= impl.rules.detect(input).evidence.length;
    });
    if (!warm) {
      record(`normalize ${impl.name}`, norm);
      record(`rules ${impl.name}`, rules);
    }
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const views = normalized.at(-1)!.reduce((a, n) => a + n.views.length, 0) / texts.length;
const cal = median(samples.get('calibration')!);
console.log(`${texts.length} texts x 2 KB, avg views ${views.toFixed(2)}, ${rounds} rounds (median round)`);
console.log(`${'calibration (2 KB char loop)'.padEnd(30)} ${cal.toFixed(2).padStart(8)} µs`);
for (const [key, values] of samples) {
  if (key === 'calibration') continue;
  const m = median(values);
  console.log(
    `${key.padEnd(30)} ${m.toFixed(1).padStart(8)} µs   ${(m / cal).toFixed(1).padStart(6)} x calibration`,
  );
}
if (sink === 0.5) console.log(sink);
