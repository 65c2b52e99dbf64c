import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNormalizer } from './index.js';

/**
 * Benign-text sweep (Sigma's "goodlog" idea): ordinary prompts in English and ten other languages must not
 * grow decoded views. Reads the shared datasets when present; the product never needs them.
 */
// ../shared beside the repository root, as on developer machines and in CI.
const DATASETS = join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets');
const SAMPLE = 400;

function rows(set: string): string[] {
  const path = `${DATASETS}/${set}.jsonl`;
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  // Spread the sample over the file so every language / topic block is represented.
  const step = Math.max(1, Math.floor(lines.length / SAMPLE));
  const out: string[] = [];
  for (let i = 0; i < lines.length && out.length < SAMPLE; i += step) {
    const row = JSON.parse(lines[i]!) as { text: string; label: number };
    if (row.label === 0) out.push(row.text);
  }
  return out;
}

const normalize = createNormalizer();

describe.skipIf(!existsSync(DATASETS))('benign text gets no spurious views', () => {
  for (const set of ['alpaca', 'mgsm', 'oasst1_en']) {
    it(`${set}: no rot13, caesar, atbash or reversed views and almost no decoded views`, () => {
      const texts = rows(set);
      expect(texts.length).toBeGreaterThan(200);
      let decoded = 0;
      let ciphers = 0;
      let homoglyphs = 0;
      for (const text of texts) {
        const n = normalize(text);
        if (n.views.some((v) => v.depth > 0)) decoded++;
        if (['rot13', 'caesar', 'atbash', 'reversed'].some((t) => n.transforms.includes(t))) ciphers++;
        if (n.transforms.includes('homoglyph')) homoglyphs++;
      }
      expect(ciphers).toBe(0);
      expect(decoded).toBeLessThanOrEqual(Math.ceil(texts.length * 0.01));
      expect(homoglyphs).toBeLessThanOrEqual(Math.ceil(texts.length * 0.01));
    });
  }
});
