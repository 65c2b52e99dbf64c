import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleScreener, sweepCorpus } from './evaluate.js';
import { defaultRulesDir, loadRuleSet } from './index.js';

/**
 * Benign sweep on the hard benign sets (benign prompts full of trigger words, security questions, secure-coding
 * tasks). Skipped where the shared datasets are not present; `interdict rules test --corpora` runs the full sweep.
 */
const DATASETS = join(process.cwd(), '..', 'shared', 'datasets');
const HARD = ['notinject', 'cse_frr_dev', 'cse_secure_coding', 'stackexchange_secrets'];
const present = existsSync(join(DATASETS, 'notinject.jsonl'));

describe.skipIf(!present)('benign sweep of the shipped rules', () => {
  const screener = ruleScreener(loadRuleSet(defaultRulesDir()));

  for (const name of HARD) {
    it(`keeps the false-positive rate under 2% on ${name}`, async () => {
      const report = await sweepCorpus(screener, join(DATASETS, `${name}.jsonl`), {
        kind: 'benign',
        limit: 800,
      });
      expect(report.rows).toBeGreaterThan(200);
      expect(report.rate).toBeLessThan(0.02);
    });
  }

  it('catches a meaningful share of the prompt-injection attack set', async () => {
    const report = await sweepCorpus(screener, join(DATASETS, 'tensor_trust_attacks.jsonl'), {
      kind: 'attack',
      limit: 400,
    });
    expect(report.rows).toBe(400);
    expect(report.rate).toBeGreaterThan(0.3);
  });
});
