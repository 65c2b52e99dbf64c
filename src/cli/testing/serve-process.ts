import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
export const CLI_MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');
/** Node flags that run the TypeScript CLI directly. */
export const TSX = ['--import', 'tsx'];

/**
 * Starts `interdict serve ARGS` in its own process and resolves with the URL it announces on stderr, or
 * rejects with the start of its stderr if it exits first.
 */
export async function startServeProcess(
  args: readonly string[],
): Promise<{ serve: ChildProcess; url: string }> {
  const serve = spawn(process.execPath, [...TSX, CLI_MAIN, 'serve', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, INTERDICT_LOG__LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    serve.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(err);
      if (found) resolve(found[1]!);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err.slice(0, 500)}`)));
  });
  return { serve, url };
}
