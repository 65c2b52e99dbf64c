/**
 * The benchmark corpus shared by the screening benchmarks: real prompts from several labelled sets in
 * ../shared/datasets (benign and malicious, several languages), interleaved (every 7th row, at most 400 per
 * set), so decoders and the rule automaton see realistic input. Benchmarks only; the product never reads it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS_SETS = [
  'alpaca',
  'deepset_train',
  'jailbreak_llms_prompts',
  'cysecbench',
  'notinject',
  'bipia_train',
  'oasst1_en',
] as const;

/** The datasets directory beside the repository (../shared/datasets). */
export const DATASETS_DIR = join(import.meta.dirname, '..', '..', 'shared', 'datasets');

/** Corpus rows in set order; empty when the datasets are absent (callers bring their own fallback). */
export function corpusTexts(dir: string = DATASETS_DIR): string[] {
  const texts: string[] = [];
  for (const set of CORPUS_SETS) {
    const file = join(dir, `${set}.jsonl`);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    for (let i = 0, taken = 0; i < lines.length && taken < 400; i += 7, taken++)
      texts.push(String((JSON.parse(lines[i]!) as { text: unknown }).text));
  }
  return texts;
}

/** `count` deterministic texts of exactly `size` characters, each cut from consecutive corpus rows. */
export function fixedSizeTexts(pool: readonly string[], size: number, count: number): string[] {
  const out: string[] = [];
  let k = 0;
  for (let i = 0; i < count; i++) {
    let text = '';
    while (text.length < size) {
      text += `${pool[k % pool.length]} `;
      k += 1;
    }
    out.push(text.slice(0, size));
  }
  return out;
}
