#!/usr/bin/env node
/**
 * The benchmark: callrecon against DuckDB doing the same reconciliation in SQL, and against
 * the floor of only reading the files with callrecon's readers — same files, same run.
 *
 *   npm run bench                      # 100k calls
 *   npm run bench -- --calls 1m        # also 10m; --repeat 3 reports the median run
 *   npm run bench -- --calls 1m --read # and the read benchmark (bench/read.mjs)
 *   npm run bench -- --calls 1m --workers 1,2   # callrecon once per worker count
 *
 * Steps:
 * 1. Generates the month once into bench/data/<calls>/ (bench/generate.mjs, profile
 *    `bench`); reused while its manifest matches the generator version, seed and size.
 * 2. Runs each contender as its own process under a small python3 wrapper that reports
 *    wall time, CPU time (user + system) and peak RSS from the operating system
 *    (`getrusage(RUSAGE_CHILDREN)`), not from inside the process:
 *    - callrecon: `node dist/cli/main.js reconcile … --quiet` (exit 0 or 1 is success);
 *      (with `--workers 1,2`, once per worker count, and the speed-up across them);
 *    - DuckDB: bench/duckdb.mjs with 2 threads (`--threads` to change), twice: the faithful
 *      query (conflict detection, first record in input order) and the lean one (six
 *      fields, keyed dedupe, one join; no conflict detection);
 *    - floor: bench/floor.mjs, reading and parsing only with callrecon's readers;
 *    - bytes: reading the files' bytes and nothing else, the floor of any reader.
 * 3. Prints a table, the ratios and the targets (1m: callrecon ≤ 2× the lean DuckDB query
 *    as the first step, ≤ 1× the goal, and ≤ 400 MB; 10m: ≤ 1.5 GB, ≤ 1× the lean query,
 *    and ≤ 11× callrecon's own 1m time from bench/results/).
 * 4. Checks that callrecon's summary.json agrees with the generator's manifest and with
 *    DuckDB, kind by kind (DuckDB's classes carry the names of the kinds they reproduce;
 *    see bench/duckdb.mjs), and totals.
 * 5. Writes everything to bench/results/<timestamp>-<calls>.json.
 *
 * Exit code: 0 when every check passes, 1 when one fails (targets only count with
 * --strict), 2 when the benchmark cannot run (e.g. the CLI is not built).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  open,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { GENERATOR_VERSION, callCountLabel, generateMonth, parseCallCount } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const cliMain = path.join(root, 'dist', 'cli', 'main.js');
const distIo = path.join(root, 'dist', 'io', 'index.js');
const resultsDir = path.join(here, 'results');
const MB = 1024 * 1024;

/** Targets by size: what the product promises (README, "Performance"). */
const TARGETS = {
  1_000_000: {
    vsLean: [
      [2, 'first step'],
      [1, 'goal'],
    ],
    peakRssMB: 400,
  },
  10_000_000: { vsLean: [[1, 'goal']], peakRssMB: 1536, vsOwn1m: 11 },
};

/**
 * The floor of every reader: the files' bytes read into one buffer, 1 MiB at a time, and
 * nothing else done with them.
 */
const BYTES_FLOOR = `
const { openSync, readSync, closeSync } = require('node:fs');
const buffer = Buffer.allocUnsafe(1 << 20);
let bytes = 0;
for (const file of process.argv.slice(1)) {
  const fd = openSync(file, 'r');
  for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) bytes += n;
  closeSync(fd);
}
process.stdout.write(String(bytes));
`;

/**
 * Runs a command and reports what the operating system measured for it: wall seconds
 * around the child, and the child's user + system CPU and peak RSS from getrusage. A child
 * still running after the timeout is killed and reported as timed out.
 */
