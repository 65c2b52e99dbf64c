/**
 * Gateway benchmark (not a test). Measures the latency the gateway adds over calling the model server directly,
 * and requests per second, on loopback only (127.0.0.1):
 *   - a stub OpenAI-format upstream runs in one child process, the gateway in another, the load generator here;
 *   - each concurrency level (1, 32, 256) first calls the stub directly, then the same requests through the
 *     gateway; added latency = gateway percentile − direct percentile;
 *   - prompts are 2 KB chat requests, non-streaming; every run is bounded by a request count and a time limit.
 *   - every request carries a different prompt (cut from benign prompts in ../shared/datasets, else a built-in
 *     list, and numbered) and the stub answers each with a different completion, as real traffic does: the
 *     screener's verdict cache cannot serve them, so `real` pays full screening on every request.
 * The gateway records every event into a SQLite file in the OS temp folder (batched, as `serve` does).
 *
 * Run: npx tsx bench/gateway.bench.ts [--screening none|real|both|bare] [--requests N] [--seconds S] [--json]
 *        [--workers N] [--rate R] [--levels 1,32,256] [--shape single|chat] [--stream]
 *   --stream: streamed completions (SSE, no-leak mode as the default policy has it), read to the end; with env
 *     BENCH_COMPLETION_CHARS=N the stub answers about N characters of prose, BENCH_CHUNK_CHARS=N per chunk.
 *   --workers N: N gateway processes behind one port (as `interdict serve --workers N`); CPU/req sums them.
 *   --rate R: open loop: requests are started at R per second over the level's connections, and latency counts
 *     from each request's scheduled start (no coordinated omission); without it each connection sends its next
 *     request when the last one answered (closed loop), where latency at saturation is mostly queueing.
 *   --shape chat: instead of one 2 KB user prompt, a 1 KB system prompt, the last two exchanges of the
 *     conversation and a new 500-character user turn (what a chat client re-sends on every call).
 *   env BENCH_UPSTREAM_SOCKETS=N: the gateway's connection pool to the stub (config gateway.upstreamSockets, 512);
 *   env BENCH_RECORDER=thread|inline|memory: events built and stored on a recording thread (default, as
 *     `serve`), on the request thread (`serve --no-record-thread`), or on it into memory (no store cost).
 *   none: gateway overhead only (parse, policy, proxy, record) with an empty detector line-up;
 *   real: the default detector line-up from createScreener (screening cost included);
 *   bare: not the gateway but a bare node:http pass-through proxy: the least any Node proxy adds on this machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

interface Args {
  screening: 'none' | 'real' | 'both' | 'bare';
  requests: number;
  seconds: number;
  json: boolean;
  workers: number;
  /** Open-loop arrival rate (requests/s); 0 = closed loop. */
  rate: number;
  levels: number[];
  shape: 'single' | 'chat';
  /** Ask for streamed completions (SSE) and read them to the end. */
  stream: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    screening: 'both',
    requests: 20_000,
    seconds: 10,
    json: false,
    workers: 1,
    rate: 0,
    levels: [1, 32, 256],
    shape: 'single',
    stream: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--screening') args.screening = argv[++i] as Args['screening'];
    else if (a === '--requests') args.requests = Number(argv[++i]);
    else if (a === '--seconds') args.seconds = Number(argv[++i]);
    else if (a === '--json') args.json = true;
    else if (a === '--workers') args.workers = Number(argv[++i]);
    else if (a === '--rate') args.rate = Number(argv[++i]);
    else if (a === '--levels') args.levels = argv[++i]!.split(',').map(Number);
    else if (a === '--shape') args.shape = argv[++i] as Args['shape'];
    else if (a === '--stream') args.stream = true;
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

const FALLBACK = [
  'Please review the following quarterly summary and list the three most important changes for the team.',
  'Write a short, friendly e-mail inviting the whole department to the summer picnic next Friday.',
  'Explain the difference between a list and a tuple in Python, with one example of each.',
  'Summarise the main arguments for and against a four-day working week in about five sentences.',
  'Give me a three-day itinerary for a first visit to Lisbon, including one day trip by train.',
  'How do I make a simple tomato sauce that keeps well in the freezer?',
];

/** Benign prompts (the gateway's everyday traffic) from ../shared/datasets, else a built-in list. */
function promptPool(): string[] {
  const dir = join(import.meta.dirname, '..', '..', 'shared', 'datasets');
  const texts: string[] = [];
  for (const set of ['alpaca', 'dolly_partial', 'oasst1_en']) {
    const file = join(dir, `${set}.jsonl`);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    // Every 5th row, up to 1,000 per set; labelled-benign rows only.
    for (let i = 0, taken = 0; i < lines.length && taken < 1_000; i += 5) {
      const row = JSON.parse(lines[i]!) as { text: string; label?: number };
      if (row.label === undefined || row.label === 0) {
        texts.push(row.text);
        taken++;
      }
    }
  }
  return texts.length ? texts : FALLBACK;
}

