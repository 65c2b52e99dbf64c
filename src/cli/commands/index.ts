import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every CLI command, by name, as a loader of the module that registers it: each lives in its own file and calls
 * the programmatic API. Loaders keep start-up short: `interdict ingest` does not load the gateway, nor
 * `interdict serve` the ingest pipeline. Add one entry per command.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  screen: async () => (await import('./screen.js')).registerScreen,
  rules: async () => (await import('./rules.js')).registerRules,
  ingest: async () => (await import('./ingest.js')).registerIngest,
  serve: async () => (await import('./serve.js')).registerServe,
  explain: async () => (await import('./explain.js')).registerExplain,
  accounts: async () => (await import('./accounts.js')).registerAccounts,
  enforce: async () => (await import('./enforce.js')).registerEnforce,
  eval: async () => (await import('./eval.js')).registerEval,
};

/** The commands to register for these arguments: the one named, or all of them (help, version, unknown). */
export async function commandsFor(argv: readonly string[]): Promise<Register[]> {
  const name = argv[2];
  const loaders =
    name !== undefined && Object.hasOwn(COMMANDS, name) ? [COMMANDS[name]!] : Object.values(COMMANDS);
  return Promise.all(loaders.map((load) => load()));
}
