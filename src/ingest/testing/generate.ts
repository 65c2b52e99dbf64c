import { writeFileSync } from 'node:fs';

/** Writes `count` well-formed interaction events (JSONL) spread over `accounts` accounts. */
export function writeEventsFile(
  path: string,
  count: number,
  options: { accounts?: number; start?: number } = {},
): void {
  const accounts = options.accounts ?? 50;
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(
      JSON.stringify({
        id: `ev-${i}`,
        ts: new Date(start + i * 1000).toISOString(),
        tenant: 'acme',
        account: `acct-${i % accounts}`,
        model: 'gpt-test',
        request: {
          messages: [{ role: 'user', content: `Summarise report number ${i} about topic ${i % 97} please` }],
        },
        response: { content: `Summary ${i}` },
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}