const RUSAGE_WRAPPER = `
import json, resource, subprocess, sys, time
out, timeout, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
start = time.perf_counter()
child = subprocess.Popen(cmd)
timed_out = False
try:
    code = child.wait(timeout=timeout)
except subprocess.TimeoutExpired:
    child.kill()
    code = child.wait()
    timed_out = True
wall = time.perf_counter() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = ru.ru_maxrss if sys.platform == "darwin" else ru.ru_maxrss * 1024
with open(out, "w") as f:
    json.dump({"exitCode": code, "timedOut": timed_out, "wallSeconds": wall,
               "userSeconds": ru.ru_utime, "systemSeconds": ru.ru_stime,
               "peakRssBytes": rss}, f)
`;

function parseArgs(argv) {
  const options = {
    calls: '100k',
    seed: 1,
    repeat: 1,
    threads: 2,
    read: false,
    readRows: undefined,
    duckdbOnly: false,
    strict: false,
    keep: false,
    timeout: undefined,
    workers: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--calls') options.calls = value();
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--repeat') options.repeat = Number(value());
    else if (arg === '--threads') options.threads = Number(value());
    else if (arg === '--read') options.read = true;
    else if (arg === '--read-rows') options.readRows = parseCallCount(value());
    else if (arg === '--duckdb-only') options.duckdbOnly = true;
    else if (arg === '--strict') options.strict = true;
    else if (arg === '--keep-output') options.keep = true;
    else if (arg === '--timeout') options.timeout = Number(value());
    else if (arg === '--workers') {
      options.workers = value()
        .split(',')
        .map((w) => Number(w));
      if (options.workers.some((w) => !Number.isInteger(w) || w < 0)) {
        throw new UsageError('--workers takes whole numbers, e.g. 1,2');
      }
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(
        'npm run bench -- [--calls 100k|1m|10m] [--seed 1] [--repeat N] [--threads 2]\n' +
          '                 [--read [--read-rows N]] [--duckdb-only] [--strict] [--keep-output]\n' +
          '                 [--timeout SECONDS] [--workers 1,2]\n',
      );
      process.exit(0);
    } else throw new UsageError(`unknown option ${arg} (see --help)`);
  }
  for (const name of [
    'seed',
    'repeat',
    'threads',
    ...(options.timeout === undefined ? [] : ['timeout']),
  ]) {
    if (!Number.isInteger(options[name]) || options[name] < (name === 'seed' ? 0 : 1)) {
      throw new UsageError(`--${name} must be a whole number`);
    }
  }
  const calls = parseCallCount(options.calls);
  // Generous: far beyond any sane run, but a hung child cannot stall the benchmark.
  return { ...options, calls, timeout: options.timeout ?? Math.round(600 + calls / 2000) };
}

class UsageError extends Error {
  name = 'UsageError';
}

// ---------------------------------------------------------------------------------------
// Data

/** The month for this size: reused when its manifest matches, else generated. */
async function ensureData(calls, seed, log) {
  const dataDir = path.join(here, 'data', callCountLabel(calls));
  const manifestFile = path.join(dataDir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    if (await isCurrent(manifest, dataDir, calls, seed)) {
      log(`data: reusing ${path.relative(root, dataDir)}`);
      return { dataDir, manifest, generatedSeconds: null };
    }
  }
  log(`data: generating ${callCountLabel(calls)} calls into ${path.relative(root, dataDir)}…`);
  const started = performance.now();
  const manifest = await generateMonth({ profile: 'bench', calls, seed, out: dataDir, log });
  return { dataDir, manifest, generatedSeconds: (performance.now() - started) / 1000 };
}

async function isCurrent(manifest, dataDir, calls, seed) {
  if (
    manifest.generatorVersion !== GENERATOR_VERSION ||
    manifest.profile !== 'bench' ||
    manifest.calls !== calls ||
    manifest.seed !== seed ||
    manifest.discrepancyRate !== 0.01
  ) {
    return false;
  }
  const files = [...manifest.files.cdrs, ...manifest.files.bill, manifest.files.tariff];
  for (const file of files) {
    const info = await stat(path.join(dataDir, file.path)).catch(() => null);
    if (info === null || info.size !== file.bytes) return false;
  }
  const onDisk = await readdir(path.join(dataDir, 'cdrs'));
  return onDisk.length === manifest.files.cdrs.length;
}

