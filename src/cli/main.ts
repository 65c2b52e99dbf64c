#!/usr/bin/env node
import { Command } from 'commander';
import { commandsFor } from './commands/index.js';
import { reportError } from './shared.js';

const program = new Command()
  .name('interdict')
  .description('Detect and disrupt malicious use of AI')
  .version('0.1.0')
  .showHelpAfterError();

try {
  for (const register of await commandsFor(process.argv)) register(program);
  await program.parseAsync(process.argv);
} catch (err) {
  reportError(err);
}
