/**
 * Cost of the learned detector per request (feature extraction + every head + calibration), on texts of
 * 2 KB and other sizes, one core. Reports ns/op and ops/s; nothing is asserted.
 *
 *   npx tsx bench/learned.bench.ts [--iterations 20000]
 */
import { performance } from 'node:perf_hooks';
import { screeningSchema } from '../src/config/sections/screening.js';
import { createLearnedDetector } from '../src/detect/learned/detector.js';
import { createNormalizer } from '../src/normalize/index.js';

const args = process.argv.slice(2);
const at = args.indexOf('--iterations');
const ITER = Number(at >= 0 ? args[at + 1] : 20000);

const detector = createLearnedDetector(screeningSchema.parse({}))!;
const normalize = createNormalizer();

const paragraph =
  'Our quarterly report covers revenue, hiring plans and the migration of the billing service to the new cluster. ' +
  'Please review the attached figures before Thursday and send comments to the finance team. ';
function textOf(bytes: number): string {
  let text = '';
  while (text.length < bytes) text += paragraph;
  return text.slice(0, bytes);
}

for (const size of [256, 2048, 8192, 65536]) {
  const text = textOf(size);
  const normalized = normalize(text);
  const input = { request: { text, side: 'input' as const }, normalized };
  const iterations = Math.max(200, Math.round((ITER * 2048) / size));
  for (let i = 0; i < Math.min(2000, iterations); i++) detector.detect(input); // warm up the JIT
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) detector.detect(input);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const ns = (ms * 1e6) / iterations;
  // CPU time is what this process actually ran: on a shared, loaded machine wall time includes time spent
  // waiting for a core, so both are printed.
  const cpuNs = ((cpu.user + cpu.system) * 1e3) / iterations;
  console.log(
    `learned detector ${String(size).padStart(6)} B  wall ${ns.toFixed(0).padStart(8)} ns/op  cpu ${cpuNs.toFixed(0).padStart(8)} ns/op  ${Math.round(1e9 / cpuNs)} ops/s per core  (${iterations} iterations, ${normalized.views.length} view(s))`,
  );
}