// ---------------------------------------------------------------------------------------
// Running and measuring

/**
 * Runs `argv` as a child process under the rusage wrapper; returns the OS's figures and
 * the tail of the child's output.
 */
async function measure(argv, tmp, name, timeoutSeconds) {
  const figuresFile = path.join(tmp, `${name}.rusage.json`);
  const wrapper = ['-c', RUSAGE_WRAPPER, figuresFile, String(timeoutSeconds)];
  const child = spawn('python3', [...wrapper, ...argv], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr']) {
    child[stream].setEncoding('utf8');
    child[stream].on('data', (chunk) => {
      tail[stream] = (tail[stream] + chunk).slice(-4000);
    });
  }
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0 || !existsSync(figuresFile)) {
    throw new Error(`could not measure ${name} (python3 exited ${code}): ${tail.stderr.trim()}`);
  }
  const raw = JSON.parse(await readFile(figuresFile, 'utf8'));
  if (raw.timedOut) {
    throw new Error(`${name} did not finish within ${timeoutSeconds} s and was stopped`);
  }
  return {
    exitCode: raw.exitCode,
    wallSeconds: round(raw.wallSeconds, 3),
    cpuSeconds: round(raw.userSeconds + raw.systemSeconds, 3),
    userSeconds: round(raw.userSeconds, 3),
    systemSeconds: round(raw.systemSeconds, 3),
    peakRssMB: round(raw.peakRssBytes / MB, 1),
    stdout: tail.stdout.trim(),
    stderr: tail.stderr.trim(),
  };
}

/** Runs a contender `repeat` times; the median run by wall time represents it. */
async function contender(name, repeat, log, once) {
  const samples = [];
  for (let i = 0; i < repeat; i++) {
    log(`run: ${name}${repeat > 1 ? ` (${i + 1}/${repeat})` : ''}…`);
    samples.push(await once(i));
  }
  const sorted = [...samples].sort((a, b) => a.wallSeconds - b.wallSeconds);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (repeat === 1) return median;
  return { ...median, samples: samples.map(({ stdout: _o, stderr: _e, ...figures }) => figures) };
}

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// ---------------------------------------------------------------------------------------
// Checks

/**
 * Compares callrecon's summary with the manifest (everything the generator knows) and
 * with DuckDB (the classes it computes).
 */
function compareCounts({ manifest, summary, duckdb, lean, floor }) {
  const checks = [];
  const check = (name, expected, actual) =>
    checks.push({ name, expected, actual, pass: expected === actual });
  const want = manifest.expected;
  if (summary !== null) {
    for (const [kind, { count, impact }] of Object.entries(want.discrepancies)) {
      const got = summary.discrepancies?.[kind];
      check(`callrecon ${kind}.count = manifest`, count, got?.count);
      check(`callrecon ${kind}.impact = manifest`, impact, got?.impact);
    }
    for (const [name, value] of Object.entries(want.totals)) {
      check(`callrecon totals.${name} = manifest`, value, summary.totals?.[name]);
    }
    for (const section of ['cdrs', 'bill', 'matched', 'minutes']) {
      for (const [name, value] of Object.entries(want[section])) {
        check(`callrecon ${section}.${name} = manifest`, value, summary[section]?.[name]);
      }
    }
  }
  for (const [name, result] of [
    ['duckdb', duckdb],
    ['duckdb lean', lean],
  ]) {
    if (result === null) continue;
    for (const [kind, { count, impact }] of Object.entries(result.discrepancies)) {
      check(`${name} ${kind}.count = manifest`, want.discrepancies[kind].count, count);
      check(`${name} ${kind}.impact = manifest`, want.discrepancies[kind].impact, impact);
      if (summary !== null) {
        check(`callrecon ${kind}.count = ${name}`, count, summary.discrepancies?.[kind]?.count);
      }
    }
    for (const total of ['ours', 'theirs', 'otherCharges', 'unexplained']) {
      check(`${name} totals.${total} = manifest`, want.totals[total], result.totals[total]);
    }
    for (const field of ['records', 'kept', 'duplicates', 'inPeriod', 'answeredInPeriod']) {
      check(`${name} cdrs.${field} = manifest`, want.cdrs[field], result.cdrs[field]);
    }
    // The lean query skips conflict detection (bench/duckdb.mjs).
    if (result.cdrs.conflictingSessions !== null) {
      check(
        `${name} conflicting sessions = manifest`,
        want.cdrs.conflicts,
        result.cdrs.conflictingSessions,
      );
    }
  }
  if (floor !== null) {
    const read = (floor.cdrs.fee ?? 0) + (floor.cdrs.rejected ?? 0);
    check('floor CDR records read = manifest', want.cdrs.records, read);
    check(
      'floor bill rows read = manifest',
      want.bill.rows,
      (floor.bill.row ?? 0) + (floor.bill.rejected ?? 0),
    );
  }
  return checks;
}

