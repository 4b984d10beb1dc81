import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../index.js';
import * as io from '../io/index.js';
import { CallreconError } from '../core/errors.js';
import {
  MAX_CALL_SECONDS,
  MAX_MATCH_WINDOW,
  MAX_PARTITIONS,
  parseCommandLine,
  UsageError,
  type RunLine,
} from './args.js';
import { helpText, OPTIONS } from './options.js';
import { exitCodeOf } from './run.js';

const RECONCILE = ['reconcile', '--cdrs', 'c', '--bill', 'b.csv', '--tariff', 't.json'];
const month = [...RECONCILE, '--period', '2026-10'];

function line(...extra: string[]): RunLine {
  const parsed = parseCommandLine([...month, ...extra], { cores: 4 });
  if (parsed.command !== 'reconcile') throw new Error(`parsed as ${parsed.command}`);
  return parsed;
}

function usage(argv: readonly string[]): string {
  try {
    parseCommandLine(argv, { cores: 4 });
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('parseCommandLine', () => {
  it('no command at all is a usage error that names the commands', () => {
    expect(usage([])).toMatch(/no command given: use 'callrecon reconcile', 'callrecon rate'/);
  });

  it('an unknown command is a usage error', () => {
    expect(usage(['reconsile'])).toMatch(/unknown command 'reconsile'/);
  });

  it('COMMAND --help asks for that command only, wherever --help stands', () => {
    expect(parseCommandLine(['rate', '--cdrs', 'x', '--help'])).toEqual({
      command: 'help',
      topic: 'rate',
    });
    expect(parseCommandLine(['help', 'reconcile'])).toEqual({
      command: 'help',
      topic: 'reconcile',
    });
    expect(parseCommandLine(['--help'])).toEqual({ command: 'help', topic: undefined });
  });

  it('receive takes its own arguments, and help receive asks it for its help', () => {
    expect(parseCommandLine(['receive', '--dir', 'in'])).toEqual({
      command: 'receive',
      args: ['--dir', 'in'],
    });
    expect(parseCommandLine(['help', 'receive'])).toEqual({ command: 'receive', args: ['--help'] });
  });

  it('reads the options of revision 2', () => {
    const parsed = line(
      '--item-values',
      'items.json',
      '--numbers',
      'n1.csv',
      'n2.csv',
      '--numbers-columns',
      'map.json',
      '--invoice-total',
      '1234.50',
      '--lang',
      'zh-CN',
      '--write-inferred-tariff',
      'inferred.json',
      '--fail-on-warning',
      '--memory',
      '2G',
    );
    expect(parsed).toMatchObject({
      itemValues: 'items.json',
      numbers: ['n1.csv', 'n2.csv'],
      numbersColumns: 'map.json',
      invoiceTotal: '1234.50',
      lang: 'zh-CN',
      writeInferredTariff: 'inferred.json',
      failOnWarning: true,
      memoryBytes: 2 * 2 ** 30,
    });
    expect(line()).toMatchObject({ lang: 'en', failOnWarning: false, numbers: [] });
  });

  it('reads memory sizes with and without units', () => {
    expect(line('--memory', '512M').memoryBytes).toBe(512 * 2 ** 20);
    expect(line('--memory', '1.5GiB').memoryBytes).toBe(1.5 * 2 ** 30);
    expect(line('--memory', '100000000').memoryBytes).toBe(100_000_000);
    expect(usage([...month, '--memory', '10M'])).toMatch(/from 64M to 1T/);
    expect(usage([...month, '--memory', 'lots'])).toMatch(/not a memory size/);
  });

  it('bounds --workers by the cores, never 1000 threads for two records', () => {
    expect(line('--workers', '4').workers).toBe(4);
    expect(usage([...month, '--workers', '1000'])).toMatch(/from 0 to 4 \(the cores here\)/);
  });

  it('bounds every other numeric option', () => {
    expect(usage([...month, '--partitions', '4097'])).toMatch(/from 1 to 4096/);
    expect(usage([...month, '--match-window', '86401'])).toMatch(/from 0 to 86400 seconds/);
    expect(usage([...month, '--max-call-seconds', '0'])).toMatch(/from 1 to 2678400 seconds/);
    expect(usage([...month, '--invoice-total', '1,234.50'])).toMatch(/plain decimal/);
    expect(usage([...month, '--amount-tolerance', '-1'])).toMatch(/non-negative/);
    expect(usage([...month, '--lang', 'fr'])).toMatch(/en or zh-CN/);
  });

  it('an option of another command is refused by name', () => {
    expect(usage(['rate', '--cdrs', 'c', '--tariff', 't', '--out', 'o', '--bill', 'b'])).toBe(
      "option '--bill' does not apply to 'rate'",
    );
  });
});

describe('helpText', () => {
  it("shows a command's options only", () => {
    const rate = helpText('1.0.0', 'rate');
    expect(rate).toContain('--cdrs');
    expect(rate).not.toContain('--bill ');
    expect(rate).not.toContain('--invoice-total');
    const all = helpText('1.0.0');
    for (const option of OPTIONS) expect(all).toContain(`--${option.name}`);
    expect(all).toContain('callrecon receive');
  });
});

describe('exitCodeOf', () => {
  it('maps every error class the package exports to its exit code, and others to 3', () => {
    const exported: unknown[] = [...Object.values(core), ...Object.values(io)];
    const classes = exported.filter(
      (value): value is new (message: string) => CallreconError =>
        typeof value === 'function' &&
        (value as { prototype: unknown }).prototype instanceof CallreconError &&
        !Object.is(value, CallreconError),
    );
    expect(classes.length).toBeGreaterThanOrEqual(7);
    for (const ErrorClass of classes) {
      const error = new ErrorClass('x');
      expect([2, 3]).toContain(exitCodeOf(error));
      expect(exitCodeOf(error)).toBe(error.exitCode);
      expect(error.name).toBe(ErrorClass.name);
    }
    expect(exitCodeOf(new UsageError('x'))).toBe(2);
    expect(exitCodeOf(new TypeError('x'))).toBe(3);
  });
});

describe('properties', () => {
  it('a whole number in a bound is read, one past it is refused', () => {
    const bounded = [
      ['--partitions', 1, MAX_PARTITIONS],
      ['--match-window', 0, MAX_MATCH_WINDOW],
      ['--max-call-seconds', 1, MAX_CALL_SECONDS],
      ['--workers', 0, 4],
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...bounded),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ([flag, min, max], share) => {
          const inside = Math.round(min + share * (max - min));
          const parsed = line(flag, String(inside));
          expect(Object.values(parsed)).toContain(inside);
          usage([...month, flag, String(max + 1)]);
        },
      ),
    );
  });
});
