import type { Command } from 'commander';
import { registerAccounts } from './accounts.js';
import { registerEnforce } from './enforce.js';
import { registerEval } from './eval.js';
import { registerExplain } from './explain.js';
import { registerIngest } from './ingest.js';
import { registerRules } from './rules.js';
import { registerScreen } from './screen.js';
import { registerServe } from './serve.js';

/**
 * Every CLI command registers itself here; each lives in its own file and calls the programmatic API.
 * Add one import and one entry per command.
 */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerScreen,
  registerRules,
  registerIngest,
  registerServe,
  registerExplain,
  registerAccounts,
  registerEnforce,
  registerEval,
];