/** The last 1m result with callrecon figures, preferring one from a machine like this. */
async function findOwn1m() {
  const names = existsSync(resultsDir) ? await readdir(resultsDir) : [];
  const candidates = [];
  for (const name of names.filter((n) => n.endsWith('-1m.json')).sort()) {
    try {
      const result = JSON.parse(await readFile(path.join(resultsDir, name), 'utf8'));
      if (result.runs?.callrecon?.wallSeconds > 0) candidates.push({ name, result });
    } catch {
      // A results file we cannot read is not a baseline.
    }
  }
  const same = candidates.filter((c) => c.result.machine?.cores === os.cpus().length);
  return (same.length > 0 ? same : candidates).at(-1) ?? null;
}

async function evaluateTargets(calls, runs) {
  const targets = [];
  const spec = TARGETS[calls];
  const ours = runs.callrecon;
  if (spec === undefined || ours === undefined) return targets;
  if (spec.vsLean !== undefined && runs.duckdbLean !== undefined) {
    const ratio = ours.wallSeconds / runs.duckdbLean.wallSeconds;
    for (const [limit, what] of spec.vsLean) {
      targets.push({
        name: `wall time ≤ ${limit}× lean DuckDB (${what})`,
        limit,
        value: round(ratio, 2),
        pass: ratio <= limit,
      });
    }
  }
  if (spec.peakRssMB !== undefined) {
    targets.push({
      name: `peak RSS ≤ ${spec.peakRssMB} MB`,
      limit: spec.peakRssMB,
      value: ours.peakRssMB,
      pass: ours.peakRssMB <= spec.peakRssMB,
    });
  }
  if (spec.vsOwn1m !== undefined) {
    const own = await findOwn1m();
    if (own === null) {
      targets.push({
        name: `wall time ≤ ${spec.vsOwn1m}× callrecon at 1m`,
        limit: spec.vsOwn1m,
        value: null,
        pass: null,
        note: 'no 1m result in bench/results/: run npm run bench -- --calls 1m first',
      });
    } else {
      const ratio = ours.wallSeconds / own.result.runs.callrecon.wallSeconds;
      targets.push({
        name: `wall time ≤ ${spec.vsOwn1m}× callrecon at 1m`,
        limit: spec.vsOwn1m,
        value: round(ratio, 2),
        pass: ratio <= spec.vsOwn1m,
        note: `against ${own.name} (${own.result.runs.callrecon.wallSeconds} s)`,
      });
    }
  }
  return targets;
}

// ---------------------------------------------------------------------------------------
// Output

