#!/usr/bin/env node
/**
 * Read benchmark: how fast the readers of callrecon/io turn files into items, and how much
 * memory they use, next to csv-parse reading the same CSV files in the same run.
 *
 * Generates (deterministically, into bench/data/read/, reused while the size and generator
 * version match) a bill CSV, a CDR CSV and an NDJSON file of fee pushes (50 FeeInfo a
 * line, fields as in a real push), each of `--rows` rows / FeeInfo. Each reader runs in its
 * own child process, so its peak RSS (`process.resourceUsage().maxRSS`) is its own.
 * Throughput counts the file's bytes on disk and the time spent reading, process start
 * excluded.
 *
 * Runs against the built package: `npx tsc -p tsconfig.build.json` first.
 *
 * Usage:
 *   node bench/read.mjs --rows 5000000 [--runs 3] [--data-dir bench/data/read] [--json]
 */
import { execFile } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  openSync,
  closeSync,
  readFileSync,
  statSync,
  writeSync,
  mkdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const GENERATOR_VERSION = 1;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const distIo = path.join(root, 'dist', 'io', 'index.js');

// ---------------------------------------------------------------------------------------
// Deterministic data

/** mulberry32: a small seeded PRNG, enough for realistic-looking values. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, width) => String(n).padStart(width, '0');

/** `2026-10-dd HH:mm:ss` for a second of October 2026 (UTC). */
function timeText(second) {
  const day = Math.floor(second / 86400);
  const rest = second % 86400;
  return `2026-10-${pad(day + 1, 2)} ${pad(Math.floor(rest / 3600), 2)}:${pad(Math.floor((rest % 3600) / 60), 2)}:${pad(rest % 60, 2)}`;
}

/** The i-th call of the month: the fields every format is written from. */
function call(i, next) {
  const start = Math.floor(next() * 30 * 86400);
  const answered = next() < 0.8;
  const seconds = answered ? 1 + Math.floor(next() * 600) : 0;
  const alert = start + 1 + Math.floor(next() * 8);
  const answer = alert + 2 + Math.floor(next() * 10);
  const end = answered ? answer + seconds : alert + 5 + Math.floor(next() * 30);
  const a = 13800000000 + Math.floor(next() * 99999999);
  const x = 13900000000 + Math.floor(next() * 9999);
  const b = 13600000000 + Math.floor(next() * 99999999);
  const node = 200 + (i % 64);
  return {
    sessionId: `${1000 + (i % 9000)}_${pad(i % 10000, 4)}_4294967295_${timeText(start).replace(/\D/g, '')}@callenabler${node}.huaweicaas.com`,
    icid: `${(i * 2654435761).toString(16).padStart(12, '0')}7c1e0a52d4b94f0e.${1000000000 + i}.${200000000 + i}.1`,
    callerNum: `+86${a}`,
    calleeNum: `+86${x}`,
    bindNum: `+86${x}`,
    fwdDstNum: `+86${b}`,
    fwdDisplayNum: `+86${x}`,
    callInTime: timeText(start),
    fwdStartTime: timeText(start + 1),
    fwdAlertingTime: timeText(alert),
    fwdAnswerTime: answered ? timeText(answer) : '',
    callEndTime: timeText(end),
    direction: i % 2,
    serviceType: '004',
    subscriptionId: `5b7e2f3a-1c4d-4e8f-9a0b-${pad(i % 1000000000000, 12)}`,
    appKey: 'DEMOAPPKEY0000000000000000001',
    spId: 'demo_sp',
    hostName: `callenabler${node}.huaweicaas.com`,
    seconds,
    answered,
  };
}

const CDR_CSV_COLUMNS = [
  'sessionId',
  'icid',
  'callerNum',
  'calleeNum',
  'bindNum',
  'fwdDstNum',
  'fwdDisplayNum',
  'callInTime',
  'fwdStartTime',
  'fwdAlertingTime',
  'fwdAnswerTime',
  'callEndTime',
  'direction',
  'serviceType',
  'subscriptionId',
  'appKey',
  'spId',
  'hostName',
];

const BILL_HEADER =
  'callId,callerNum,privateNum,calleeNum,answerTime,endTime,billedSeconds,billedMinutes,packageMinutes,unitPrice,amount,currency,item';

function billLine(c) {
  const minutes = Math.ceil(c.seconds / 60);
  const cents = minutes * 12;
  const amount = `${Math.floor(cents / 100)}.${pad(cents % 100, 2)}`;
  return `${c.sessionId},${c.callerNum},${c.bindNum},${c.fwdDstNum},${c.fwdAnswerTime},${c.callEndTime},${c.seconds},${minutes},0,0.12,${amount},CNY,call`;
}