const pool = promptPool();
let promptCount = 0;

/** A different 2 KB prompt on every call: numbered, cut from consecutive pool texts at a moving start. */
function prompt(chars = 2048): string {
  const n = promptCount++;
  let text = `(${n}) `;
  for (let k = n; text.length < chars; k++) text += `${pool[k % pool.length]} `;
  return text.slice(0, chars);
}

/** The same 1 KB system prompt on every chat-shaped request, as one deployment sends. */
const SYSTEM_PROMPT = FALLBACK.join(' ')
  .repeat(3)
  .replace(/^/, 'You are the assistant of Example Corp. Follow these examples of what users ask: ')
  .slice(0, 1024);

/**
 * Chat-shaped requests (`--shape chat`): each of the level's conversations re-sends the system prompt and its
 * last two exchanges with a new ~500-character user turn, and starts over after six turns, as chat clients do.
 */
function conversations(count: number) {
  const histories = Array.from({ length: count }, () => [] as Array<{ role: string; content: string }>);
  let next = 0;
  return (): Buffer => {
    const history = histories[next++ % count]!;
    if (history.length >= 10) history.length = 0;
    const user = { role: 'user', content: prompt(500) };
    const messages = [{ role: 'system', content: SYSTEM_PROMPT }, ...history.slice(-4), user];
    history.push(user, { role: 'assistant', content: `Here is my answer to ${user.content.slice(0, 12)}.` });
    return Buffer.from(JSON.stringify({ model: 'bench', messages }));
  };
}

interface Run {
  target: 'direct' | 'gateway';
  concurrency: number;
  requests: number;
  errors: number;
  /** Requests sent before timing started (their CPU is in the gateway's per-request figure). */
  warmup: number;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Busy and total CPU time of the whole machine so far (ms, all cores): how much of it the run left idle. */
function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}

async function load(
  url: string,
  concurrency: number,
  maxRequests: number,
  seconds: number,
  target: Run['target'],
  rate = 0,
  shape: Args['shape'] = 'single',
): Promise<Run> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target_ = new URL('/v1/chat/completions', url);
  const latencies: number[] = [];
  let errors = 0;
  /** One request with a fresh prompt; latency counts from `scheduled` (open loop) or from its start. */
  const chat = shape === 'chat' ? conversations(concurrency) : undefined;
  const once = (scheduled?: number) =>
    new Promise<void>((resolve) => {
      const body =
        chat?.() ??
        Buffer.from(
          JSON.stringify({
            model: 'bench',
            messages: [{ role: 'user', content: prompt() }],
            ...(args.stream ? { stream: true } : {}),
          }),
        );
      const headers = {
        'content-type': 'application/json',
        'content-length': body.length,
        authorization: 'Bearer bench-key',
      };
      const t0 = scheduled ?? performance.now();
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
  const warmup = Math.min(concurrency, 64);
  await Promise.all(Array.from({ length: warmup }, () => once()));
  latencies.length = 0;
  errors = 0;
  const began = performance.now();
  const deadline = began + seconds * 1000;
  let sent = 0;
  if (rate > 0) {
    // Open loop: request i is due at began + i / rate whatever the earlier ones are doing; the agent queues it
    // when all `concurrency` connections are busy, and that wait counts in its latency.
    const inFlight: Array<Promise<void>> = [];
    while (sent < maxRequests && performance.now() < deadline) {
      const due = Math.min(maxRequests, Math.floor(((performance.now() - began) * rate) / 1000) + 1);
      for (; sent < due; sent++) inFlight.push(once(began + (sent * 1000) / rate));
      await sleep(1);
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < maxRequests && performance.now() < deadline) {
          sent++;
          await once();
        }
      }),
    );
  }
  const elapsed = (performance.now() - began) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    target,
    concurrency,
    requests: latencies.length,
    errors,
    warmup,
    seconds: Math.round(elapsed * 100) / 100,
    rps: Math.round(latencies.length / elapsed),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
  };
}

const args = parseArgs(process.argv.slice(2));
const modes: Array<'none' | 'real' | 'bare'> =
  args.screening === 'both' ? ['none', 'real'] : [args.screening];
