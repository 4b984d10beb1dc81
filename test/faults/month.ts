import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The built CLI (`npm test` builds it first). */
export const BIN = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

const AT = Date.UTC(2026, 9, 15, 1, 0, 0);

const time = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

export const TARIFF = {
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [{ id: 'mobile', pricePerMinute: '0.12', when: { privateNumPrefix: '+86138' } }],
};

export const BILL_HEADER =
  'callId,callerNum,privateNum,answerTime,billedSeconds,billedMinutes,unitPrice,amount,item';

/** One FeeInfo of call `i`, lasting 1 to 300 s; with an icid beside its sessionId when asked. */
function fee(i: number, icid: boolean): Record<string, unknown> {
  const seconds = 1 + ((i * 37) % 300);
  const answer = AT + i * 60_000;
  return {
    sessionId: `s-${i}`,
    ...(icid && { icid: `icid-${i}` }),
    callerNum: '+8613800000021',
    calleeNum: '+8613800000022',
    bindNum: '+8613800000022',
    fwdDstNum: '+8613866887021',
    fwdAnswerTime: time(answer),
    callEndTime: time(answer + seconds * 1000),
  };
}

/** The bill line of call `i`, billed right, or 0.01 more when `overBilled`. */
function billLine(i: number, overBilled: boolean): string {
  const seconds = 1 + ((i * 37) % 300);
  const minutes = Math.ceil(seconds / 60);
  const cents = minutes * 12 + (overBilled ? 1 : 0);
  return `s-${i},+8613800000021,+8613800000022,${time(AT + i * 60_000)},${seconds},${minutes},0.12,${(cents / 100).toFixed(2)},call`;
}

/** A month to reconcile: what {@link writeMonth} wrote, and the arguments to run it. */
export interface Month {
  readonly args: string[];
}

/**
 * Writes a month of `calls` calls into `dir` (cdrs/, bill.csv, tariff.json), every
 * `overBilledEvery`-th call over-billed; returns the CLI arguments (relative to `dir`),
 * `--out out` included.
 */
export function writeMonth(
  dir: string,
  calls: number,
  options: {
    overBilledEvery?: number;
    lineEnd?: string;
    out?: string;
    /** Files of pushes, the calls dealt out in turn (`pushes.ndjson`, then `pushes-2.ndjson`…). */
    cdrFiles?: number;
    /** Whether every call has an icid beside its sessionId. */
    icids?: boolean;
  } = {},
): string[] {
  mkdirSync(join(dir, 'cdrs'), { recursive: true });
  const files = options.cdrFiles ?? 1;
  const pushes: string[][] = Array.from({ length: files }, () => []);
  for (let i = 0; i < calls; i += 50) {
    const feeLst = Array.from({ length: Math.min(50, calls - i) }, (_, k) =>
      fee(i + k, options.icids ?? false),
    );
    pushes[(i / 50) % files]?.push(JSON.stringify({ eventType: 'fee', feeLst }));
  }
  for (const [f, lines] of pushes.entries()) {
    const name = f === 0 ? 'pushes.ndjson' : `pushes-${f + 1}.ndjson`;
    writeFileSync(join(dir, 'cdrs', name), `${lines.join('\n')}\n`);
  }
  writeFileSync(join(dir, 'tariff.json'), JSON.stringify(TARIFF, null, 2));
  const every = options.overBilledEvery ?? 0;
  const lines = [BILL_HEADER];
  for (let i = 0; i < calls; i++) lines.push(billLine(i, every > 0 && i % every === 0));
  const end = options.lineEnd ?? '\r\n';
  writeFileSync(join(dir, 'bill.csv'), lines.map((line) => line + end).join(''));
  return [
    'reconcile',
    '--cdrs',
    'cdrs',
    '--bill',
    'bill.csv',
    '--tariff',
    'tariff.json',
    '--period',
    '2026-10',
    '--out',
    options.out ?? 'out',
    '--quiet',
  ];
}

/** How a CLI run ended. */
export interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI run under way: send it signals, wait for its end. */
export interface Running {
  readonly pid: number;
  kill(signal: NodeJS.Signals): void;
  readonly ended: Promise<Ended>;
}

/** What a CLI run may be started with besides its arguments. */
export interface StartOptions {
  /** The files it may have open (`ulimit -n`, soft and hard: Node raises its soft limit to the hard one). */
  readonly openFiles?: number;
  /** Variables added to its environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts the CLI in `cwd`; spill files go to `tmp` when given. */
export function start(
  cwd: string,
  args: readonly string[],
  tmp?: string,
  options: StartOptions = {},
): Running {
  const { openFiles } = options;
  const [command, argv] =
    openFiles === undefined
      ? [process.execPath, [BIN, ...args]]
      : [
          '/bin/sh',
          ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, process.execPath, BIN, ...args],
        ];
  const child = spawn(command, argv, {
    cwd,
    env: { ...process.env, ...(tmp === undefined ? {} : { TMPDIR: tmp }), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const ended = new Promise<Ended>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    pid: child.pid as number,
    kill: (signal) => child.kill(signal),
    ended,
  };
}

/** Runs the CLI in `cwd` to its end (see {@link start}). */
export function run(
  cwd: string,
  args: readonly string[],
  tmp?: string,
  options: StartOptions = {},
): Promise<Ended> {
  return start(cwd, args, tmp, options).ended;
}

/** The files of a report folder and a digest of each, or undefined when there is none. */
export function snapshot(out: string): Record<string, string> | undefined {
  if (!existsSync(out)) return undefined;
  const files: Record<string, string> = {};
  for (const name of readdirSync(out).sort()) {
    files[name] = createHash('sha256')
      .update(readFileSync(join(out, name)))
      .digest('hex');
  }
  return files;
}
