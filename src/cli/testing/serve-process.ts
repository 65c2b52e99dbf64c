import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StubUpstream, startStubUpstream } from '../../gateway/testing/stub-upstream.js';

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

/** A running `interdict serve` in front of a stub upstream, recording to its own SQLite file. */
export interface ServeFixture {
  stub: StubUpstream;
  /** The SQLite file serve records to. */
  db: string;
  serve: ChildProcess;
  url: string;
  /** Kills serve if still running, stops the stub, removes the directory. */
  close(): Promise<void>;
}

/** Starts a stub upstream and `interdict serve --upstream STUB --db DIR/e.db --port 0 ...extra`. */
export async function startServeFixture(extra: readonly string[] = []): Promise<ServeFixture> {
  const stub = await startStubUpstream();
  const dir = mkdtempSync(join(tmpdir(), 'interdict-serve-'));
  const db = join(dir, 'e.db');
  const close = async () => {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { serve, url } = await startServeProcess([
      '--upstream',
      stub.url,
      '--db',
      db,
      '--port',
      '0',
      ...extra,
    ]);
    return {
      stub,
      db,
      serve,
      url,
      close: async () => {
        if (serve.exitCode === null) serve.kill('SIGKILL');
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** One Chat Completions request through a running serve, read to the end. */
export async function chatThroughServe(
  url: string,
  content: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; eventId: string }> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] }),
  });
  await res.arrayBuffer();
  return { status: res.status, eventId: res.headers.get('x-interdict-event-id')! };
}

/** Sends serve SIGTERM and resolves with its exit code. */
export function stopServe(serve: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => serve.once('exit', resolve));
  serve.kill('SIGTERM');
  return exited;
}
