import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createTimeZone } from '../core/time/index.js';
import { parseTariff, type Tariff } from '../core/tariff/index.js';
import {
  inferredTariff,
  planRun,
  rateCalls,
  type DiscrepancyRow,
  type Summary,
} from '../core/reconcile/index.js';
import {
  checkOutputFile,
  checkReportFolder,
  InputError,
  RATED_HEADER,
  reconcileFiles,
  REPORT_FILES,
  readCdrBatches,
  readNumbers,
  removePendingOutputs,
  TEXT_ENCODINGS,
  writeRatedFile,
  writeFileAtomically,
  writeReport,
  preloadXlsx,
  startXlsxThread,
  actionLine,
  stringsFor,
  type TextEncoding,
} from '../io/index.js';
import { availableParallelism } from 'node:os';
import { CallreconError } from '../core/errors.js';
import { parseJsonStrict } from '../io/json-strict.js';
import { outputPaths } from '../io/report/atomic.js';
import { parseCommandLine, UsageError, type RunLine } from './args.js';
import { helpText, usageText } from './options.js';
import { createProgress } from './progress.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** What the command runs with; tests replace parts of it. */
export interface Runtime {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly reconcileFiles: typeof reconcileFiles;
}

const defaultRuntime: Runtime = { stdout: process.stdout, stderr: process.stderr, reconcileFiles };

