/**
 * Leak detector throughput: `npx tsx bench/leaks.bench.ts`. Prints ns per call (mean) and the p99 of single
 * calls for the `secrets` and `pii` detectors on ordinary prose and code of 100 B, 2 KB and 20 KB, on
 * leak-dense text, and on hostile input. Normalisation runs once per text outside the timed loop, so the
 * figures are the detectors' own cost over every view the current normaliser produces. The median is the
 * figure to read on a shared machine (the mean absorbs descheduling); the load average is printed with it.
 * Measures only; nothing is asserted.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { DetectInput } from '../src/detect/types.js';
import { createPiiDetector, createSecretsDetector } from '../src/detect/leaks/index.js';
import { FakeKeys, groupDigits } from '../src/detect/leaks/testing/fake-keys.js';
import { createNormalizer } from '../src/normalize/index.js';

const keys = new FakeKeys(7);
const PROSE =
  'Please summarise the attached quarterly report for the board. Focus on revenue growth, churn and the new ' +
  'pricing experiment; keep it under 200 words and list three risks we should discuss on 12 March 2024. ';
const CODE =
  'def connect(cfg):\n    """Open a pooled connection using settings from the environment."""\n' +
  '    password = os.environ["DB_PASSWORD"]\n    url = f"postgres://{cfg.user}:{password}@{cfg.host}/app"\n' +
  '    for attempt in range(3):\n        try:\n            return pool.get(url, timeout=2.5)\n' +
  '        except TimeoutError as err:\n            log.warning("retry %d: %s", attempt, err)\n';
const LEAKY =
  `Hi, I'm jane.roe@megacorp.com (+1 415-555-2671). Card ${groupDigits(keys.card('4', 16), [4, 4, 4, 4])}. ` +
  `Token ${keys.githubToken()} and AWS ${keys.awsAccessKeyId()} / ${keys.awsSecretKey()}. IBAN ${keys.iban('DE', 18)}. ` +
  `DATABASE_URL=postgres://app:Zx81kq0PvQ3m@db/prod server 81.2.69.160. `;
const fill = (unit: string, chars: number) => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

const cases: Array<[string, string]> = [
  ['prose 100 B', fill(PROSE, 100)],
  ['prose 2 KB', fill(PROSE, 2048)],
  ['prose 20 KB', fill(PROSE, 20_480)],
  ['code 100 B', fill(CODE, 100)],
  ['code 2 KB', fill(CODE, 2048)],
  ['code 20 KB', fill(CODE, 20_480)],
  ['leak-dense 2 KB', fill(LEAKY, 2048)],
  ['base64 blob 2 KB', `config: ${Buffer.from(fill(LEAKY, 1500)).toString('base64')}`],
  ['hostile 50 KB digits+spaces', fill('1 2-3 ', 50_000)],
  [
    'hostile 50 KB base64 soup',
    keys.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 50_000),
  ],
];

const normalize = createNormalizer();
const detectors = [createSecretsDetector(), createPiiDetector()];

const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${load}`);
console.log('mean = ns per call over the timed loop; p50 / p99 = percentiles of single calls');
for (const detector of detectors) {
  console.log(`\n${detector.id}`);
  for (const [name, text] of cases) {
    const input: DetectInput = { request: { text, side: 'input' }, normalized: normalize(text) };
    const iterations = Math.max(50, Math.round(4_000_000 / Math.max(text.length, 100)));
    for (let i = 0; i < Math.min(iterations, 500); i++) detector.detect(input);
    const samples = new Float64Array(iterations);
    let findings = 0;
    const started = performance.now();
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      findings = detector.detect(input).evidence.length;
      samples[i] = performance.now() - t0;
    }
    const meanNs = ((performance.now() - started) * 1e6) / iterations;
    samples.sort();
    const p50Ns = samples[Math.floor(iterations * 0.5)]! * 1e6;
    const p99Ns = samples[Math.floor(iterations * 0.99)]! * 1e6;
    console.log(
      `  ${name.padEnd(30)} mean ${meanNs.toFixed(0).padStart(9)} ns  p50 ${p50Ns.toFixed(0).padStart(9)} ns  ` +
        `p99 ${p99Ns.toFixed(0).padStart(9)} ns  (${input.normalized.views.length} views, ${findings} findings)`,
    );
  }
}
