/**
 * Regenerates the letter-bigram table in src/normalize/english.ts from permissively licensed English
 * prompts in ../shared/datasets (development only; the product never reads the datasets).
 * Run: `npx tsx scripts/normalize-bigrams.ts` and paste the printed string into BIGRAMS.
 */
import { readFileSync } from 'node:fs';

const SETS = ['oasst1_en', 'natural_instructions', 'gsm8k', 'self_instruct'];
const counts = new Float64Array(676);
let total = 0;
for (const set of SETS) {
  for (const line of readFileSync(`../shared/datasets/${set}.jsonl`, 'utf8').split('\n')) {
    if (!line) continue;
    const text = (JSON.parse(line) as { text: string }).text.toLowerCase();
    for (let i = 1; i < text.length; i++) {
      const a = text.charCodeAt(i - 1) - 97;
      const b = text.charCodeAt(i) - 97;
      if (a >= 0 && a < 26 && b >= 0 && b < 26) {
        counts[a * 26 + b]!++;
        total++;
      }
    }
  }
}
// Quantised log2 frequency, shifted so the rarest bigrams are 'a' (0) and the most common about 'p' (15).
let table = '';
for (let i = 0; i < 676; i++) {
  const q = Math.round(Math.log2((counts[i]! + 0.5) / total) + 20);
  table += String.fromCharCode(97 + Math.max(0, Math.min(25, q)));
}
console.log(table);
