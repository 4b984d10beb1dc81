import { CallreconError } from '../core/errors.js';
/**
 * The command line of SPEC §6, parsed without side effects.
 */

/** A command line that cannot be run: exit code 2 with this one-line message. */
export class UsageError extends CallreconError {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** The parsed options of `reconcile` and `rate`. */
export interface CommandLine {
  readonly command: 'reconcile' | 'rate' | 'help' | 'version';
  readonly cdrs: readonly string[];
  readonly bill: readonly string[];
  readonly tariff: string | undefined;
  readonly period: string | undefined;
  readonly out: string | undefined;
  readonly timezone: string | undefined;
  readonly cdrTimezone: string | undefined;
  readonly billTimezone: string | undefined;
  readonly encoding: string | undefined;
  readonly cdrColumns: string | undefined;
  readonly billColumns: string | undefined;
  readonly matchWindow: number | undefined;
  readonly amountTolerance: string | undefined;
  readonly maxCallSeconds: number | undefined;
  readonly showNumbers: boolean;
  /** The language of report.md and report.html. */
  readonly lang: 'en' | 'zh-CN';
  readonly quiet: boolean;
  readonly partitions: number | undefined;
  readonly workers: number | undefined;
}

interface OptionSpec {
  readonly name: string;
  readonly value: 'list' | 'one' | 'none';
  readonly commands: readonly ('reconcile' | 'rate')[];
  readonly help: string;
  readonly example: string;
}

const BOTH = ['reconcile', 'rate'] as const;

/** Every option, with a one-line explanation and an example (shown by `--help`). */
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
    commands: ['reconcile'],
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
    commands: ['reconcile'],
    help: 'zone of bill times written without an offset (default UTC)',
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
    commands: ['reconcile'],
    help: 'JSON map of canonical bill column to the export header',
    example: '--bill-columns bill-map.json',
  },
  {
    name: 'match-window',
    value: 'one',
    commands: ['reconcile'],
    help: 'seconds a bill row without id may be from a call to match it (default 2)',
    example: '--match-window 5',
  },
  {
    name: 'amount-tolerance',
    value: 'one',
    commands: ['reconcile'],
    help: 'largest amount difference of a pair still counted clean (default 0)',
    example: '--amount-tolerance 0.01',
  },
  {
    name: 'max-call-seconds',
    value: 'one',
    commands: BOTH,
    help: 'calls longer than this are rejected (default 86400)',
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
    commands: ['reconcile'],
    help: 'language of report.md and report.html: en (default) or zh-CN',
    example: '--lang zh-CN',
  },
  {
    name: 'partitions',
    value: 'one',
    commands: ['reconcile'],
    help: 'tuning: partitions of the month on disk (default one per 32 MiB of input)',
    example: '--partitions 64',
  },
  {
    name: 'workers',
    value: 'one',
    commands: ['reconcile'],
    help: 'tuning: worker threads (default 2 for inputs over 32 MiB, else 0: this thread)',
    example: '--workers 2',
  },
  {
    name: 'quiet',
    value: 'none',
    commands: BOTH,
    help: 'no progress and no summary line',
    example: '--quiet',
  },
];

const BY_NAME = new Map(OPTIONS.map((option) => [option.name, option]));