function printTable({ calls, runs, ratios, speedUp, targets, checks, log }) {
  const rows = [['', 'wall s', 'CPU s', 'calls/s', 'peak RSS MB']];
  const labels = {
    callrecon: 'callrecon',
    duckdb: 'DuckDB faithful',
    duckdbLean: 'DuckDB lean (no conflicts)',
    floor: 'floor (read + parse)',
    bytes: 'floor (read bytes)',
  };
  const label = (name, run) => {
    if (name.startsWith('duckdb')) return `${labels[name]} (${run.threads} threads)`;
    if (name.startsWith('callrecon-w')) return `callrecon, ${workersText(run.workers)}`;
    return labels[name] ?? name;
  };
  const perWorkers = Object.keys(runs).some((name) => name.startsWith('callrecon-w'));
  for (const [name, run] of Object.entries(runs)) {
    // With --workers, `callrecon` is the run with the most workers, listed already.
    if (name === 'callrecon' && perWorkers) continue;
    rows.push([
      label(name, run),
      run.wallSeconds.toFixed(2),
      run.cpuSeconds.toFixed(2),
      Math.round(calls / run.wallSeconds).toLocaleString('en-US'),
      run.peakRssMB.toFixed(0),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) {
    log(
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join('   '),
    );
  }
  for (const [name, ratio] of Object.entries(ratios)) {
    log(
      `callrecon ÷ ${labels[name]}: ${ratio.wall}× wall, ${ratio.cpu}× CPU, ${ratio.rss}× peak RSS`,
    );
  }
  for (const s of speedUp) {
    log(`speed-up with ${workersText(s.workers)}: ${s.speedUp}× (vs ${workersText(s.against)})`);
  }
  for (const t of targets) {
    const verdict = t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'FAIL';
    log(`target ${verdict}  ${t.name}: ${t.value ?? '—'}${t.note ? ` (${t.note})` : ''}`);
  }
  const failed = checks.filter((c) => !c.pass);
  log(`checks: ${checks.length - failed.length}/${checks.length} agree`);
  for (const c of failed) log(`  MISMATCH ${c.name}: expected ${c.expected}, got ${c.actual}`);
}

/** `1 worker`, `2 workers`. */
function workersText(workers) {
  return `${workers} ${workers === 1 ? 'worker' : 'workers'}`;
}

function ratio(a, b) {
  return {
    wall: round(a.wallSeconds / b.wallSeconds, 2),
    cpu: round(a.cpuSeconds / b.cpuSeconds, 2),
    rss: round(a.peakRssMB / b.peakRssMB, 2),
  };
}

async function duckdbVersion() {
  try {
    const file = path.join(root, 'node_modules', '@duckdb', 'node-api', 'package.json');
    return JSON.parse(await readFile(file, 'utf8')).version;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------
// Main

/**
 * Reads every input file once before the runs, so that each contender finds them in the
 * page cache alike: otherwise the first one (callrecon) alone pays for reading them from
 * disk, which at 10M calls is seconds.
 *
 * @returns the seconds it took
 */
async function warmUp(dataDir, manifest, log) {
  const started = performance.now();
  const buffer = Buffer.allocUnsafe(4 * MB);
  let bytes = 0;
  for (const file of [...manifest.files.cdrs, ...manifest.files.bill]) {
    const handle = await open(path.join(dataDir, file.path), 'r');
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        bytes += bytesRead;
      }
    } finally {
      await handle.close();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  log(`warm-up: read the ${(bytes / 1e9).toFixed(1)} GB of input once in ${seconds.toFixed(1)} s`);
  return seconds;
}

async function main() {
  const log = (line) => process.stderr.write(`${line}\n`);
  const options = parseArgs(process.argv.slice(2));
  const label = callCountLabel(options.calls);
  if (!options.duckdbOnly && !existsSync(cliMain)) {
    throw new UsageError(
      `${path.relative(root, cliMain)} is missing: build the CLI first (npm run build), ` +
        'or pass --duckdb-only to run the generator and the DuckDB baseline alone',
    );
  }
  const startedAt = new Date();
  const load = os.loadavg()[0];
  if (load > 0.5)
    log(
      `note: load average ${load.toFixed(2)} — other work on this machine makes the figures noisy`,
    );

  const { dataDir, manifest, generatedSeconds } = await ensureData(
    options.calls,
    options.seed,
    log,
  );
  const warmupSeconds = await warmUp(dataDir, manifest, log);
  const cdrsDir = path.join(dataDir, 'cdrs');
  const billFile = path.join(dataDir, 'bill.csv');
  const tariffFile = path.join(dataDir, 'tariff.json');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'callrecon-bench-'));

  const runs = {};
  let summary = null;
  let duckdb = null;
  let lean = null;
  let floor = null;
  const notes = [];
  try {
    if (!options.duckdbOnly) {
      const runCallrecon = (name, workers) =>
        contender(name, options.repeat, log, async (i) => {
          const out = path.join(tmp, `${name}-out-${i}`);
          const figures = await measure(
            [
              process.execPath,
              cliMain,
              'reconcile',
              '--cdrs',
              cdrsDir,
              '--bill',
              billFile,
              '--tariff',
              tariffFile,
              '--period',
              manifest.period,
              '--out',
              out,
              '--quiet',
              ...(workers === undefined ? [] : ['--workers', String(workers)]),
            ],
            tmp,
            `${name}-${i}`,
            options.timeout,
          );
          if (figures.exitCode !== 0 && figures.exitCode !== 1) {
            throw new Error(
              `callrecon exited ${figures.exitCode}:\n${figures.stderr || figures.stdout}`,
            );
          }
          summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
          if (!options.keep) await rm(out, { recursive: true, force: true });
          return workers === undefined ? figures : { ...figures, workers };
        });
      if (options.workers === undefined) {
        runs.callrecon = await runCallrecon('callrecon', undefined);
      } else {
        for (const workers of options.workers) {
          runs[`callrecon-w${workers}`] = await runCallrecon(`callrecon-w${workers}`, workers);
        }
        // The ratios and targets take the run with the most workers.
        runs.callrecon = runs[`callrecon-w${Math.max(...options.workers)}`];
      }
    }

    const runDuckDB = (query) =>
      contender(`DuckDB ${query}`, options.repeat, log, async (i) => {
        const resultFile = path.join(tmp, `duckdb-${query}-${i}.json`);
        const figures = await measure(
          [
            process.execPath,
            path.join(here, 'duckdb.mjs'),
            '--cdrs',
            cdrsDir,
            '--bill',
            billFile,
            '--price',
            manifest.pricePerMinute,
            '--period',
            manifest.period,
            '--timezone',
            manifest.timezone,
            '--out',
            path.join(tmp, `duckdb-${query}-${i}.csv`),
            '--threads',
            String(options.threads),
            '--query',
            query,
            '--result',
            resultFile,
          ],
          tmp,
          `duckdb-${query}-${i}`,
          options.timeout,
        );
        if (figures.exitCode !== 0) throw new Error(`DuckDB run failed:\n${figures.stderr}`);
        const result = JSON.parse(await readFile(resultFile, 'utf8'));
        if (query === 'lean') lean = result;
        else duckdb = result;
        return { ...figures, threads: options.threads, query, timings: result.timings };
      });
    runs.duckdb = await runDuckDB('faithful');
    runs.duckdbLean = await runDuckDB('lean');
    notes.push(
      'DuckDB lean skips conflict detection (a re-push is taken as a copy) and assumes a well-formed bill',
    );

    const inputFiles = [...manifest.files.cdrs, ...manifest.files.bill].map((file) =>
      path.join(dataDir, file.path),
    );
    runs.bytes = await contender('bytes floor', options.repeat, log, (i) =>
      measure(
        [process.execPath, '-e', BYTES_FLOOR, ...inputFiles],
        tmp,
        `bytes-${i}`,
        options.timeout,
      ),
    );

    if (!options.duckdbOnly) {
      if (existsSync(distIo)) {
        runs.floor = await contender('floor', options.repeat, log, async (i) => {
          const resultFile = path.join(tmp, `floor-${i}.json`);
          const figures = await measure(
            [
              process.execPath,
              path.join(here, 'floor.mjs'),
              '--cdrs',
              cdrsDir,
              '--bill',
              billFile,
              '--result',
              resultFile,
            ],
            tmp,
            `floor-${i}`,
            options.timeout,
          );
          if (figures.exitCode !== 0) throw new Error(`floor run failed:\n${figures.stderr}`);
          floor = JSON.parse(await readFile(resultFile, 'utf8'));
          return { ...figures, items: { cdrs: floor.cdrs, bill: floor.bill } };
        });
      } else {
        notes.push(`${path.relative(root, distIo)} is missing: no floor run`);
      }
    }
  } finally {
    if (!options.keep) await rm(tmp, { recursive: true, force: true });
    else log(`outputs kept in ${tmp}`);
  }

  const ratios = {};
  for (const name of ['duckdb', 'duckdbLean', 'floor', 'bytes']) {
    if (runs.callrecon && runs[name]) ratios[name] = ratio(runs.callrecon, runs[name]);
  }
  const speedUp = [];
  for (const workers of options.workers ?? []) {
    const first = options.workers[0];
    if (workers === first) continue;
    speedUp.push({
      workers,
      against: first,
      speedUp: round(
        runs[`callrecon-w${first}`].wallSeconds / runs[`callrecon-w${workers}`].wallSeconds,
        2,
      ),
    });
  }
  const targets = await evaluateTargets(options.calls, runs);
  const checks = compareCounts({ manifest, summary, duckdb, lean, floor });

  let read = null;
  if (options.read) {
    const readBench = path.join(here, 'read.mjs');
    if (existsSync(readBench)) {
      log('run: read benchmark…');
      const { runReadBench } = await import(pathToFileURL(readBench).href);
      read = await runReadBench({
        rows: options.readRows ?? options.calls,
        dataDir: path.join(here, 'data', 'read'),
        log,
      });
    } else {
      log('note: bench/read.mjs is not there yet: no read benchmark');
      notes.push('bench/read.mjs missing: no read benchmark');
    }
  }

  log('');
  log(
    `callrecon benchmark — ${label} calls (${manifest.calls.toLocaleString('en-US')}), seed ${manifest.seed}`,
  );
  printTable({ calls: options.calls, runs, ratios, speedUp, targets, checks, log });

  const result = {
    schemaVersion: 1,
    startedAt: startedAt.toISOString(),
    calls: options.calls,
    label,
    seed: options.seed,
    repeat: options.repeat,
    machine: {
      cores: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      memoryMB: Math.round(os.totalmem() / MB),
      platform: process.platform,
      arch: process.arch,
      loadAverageAtStart: round(load, 2),
    },
    node: process.version,
    duckdb: await duckdbVersion(),
    data: {
      dir: path.relative(root, dataDir),
      generatorVersion: manifest.generatorVersion,
      generatedSeconds: generatedSeconds === null ? null : round(generatedSeconds, 1),
      warmupSeconds: round(warmupSeconds, 1),
      cdrBytes: manifest.files.cdrs.reduce((sum, f) => sum + f.bytes, 0),
      billBytes: manifest.files.bill.reduce((sum, f) => sum + f.bytes, 0),
      cdrFiles: manifest.files.cdrs.length,
    },
    runs: Object.fromEntries(
      Object.entries(runs).map(([name, { stdout: _o, stderr: _e, ...figures }]) => [
        name,
        { ...figures, callsPerSecond: Math.round(options.calls / figures.wallSeconds) },
      ]),
    ),
    ratios,
    speedUp,
    targets,
    checks,
    counts: {
      manifest: manifest.expected.discrepancies,
      callrecon: summary?.discrepancies ?? null,
      duckdb: duckdb?.discrepancies ?? null,
      duckdbLean: lean?.discrepancies ?? null,
    },
    read,
    notes,
  };
  await mkdir(resultsDir, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const file = path.join(resultsDir, `${stamp}-${label}.json`);
  await writeFile(`${file}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  log(`results: ${path.relative(root, file)}`);

  const failedChecks = checks.some((c) => !c.pass);
  const failedTargets = targets.some((t) => t.pass === false);
  return failedChecks || (options.strict && failedTargets) ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bench: ${message}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