function cdrCsvLine(c) {
  return CDR_CSV_COLUMNS.map((k) => c[k]).join(',');
}

/** A FeeInfo as a push carries it, with the fields Huawei sends besides ours. */
function feeInfo(c) {
  return {
    direction: c.direction,
    spId: c.spId,
    appKey: c.appKey,
    icid: c.icid,
    bindNum: c.bindNum,
    sessionId: c.sessionId,
    subscriptionId: c.subscriptionId,
    callerNum: c.callerNum,
    calleeNum: c.calleeNum,
    fwdDisplayNum: c.fwdDisplayNum,
    fwdDstNum: c.fwdDstNum,
    callInTime: c.callInTime,
    fwdStartTime: c.fwdStartTime,
    fwdAlertingTime: c.fwdAlertingTime,
    fwdAnswerTime: c.fwdAnswerTime,
    callEndTime: c.callEndTime,
    fwdUnaswRsn: c.answered ? 0 : 19,
    ulFailReason: 0,
    sipStatusCode: c.answered ? 0 : 480,
    callOutUnaswRsn: 0,
    recordFlag: 0,
    ttsPlayTimes: 0,
    ttsTransDuration: 0,
    serviceType: c.serviceType,
    hostName: c.hostName,
  };
}

/** Writes `rows` rows of one format to `file`, through a temporary name. */
function writeData(file, kind, rows) {
  const next = random(20261001);
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, 'w');
  let text = '';
  const flush = () => {
    writeSync(fd, text);
    text = '';
  };
  if (kind === 'bill') text += BILL_HEADER + '\n';
  if (kind === 'cdr-csv') text += CDR_CSV_COLUMNS.join(',') + '\n';
  let push = [];
  for (let i = 0; i < rows; i++) {
    const c = call(i, next);
    if (kind === 'bill') text += billLine(c) + '\n';
    else if (kind === 'cdr-csv') text += cdrCsvLine(c) + '\n';
    else {
      push.push(feeInfo(c));
      if (push.length === 50 || i === rows - 1) {
        text += JSON.stringify({ eventType: 'fee', feeLst: push }) + '\n';
        push = [];
      }
    }
    if (text.length > 1 << 22) flush();
  }
  flush();
  closeSync(fd);
  renameSync(temporary, file);
}

const FORMATS = [
  { kind: 'bill', file: 'bill.csv', label: 'bill CSV', baseline: 'csv-parse' },
  { kind: 'cdr-csv', file: 'cdrs.csv', label: 'CDR CSV', baseline: 'csv-parse' },
  { kind: 'ndjson', file: 'pushes.ndjson', label: 'NDJSON pushes', baseline: 'readline-json' },
];

function ensureData(dataDir, rows, log) {
  mkdirSync(dataDir, { recursive: true });
  const metaFile = path.join(dataDir, 'meta.json');
  const wanted = { version: GENERATOR_VERSION, rows };
  const meta = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, 'utf8')) : undefined;
  const fresh = meta?.version === wanted.version && meta?.rows === wanted.rows;
  for (const format of FORMATS) {
    const file = path.join(dataDir, format.file);
    if (fresh && existsSync(file)) continue;
    const started = performance.now();
    log(`generating ${file} (${rows} rows)…`);
    writeData(file, format.kind, rows);
    log(`  ${mb(statSync(file).size)} MB in ${seconds(performance.now() - started)} s`);
  }
  writeFileSync(metaFile, JSON.stringify(wanted) + '\n');
}

// ---------------------------------------------------------------------------------------
// One reader in a child process

