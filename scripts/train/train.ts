/**
 * `npm run train [-- --data DIR --out DIR]`: builds models/learned.bin from the labelled sets, using ONLY
 * rows whose `permissive` field is true, and writes the model card beside it. Same data → same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACT_FILE } from '../../src/detect/learned/artifact.js';
import { listSets, readLabelledSet } from '../../src/detect/learned/dataset.js';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from '../../src/detect/learned/train.js';
import { renderModelCard } from './model-card.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? process.argv[at + 1] : undefined;
  return value ?? fallback;
}

const dataDir = resolve(root, arg('--data', '../shared/datasets'));
const outDir = resolve(root, arg('--out', 'models'));

const started = Date.now();
const sets = listSets(dataDir).map((file) => readLabelledSet(file));
const all = sets.flat();
const permissive = all.filter((r) => r.permissive);
const excluded = [...new Set(all.filter((r) => !r.permissive).map((r) => r.set))].sort();
process.stderr.write(
  `train: ${permissive.length} permissive rows of ${all.length}; never trained on: ${excluded.join(', ')}\n`,
);

const result = trainModel(permissive, DEFAULT_TRAIN_OPTIONS);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, ARTIFACT_FILE), result.bytes);
writeFileSync(
  join(outDir, 'MODEL_CARD.md'),
  renderModelCard(result, { excludedSets: excluded, date: new Date().toISOString().slice(0, 10) }),
);
const secs = ((Date.now() - started) / 1000).toFixed(1);
process.stderr.write(
  `train: wrote ${join(outDir, ARTIFACT_FILE)} (${result.bytes.length} bytes, sha256 ${result.sha256}) in ${secs}s\n`,
);
process.stdout.write(`${JSON.stringify(result.header.training.heldOut, null, 1)}\n`);
