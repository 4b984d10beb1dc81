/**
 * The command line of SPEC §6, parsed without side effects: a discriminated union of what
 * to do, every value checked and bounded before any file is touched.
 */
import { CallreconError } from '../core/errors.js';
import { OPTIONS, type CommandName, type OptionSpec, type RunCommand } from './options.js';

/** A command line that cannot be run: exit code 2 with this one-line message. */
export class UsageError extends CallreconError {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** The language of the human-readable reports. */
export type ReportLang = 'en' | 'zh-CN';

/** The parsed options of `reconcile` and `rate`. */
export interface RunLine {
  readonly command: RunCommand;
  readonly cdrs: readonly string[];
  readonly bill: readonly string[];
  readonly tariff: string;
  readonly period: string | undefined;
  readonly out: string | undefined;
  readonly timezone: string | undefined;
  readonly cdrTimezone: string | undefined;
  readonly billTimezone: string | undefined;
  readonly encoding: string | undefined;
  readonly cdrColumns: string | undefined;
  readonly billColumns: string | undefined;
  readonly itemValues: string | undefined;
  readonly numbers: readonly string[];
  readonly numbersColumns: string | undefined;
  readonly invoiceTotal: string | undefined;
  readonly matchWindow: number | undefined;
  readonly amountTolerance: string | undefined;
  readonly maxCallSeconds: number | undefined;
  readonly showNumbers: boolean;
  readonly lang: ReportLang;
  readonly writeInferredTariff: string | undefined;
  readonly failOnWarning: boolean;
  readonly quiet: boolean;
  readonly memoryBytes: number | undefined;
  readonly partitions: number | undefined;
  readonly workers: number | undefined;
}

/** What the command line asks for. */
export type CommandLine =
  | RunLine
  | { readonly command: 'help'; readonly topic: RunCommand | undefined }
  | { readonly command: 'version' }
  | { readonly command: 'receive'; readonly args: readonly string[] };

/** Limits of the machine that bound the tuning options. */
export interface MachineLimits {
  /** Available cores: `--workers` may not exceed them (2 on a smaller machine). */
  readonly cores: number;
}

/** SPEC §3.1: the longest call a run may accept, 31 days. */
export const MAX_CALL_SECONDS = 31 * 86_400;
/** The widest composite match window, one day. */
export const MAX_MATCH_WINDOW = 86_400;
/** The most partitions a spilled month may have. */
export const MAX_PARTITIONS = 4096;
const MIN_MEMORY = 64 * 2 ** 20;
const MAX_MEMORY = 2 ** 40;

const BY_NAME = new Map(OPTIONS.map((option) => [option.name, option]));
const COMMANDS: readonly CommandName[] = ['reconcile', 'rate', 'receive'];

/**
 * Parses `argv` (without `node` and the script). A list option takes every argument up to
 * the next `--option` and may be repeated; `--name=value` works for single values.
 *
 * @param argv - the arguments after the script
 * @param limits - the machine's cores, bounding `--workers`
 * @returns what to run, every value checked
 * @throws {@link UsageError} naming the flag and what is wrong
 * @example
 * parseCommandLine(['reconcile', '--cdrs', 'a', 'b', '--bill', 'bill.csv', '--tariff', 't.json', '--period', '2026-10']);
 */
export function parseCommandLine(
  argv: readonly string[],
  limits: MachineLimits = { cores: 2 },
): CommandLine {
  const [first, ...rest] = argv;
  if (first === undefined) {
    throw new UsageError(
      "no command given: use 'callrecon reconcile', 'callrecon rate' or 'callrecon receive' (see callrecon --help)",
    );
  }
  if (first === '--help' || first === '-h') return { command: 'help', topic: undefined };
  if (first === 'help') return helpTopic(rest[0]);
  if (first === '--version' || first === '-v') return { command: 'version' };
  if (first === 'receive') return { command: 'receive', args: rest };
  if (first !== 'reconcile' && first !== 'rate') {
    throw new UsageError(
      `unknown command '${first}': use ${COMMANDS.map((c) => `'callrecon ${c}'`).join(', ')} (see callrecon --help)`,
    );
  }
  const command = first;
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', topic: command };
  const taken = takeOptions(command, rest);
  return checkedLine(command, taken, limits);
}

function helpTopic(topic: string | undefined): CommandLine {
  if (topic === undefined) return { command: 'help', topic: undefined };
  if (topic === 'receive') return { command: 'receive', args: ['--help'] };
  if (topic === 'reconcile' || topic === 'rate') return { command: 'help', topic };
  throw new UsageError(`no help for '${topic}': commands are ${COMMANDS.join(', ')}`);
}

interface Taken {
  readonly lists: Map<string, string[]>;
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
}

function takeOptions(command: RunCommand, rest: readonly string[]): Taken {
  const taken: Taken = { lists: new Map(), values: new Map(), flags: new Set() };
  let i = 0;
  while (i < rest.length) {
    const arg = rest[i] as string;
    i++;
    if (!arg.startsWith('--')) {
      throw new UsageError(
        `unexpected argument '${arg}': values follow their option, e.g. --cdrs ${arg}`,
      );
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = BY_NAME.get(name);
    if (spec === undefined) {
      throw new UsageError(`unknown option '--${name}' (see callrecon ${command} --help)`);
    }
    if (!spec.commands.includes(command)) {
      throw new UsageError(`option '--${name}' does not apply to '${command}'`);
    }
    if (spec.value === 'none') {
      if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
      taken.flags.add(name);
      continue;
    }
    const given: string[] = [];
    if (eq >= 0) given.push(arg.slice(eq + 1));
    else {
      while (i < rest.length && !(rest[i] as string).startsWith('--')) {
        given.push(rest[i] as string);
        i++;
        if (spec.value === 'one') break;
      }
    }
    store(taken, spec, given);
  }
  return taken;
}

function store(taken: Taken, spec: OptionSpec, given: readonly string[]): void {
  const name = spec.name;
  if (given.length === 0 || given.some((value) => value === '')) {
    throw new UsageError(`option '--${name}' needs a value, e.g. ${spec.example}`);
  }
  if (spec.value === 'list') {
    taken.lists.set(name, [...(taken.lists.get(name) ?? []), ...given]);
    return;
  }
  if (taken.values.has(name)) throw new UsageError(`option '--${name}' is given twice`);
  taken.values.set(name, given[0] as string);
}

function checkedLine(command: RunCommand, taken: Taken, limits: MachineLimits): RunLine {
  const { lists, values, flags } = taken;
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
  const maxWorkers = Math.max(2, limits.cores);
  return {
    command,
    cdrs: lists.get('cdrs') ?? [],
    bill: lists.get('bill') ?? [],
    tariff: values.get('tariff') as string,
    period,
    out: values.get('out'),
    timezone: values.get('timezone'),
    cdrTimezone: values.get('cdr-timezone'),
    billTimezone: values.get('bill-timezone'),
    encoding: values.get('encoding'),
    cdrColumns: values.get('cdr-columns'),
    billColumns: values.get('bill-columns'),
    itemValues: values.get('item-values'),
    numbers: lists.get('numbers') ?? [],
    numbersColumns: values.get('numbers-columns'),
    invoiceTotal: amount(values.get('invoice-total'), 'invoice-total', true),
    matchWindow: whole(values.get('match-window'), 'match-window', 0, MAX_MATCH_WINDOW, ' seconds'),
    amountTolerance: amount(values.get('amount-tolerance'), 'amount-tolerance', false),
    maxCallSeconds: whole(
      values.get('max-call-seconds'),
      'max-call-seconds',
      1,
      MAX_CALL_SECONDS,
      ' seconds',
    ),
    showNumbers: flags.has('show-numbers'),
    lang: lang(values.get('lang')),
    writeInferredTariff: values.get('write-inferred-tariff'),
    failOnWarning: flags.has('fail-on-warning'),
    quiet: flags.has('quiet'),
    memoryBytes: memory(values.get('memory')),
    partitions: whole(values.get('partitions'), 'partitions', 1, MAX_PARTITIONS, ''),
    workers: whole(values.get('workers'), 'workers', 0, maxWorkers, ` (the cores here)`),
  };
}

function whole(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
  unit: string,
): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${name} '${text}' is not a whole number from ${min} to ${max}${unit}`);
  }
  return Number(text);
}

function amount(text: string | undefined, name: string, signed: boolean): string | undefined {
  if (text === undefined) return undefined;
  const pattern = signed ? /^-?\d{1,18}(\.\d{1,6})?$/ : /^\d{1,18}(\.\d{1,6})?$/;
  if (!pattern.test(text)) {
    throw new UsageError(
      `--${name} '${text}' is not a${signed ? '' : ' non-negative'} plain decimal amount like 1234.50`,
    );
  }
  return text;
}

function lang(text: string | undefined): ReportLang {
  if (text === undefined || text === 'en') return 'en';
  if (text === 'zh-CN' || text === 'zh') return 'zh-CN';
  throw new UsageError(`--lang '${text}' is not a report language: use en or zh-CN`);
}

const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

function memory(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{1,13}(?:\.\d{1,3})?)\s*([KMGT]?)(?:i?B)?$/i.exec(text);
  const bytes =
    match === null
      ? Number.NaN
      : Math.floor(Number(match[1]) * (UNITS[(match[2] ?? '').toUpperCase()] ?? Number.NaN));
  if (!(bytes >= MIN_MEMORY && bytes <= MAX_MEMORY)) {
    throw new UsageError(
      `--memory '${text}' is not a memory size from 64M to 1T, e.g. --memory 2G or --memory 512M`,
    );
  }
  return bytes;
}