async function readWith(reader, file) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let items = 0;
  if (reader === 'csv-parse') {
    const { parse } = await import('csv-parse');
    const parser = createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(
      parse({ bom: true, skip_empty_lines: true, relax_column_count: true }),
    );
    await new Promise((resolve, reject) => {
      parser.on('readable', () => {
        while (parser.read() !== null) items++;
      });
      parser.on('end', resolve);
      parser.on('error', reject);
    });
    items -= 1; // the header
  } else if (reader === 'readline-json') {
    const { createInterface } = await import('node:readline');
    const lines = createInterface({
      input: createReadStream(file, { highWaterMark: 64 * 1024 }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      items += JSON.parse(line).feeLst.length;
    }
  } else {
    const io = await import(pathToFileURL(distIo).href);
    const batches = reader === 'bill' ? io.readBillBatches([file]) : io.readCdrBatches([file]);
    let rejected = 0;
    for await (const batch of batches) {
      for (const item of batch) if (item.type === 'rejected') rejected++;
      items += batch.length;
    }
    if (rejected > 0) throw new Error(`${rejected} items rejected`);
  }
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  return {
    items,
    ms: elapsed,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

async function runChild(reader, file) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', reader, file],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout);
}

// ---------------------------------------------------------------------------------------
// The benchmark

const mb = (bytes) => (bytes / 1e6).toFixed(0);
const seconds = (ms) => (ms / 1000).toFixed(1);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The figures of several runs of one reader over a file of `bytes` bytes and `rows` rows. */
function summarize(reader, runs, bytes, rows) {
  const ms = median(runs.map((run) => run.ms));
  const bestMs = Math.min(...runs.map((run) => run.ms));
  const cpuMs = median(runs.map((run) => run.cpuMs));
  return {
    reader,
    items: runs[0].items,
    runs: runs.length,
    seconds: Number((ms / 1000).toFixed(3)),
    mbPerSecond: Number((bytes / 1e3 / ms).toFixed(1)),
    bestMbPerSecond: Number((bytes / 1e3 / bestMs).toFixed(1)),
    cpuMbPerSecond: Number((bytes / 1e3 / cpuMs).toFixed(1)),
    rowsPerSecond: Math.round((rows / ms) * 1000),
    peakRssMB: Number(Math.max(...runs.map((run) => run.maxRssMB)).toFixed(1)),
  };
}

/**
 * Runs the read benchmark and returns its figures.
 *
 * Each reader runs `runs` times in a fresh child process, alternating with the baseline so
 * both see the same machine load. Throughput is the median wall-clock figure (the best run
 * and the figure per CPU-second are reported too); peak RSS is the highest of the runs.
 *
 * @param {{ rows?: number, runs?: number, dataDir?: string, log?: (line: string) => void }} options
 * @returns {Promise<object>} per format: the file and its size, callrecon's and the
 *   baseline's figures (items, seconds, MB/s, rows/s, peak RSS in MB), and the MB/s ratio
 */
export async function runReadBench({
  rows = 5_000_000,
  runs = 3,
  dataDir = path.join(root, 'bench', 'data', 'read'),
  log = (line) => console.error(line),
} = {}) {
  if (!existsSync(distIo)) {
    throw new Error(`${distIo} is missing: build first with npx tsc -p tsconfig.build.json`);
  }
  ensureData(dataDir, rows, log);
  const result = { rows, runs, node: process.version, cpus: cpus().length, formats: {} };
  for (const format of FORMATS) {
    const file = path.join(dataDir, format.file);
    const bytes = statSync(file).size;
    log(`reading ${format.label} (${mb(bytes)} MB), ${runs} runs each…`);
    const oursRuns = [];
    const baselineRuns = [];
    for (let run = 0; run < runs; run++) {
      oursRuns.push(await runChild(format.kind === 'bill' ? 'bill' : 'cdrs', file));
      baselineRuns.push(await runChild(format.baseline, file));
    }
    if (oursRuns.some((run) => run.items !== rows)) {
      throw new Error(`${file}: callrecon read ${oursRuns[0].items} items, not ${rows}`);
    }
    const ours = summarize('callrecon', oursRuns, bytes, rows);
    const baseline = summarize(format.baseline, baselineRuns, bytes, rows);
    const ratio = Number((ours.mbPerSecond / baseline.mbPerSecond).toFixed(2));
    result.formats[format.kind] = { file, bytes, callrecon: ours, baseline, ratio };
    for (const figures of [ours, baseline]) {
      log(
        `  ${figures.reader.padEnd(13)} ${figures.mbPerSecond} MB/s (best ${figures.bestMbPerSecond}, per CPU-second ${figures.cpuMbPerSecond})  ${figures.rowsPerSecond} rows/s  peak RSS ${figures.peakRssMB} MB`,
      );
    }
    log(`  ratio ${ratio}×`);
  }
  return result;
}

function option(args, name, fallback) {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const run = await readWith(args[1], args[2]);
    process.stdout.write(JSON.stringify(run) + '\n');
  } else {
    const rows = Number(option(args, '--rows', '5000000'));
    const runs = Number(option(args, '--runs', '3'));
    const dataDir = option(args, '--data-dir', undefined);
    const result = await runReadBench({
      rows,
      runs,
      ...(dataDir === undefined ? {} : { dataDir }),
    });
    if (args.includes('--json')) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  }
}
