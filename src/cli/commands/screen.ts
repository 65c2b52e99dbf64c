import type { Command } from 'commander';
import { InterdictError } from '../../core/errors.js';
import { isSide, type Verdict } from '../../core/types.js';
import { existsSync, statSync } from 'node:fs';
import { screenJsonl } from '../../batch/screen-jsonl.js';
import { batchWorkers, screenJsonlParallel } from '../../batch/screen-parallel.js';
import { createScreener } from '../../detect/index.js';
import { createProgress } from '../progress.js';
import { action, commandConfig, withConfigFlag } from '../shared.js';

interface ScreenOptions {
  text?: string;
  side: string;
  json?: boolean;
  input?: string;
  output?: string;
  preset?: string;
  config?: string;
  workers: string;
}

function describe(verdict: Verdict): string {
  const lines = [`action: ${verdict.action}  score: ${verdict.score.toFixed(3)}  side: ${verdict.side}`];
  const cats = Object.entries(verdict.categories)
    .sort((a, b) => b[1] - a[1])
    .map(([c, s]) => `${c}=${s.toFixed(3)}${verdict.flaggedCategories.includes(c as never) ? '*' : ''}`);
  if (cats.length) lines.push(`categories: ${cats.join(' ')}`);
  if (verdict.transforms.length) lines.push(`transforms: ${verdict.transforms.join(', ')}`);
  for (const e of verdict.evidence.filter((x) => x.score > 0).slice(0, 20)) {
    const where = e.span ? ` at ${e.span.start}-${e.span.end}` : '';
    lines.push(
      `  - ${e.detector}${e.ruleId ? `:${e.ruleId}` : ''} ${e.category} ${e.score.toFixed(2)} in ${e.view}${where}${e.note ? ` (${e.note})` : ''}`,
    );
  }
  lines.push(`latency: ${verdict.latencyMs} ms`);
  return lines.join('\n');
}

export function registerScreen(program: Command): void {
  withConfigFlag(
    program
      .command('screen')
      .description('screen a text (--text) or a JSONL batch (--input/--output)')
      .option('-t, --text <text>', 'text to screen')
      .option('-s, --side <side>', 'input | document | output', 'input')
      .option('--json', 'print the verdict as JSON')
      .option('-i, --input <file>', 'JSONL rows {id, text, side}')
      .option('-o, --output <file>', 'JSONL rows {id, flagged, score, action, categories, rules}')
      .option('--preset <preset>', 'strict | balanced | permissive')
      .option(
        '--workers <n>',
        'batch: screening threads (auto = one per core, at most 8, for inputs over 512 KB; else 1)',
        'auto',
      ),
  ).action(
    action(async (opts: ScreenOptions) => {
      const flags = opts.preset ? { screening: { preset: opts.preset as never } } : {};
      const config = commandConfig(opts, flags);
      if (opts.input || opts.output) {
        if (!opts.input || !opts.output)
          throw new InterdictError('INTERDICT_USAGE', '--input and --output go together');
        const setting = opts.workers === 'auto' ? 'auto' : Number(opts.workers);
        if (setting !== 'auto' && (!Number.isInteger(setting) || setting < 1 || setting > 64))
          throw new InterdictError(
            'INTERDICT_USAGE',
            '--workers must be auto or an integer between 1 and 64',
          );
        const workers = batchWorkers(setting, existsSync(opts.input) ? statSync(opts.input).size : 0);
        const progress = createProgress({ label: 'screen', unit: 'bytes' });
        const batch = {
          input: opts.input,
          output: opts.output,
          onTotal: (n: number) => progress.setTotal(n),
          onProgress: (n: number) => progress.tick(n),
        };
        const summary =
          workers > 1
            ? await screenJsonlParallel(config.screening, { ...batch, workers })
            : await screenJsonl(createScreener(config.screening), batch);
        progress.done();
        for (const p of summary.problems.slice(0, 20))
          process.stderr.write(`line ${p.line}: ${p.code}: ${p.message}\n`);
        process.stderr.write(
          `screened ${summary.rows} rows: ${summary.flagged} flagged, ${summary.errors} errors\n`,
        );
        return;
      }
      if (opts.text === undefined)
        throw new InterdictError('INTERDICT_USAGE', 'give --text or --input/--output');
      const screener = createScreener(config.screening);
      if (!isSide(opts.side)) throw new InterdictError('INTERDICT_INPUT_BAD_SIDE');
      const verdict = screener.screen({ text: opts.text, side: opts.side });
      process.stdout.write(opts.json ? `${JSON.stringify(verdict)}\n` : `${describe(verdict)}\n`);
    }),
  );
}
