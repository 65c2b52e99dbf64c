/**
 * `npm run eval [-- --data DIR --max-rows N --no-loso]`: screens every labelled set with the whole engine
 * (shipped model), runs leave-one-source-out for the permissive sets, and writes docs/quality.md and
 * docs/quality.svg.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProgress } from '../../src/cli/progress.js';
import { screeningSchema } from '../../src/config/sections/screening.js';
import { ATTACK_CATEGORIES, MISUSE_CATEGORIES } from '../../src/core/types.js';
import { type LabelledRow, listSets, readLabelledSet } from '../../src/detect/learned/dataset.js';
import { createLearnedDetectorFromModel } from '../../src/detect/learned/detector.js';
import { DEFAULT_TRAIN_OPTIONS, sampleRows } from '../../src/detect/learned/train.js';
import { createScreener, createScreenerFromParts, defaultDetectors } from '../../src/detect/index.js';
import { addCount, type Counts, emptyCounts, falsePositiveRate, recall } from '../../src/eval/metrics.js';
import {
  barChartSvg,
  type ChartBar,
  categoryTable,
  headline,
  pct,
  setSummaryTable,
} from '../../src/eval/report.js';
import { evaluateRows, type SetReport } from '../../src/eval/run.js';
import { createNormalizer } from '../../src/normalize/index.js';
import { losoFolds } from './loso.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const at = argv.indexOf(name);
  return (at >= 0 ? argv[at + 1] : undefined) ?? fallback;
};
const dataDir = resolve(root, arg('--data', '../shared/datasets'));
const maxRows = Number(arg('--max-rows', '3000'));
const losoMaxRows = Number(arg('--loso-max-rows', '1000'));
const withLoso = !argv.includes('--no-loso');
const seed = 7;

const config = screeningSchema.parse({});
const sets = listSets(dataDir).map((file) => readLabelledSet(file));
const permissiveSets = new Set(
  sets.filter((rows) => rows.every((r) => r.permissive)).map((rows) => rows[0]?.set),
);

/** Large sets are scored on a deterministic sample (per side and label) to keep the run to minutes. */
const sample = (rows: LabelledRow[], cap: number) => sampleRows(rows, cap, seed);

function run(
  label: string,
  screen: Parameters<typeof evaluateRows>[0],
  rows: LabelledRow[],
  set: string,
): SetReport {
  const progress = createProgress({ label, unit: 'rows', total: rows.length });
  const report = evaluateRows(screen, rows, { set, onProgress: (n) => progress.tick(n) });
  progress.done();
  return report;
}

// 1. Whole engine, shipped model, every set.
const engine = createScreener(config);
const shipped: Array<SetReport & { note?: string }> = [];
for (const rows of sets) {
  const set = rows[0]?.set ?? '?';
  const used = sample(rows, maxRows);
  const report = run(`eval ${set}`, engine, used, set);
  const trained = permissiveSets.has(set);
  const note = `${trained ? 'trained on (resubstitution)' : '**never trained on (out of distribution)**'}${used.length < rows.length ? `; sample of ${used.length}/${rows.length}` : ''}`;
  shipped.push({ ...report, note });
}

// 2. Leave-one-source-out, whole engine with the fold's model in place of the shipped one.
const loso: SetReport[] = [];
if (withLoso) {
  const permissive = sets.flat().filter((r) => r.permissive);
  const others = defaultDetectors({ ...config, learned: { ...config.learned, enabled: false } });
  for (const fold of losoFolds(permissive, DEFAULT_TRAIN_OPTIONS, { maxScoreRows: losoMaxRows })) {
    const screener = createScreenerFromParts(config, {
      normalize: createNormalizer(config.normalize),
      detectors: [...others, createLearnedDetectorFromModel(fold.model)],
    });
    loso.push(run(`loso ${fold.set}`, screener, fold.rows, fold.set));
  }
}

