/**
 * Recomputes CHAR_SHARE in src/detect/rules/literal-odds.ts: the share of each ASCII character in the
 * lower-cased `text` of every row of every dataset in ../shared/datasets (UTF-16 units, every row counted),
 * kept when at least RARE_SHARE, rounded to 4 decimals, most common first (development only; the product
 * never reads the datasets).
 * Run: `npx tsx scripts/literal-odds.ts` prints the table to paste; `--check` compares it with the committed
 * table and exits 1 when a character is missing or extra, or a share differs by more than 0.0001.
 * On the datasets of 2026-11-26 it gives the committed table except d 0.0249 (0.025 committed), k 0.0058
 * (0.0059) and 1 0.0025 (0.0026): the table was made by an earlier, uncommitted script whose exact input is
 * unknown. The values only order prefilter checks, so the committed ones are kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAR_SHARE, RARE_SHARE } from '../src/detect/rules/literal-odds.js';

const DIR = join('..', 'shared', 'datasets');
const counts = new Map<string, number>();
let total = 0;
for (const file of readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()) {
  for (const line of readFileSync(join(DIR, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { text } = JSON.parse(line) as { text?: unknown };
    if (typeof text !== 'string') continue;
    const lower = text.toLowerCase();
    for (let i = 0; i < lower.length; i++) counts.set(lower[i]!, (counts.get(lower[i]!) ?? 0) + 1);
    total += lower.length;
  }
}
const table: [string, number][] = [...counts]
  .filter(([ch]) => ch.charCodeAt(0) < 128)
  .filter(([, n]) => n / total >= RARE_SHARE)
  .sort((a, b) => b[1] - a[1])
  .map(([ch, n]): [string, number] => [ch, Math.round((n / total) * 10_000) / 10_000]);

if (process.argv.includes('--check')) {
  const committed = new Map(Object.entries(CHAR_SHARE));
  const computed = new Map(table);
  let bad = 0;
  for (const ch of new Set([...committed.keys(), ...computed.keys()])) {
    const a = committed.get(ch);
    const b = computed.get(ch);
    if (a === b) continue;
    const far = a === undefined || b === undefined || Math.abs(a - b) > 0.0001 + 1e-12;
    if (far) bad++;
    process.stdout.write(
      `${JSON.stringify(ch)}: committed ${a ?? '-'}, computed ${b ?? '-'}${far ? ' (too far)' : ''}\n`,
    );
  }
  process.stdout.write(`${total} characters, ${table.length} shares; ${bad} too far\n`);
  process.exit(bad ? 1 : 0);
}
const key = (ch: string) =>
  /^[a-z_$]$/.test(ch) ? ch : ch === "'" ? `"'"` : `'${ch === '\n' ? '\\n' : ch === '\\' ? '\\\\' : ch}'`;
process.stdout.write(`${table.map(([ch, share]) => `  ${key(ch)}: ${share},`).join('\n')}\n`);