/**
 * Parses `argv` (without `node` and the script). A list option takes every argument up to
 * the next `--option` and may be repeated; `--name=value` works for single values.
 *
 * @throws {@link UsageError} naming the flag and what is wrong
 * @example
 * parseCommandLine(['reconcile', '--cdrs', 'a', 'b', '--bill', 'bill.csv', '--tariff', 't.json', '--period', '2026-10']);
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    return blank('help');
  }
  if (first === '--version' || first === '-v') return blank('version');
  if (first !== 'reconcile' && first !== 'rate') {
    throw new UsageError(
      `unknown command '${first}': use 'callrecon reconcile' or 'callrecon rate' (see callrecon --help)`,
    );
  }
  const command = first;
  const lists = new Map<string, string[]>();
  const values = new Map<string, string>();
  const flags = new Set<string>();
  let i = 0;
  while (i < rest.length) {
    const arg = rest[i] as string;
    i++;
    if (arg === '--help' || arg === '-h') return blank('help');
    if (!arg.startsWith('--')) {
      throw new UsageError(
        `unexpected argument '${arg}': values follow their option, e.g. --cdrs ${arg}`,
      );
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = BY_NAME.get(name);
    if (spec === undefined)
      throw new UsageError(`unknown option '--${name}' (see callrecon --help)`);
    if (!spec.commands.includes(command)) {
      throw new UsageError(`option '--${name}' does not apply to '${command}'`);
    }
    if (spec.value === 'none') {
      if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
      flags.add(name);
      continue;
    }
    const taken: string[] = [];
    if (eq >= 0) taken.push(arg.slice(eq + 1));
    else {
      while (i < rest.length && !(rest[i] as string).startsWith('--')) {
        taken.push(rest[i] as string);
        i++;
        if (spec.value === 'one') break;
      }
    }
    if (taken.length === 0 || taken.some((value) => value === '')) {
      throw new UsageError(`option '--${name}' needs a value, e.g. ${spec.example}`);
    }
    if (spec.value === 'list') {
      lists.set(name, [...(lists.get(name) ?? []), ...taken]);
    } else {
      if (values.has(name)) throw new UsageError(`option '--${name}' is given twice`);
      values.set(name, taken[0] as string);
    }
  }
  const required =
    command === 'reconcile' ? ['cdrs', 'bill', 'tariff', 'period'] : ['cdrs', 'tariff', 'out'];
  for (const name of required) {
    if (!lists.has(name) && !values.has(name)) {
      throw new UsageError(
        `'${command}' needs --${name}, e.g. ${BY_NAME.get(name)?.example ?? ''}`,
      );
    }
  }
  const period = values.get('period');
  if (period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) {
    throw new UsageError(
      `--period '${period}' is not a month written YYYY-MM, e.g. --period 2026-10`,
    );
  }
  const lang = values.get('lang') ?? 'en';
  if (lang !== 'en' && lang !== 'zh-CN') {
    throw new UsageError(`--lang '${lang}' is not a report language: en or zh-CN`);
  }
  return {
    command,
    cdrs: lists.get('cdrs') ?? [],
    bill: lists.get('bill') ?? [],
    tariff: values.get('tariff'),
    period,
    out: values.get('out'),
    timezone: values.get('timezone'),
    cdrTimezone: values.get('cdr-timezone'),
    billTimezone: values.get('bill-timezone'),
    encoding: values.get('encoding'),
    cdrColumns: values.get('cdr-columns'),
    billColumns: values.get('bill-columns'),
    matchWindow: number(values.get('match-window'), 'match-window', 0, 86_400),
    amountTolerance: decimal(values.get('amount-tolerance'), 'amount-tolerance'),
    maxCallSeconds: number(values.get('max-call-seconds'), 'max-call-seconds', 1),
    showNumbers: flags.has('show-numbers'),
    lang,
    quiet: flags.has('quiet'),
    partitions: count(values.get('partitions'), 'partitions', 1),
    workers: count(values.get('workers'), 'workers', 0),
  };
}

function number(
  text: string | undefined,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(
      `--${name} '${text}' is not a whole number of seconds from ${min} to ${max}`,
    );
  }
  return Number(text);
}

function count(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > 4096) {
    throw new UsageError(`--${name} '${text}' is not a whole number from ${min} to 4096`);
  }
  return Number(text);
}

function decimal(text: string | undefined, name: string): string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d{1,6})?$/.test(text)) {
    throw new UsageError(`--${name} '${text}' is not a non-negative decimal amount like 0.01`);
  }
  return text;
}

function blank(command: 'help' | 'version'): CommandLine {
  return {
    command,
    cdrs: [],
    bill: [],
    tariff: undefined,
    period: undefined,
    out: undefined,
    timezone: undefined,
    cdrTimezone: undefined,
    billTimezone: undefined,
    encoding: undefined,
    cdrColumns: undefined,
    billColumns: undefined,
    matchWindow: undefined,
    amountTolerance: undefined,
    maxCallSeconds: undefined,
    showNumbers: false,
    lang: 'en',
    quiet: false,
    partitions: undefined,
    workers: undefined,
  };
}

/** The text of `callrecon --help`. */
export function helpText(version: string): string {
  const lines = [
    `callrecon ${version} — check a privacy-number telephony bill against your call records`,
    '',
    'Usage:',
    '  callrecon reconcile --cdrs PATH… --bill PATH… --tariff FILE --period YYYY-MM [options]',
    '  callrecon rate      --cdrs PATH… --tariff FILE [--period YYYY-MM] --out FILE.csv',
    '  callrecon --help | --version',
    '',
    'Options:',
  ];
  for (const option of OPTIONS) {
    const flag = `--${option.name}${option.value === 'list' ? ' PATH…' : option.value === 'one' ? ' VALUE' : ''}`;
    lines.push(`  ${flag.padEnd(24)} ${option.help}`, `  ${''.padEnd(24)} e.g. ${option.example}`);
  }
  lines.push(
    '',
    'Exit codes: 0 reconciled, nothing to report; 1 discrepancies or rejected rows found (the',
    'report is complete); 2 usage or input error; 3 internal error (a defect).',
    '',
    'Example:',
    '  callrecon reconcile --cdrs cdrs/ --bill bill.csv --tariff tariff.json --period 2026-10',
    '',
  );
  return lines.join('\n');
}
