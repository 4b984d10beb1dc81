// The push receiver under load (SPEC §8): the real `callrecon receive` in its own process,
// with X-AKSK checks and fsync on, and a client of its own here: 64 kept-alive connections
// to 127.0.0.1 sending signed fee pushes of 50 records. Two phases of a bounded time each:
// the load of SPEC §8 (1,000 pushes/s spread over the 64 connections), then the connections
// sending back to back (the most the receiver takes). Prints pushes/s and latency
// percentiles of both as one JSON object; exits 1 if the first misses the target of SPEC §8
// (1,000 pushes/s answered, p99 ≤ 50 ms, no failure).
//
//   npm run bench:receive                  # 2 × (1 s warm-up + 10 s)
//   BENCH_SECONDS=30 BENCH_RATE=1500 BENCH_CONNECTIONS=64 npm run bench:receive
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { clearTimeout } from 'node:timers';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signPush } from '../dist/io/receive/auth.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = 1;
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const rate = Number(process.env.BENCH_RATE ?? 1000);
const recordsPerPush = 50;
const credentials = { appKey: 'BENCHAPPKEY0001', appSecret: 'bench-secret' };
const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

const root = mkdtempSync(join(tmpdir(), 'callrecon-bench-receive-'));
const dir = join(root, 'pushes');
writeFileSync(join(root, 'secret'), `${credentials.appSecret}\n`);

function feePush(n) {
  const feeLst = Array.from({ length: recordsPerPush }, (_, k) => ({
    direction: 1,
    spId: 'bench_sp',
    appKey: credentials.appKey,
    icid: `icid-${n}-${k}.1000000001.200000001.1`,
    bindNum: '+8613800000022',
    sessionId: `${1200 + k}_1029_4294967295_20261015091514_${n}@callenabler246.huaweicaas.com`,
    subscriptionId: '5b7e2f3a-1c4d-4e8f-9a0b-2c3d4e5f6a7b',
    callerNum: '+8613800000021',
    calleeNum: '+8613800000022',
    fwdDisplayNum: '+8613800000022',
    fwdDstNum: `+86138668${String(k).padStart(5, '0')}`,
    callInTime: '2026-10-15 09:15:14',
    fwdStartTime: '2026-10-15 09:15:15',
    fwdAlertingTime: '2026-10-15 09:15:21',
    fwdAnswerTime: '2026-10-15 09:15:36',
    callEndTime: '2026-10-15 09:16:41',
    fwdUnaswRsn: 0,
    ulFailReason: 0,
    sipStatusCode: 0,
    recordFlag: 0,
    serviceType: '004',
    hostName: 'callenabler246.huaweicaas.com',
  }));
  return Buffer.from(JSON.stringify({ eventType: 'fee', feeLst }));
}

// A few distinct bodies, built before the clock starts.
const bodies = Array.from({ length: 16 }, (_, n) => feePush(n));

const logPath = join(root, 'receive.log');
const logFd = openSync(logPath, 'w');
const child = spawn(
  process.execPath,
  [
    // BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' profiles the receiver.
    ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
    main,
    'receive',
    '--dir',
    dir,
    '--port',
    '0',
    '--app-key',
    credentials.appKey,
    '--app-secret-file',
    join(root, 'secret'),
  ],
  { stdio: ['ignore', logFd, 'inherit'] },
);
// The log goes to a file, as a journal would take it: a pipe read by this busy process
// would stall the receiver's synchronous stdout writes and measure this client instead.
let port;
for (let waited = 0; port === undefined; waited += 20) {
  if (child.exitCode !== null) throw new Error(`receiver exited ${child.exitCode}`);
  if (waited > 20_000) throw new Error('the receiver did not start within 20 s');
  await new Promise((r) => setTimeout(r, 20));
  const first = readFileSync(logPath, 'utf8').split('\n')[0];
  if (first) port = JSON.parse(first).port;
}

const agent = new Agent({ keepAlive: true, maxSockets: connections });

function send(body) {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          ...signPush(credentials, randomUUID(), Date.now()),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * One phase: `connections` clients for `seconds` after a warm-up. With a `rate`, client c
 * sends its i-th push at start + (i·connections + c)/rate, and latency counts from that
 * planned time (a late send counts its wait: no coordinated omission); without, each
 * client sends back to back (the most the receiver takes).
 */
/** CPU seconds the receiver process used so far (Linux /proc), or NaN elsewhere. */
function receiverCpuSeconds() {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function phase(rate) {
  const latenciesMs = [];
  let cpuAtStart = Number.NaN;
  let clientCpuAtStart;
  let answered = 0;
  let failed = 0;
  const start = performance.now() + 50;
  const measureFrom = start + warmupSeconds * 1000;
  const end = measureFrom + seconds * 1000;
  async function client(c) {
    for (let i = 0; ; i++) {
      const planned =
        rate === undefined ? performance.now() : start + ((i * connections + c) / rate) * 1000;
      if (planned >= end) return;
      if (rate !== undefined) await sleep(planned - performance.now());
      const status = await send(bodies[(i + c) % bodies.length]);
      if (planned < measureFrom) continue;
      if (status === 200) {
        answered++;
        latenciesMs.push(performance.now() - planned);
      } else failed++;
    }
  }
  const marks = setTimeout(() => {
    cpuAtStart = receiverCpuSeconds();
    clientCpuAtStart = process.cpuUsage();
  }, measureFrom - performance.now());
  await Promise.all(Array.from({ length: connections }, (_, c) => client(c)));
  clearTimeout(marks);
  const receiverCpu = receiverCpuSeconds() - cpuAtStart;
  const clientUsage = process.cpuUsage(clientCpuAtStart);
  const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
  latenciesMs.sort((a, b) => a - b);
  const at = (q) =>
    latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(q * latenciesMs.length))] ?? NaN;
  const round = (x) => Math.round(x * 100) / 100;
  return {
    offeredPerSecond: rate ?? 'as fast as answered',
    pushes: answered,
    failed,
    pushesPerSecond: Math.round(answered / seconds),
    recordsPerSecond: Math.round((answered / seconds) * recordsPerPush),
    // CPU time over the measured phase (it runs a little past it while the last answers come).
    receiverCpuMsPerPush: round((receiverCpu * 1000) / answered),
    clientCpuMsPerPush: round((clientCpu * 1000) / answered),
    latencyMs: {
      p50: round(at(0.5)),
      p90: round(at(0.9)),
      p99: round(at(0.99)),
      max: round(latenciesMs.at(-1) ?? NaN),
    },
  };
}

const atRate = await phase(rate);
const saturated = await phase(undefined);
agent.destroy();

child.kill('SIGTERM');
const exitCode = await new Promise((r) => child.once('exit', (code) => r(code)));

closeSync(logFd);
const logLines = readFileSync(logPath, 'utf8').split('\n').filter(Boolean).length;
let storedBytes = 0;
for (const day of readdirSync(dir).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))) {
  for (const name of readdirSync(join(dir, day)))
    storedBytes += statSync(join(dir, day, name)).size;
}
rmSync(root, { recursive: true, force: true });

const result = {
  connections,
  recordsPerPush,
  bodyBytes: bodies[0].length,
  seconds,
  atRate,
  saturated,
  storedMiB: Math.round((storedBytes / 2 ** 20) * 10) / 10,
  logLines,
  receiverExit: exitCode,
  targetMet:
    atRate.pushesPerSecond >= 0.98 * rate && atRate.latencyMs.p99 <= 50 && atRate.failed === 0,
};
console.log(JSON.stringify(result, null, 2));
process.exitCode = result.targetMet ? 0 : 1;
