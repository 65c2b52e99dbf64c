import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESET_THRESHOLDS } from '../thresholds.js';
import { dropOverlapping } from './finding.js';
import { scanPii } from './pii.js';
import { scanSecrets } from './secrets.js';

/**
 * False-positive sweep over benign sets that talk ABOUT secrets and code. A flag is a finding at or above
 * the balanced flag threshold. The rows that still fire on stackexchange_secrets were inspected: they hold
 * concrete key material (Django SECRET_KEY values, a Stripe test key, a csrftoken cookie, a client secret)
 * or illustrative values assigned to secret names, which the generic rule is there to catch.
 */

const DATASETS = join(import.meta.dirname, '../../../../shared/datasets');
const FLAG = PRESET_THRESHOLDS.balanced.flag;

/** Highest acceptable share of benign rows with a flagged finding, per set. */
const SETS: { name: string; maxSecretRate: number; maxPiiRate: number }[] = [
  { name: 'stackexchange_secrets', maxSecretRate: 0.015, maxPiiRate: 0.02 },
  { name: 'humaneval', maxSecretRate: 0, maxPiiRate: 0 },
  { name: 'mbpp', maxSecretRate: 0, maxPiiRate: 0 },
  { name: 'cse_secure_coding', maxSecretRate: 0.001, maxPiiRate: 0.002 },
  { name: 'arena_hard_v01', maxSecretRate: 0.002, maxPiiRate: 0.004 },
];

function benignRows(name: string): string[] {
  const rows: string[] = [];
  for (const line of readFileSync(join(DATASETS, `${name}.jsonl`), 'utf8').split('\n')) {
    if (!line) continue;
    const row = JSON.parse(line) as { text: string; label: number };
    if (row.label === 0) rows.push(row.text);
  }
  return rows;
}

describe.skipIf(!existsSync(DATASETS))('false-positive sweep on benign code and security questions', () => {
  it.each(SETS)('$name stays under its flag-rate budget', ({ name, maxSecretRate, maxPiiRate }) => {
    const rows = benignRows(name);
    expect(rows.length).toBeGreaterThan(100);
    let secretFlags = 0;
    let piiFlags = 0;
    for (const text of rows) {
      if (dropOverlapping(scanSecrets(text)).some((f) => f.score >= FLAG)) secretFlags++;
      if (dropOverlapping(scanPii(text)).some((f) => f.score >= FLAG)) piiFlags++;
    }
    expect(secretFlags / rows.length).toBeLessThanOrEqual(maxSecretRate);
    expect(piiFlags / rows.length).toBeLessThanOrEqual(maxPiiRate);
  });
});