/** Exit codes of SPEC §6. */
const EXIT = { clean: 0, found: 1, usage: 2, internal: 3 } as const;

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new InputError(
      `${what} ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(cause)})`}`,
      { cause },
    );
  }
  // Not valid JSON, or a key named twice: an error naming the key (not last-wins).
  return parseJsonStrict(text, `${what} ${path}`);
}

async function readColumnMap(
  path: string | undefined,
  flag: string,
): Promise<Record<string, string> | undefined> {
  if (path === undefined) return undefined;
  const json = await readJsonFile(path, `${flag} map`);
  if (
    json === null ||
    typeof json !== 'object' ||
    Array.isArray(json) ||
    Object.values(json).some((v) => typeof v !== 'string')
  ) {
    throw new InputError(
      `${flag} map ${path} must be a JSON object of name → header, e.g. {"callId": "呼叫记录ID"}`,
    );
  }
  return json as Record<string, string>;
}

async function loadTariff(path: string): Promise<Tariff> {
  return parseTariff(await readJsonFile(path, 'tariff'), path);
}

function encodingOf(text: string | undefined): TextEncoding | undefined {
  if (text === undefined) return undefined;
  const lower = text.toLowerCase() === 'utf8' ? 'utf-8' : text.toLowerCase();
  if (!(TEXT_ENCODINGS as readonly string[]).includes(lower)) {
    throw new UsageError(`--encoding '${text}' is not one of ${TEXT_ENCODINGS.join(', ')}`);
  }
  return lower as TextEncoding;
}

function money(summary: Summary, amount: string): string {
  return `${summary.currency} ${amount.replace(/^-/, '')}`;
}

function summaryLine(
  summary: Summary,
  out: string,
  discrepancies: readonly DiscrepancyRow[],
  rejected: number,
): string {
  const en = stringsFor('en');
  const isZero = (amount: string): boolean => /^-?0(\.0+)?$/.test(amount);
  const by = (amount: string): string =>
    `${amount.startsWith('-') ? 'under' : 'over'} by ${money(summary, amount)}`;
  const difference = summary.totals.difference;
  let verdict = isZero(difference) ? 'bill equals our rating' : `bill ${by(difference)}`;
  // SPEC §4.5: when rent, SMS and packages are checked, the calls and the whole invoice.
  if (summary.charges.checked) {
    const invoice = summary.invoice.difference;
    verdict = `${isZero(difference) ? 'calls equal our rating' : `calls ${by(difference)}`}, ${
      isZero(invoice) ? 'invoice equals what we owe' : `invoice ${by(invoice)}`
    }`;
  }
  const parts = [
    `${summary.cdrs.inPeriod.toLocaleString('en-US')} calls`,
    en.plural('discrepancy', discrepancies.length),
  ];
  if (rejected > 0)
    parts.push(`${rejected.toLocaleString('en-US')} rejected row${rejected === 1 ? '' : 's'}`);
  parts.push(verdict, `report in ${out}`);
  // The action first: what finance does about this bill (SPEC §4.3).
  return `${summary.period}: ${actionLine(summary, discrepancies, en)} — ${parts.join(', ')}`;
}

async function runReconcile(args: RunLine, rt: Runtime): Promise<number> {
  const tariffPath = args.tariff;
  const tariffJson = await readJsonFile(tariffPath, 'tariff');
  const tariff = parseTariff(tariffJson, tariffPath);
  const encoding = encodingOf(args.encoding);
  const cdrColumns = await readColumnMap(args.cdrColumns, '--cdr-columns');
  const billColumns = await readColumnMap(args.billColumns, '--bill-columns');
  const itemValues = await readColumnMap(args.itemValues, '--item-values');
  const numbersColumns = await readColumnMap(args.numbersColumns, '--numbers-columns');
  // SPEC §4.5: the numbers held, a small file, read before the month.
  const numberDigests = new Map<string, string>();
  const numbers =
    args.numbers.length === 0
      ? undefined
      : await readNumbers(args.numbers, {
          encoding,
          columns: numbersColumns,
          onFile: (file) => numberDigests.set(file.path, file.sha256),
        });
  const out = args.out ?? './callrecon-out';
  // Before any work: a folder that is not a report is never replaced (exit code 2).
  await checkReportFolder(out, REPORT_FILES);
  const progress = createProgress(rt.stderr);
  // CALLRECON_TRACE=1 prints when each phase ends, with time and memory.
  const started = performance.now();
  const trace =
    process.env['CALLRECON_TRACE'] === '1'
      ? (phase: string): void => {
          rt.stderr.write(
            `callrecon: ${phase} after ${((performance.now() - started) / 1000).toFixed(2)} s, rss ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MiB\n`,
          );
        }
      : undefined;
  const run = await rt.reconcileFiles({
    cdrs: args.cdrs,
    bill: args.bill,
    tariff,
    period: args.period as string,
    timezone: args.timezone,
    cdrTimezone: args.cdrTimezone,
    billTimezone: args.billTimezone,
    maxCallSeconds: args.maxCallSeconds,
    amountTolerance: args.amountTolerance,
    matchWindowSeconds: args.matchWindow,
    itemValues,
    invoiceTotal: args.invoiceTotal,
    numbers,
    numberDigests,
    encoding,
    cdrColumns,
    billColumns,
    showNumbers: args.showNumbers,
    // SPEC §2.1: the other inputs and the output are never read as CDRs.
    exclude: [
      tariffPath,
      ...[args.cdrColumns, args.billColumns, args.itemValues, args.numbersColumns].filter(
        (path) => path !== undefined,
      ),
      ...args.bill,
      ...args.numbers,
      ...(await outputPaths(out)),
    ],
    partitions: args.partitions,
    workers: args.workers,
    memoryBytes: args.memoryBytes,
    onProgress: args.quiet ? undefined : (records) => progress.update('records and rows', records),
    onPartitions: args.quiet
      ? undefined
      : (settled, partitions) => progress.step(`matching: ${settled} of ${partitions} partitions`),
    onNotice: (notice) => {
      if (!args.quiet) rt.stderr.write(`callrecon: ${notice}\n`);
    },
    onPhase: (phase) => {
      // Once the workers are reading, a thread loads the workbook writer, to write
      // report.xlsx while this one renders the other files (none with --workers 0: one thread).
      if (phase.startsWith('start')) {
        if (args.workers === 0) void preloadXlsx().catch(() => {});
        else startXlsxThread();
      }
      trace?.(phase);
    },
  });
  try {
    progress.done();
    const { result } = run;
    const summary = result.summary;
    const zone = createTimeZone(summary.timezone);
    await writeReport(
      out,
      result,
      summary,
      { tariff, zone },
      { showNumbers: args.showNumbers, lang: args.lang },
      run.writeRated,
    );
    trace?.('report written');
    if (args.writeInferredTariff !== undefined) {
      await writeInferred(args.writeInferredTariff, tariffJson, summary, tariffPath, rt);
    }
    // SPEC §2.4: every warning is one line on stderr, also under --quiet.
    for (const warning of summary.warnings) {
      rt.stderr.write(`callrecon: warning ${warning.code}: ${warning.message}\n`);
    }
    const discrepancies = result.discrepancies.length;
    if (!result.balanced) {
      rt.stderr.write(
        `callrecon: internal error: the books do not balance (unexplained ${summary.totals.unexplained} ${summary.currency}). This is a defect; the report in ${out} shows the figures.\n`,
      );
      return EXIT.internal;
    }
    if (!args.quiet)
      rt.stdout.write(
        `${summaryLine(summary, out, result.discrepancies, result.rejected.length)}\n`,
      );
    if (args.failOnWarning && summary.warnings.length > 0) {
      rt.stderr.write(
        `callrecon: ${summary.warnings.length} warning${summary.warnings.length === 1 ? '' : 's'} and --fail-on-warning: exit 2 (the report in ${out} is complete)\n`,
      );
      return EXIT.usage;
    }
    return discrepancies > 0 || result.rejected.length > 0 ? EXIT.found : EXIT.clean;
  } finally {
    await run.close();
  }
}

/** SPEC §4.7: the tariff as the provider applied it, checked by the same parser before it is written. */
async function writeInferred(
  file: string,
  tariffJson: unknown,
  summary: Summary,
  tariffPath: string,
  rt: Runtime,
): Promise<void> {
  const json = inferredTariff(tariffJson, summary.inferred);
  parseTariff(json, `the inferred tariff from ${tariffPath}`);
  await writeFileAtomically(file, (tmp) => writeFile(tmp, `${JSON.stringify(json, null, 2)}\n`));
  const changes = summary.inferred.findings.length;
  rt.stderr.write(
    `callrecon: inferred tariff written to ${file} (${changes === 0 ? 'the bill follows the tariff: no change' : `${changes} change${changes === 1 ? '' : 's'}: ${summary.inferred.findings.join('; ')}`})\n`,
  );
}

async function runRate(args: RunLine, rt: Runtime): Promise<number> {
  const tariff = await loadTariff(args.tariff);
  const encoding = encodingOf(args.encoding);
  const cdrColumns = await readColumnMap(args.cdrColumns, '--cdr-columns');
  // Before any work: never replace an input or a file this command did not write.
  await checkOutputFile(args.out as string, RATED_HEADER);
  const progress = createProgress(rt.stderr);
  const result = await rateCalls(
    readCdrBatches(args.cdrs, {
      exclude: [
        args.tariff,
        ...(args.cdrColumns === undefined ? [] : [args.cdrColumns]),
        ...(await outputPaths(args.out as string)),
      ],
      ...(encoding && { encoding }),
      ...(cdrColumns && { columns: cdrColumns }),
    }),
    {
      tariff,
      period: args.period,
      timezone: args.timezone,
      cdrTimezone: args.cdrTimezone,
      maxCallSeconds: args.maxCallSeconds,
      onProgress: args.quiet ? undefined : (p) => progress.update('call records', p.cdrRecords),
    },
  );
  progress.done();
  const calls = result.calls.filter((call) => call.inPeriod);
  // SPEC §3.7's zone, chosen where every run chooses it.
  const zone = planRun({ tariff, timezone: args.timezone }).reportZone;
  await writeRatedFile(
    args.out as string,
    calls,
    { tariff, zone },
    { showNumbers: args.showNumbers },
  );
  for (const issue of result.rejected) {
    rt.stderr.write(
      `callrecon: rejected ${issue.source}:${issue.line} ${issue.code}: ${issue.reason}\n`,
    );
  }
  for (const conflict of result.conflicts) {
    const call = conflict.call;
    rt.stderr.write(
      `callrecon: conflicting record ${call?.source ?? ''}:${call?.line ?? 0} of call ${call?.callId ?? ''}: ${conflict.detail}\n`,
    );
  }
  if (!args.quiet) {
    rt.stdout.write(
      `${calls.length.toLocaleString('en-US')} calls rated, ${result.duplicates.toLocaleString('en-US')} re-pushes dropped, ${result.conflicts.length.toLocaleString('en-US')} conflicting, ${result.rejected.length.toLocaleString('en-US')} rejected, written to ${args.out as string}\n`,
    );
  }
  return result.rejected.length > 0 || result.conflicts.length > 0 ? EXIT.found : EXIT.clean;
}

/**
 * The exit code of a failure: a {@link CallreconError} carries its own (2 for bad input or
 * usage, 3 for a defect); anything else is a defect.
 *
 * @example
 * exitCodeOf(new UsageError('no command')); // 2
 */
export function exitCodeOf(error: unknown): 2 | 3 {
  return error instanceof CallreconError ? error.exitCode : EXIT.internal;
}

/**
 * Runs the command line and returns the exit code (SPEC §6). Known failures print one line;
 * anything else is a defect, printed with its stack.
 *
 * @param argv - the arguments after `node main.js`
 * @param rt - where output goes; tests replace it
 * @returns the exit code
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], rt: Runtime = defaultRuntime): Promise<number> {
  try {
    const args = parseCommandLine(argv, { cores: availableParallelism() });
    switch (args.command) {
      case 'help':
        rt.stdout.write(helpText(version, args.topic));
        return EXIT.clean;
      case 'version':
        rt.stdout.write(`${version}\n`);
        return EXIT.clean;
      case 'receive': {
        // `callrecon help receive`; `callrecon receive …` itself starts in main.ts.
        const { runReceiveCommand } = await import('./receive.js');
        return await runReceiveCommand(args.args, {
          stdout: rt.stdout as NodeJS.WritableStream,
          stderr: rt.stderr as NodeJS.WritableStream,
        });
      }
      case 'reconcile':
        return await runReconcile(args, rt);
      case 'rate':
        return await runRate(args, rt);
    }
  } catch (error) {
    await removePendingOutputs();
    const code = exitCodeOf(error);
    if (code === EXIT.usage) {
      const usage = argv.length === 0 ? `\n${usageText()}` : '';
      rt.stderr.write(`callrecon: ${(error as Error).message}\n${usage}`);
      return code;
    }
    rt.stderr.write(
      `callrecon: internal error (a defect, please report it with the command you ran):\n${(error as Error).stack ?? String(error)}\n`,
    );
    return EXIT.internal;
  }
}
