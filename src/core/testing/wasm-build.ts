import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

/**
 * Builds one kernel exactly as `npm run build:wasm` does, with the arguments read from package.json's script
 * (so a test and the script cannot drift apart), into a temporary file; returns the bytes. Tests compare them
 * with the committed binary.
 */
export function buildAsScriptDoes(source: string): Buffer {
  const root = packageRoot();
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = (scripts['build:wasm'] ?? '')
    .split('&&')
    .map((part) => part.trim().split(/\s+/))
    .find((words) => words[0] === 'asc' && words[1] === source);
  if (!command) throw new Error(`npm run build:wasm does not build ${source}`);
  const args = command.slice(1);
  const out = args.indexOf('-o');
  if (out < 0) throw new Error(`npm run build:wasm names no output for ${source}`);
  const file = join(mkdtempSync(join(tmpdir(), 'interdict-wasm-')), 'kernel.wasm');
  args[out + 1] = file;
  const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  execFileSync(process.execPath, [asc, ...args], { cwd: root, stdio: 'pipe' });
  return readFileSync(file);
}
