/**
 * The options of SPEC §6, each with the commands it applies to, a one-line explanation and
 * an example; `--help` and `COMMAND --help` are printed from this one table.
 */

/** A command that takes options (`receive` parses its own). */
export type RunCommand = 'reconcile' | 'rate';

/** Every command the CLI knows. */
export type CommandName = RunCommand | 'receive';

/** One option of the table. */
export interface OptionSpec {
  readonly name: string;
  readonly value: 'list' | 'one' | 'none';
  readonly commands: readonly RunCommand[];
  readonly help: string;
  readonly example: string;
}

const BOTH = ['reconcile', 'rate'] as const;
const RECONCILE = ['reconcile'] as const;

/** Every option of `reconcile` and `rate`, in the order `--help` lists them. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'cdrs',
    value: 'list',
    commands: BOTH,
    help: 'call records: files or folders (.json, .ndjson, .jsonl, .csv, optionally .gz)',
    example: '--cdrs cdrs/ extra/10-31.ndjson.gz',
  },
  {
    name: 'bill',
    value: 'list',
    commands: RECONCILE,
    help: "the provider's bill export(s), CSV or CSV.gz",
    example: '--bill bill-2026-10.csv',
  },
  {
    name: 'tariff',
    value: 'one',
    commands: BOTH,
    help: 'the tariff JSON: prices, increments, packages (schema/tariff.schema.json)',
    example: '--tariff tariff.json',
  },
  {
    name: 'period',
    value: 'one',
    commands: BOTH,
    help: 'the month to reconcile, YYYY-MM (optional for rate)',
    example: '--period 2026-10',
  },
  {
    name: 'out',
    value: 'one',
    commands: BOTH,
    help: 'reconcile: report folder (default ./callrecon-out); rate: the CSV file to write',
    example: '--out reports/2026-10',
  },
  {
    name: 'timezone',
    value: 'one',
    commands: BOTH,
    help: "zone of the month's calendar (default: the tariff's, else UTC)",
    example: '--timezone Asia/Shanghai',
  },
  {
    name: 'cdr-timezone',
    value: 'one',
    commands: BOTH,
    help: 'zone of CDR times written without an offset (default UTC, as Huawei sends them)',
    example: '--cdr-timezone UTC',
  },
  {
    name: 'bill-timezone',
    value: 'one',
    commands: RECONCILE,
    help: 'zone of bill and number-list times written without an offset (default UTC)',
    example: '--bill-timezone Asia/Shanghai',
  },
  {
    name: 'encoding',
    value: 'one',
    commands: BOTH,
    help: 'text encoding of CDR and bill files: utf-8 (default), gb18030 or gbk',
    example: '--encoding gbk',
  },
  {
    name: 'cdr-columns',
    value: 'one',
    commands: BOTH,
    help: 'JSON map of FeeInfo field to CSV header, for CDR CSVs with other headers',
    example: '--cdr-columns cdr-map.json',
  },
  {
    name: 'bill-columns',
    value: 'one',
    commands: RECONCILE,
    help: 'JSON map of canonical bill column to the export header',
    example: '--bill-columns bill-map.json',
  },
  {
    name: 'item-values',
    value: 'one',
    commands: RECONCILE,
    help: "JSON map of a bill 'item' value to call, rent, sms or package",
    example: '--item-values items.json',
  },
  {
    name: 'numbers',
    value: 'list',
    commands: RECONCILE,
    help: 'the virtual numbers held (CSV: number, orderedAt, releasedAt), to check rent',
    example: '--numbers numbers-2026-10.csv',
  },
  {
    name: 'numbers-columns',
    value: 'one',
    commands: RECONCILE,
    help: 'JSON map of number, orderedAt, releasedAt to the number export headers',
    example: '--numbers-columns numbers-map.json',
  },
  {
    name: 'invoice-total',
    value: 'one',
    commands: RECONCILE,
    help: "the total printed on the provider's invoice, checked against the bill",
    example: '--invoice-total 1234.50',
  },
  {
    name: 'match-window',
    value: 'one',
    commands: RECONCILE,
    help: 'seconds a bill row without id may be from a call to match it (0 to 86400, default 2)',
    example: '--match-window 5',
  },
  {
    name: 'amount-tolerance',
    value: 'one',
    commands: RECONCILE,
    help: 'largest amount difference of a pair still counted clean (default 0)',
    example: '--amount-tolerance 0.01',
  },
  {
    name: 'max-call-seconds',
    value: 'one',
    commands: BOTH,
    help: 'calls longer than this are rejected (1 to 2678400, default 86400)',
    example: '--max-call-seconds 14400',
  },
  {
    name: 'show-numbers',
    value: 'none',
    commands: BOTH,
    help: 'write phone numbers in full (masked as +86138****0021 by default)',
    example: '--show-numbers',
  },
  {
    name: 'lang',
    value: 'one',
    commands: RECONCILE,
    help: 'language of report.md and report.html: en (default) or zh-CN',
    example: '--lang zh-CN',
  },
  {
    name: 'write-inferred-tariff',
    value: 'one',
    commands: RECONCILE,
    help: "write a tariff with the provider's inferred increments, prices and rounding",
    example: '--write-inferred-tariff inferred-tariff.json',
  },
  {
    name: 'fail-on-warning',
    value: 'none',
    commands: RECONCILE,
    help: 'exit 2 after writing the report when the run has any warning',
    example: '--fail-on-warning',
  },
  {
    name: 'quiet',
    value: 'none',
    commands: BOTH,
    help: 'no progress and no summary line (warnings are still printed)',
    example: '--quiet',
  },
  {
    name: 'memory',
    value: 'one',
    commands: RECONCILE,
    help: 'tuning: memory budget, past which the month spills to disk (default from the machine)',
    example: '--memory 2G',
  },
  {
    name: 'partitions',
    value: 'one',
    commands: RECONCILE,
    help: 'tuning: partitions of the month when it spills (1 to 4096)',
    example: '--partitions 64',
  },
  {
    name: 'workers',
    value: 'one',
    commands: RECONCILE,
    help: 'tuning: worker threads, 0 for this thread only (default: the cores, within memory)',
    example: '--workers 2',
  },
];

const USAGE: Record<CommandName, string> = {
  reconcile:
    'callrecon reconcile --cdrs PATH… --bill PATH… --tariff FILE --period YYYY-MM [options]',
  rate: 'callrecon rate      --cdrs PATH… --tariff FILE [--period YYYY-MM] --out FILE.csv',
  receive:
    'callrecon receive   --dir DIR [--host H] [--port N] [--app-key K --app-secret-file F | --no-auth]',
};

const EXIT_CODES = [
  'Exit codes: 0 reconciled, nothing to report; 1 discrepancies or rejected rows found (the',
  'report is complete); 2 usage or input error; 3 internal error (a defect).',
];

/**
 * The usage lines of every command, as printed when no command is given.
 *
 * @example
 * usageText(); // 'Usage:\n  callrecon reconcile …'
 */
