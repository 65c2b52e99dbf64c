import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor } from './index.js';

describe('CLI command loading', () => {
  it('loads only the command named, and every command for help or anything unknown', async () => {
    const names = Object.keys(COMMANDS);
    expect(names).toEqual(['screen', 'rules', 'ingest', 'serve', 'explain', 'accounts', 'enforce', 'eval']);
    const one = new Command();
    for (const register of await commandsFor(['node', 'interdict', 'ingest', '--input', 'x'])) register(one);
    expect(one.commands.map((c) => c.name())).toEqual(['ingest']);
    for (const argv of [
      ['node', 'interdict'],
      ['node', 'interdict', '--help'],
      ['node', 'interdict', 'nope'],
    ]) {
      const all = new Command();
      for (const register of await commandsFor(argv)) register(all);
      expect(all.commands.map((c) => c.name())).toEqual(names);
    }
  });
});
