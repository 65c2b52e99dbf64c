import type { TrainResult } from '../../src/detect/learned/train.js';

interface HeldOut {
  auroc: number | null;
  recallBalanced: number | null;
  positives: number;
  fprBalancedBySet: Record<string, number>;
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`;

/** The model card written beside the artifact by `npm run train`. */
export function renderModelCard(result: TrainResult, meta: { excludedSets: string[]; date: string }): string {
  const t = result.header.training as {
    options: Record<string, unknown>;
    dataSha256: string;
    rowsBySet: Record<string, { rows: number; malicious: number; heldOut: number }>;
    heldOut: Record<string, HeldOut>;
  };
  const sets = Object.entries(t.rowsBySet)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([set, s]) => `| ${set} | ${s.rows} | ${s.malicious} | ${s.rows - s.heldOut} | ${s.heldOut} |`);
  const outputs = Object.entries(t.heldOut).map(([name, h]) => {
    const worst = Object.entries(h.fprBalancedBySet ?? {}).sort((a, b) => b[1] - a[1])[0];
    return `| ${name} | ${h.auroc ?? '–'} | ${pct(h.recallBalanced)} (${h.positives}) | ${worst ? `${worst[0]} ${pct(worst[1])}` : '–'} |`;
  });
  const knots = result.header.outputs.map(
    (o) =>
      `| ${o.side}/${o.target} | ${o.head} | ${o.knots.map(([z, s]) => `${z.toFixed(2)}→${s}`).join(', ')} |`,
  );
  return `# Model card: Interdict learned detector (\`models/learned.bin\`)

| | |
|---|---|
| trained | ${meta.date} (\`npm run train\`) |
| artifact sha256 | \`${result.sha256}\` |
| artifact size | ${result.bytes.length} bytes |
| training data sha256 | \`${t.dataSha256}\` |
| runs on | CPU, in-process: a WebAssembly scoring kernel (\`wasm/learned-kernel.wasm\`, built from its source) with the TypeScript extractor as reference and fallback; no download |

## What it is
Multi-head logistic regression over hashed sparse features (2^${result.header.features.bits} buckets, signed hashing):
word unigrams and bigrams, sentence-lead words (first word and first two words of every sentence or line:
they carry intent, an imperative "write ransomware" vs. a question "how is ransomware detected"), character
${(result.header.features.charOrders ?? [3, 4, 5]).join('/')}-grams over the lower-cased, digit-folded, whitespace-collapsed text (new wordings, misspellings, other languages) and a length
bucket. Each text is capped to its first ${result.header.features.head} and last ${result.header.features.tail} characters.
Weights are int8 with one scale per head; the artifact is a JSON header plus the weight matrix.

Heads: ${result.header.heads.map((h) => `\`${h}\``).join(', ')}.
- \`injection\` (inputs and documents): instructions aimed at the model (deepset injection, BIPIA documents with inserted tasks).
- \`jailbreak\` (inputs): jailbreak templates (jailbreak_llms prompts, GPTFuzz templates).
- \`misuse\` (inputs): a request for harmful help. Trained on every malicious request with a misuse category AND on
  \`harmful\` rows (misuse of unknown kind): the category is decided separately by the router.
- \`route_*\`: a router over cyber/fraud/influence/violence/other_harm trained only on rows whose category is known;
  the misuse score goes in full to the most likely category and in proportion to the others. So a \`harmful\` row
  still raises a category score (its most likely one), never a made-up "harmful" category.
- \`doc_fraud\` (documents): scam / spam messages (SMS spam).
- \`output_harm\` (outputs): harmful completions (GPTFuzz labelled responses), routed to a category like \`misuse\`.

Jailbreak and injection rows are left out of each other's heads (sources label the same role-play prompts either
way); misuse requests are negatives for both attack heads.

## Data
Only rows whose \`permissive\` field is true (MIT, Apache-2.0, BSD, CC0, CC-BY-4.0). Never trained on:
${meta.excludedSets.map((s) => `\`${s}\``).join(', ')} (they are used for out-of-distribution evaluation only).
Per (set, side, label) at most ${t.options.maxRowsPerGroup} rows (deterministic sample by seeded id hash); within a
head each (set, label) group weighs at most ${t.options.groupCap} rows, then classes are balanced, so templated
sets (cysecbench: 12k rows) do not dominate. One row in five (by seeded id hash) is held out for calibration.

| set | rows used | malicious | trained | held out |
|---|---:|---:|---:|---:|
${sets.join('\n')}

## Calibration and operating points
For each side/category output, three operating points are chosen on held-out rows: the lowest logit at which, in
EVERY mostly-benign set of that side, at most ${pct(t.options.fpr ? (t.options.fpr as { strict: number }).strict : null)} (strict),
${pct((t.options.fpr as { balanced: number }).balanced)} (balanced) or ${pct((t.options.fpr as { permissive: number }).permissive)}
(permissive) of the benign rows score above it (plus a margin). Strict is kept at least 0.25 and permissive at
least 0.5 logit away from balanced (small held-out sets can put all three budgets on the same score). A piecewise-linear, strictly increasing map sends
these to 0.35 / 0.5 / 0.7, the engine's preset flag thresholds, so config presets and per-category overrides work
unchanged. Sets where benign rows are a minority (donotanswer, jailbreak_llms_questions: "advice" questions
labelled benign inside harmful-question sets) do not set operating points.

| output | head | knots (logit→score) |
|---|---|---|
${knots.join('\n')}

## Held-out metrics (in distribution: same sources, unseen rows)
Learned detector alone, balanced preset. These are optimistic: the sources were seen in training. See
\`docs/quality.md\` for leave-one-source-out and out-of-distribution figures of the whole engine.

| output | AUROC | recall at balanced (positives) | worst benign-set FPR at balanced |
|---|---:|---:|---|
${outputs.join('\n')}

## Size and cost
${result.header.heads.length} heads × 2^${result.header.features.bits} buckets of int8 weights (${Math.round(result.bytes.length / 1024)} KB on disk). The bucket count and
the character n-gram orders are chosen for speed: the engine's budget is p99 < 1 ms per 2 KB text for all detectors
together, and the cost of this model is one hashed-feature pass over the capped text plus one dot product per feature.
Earlier artifacts used 2^18 buckets and 3/4/5-grams (2.6 MB, about 3.3× the CPU per scored text); held-out AUROC
is equal or higher on every output. \`docs/performance.md\` (section "Learned detector") has the measured
cost and the held-out comparison of the options tried.

## Limits
- No prompt-leak head: no permissive prompt-leak data exists in the sets (tensor_trust is unlicensed). Prompt leaks
  are left to the rule detectors; the injection head catches some of them.
- Misinformation (influence) outputs: no permissive training data; \`output_harm\` is trained on harmful
  completions only, so generated misinformation is largely missed (see docs/quality.md, llmfake_politifact).
- Document injection is scored on the capped text as a whole: an instruction hidden in the middle of a long
  document (beyond the first ${result.header.features.head} and last ${result.header.features.tail} characters) is not seen.
- English-dominant training data: other languages rely on character n-grams and the few multilingual rows.

## Reproduce
\`npm run train -- --data ../shared/datasets\` (seed ${t.options.seed}); same data gives the same artifact bytes.
`;
}