export function usageText(): string {
  return [
    'Usage:',
    ...Object.values(USAGE).map((line) => `  ${line}`),
    '  callrecon COMMAND --help | --help | --version',
    '',
  ].join('\n');
}

/**
 * The text of `callrecon --help` (every command) or `callrecon COMMAND --help` (that
 * command's options only).
 *
 * @param version - the package version, shown on the first line
 * @param topic - the command to explain; all when absent
 * @example
 * helpText('0.1.0', 'rate'); // only the options that apply to rate
 */
export function helpText(version: string, topic?: RunCommand): string {
  const lines = [
    `callrecon ${version} — check a privacy-number telephony bill against your call records`,
    '',
  ];
  if (topic === undefined) lines.push(usageText(), 'Options of reconcile and rate:');
  else lines.push('Usage:', `  ${USAGE[topic]}`, '', 'Options:');
  for (const option of OPTIONS) {
    if (topic !== undefined && !option.commands.includes(topic)) continue;
    const flag = `--${option.name}${option.value === 'list' ? ' PATH…' : option.value === 'one' ? ' VALUE' : ''}`;
    const only = topic === undefined && option.commands.length === 1 ? ' (reconcile)' : '';
    lines.push(
      `  ${flag.padEnd(28)} ${option.help}${only}`,
      `  ${''.padEnd(28)} e.g. ${option.example}`,
    );
  }
  lines.push('', ...EXIT_CODES, '');
  if (topic === undefined) lines.push("Run 'callrecon receive --help' for the push receiver.");
  lines.push(
    'Example:',
    topic === 'rate'
      ? '  callrecon rate --cdrs cdrs/ --tariff tariff.json --period 2026-10 --out rated.csv'
      : '  callrecon reconcile --cdrs cdrs/ --bill bill.csv --tariff tariff.json --period 2026-10',
    '',
  );
  return lines.join('\n');
}
