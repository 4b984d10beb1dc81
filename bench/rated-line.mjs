#!/usr/bin/env node
/**
 * Micro-benchmark of one `rated.csv` line: `ratedCsvLine` then `Buffer.write` (the string
 * path) against `encodeRatedLine` (bytes straight into the buffer), both into a 64 KiB
 * buffer that starts over when the next line may not fit, as a line writer's chunk does.
 *
 * The calls are the first `--calls` fee records of bench/data/1m/cdrs/fee-2026-10-08.ndjson,
 * rated with bench/data/1m/tariff.json (`npm run bench -- --calls 1m` makes them); without
 * that file, synthetic calls of the same shape. Every line is checked byte for byte first.
 *
 * Runs against the built package:
 *   npm run build && node bench/rated-line.mjs [--calls 200000] [--rounds 7] [--show-numbers]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = (file) => pathToFileURL(path.join(root, 'dist', file)).href;
const data = path.join(root, 'bench', 'data', '1m');
const cdrFile = path.join(data, 'cdrs', 'fee-2026-10-08.ndjson');
const BUFFER_BYTES = 1 << 16;

function parseArgs(argv) {
  const options = { calls: 200_000, rounds: 7, showNumbers: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--calls') options.calls = Number(argv[++i]);
    else if (arg === '--rounds') options.rounds = Number(argv[++i]);
    else if (arg === '--show-numbers') options.showNumbers = true;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (!(options.calls > 0) || !(options.rounds > 0)) {
    throw new Error('usage: rated-line.mjs [--calls N] [--rounds N] [--show-numbers]');
  }
  return options;
}

/** The first `count` fee items of a CDR file. */
async function* firstFees(readCdrs, file, count) {
  let taken = 0;
  for await (const item of readCdrs([file])) {
    if (item.type !== 'fee') continue;
    yield item;
    if (++taken === count) return;
  }
}

/** Calls shaped like the bench month's: ids, numbers, October 2026 times, 60/60 billing. */
function syntheticCalls(count) {
  const calls = [];
  const start = Date.UTC(2026, 8, 30, 16);
  let seed = 1;
  const next = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = 0; i < count; i++) {
    const answered = next() < 0.8;
    const endMs = start + Math.floor(next() * 31 * 86_400) * 1000;
    const seconds = answered ? 1 + Math.floor(next() * 600) : 0;
    const billedSeconds = Math.ceil(seconds / 60) * 60;
    const callId = `${227_000 + (i % 9000)}_${1000 + (i % 64)}_4294967295_2026100${i % 10}160007@callenabler${200 + (i % 64)}.huaweicaas.com`;
    calls.push({
      seq: i,
      source: 'synthetic',
      line: i + 1,
      callId,
      sessionId: callId,
      icid: undefined,
      callerNum: `+86${18_000_000_000 + Math.floor(next() * 999_999_999)}`,
      bindNum: `+86${13_900_000_000 + Math.floor(next() * 9999)}`,
      fwdDstNum: `+86${13_600_000_000 + Math.floor(next() * 99_999_999)}`,
      serviceType: '004',
      direction: '0',
      mode: undefined,
      answerMs: answered ? endMs - seconds * 1000 : undefined,
      endMs,
      periodMs: endMs,
      inPeriod: true,
      seconds,
      rateIndex: answered ? 0 : -1,
      billedSeconds,
      packageSeconds: 0,
      amount: (billedSeconds / 60) * 120_000,
    });
  }
  return calls;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(path.join(root, 'dist', 'io', 'report', 'rated-line.js'))) {
    throw new Error('dist/io/report/rated-line.js is missing: build first (npm run build)');
  }
  const { createTimeZone, parseTariff, rateCalls } = await import(dist('index.js'));
  const { readCdrs } = await import(dist('io/index.js'));
  const { ratedCsvLine } = await import(dist('io/report/write-report.js'));
  const { encodeRatedLine, ratedLineMaxBytes } = await import(dist('io/report/rated-line.js'));

  const tariffFile = path.join(data, 'tariff.json');
  const fromFile = existsSync(cdrFile) && existsSync(tariffFile);
  const tariff = parseTariff(
    fromFile
      ? JSON.parse(readFileSync(tariffFile, 'utf8'))
      : { currency: 'CNY', rates: [{ id: 'flat', pricePerMinute: '0.12' }] },
    'tariff.json',
  );
  const calls = fromFile
    ? (await rateCalls(firstFees(readCdrs, cdrFile, options.calls), { tariff, period: '2026-10' }))
        .calls
    : syntheticCalls(options.calls);
  const context = { tariff, zone: createTimeZone('Asia/Shanghai') };
  const report = { showNumbers: options.showNumbers };

  // The same bytes, line by line, before any timing.
  const check = Buffer.alloc(BUFFER_BYTES);
  for (const call of calls) {
    const end = encodeRatedLine(call, context, report, check, 0);
    const line = ratedCsvLine(call, context, report);
    if (!check.subarray(0, end).equals(Buffer.from(line))) {
      throw new Error(`encodeRatedLine differs from ratedCsvLine for ${JSON.stringify(line)}`);
    }
  }

  const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let sink = 0;
  const contenders = {
    'ratedCsvLine + Buffer.write': () => {
      let offset = 0;
      for (const call of calls) {
        const line = ratedCsvLine(call, context, report);
        if (offset + line.length * 3 > BUFFER_BYTES) offset = 0;
        offset += buffer.write(line, offset);
      }
      sink += offset;
    },
    'ratedLineMaxBytes + encodeRatedLine': () => {
      let offset = 0;
      for (const call of calls) {
        if (offset + ratedLineMaxBytes(call, context) > BUFFER_BYTES) offset = 0;
        offset = encodeRatedLine(call, context, report, buffer, offset);
      }
      sink += offset;
    },
  };
  const times = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let round = 0; round <= options.rounds; round++) {
    for (const [name, run] of Object.entries(contenders)) {
      const started = process.hrtime.bigint();
      run();
      const ns = Number(process.hrtime.bigint() - started) / calls.length;
      if (round > 0) times[name].push(ns); // round 0 warms up
    }
  }

  console.log(
    `${calls.length} calls (${fromFile ? path.relative(root, cdrFile) : 'synthetic'}), ` +
      `numbers ${options.showNumbers ? 'shown' : 'masked'}, median of ${options.rounds} rounds, node ${process.version}`,
  );
  const base = median(times['ratedCsvLine + Buffer.write']);
  for (const [name, values] of Object.entries(times)) {
    const ns = median(values);
    console.log(
      `  ${name.padEnd(36)} ${ns.toFixed(0).padStart(6)} ns/call  ${(base / ns).toFixed(2)}×`,
    );
  }
  if (sink < 0) console.log(sink);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
