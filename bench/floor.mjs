#!/usr/bin/env node
/**
 * The floor of the benchmark: only reading and parsing the month's files with callrecon's
 * own readers (`callrecon/io`), counting the items. No rating, no matching, no report: a
 * reconciliation cannot be faster than this.
 *
 * Usage (writes a JSON result to --result, or prints it):
 *   node bench/floor.mjs --cdrs bench/data/1m/cdrs --bill bench/data/1m/bill.csv
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const distIo = path.join(root, 'dist', 'io', 'index.js');

/**
 * Reads every CDR and bill file and counts what the readers yield.
 *
 * @param {{ cdrs: string[], bill: string[] }} paths files or folders, as for the CLI
 * @returns {Promise<{ cdrs: Record<string, number>, bill: Record<string, number>,
 *   batches: number, seconds: number }>}
 */
export async function readFloor({ cdrs, bill }) {
  if (!existsSync(distIo)) {
    throw new Error(`${distIo} is missing: build the package first (npm run build)`);
  }
  const { readCdrBatches, readBillBatches } = await import(pathToFileURL(distIo).href);
  const started = performance.now();
  const counts = { cdrs: {}, bill: {} };
  let batches = 0;
  for (const [role, read, paths] of [
    ['cdrs', readCdrBatches, cdrs],
    ['bill', readBillBatches, bill],
  ]) {
    for await (const batch of read(paths)) {
      batches += 1;
      for (const item of batch) counts[role][item.type] = (counts[role][item.type] ?? 0) + 1;
    }
  }
  return { ...counts, batches, seconds: (performance.now() - started) / 1000 };
}

function parseArgs(argv) {
  const options = { cdrs: [], bill: [] };
  let target = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--cdrs' || arg === '--bill') target = arg.slice(2);
    else if (arg === '--result') {
      options.result = argv[++i];
      target = null;
    } else if (target !== null && !arg.startsWith('--')) options[target].push(arg);
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (options.cdrs.length === 0 || options.bill.length === 0) {
    throw new Error('usage: floor.mjs --cdrs PATH… --bill PATH… [--result FILE]');
  }
  return options;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { result: resultFile, ...paths } = parseArgs(process.argv.slice(2));
    const body = `${JSON.stringify(await readFloor(paths), null, 2)}\n`;
    if (resultFile === undefined) process.stdout.write(body);
    else await writeFile(resultFile, body);
  } catch (error) {
    process.stderr.write(`floor: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
