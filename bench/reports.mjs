#!/usr/bin/env node
/**
 * What the HTML and Excel writers add to a run: wall time and memory of `writeHtmlReport`
 * and `writeXlsxReport` after reconciling a generated month, and of both on a month with a
 * million discrepancies (the month's rows repeated under new ids).
 *
 *   npm run bench:reports                          # 1m calls, 1,000,000 discrepancies
 *   npm run bench:reports -- --calls 100k --discrepancies 200000
 *
 * The month is generated into bench/data/<calls>/ by bench/generate.mjs (profile `bench`)
 * and reused while its manifest matches. Runs with --expose-gc, so each writer starts from
 * a collected heap; memory is the process's RSS, sampled every 10 ms while the writer runs
 * (peak, and peak minus the RSS before it started).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { GENERATOR_VERSION, callCountLabel, generateMonth, parseCallCount } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const MB = 1024 * 1024;

if (typeof globalThis.gc !== 'function') {
  // Start again with a collectable heap: the figures mean more from the same start.
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  process.exit(child.status ?? 2);
}

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1];
}

const calls = parseCallCount(option('calls', '1m'));
const syntheticRows = Number(option('discrepancies', '1000000'));
const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;
if (!existsSync(path.join(root, 'dist', 'io', 'index.js'))) {
  console.error('bench/reports: build first (npm run build)');
  process.exit(2);
}
const io = await import(dist('io/index.js'));
const lib = await import(dist('index.js'));

async function monthData() {
  const dataDir = path.join(here, 'data', callCountLabel(calls));
  try {
    const manifest = JSON.parse(await readFile(path.join(dataDir, 'manifest.json'), 'utf8'));
    if (
      manifest.generatorVersion === GENERATOR_VERSION &&
      manifest.calls === calls &&
      manifest.profile === 'bench'
    ) {
      return dataDir;
    }
  } catch {
    // not generated yet
  }
  console.log(`generating ${callCountLabel(calls)} calls into ${path.relative(root, dataDir)}…`);
  await generateMonth({ profile: 'bench', calls, seed: 1, out: dataDir, log: () => {} });
  return dataDir;
}

/** Runs `write` and reports its wall time, peak RSS and what it added to the RSS before it. */
async function measure(name, file, write) {
  globalThis.gc();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  await write();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const bytes = (await stat(file)).size;
  const row = {
    writer: name,
    seconds: Number(seconds.toFixed(2)),
    fileMB: Number((bytes / MB).toFixed(1)),
    rssBeforeMB: Math.round(before / MB),
    peakRssMB: Math.round(peak / MB),
    addedMB: Math.round((peak - before) / MB),
  };
  console.log(JSON.stringify(row));
  return row;
}

/** The month's discrepancies repeated under new ids up to `n` rows, still sorted by |impact|. */
function manyRows(rows, n) {
  if (rows.length === 0) return [];
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i % rows.length];
    out[i] = { ...row, callId: `${row.callId}#${Math.floor(i / rows.length)}` };
  }
  const size = (r) => Math.abs(Number(r.impact));
  return out.sort((a, b) => size(b) - size(a));
}

const dataDir = await monthData();
const tariff = lib.parseTariff(
  JSON.parse(await readFile(path.join(dataDir, 'tariff.json'), 'utf8')),
);
const tmp = await mkdtemp(path.join(os.tmpdir(), 'callrecon-bench-reports-'));
try {
  console.log(`reconciling ${callCountLabel(calls)} calls…`);
  let started = performance.now();
  const run = await io.reconcileFiles({
    cdrs: [path.join(dataDir, 'cdrs')],
    bill: [path.join(dataDir, 'bill.csv')],
    tariff,
    period: '2026-10',
    tmpDir: tmp,
  });
  const { result } = run;
  console.log(
    `reconciled in ${((performance.now() - started) / 1000).toFixed(1)} s: ${result.discrepancies.length} discrepancies, ${result.rejected.length} rejected`,
  );
  const figures = { calls, node: process.version, cores: os.cpus().length, month: [], million: [] };
  const html = path.join(tmp, 'report.html');
  const xlsx = path.join(tmp, 'report.xlsx');
  figures.month.push(
    await measure('html', html, () => io.writeHtmlReport(html, result.summary, result, {})),
  );
  figures.month.push(
    await measure('xlsx', xlsx, () => io.writeXlsxReport(xlsx, result.summary, result, {})),
  );
  await run.close();

  console.log(`building ${syntheticRows.toLocaleString('en-US')} discrepancies from the month's…`);
  started = performance.now();
  const many = { ...result, discrepancies: manyRows(result.discrepancies, syntheticRows) };
  console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  figures.million.push(
    await measure('html', html, () => io.writeHtmlReport(html, result.summary, many, {})),
  );
  figures.million.push(
    await measure('xlsx', xlsx, () => io.writeXlsxReport(xlsx, result.summary, many, {})),
  );
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await rm(tmp, { recursive: true, force: true });
}
