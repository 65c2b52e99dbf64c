/**
 * The ingest benchmarks' event generator: deterministic interaction events of ~450 bytes (a system prompt, a
 * 12-word user message, a 20-word response; 20,000 accounts over 3 tenants; every 50th response a refusal).
 */
import { writeFileSync } from 'node:fs';

const WORDS =
  'the a to of and in for how what can you please write explain summarise list code function data report email customer order table python query error server user account price plan meeting draft review translate french spanish invoice budget project team schedule'.split(
    ' ',
  );

export function sentence(seed: number, words: number): string {
  let x = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i) >>> 0;
    out.push(WORDS[x % WORDS.length]!);
  }
  return out.join(' ');
}

export function writeEvents(path: string, count: number): void {
  const start = Date.UTC(2026, 0, 1);
  const chunk: string[] = [];
  writeFileSync(path, '');
  for (let i = 0; i < count; i++) {
    chunk.push(
      JSON.stringify({
        id: `ev-${i}`,
        ts: new Date(start + i * 250).toISOString(),
        tenant: `tenant-${i % 3}`,
        account: `acct-${i % 20000}`,
        key: `key-${i % 20000}`,
        ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
        model: 'gpt-4o-mini',
        request: {
          messages: [
            { role: 'system', content: 'You are a helpful assistant for ACME support.' },
            { role: 'user', content: `${sentence(i, 12)}?` },
          ],
        },
        response: { content: sentence(i + 7, 20), ...(i % 50 === 0 ? { refusal: true } : {}) },
      }),
    );
    if (chunk.length === 10_000) {
      writeFileSync(path, `${chunk.join('\n')}\n`, { flag: 'a' });
      chunk.length = 0;
    }
  }
  if (chunk.length) writeFileSync(path, `${chunk.join('\n')}\n`, { flag: 'a' });
}