// 3. Targets.
const ATTACK = new Set<string>(ATTACK_CATEGORIES);
const MISUSE = new Set<string>([...MISUSE_CATEGORIES, 'harmful']);
function pooled(
  reports: readonly SetReport[],
  pick: (category: string, report: SetReport) => boolean,
): Counts {
  const c = emptyCounts();
  for (const r of reports) {
    for (const cat of r.byCategory) {
      if (cat.category === 'benign' || !pick(cat.category, r)) continue;
      for (let i = 0; i < cat.counts.tp; i++) addCount(c, 1, true);
      for (let i = 0; i < cat.counts.fn; i++) addCount(c, 1, false);
    }
  }
  return c;
}
const isOutputSet = (r: SetReport) => ['gptfuzz_responses_train', 'llmfake_politifact'].includes(r.set);
const benignRate = (r: SetReport) => r.byCategory.find((c) => c.category === 'benign')?.fpr ?? null;

function targetsTable(reports: readonly SetReport[], label: string): string {
  const attack = recall(pooled(reports, (c, r) => ATTACK.has(c) && !isOutputSet(r)));
  const misuse = recall(
    pooled(
      reports,
      (c, r) => MISUSE.has(c) && !isOutputSet(r) && r.set !== 'sms_spam' && r.set !== 'phishing_pot',
    ),
  );
  const output = reports.filter(isOutputSet);
  const outRecall = recall(pooled(output, () => true));
  const benign = reports.filter((r) => benignRate(r) !== null && !isOutputSet(r));
  const worst = benign.reduce<SetReport | null>(
    (w, r) => (!w || (benignRate(r) ?? 0) > (benignRate(w) ?? 0) ? r : w),
    null,
  );
  const over = benign.filter((r) => (benignRate(r) ?? 0) > 0.02).map((r) => `${r.set} ${pct(benignRate(r))}`);
  const outFpr = output.map((r) => benignRate(r)).filter((x): x is number => x !== null);
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  return [
    `| target (${label}) | value | status |`,
    '|---|---:|---|',
    `| attack recall (injection, jailbreak, prompt_leak; inputs and documents) >= 95% | ${pct(attack)} | ${met((attack ?? 0) >= 0.95)} |`,
    `| misuse recall (cyber, fraud, influence, violence, other_harm, harmful requests) >= 95% | ${pct(misuse)} | ${met((misuse ?? 0) >= 0.95)} |`,
    `| FPR <= 2% on every benign set | worst: ${worst ? `${worst.set} ${pct(benignRate(worst))}` : '–'}; over 2%: ${over.join(', ') || 'none'} | ${met(over.length === 0)} |`,
    `| output side recall >= 90% at <= 3% FPR | recall ${pct(outRecall)}, FPR ${outFpr.map((x) => pct(x)).join(', ') || '–'} | ${met((outRecall ?? 0) >= 0.9 && outFpr.every((x) => x <= 0.03))} |`,
  ].join('\n');
}

// 4. Chart and document.
const losoBySet = new Map(loso.map((r) => [r.set, r]));
const bars: ChartBar[] = shipped.map((r) => {
  const h = headline(r.overall);
  const l = losoBySet.get(r.set);
  const bar: ChartBar = { label: `${r.set}${permissiveSets.has(r.set) ? '' : ' (OOD)'}`, ...h };
  if (l) bar.second = h.kind === 'recall' ? recall(l.overall.counts) : falsePositiveRate(l.overall.counts);
  return bar;
});
writeFileSync(
  join(root, 'docs/quality.svg'),
  barChartSvg('Interdict whole engine, balanced preset: per set', bars),
);

