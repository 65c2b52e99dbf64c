import type { Command } from 'commander';
import { isInterdictError } from '../core/errors.js';
import { loadConfig, type DeepPartial } from '../config/load.js';
import type { Config, ConfigInput } from '../config/schema.js';

/** Adds the --config flag every command shares. */
export function withConfigFlag(command: Command): Command {
  return command.option('-c, --config <file>', 'configuration file (YAML or JSON); env INTERDICT_CONFIG');
}

/** Loads config for a command: --config / INTERDICT_CONFIG file → INTERDICT_* env → flags. */
export function commandConfig(opts: { config?: string }, flags: DeepPartial<ConfigInput> = {}): Config {
  const file = opts.config ?? process.env.INTERDICT_CONFIG;
  return loadConfig({ ...(file ? { file } : {}), env: process.env, flags });
}

/** Prints a coded error without user content and sets the exit code. */
export function reportError(err: unknown): void {
  if (isInterdictError(err)) {
    process.stderr.write(`interdict: ${err.code}: ${err.message}\n`);
    for (const d of err.details.slice(0, 50)) {
      process.stderr.write(`  ${d.where ? `${d.where}: ` : ''}${d.problem}\n`);
    }
    process.exitCode = err.status >= 500 ? 2 : 1;
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`interdict: INTERDICT_INTERNAL: ${message}\n`);
  process.exitCode = 2;
}

/** Wraps an async action so coded errors print cleanly. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      reportError(err);
    }
  };
}