const stub = await start(['stub']);
const report: Array<{
  screening: string;
  concurrency: number;
  direct: Run;
  gateway: Run;
  addedP50: number;
  addedP99: number;
  gatewayCpuMsPerRequest: number;
  /** CPU of the gateway's request thread(s) alone per request (Linux). */
  gatewayMainThreadMsPerRequest: number;
  loadgenCpuMsPerRequest: number;
  stubCpuMsPerRequest: number;
  /** Share of the machine's CPU (all cores) busy during the gateway run, all processes. */
  machineBusy: number;
}> = [];

/**
 * Gateway CPU time so far (ms), read via SIGUSR2: the whole process (every thread) and its main (request)
 * thread alone (NaN off Linux). Per-request figures divide by every request sent, warm-up included.
 */
async function cpuOf(proc: {
  child: ChildProcess;
  lines: AsyncIterableIterator<string>;
}): Promise<{ cpuMs: number; mainMs: number }> {
  proc.child.kill('SIGUSR2');
  const line = await proc.lines.next();
  return line.done
    ? { cpuMs: Number.NaN, mainMs: Number.NaN }
    : (JSON.parse(line.value) as { cpuMs: number; mainMs: number });
}
const f = (n: number) => n.toFixed(2);
if (!args.json)
  process.stdout.write(
    `gateway workers ${args.workers}, ${args.rate ? `open loop at ${args.rate} req/s` : 'closed loop'}, ` +
      `${args.shape === 'chat' ? 'chat-shaped requests' : '2 KB prompts'}, ` +
      `${pool.length} pool texts, ${cpus().length} cores\n`,
  );
try {
  for (const screening of modes) {
    const dir = mkdtempSync(join(tmpdir(), 'interdict-gw-bench-'));
    const gateway = await start([
      'gateway',
      stub.url,
      screening,
      join(dir, 'events.db'),
      String(args.workers),
    ]);
    try {
      // Warm both paths first (JIT, module compilation, socket pools) so level 1 does not measure start-up.
      await load(stub.url, 32, 2_000, 5, 'direct');
      await load(gateway.url, 32, 3_000, 8, 'gateway');
      for (const concurrency of args.levels) {
        const requests = concurrency === 1 && !args.rate ? Math.min(args.requests, 3_000) : args.requests;
        const direct = await load(
          stub.url,
          concurrency,
          requests,
          args.seconds,
          'direct',
          args.rate,
          args.shape,
        );
        const cpu0 = await cpuOf(gateway);
        const stub0 = await cpuOf(stub);
        const own0 = process.cpuUsage();
        const machine0 = machineCpu();
        const viaGateway = await load(
          gateway.url,
          concurrency,
          requests,
          args.seconds,
          'gateway',
          args.rate,
          args.shape,
        );
        const machine1 = machineCpu();
        const own = process.cpuUsage(own0);
        const stub1 = await cpuOf(stub);
        const cpu1 = await cpuOf(gateway);
        const handled = Math.max(1, viaGateway.requests + viaGateway.errors + viaGateway.warmup);
        const cpuPerRequest = (cpu1.cpuMs - cpu0.cpuMs) / handled;
        const mainPerRequest = (cpu1.mainMs - cpu0.mainMs) / handled;
        // The rest of the CPU each request costs on this machine: the load generator (this process) and the stub.
        const loadgenPerRequest = (own.user + own.system) / 1000 / handled;
        const stubPerRequest = (stub1.cpuMs - stub0.cpuMs) / handled;
        const machineBusy = (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total);
        const row = {
          screening,
          concurrency,
          direct,
          gateway: viaGateway,
          addedP50: viaGateway.p50 - direct.p50,
          addedP99: viaGateway.p99 - direct.p99,
          gatewayCpuMsPerRequest: cpuPerRequest,
          gatewayMainThreadMsPerRequest: mainPerRequest,
          loadgenCpuMsPerRequest: loadgenPerRequest,
          stubCpuMsPerRequest: stubPerRequest,
          machineBusy,
        };
        report.push(row);
        if (!args.json) {
          process.stdout.write(
            `screening=${screening} c=${concurrency}: direct p50 ${f(direct.p50)} p99 ${f(direct.p99)} ms ${direct.rps} req/s | ` +
              `gateway p50 ${f(viaGateway.p50)} p99 ${f(viaGateway.p99)} ms ${viaGateway.rps} req/s (${viaGateway.errors} errors) | ` +
              `added p50 ${f(row.addedP50)} p99 ${f(row.addedP99)} ms | gateway CPU ${f(cpuPerRequest)} ms/req ` +
              `(request thread ${f(mainPerRequest)}) | ` +
              `load generator ${f(loadgenPerRequest)}, stub ${f(stubPerRequest)} ms/req | ` +
              `machine ${Math.round(machineBusy * 100)}% busy\n`,
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