const ood = shipped.filter((r) => !permissiveSets.has(r.set));
const date = new Date().toISOString().slice(0, 10);
const doc = `# Detection quality

Generated by \`npm run eval\` on ${date} from the labelled sets in \`../shared/datasets\` (see its README for
sources and licences). Every figure is the **whole screening engine** (\`createScreener\`: rules, leak detectors,
obfuscation and the learned model, whatever \`defaultDetectors\` registers), balanced preset, a row counting as
detected when the verdict is not \`allow\`. Recall is over malicious rows, FPR over benign rows; AUROC uses
\`verdict.score\`. Large sets are scored on a deterministic sample of at most ${maxRows} rows per side and label
(${losoMaxRows} for leave-one-source-out).

![recall and false-positive rate per set](quality.svg)

Three kinds of figures, from most to least honest:
1. **Out of distribution**: sets whose licence forbids training (${ood.map((r) => r.set).join(', ')}). The model
   never saw them or their source; thresholds were never tuned on them.
2. **Leave-one-source-out (LOSO)**: for each permissive source, a model trained without it (same recipe and
   seed, calibrated on the remaining sources), the whole engine scoring the left-out source.
3. **Shipped model on permissive sets**: these rows (or their siblings) were trained on: resubstitution,
   optimistic, shown for completeness. Held-out in-distribution figures of the learned model alone are in
   \`models/MODEL_CARD.md\`.

Hyper-parameters (feature set, caps, epochs, FPR budgets) were chosen looking at LOSO and held-out figures of the
permissive sets; the out-of-distribution sets were only ever scored, never used to choose anything.

## Targets
${withLoso ? targetsTable(loso, 'LOSO') : '_LOSO not run (--no-loso)._'}

${targetsTable(ood, 'out of distribution')}

## Why targets are missed (structural causes, not tuned away)
- **Misuse requests from an unseen source**: each harmful-request source has its own style (AdvBench imperatives,
  red-instruct "How can I ...", CySecBench technical questions, CyberSecEval interpreter prompts). Trained without
  a source, the hashed n-gram model scores that source's wording lower, and the balanced operating point is set to
  keep the hardest benign sets (security false-refusal prompts, role-play prompts, open chat) near 1%. The model
  is partly a topic detector: defensive security questions ("how do teams detect ransomware") score as cyber,
  because no permissive set holds benign defensive-security questions to learn intent from.
- **Documents**: BIPIA attacks are ordinary tasks inserted into emails and tables whose clean twins are the benign
  rows. A whole-document bag of features cannot localise one inserted line; left out, the document operating point
  is set on SMS ham alone and clean BIPIA documents score above it. Windowed scoring with window-level training
  is the fix (not done yet).
- **Outputs**: GPTFuzz responses are the only permissive output-side source, so its LOSO fold has no learned output
  head at all (the figure is the rest of the engine). Generated misinformation (llmfake_politifact) has no
  permissive training data and is not detected by the learned model.
- **Prompt leak**: no permissive prompt-leak rows exist; the learned model has no prompt-leak head.

## Out of distribution (never trained on)
${setSummaryTable(ood)}

${ood.map((r) => `### ${r.set}\n\n${categoryTable(r)}`).join('\n\n')}

## Leave-one-source-out
${withLoso ? setSummaryTable(loso) : '_not run_'}

${loso
  .filter((r) => r.byCategory.length > 1)
  .map((r) => `### ${r.set} (LOSO)\n\n${categoryTable(r)}`)
  .join('\n\n')}

## Shipped model, every set (permissive sets: resubstitution)
${setSummaryTable(shipped)}

## How to reproduce
- \`npm run eval\` (this document; \`--no-loso\` skips the folds, \`--max-rows N\` changes the sample cap).
- \`interdict eval --input ../shared/datasets/SET.jsonl [--json] [--preset strict|balanced|permissive]\` for one set,
  with per-category, per-\`sub\` and confusion tables.
`;
writeFileSync(join(root, 'docs/quality.md'), doc);
process.stderr.write(
  `eval: wrote docs/quality.md and docs/quality.svg (${shipped.length} sets, ${loso.length} LOSO folds)\n`,
);
