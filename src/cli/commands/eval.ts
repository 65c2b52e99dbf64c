import type { Command } from 'commander';
import { InterdictError } from '../../core/errors.js';
import { PRESETS, type Preset } from '../../core/types.js';
import { readLabelledSet } from '../../detect/learned/dataset.js';
import { createScreener } from '../../detect/index.js';
import { setReportMarkdown } from '../../eval/report.js';
import { evaluateRows } from '../../eval/run.js';
import { createProgress } from '../progress.js';
import { action, commandConfig, withConfigFlag } from '../shared.js';

interface EvalOptions {
  input?: string;
  json?: boolean;
  preset?: string;
  config?: string;
}

export function registerEval(program: Command): void {
  withConfigFlag(
    program
      .command('eval')
      .description(
        'screen a labelled JSONL set with the whole engine and report recall, FPR, precision, AUROC',
      )
      .requiredOption('-i, --input <file>', 'JSONL rows {id, text, label, category, side, sub?}')
      .option('--json', 'print the report as JSON')
      .option('--preset <preset>', 'strict | balanced | permissive'),
  ).action(
    action(async (opts: EvalOptions) => {
      if (!opts.input) throw new InterdictError('INTERDICT_USAGE', '--input is required');
      if (opts.preset && !(PRESETS as readonly string[]).includes(opts.preset)) {
        throw new InterdictError('INTERDICT_USAGE', 'preset must be strict, balanced or permissive');
      }
      const flags = opts.preset ? { screening: { preset: opts.preset as Preset } } : {};
      const config = commandConfig(opts, flags);
      const screener = createScreener(config.screening);
      const rows = readLabelledSet(opts.input);
      const set = rows[0]?.set ?? 'set';
      const progress = createProgress({ label: 'eval', unit: 'rows', total: rows.length });
      const report = evaluateRows(screener, rows, { set, onProgress: (n) => progress.tick(n) });
      progress.done();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      process.stdout.write(`${setReportMarkdown(report)}\n`);
    }),
  );
}
