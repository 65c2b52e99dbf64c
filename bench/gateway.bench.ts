/**
 * Gateway benchmark (not a test). Measures the latency the gateway adds over calling the model server directly,
 * and requests per second, on loopback only (127.0.0.1):
 *   - a stub OpenAI-format upstream runs in one child process, the gateway in another, the load generator here;
 *   - each concurrency level (1, 32, 256) first calls the stub directly, then the same requests through the
 *     gateway; added latency = gateway percentile − direct percentile;
 *   - prompts are 2 KB chat requests, non-streaming; every run is bounded by a request count and a time limit.
 * The gateway records every event into a SQLite file in the OS temp folder (batched, as `serve` does).
 *
 * Run: npx tsx bench/gateway.bench.ts [--screening none|real|both] [--requests N] [--seconds S] [--json]
 *   env BENCH_UPSTREAM_SOCKETS=N: the gateway's connection pool to the stub (config gateway.upstreamSockets, 512);
 *   env BENCH_RECORDER=memory: record into memory instead of SQLite (isolates the store's cost).
 *   none: gateway overhead only (parse, policy, proxy, record) with an empty detector line-up;
 *   real: the default detector line-up from createScreener (screening cost included).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

interface Args {
  screening: 'none' | 'real' | 'both';
  requests: number;
  seconds: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { screening: 'both', requests: 20_000, seconds: 10, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--screening') args.screening = argv[++i] as Args['screening'];
    else if (a === '--requests') args.requests = Number(argv[++i]);
    else if (a === '--seconds') args.seconds = Number(argv[++i]);
    else if (a === '--json') args.json = true;
  }
  return args;
}

function start(
  params: string[],
): Promise<{ child: ChildProcess; url: string; lines: AsyncIterableIterator<string> }> {
  const flags =
    params[0] === 'gateway' && process.env.BENCH_GATEWAY_NODE_FLAGS
      ? process.env.BENCH_GATEWAY_NODE_FLAGS.split(' ')
      : [];
  const child = spawn(
    process.execPath,
    [...flags, '--import', 'tsx', join(import.meta.dirname, 'gateway-server.ts'), ...params],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return lines.next().then((first) => {
    if (first.done) throw new Error('child exited before printing its URL');
    return { child, url: (JSON.parse(first.value) as { url: string }).url, lines };
  });
}

function prompt(): string {
  const sentence =
    'Please review the following quarterly summary and list the three most important changes for the team. ';
  return sentence.repeat(Math.ceil(2048 / sentence.length)).slice(0, 2048);
}

interface Run {
  target: 'direct' | 'gateway';
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function load(
  url: string,
  concurrency: number,
  maxRequests: number,
  seconds: number,
  target: Run['target'],
): Promise<Run> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target_ = new URL('/v1/chat/completions', url);
  const body = Buffer.from(
    JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: prompt() }] }),
  );
  const headers = {
    'content-type': 'application/json',
    'content-length': body.length,
    authorization: 'Bearer bench-key',
  };
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request(target_, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - t0);
          else errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  // Warm-up: JIT, sockets, caches.
  await Promise.all(Array.from({ length: Math.min(concurrency, 64) }, () => once()));
  latencies.length = 0;
  errors = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < maxRequests && performance.now() < deadline) {
        sent++;
        await once();
      }
    }),
  );
  const elapsed = (performance.now() - began) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    target,
    concurrency,
    requests: latencies.length,
    errors,
    seconds: Math.round(elapsed * 100) / 100,
    rps: Math.round(latencies.length / elapsed),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
  };
}

const args = parseArgs(process.argv.slice(2));
const modes: Array<'none' | 'real'> = args.screening === 'both' ? ['none', 'real'] : [args.screening];
const stub = await start(['stub']);
const report: Array<{
  screening: string;
  concurrency: number;
  direct: Run;
  gateway: Run;
  addedP50: number;
  addedP99: number;
  gatewayCpuMsPerRequest: number;
}> = [];

/** Gateway process CPU time so far (ms), read via SIGUSR2 (includes warm-up requests: slightly pessimistic). */
async function cpuOf(proc: { child: ChildProcess; lines: AsyncIterableIterator<string> }): Promise<number> {
  proc.child.kill('SIGUSR2');
  const line = await proc.lines.next();
  return line.done ? Number.NaN : (JSON.parse(line.value) as { cpuMs: number }).cpuMs;
}
const f = (n: number) => n.toFixed(2);
try {
  for (const screening of modes) {
    const dir = mkdtempSync(join(tmpdir(), 'interdict-gw-bench-'));
    const gateway = await start(['gateway', stub.url, screening, join(dir, 'events.db')]);
    try {
      // Warm both paths first (JIT, module compilation, socket pools) so level 1 does not measure start-up.
      await load(stub.url, 32, 2_000, 5, 'direct');
      await load(gateway.url, 32, 3_000, 8, 'gateway');
      for (const concurrency of [1, 32, 256]) {
        const requests = concurrency === 1 ? Math.min(args.requests, 3_000) : args.requests;
        const direct = await load(stub.url, concurrency, requests, args.seconds, 'direct');
        const cpu0 = await cpuOf(gateway);
        const viaGateway = await load(gateway.url, concurrency, requests, args.seconds, 'gateway');
        const cpuPerRequest =
          ((await cpuOf(gateway)) - cpu0) / Math.max(1, viaGateway.requests + viaGateway.errors);
        const row = {
          screening,
          concurrency,
          direct,
          gateway: viaGateway,
          addedP50: viaGateway.p50 - direct.p50,
          addedP99: viaGateway.p99 - direct.p99,
          gatewayCpuMsPerRequest: cpuPerRequest,
        };
        report.push(row);
        if (!args.json) {
          process.stdout.write(
            `screening=${screening} c=${concurrency}: direct p50 ${f(direct.p50)} p99 ${f(direct.p99)} ms ${direct.rps} req/s | ` +
              `gateway p50 ${f(viaGateway.p50)} p99 ${f(viaGateway.p99)} ms ${viaGateway.rps} req/s (${viaGateway.errors} errors) | ` +
              `added p50 ${f(row.addedP50)} p99 ${f(row.addedP99)} ms | gateway CPU ${f(cpuPerRequest)} ms/req\n`,
          );
        }
      }
    } finally {
      gateway.child.kill('SIGTERM');
      const stored = await gateway.lines.next();
      if (!stored.done && !args.json)
        process.stdout.write(
          `  events stored by the gateway: ${(JSON.parse(stored.value) as { stored: number }).stored}\n`,
        );
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  stub.child.kill('SIGTERM');
}
if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
