/**
 * CPU cost of the normaliser and the rule detector per 2 KB text of ordinary prompts/prose:
 * `npx tsx bench/rules-normalize.cpu.ts [rounds]`. Texts are built from a fixed sample of the shared corpora
 * (../shared/datasets; built-in prose if absent). Each component is timed with process.cpuUsage() over whole
 * passes, interleaved with a calibration loop (a plain 2 KB char loop) so that figures taken under different
 * machine load can be compared: `ratio` = component CPU / calibration CPU. Measures only; asserts nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../src/config/load.js';
import { ruleDetectorFor } from '../src/detect/rules/index.js';
import { createNormalizer } from '../src/normalize/index.js';
import type { Normalized } from '../src/normalize/types.js';

const rounds = Number(process.argv[2] ?? 5);
const DATASETS = new URL('../../shared/datasets/', import.meta.url);
const SOURCES = [
  'alpaca',
  'deepset_train',
  'jailbreak_llms_prompts',
  'cysecbench',
  'notinject',
  'bipia_train',
  'oasst1_en',
];
const FALLBACK =
  'Please summarise the attached quarterly report for the board. Focus on revenue growth, churn and the new ' +
  'pricing experiment; keep it under 200 words and list three risks we should discuss on 12 March 2024. ';

function pool(): string[] {
  const out: string[] = [];
  for (const s of SOURCES) {
    const file = new URL(`${s}.jsonl`, DATASETS);
    if (!existsSync(file)) continue;
    const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    for (let i = 0; i < rows.length && out.length < 400 * (SOURCES.indexOf(s) + 1); i += 7)
      out.push((JSON.parse(rows[i]!) as { text: string }).text);
  }
  return out.length ? out : [FALLBACK];
}

const sourceTexts = pool();
const texts: string[] = [];
for (let i = 0, k = 0; i < 500; i++) {
  let t = '';
  while (t.length < 2048) t += `${sourceTexts[k++ % sourceTexts.length]} `;
  texts.push(t.slice(0, 2048));
}

const config = loadConfig().screening;
const normalize = createNormalizer(config.normalize);
const rules = ruleDetectorFor(config);
const normalized: Normalized[] = texts.map((t) => normalize(t));
const views = normalized.reduce((a, n) => a + n.views.length, 0) / normalized.length;

let sink = 0;
function charLoop(text: string): number {
  let x = 0;
  for (let i = 0; i < text.length; i++) x = (x + text.charCodeAt(i)) | 0;
  return x;
}

function cpuPerText(run: (i: number) => void, reps: number): number {
  const c0 = process.cpuUsage();
  for (let r = 0; r < reps; r++) for (let i = 0; i < texts.length; i++) run(i);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / (reps * texts.length);
}

const calibrate = () =>
  cpuPerText((i) => {
    for (let k = 0; k < 20; k++) sink ^= charLoop(texts[i]!);
  }, 1) / 20;
const norm = () =>
  cpuPerText((i) => {
    sink ^= normalize(texts[i]!).views.length;
  }, 1);
const rule = () =>
  cpuPerText((i) => {
    sink ^= rules.detect({ request: { text: texts[i]!, side: 'input' }, normalized: normalized[i]! }).evidence
      .length;
  }, 1);

// Warm-up.
norm();
rule();
calibrate();
const acc = { cal: [] as number[], norm: [] as number[], rules: [] as number[] };
for (let r = 0; r < rounds; r++) {
  acc.cal.push(calibrate());
  acc.norm.push(norm());
  acc.rules.push(rule());
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cal = median(acc.cal);
console.log(`texts ${texts.length} x 2 KB, avg views ${views.toFixed(2)}, rounds ${rounds} (median)`);
console.log(`calibration 2 KB char loop  ${cal.toFixed(2)} µs`);
for (const k of ['norm', 'rules'] as const) {
  const m = median(acc[k]);
  console.log(`${k.padEnd(26)} ${m.toFixed(1).padStart(7)} µs   ratio ${(m / cal).toFixed(0)}x calibration`);
}
if (sink === 0.5) console.log(sink);
