#!/usr/bin/env node
import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import { reportError } from './shared.js';

const program = new Command()
  .name('interdict')
  .description('Detect and disrupt malicious use of AI')
  .version('0.1.0')
  .showHelpAfterError();

for (const register of COMMANDS) register(program);

program.parseAsync(process.argv).catch(reportError);
