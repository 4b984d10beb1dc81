import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { huaweiTime } from './arbitraries/month.js';
import type { Summary } from '../src/index.js';
import { createProgress } from '../src/cli/progress.js';
import type * as Run from '../src/cli/run.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'dist', 'cli', 'main.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'callrecon-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const AT = Date.UTC(2026, 9, 15, 1, 0, 0);

function fee(id: string, durationS: number, answered = true): Record<string, unknown> {
  return {
    direction: 1,
    sessionId: id,
    icid: `icid-${id}`,
    callerNum: '+8613800000021',
    calleeNum: '+8613800000022',
    bindNum: '+8613800000022',
    fwdDstNum: '+8613866887021',
    fwdAnswerTime: answered ? huaweiTime(AT) : '',
    callEndTime: huaweiTime(AT + durationS * 1000),
    serviceType: '004',
  };
}

const TARIFF = {
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [{ id: 'mobile', pricePerMinute: '0.12', when: { privateNumPrefix: '+86138' } }],
};

const HEADER =
  'callId,callerNum,privateNum,answerTime,billedSeconds,billedMinutes,unitPrice,amount,item';

/** A month: two pushes (one re-pushed), a tariff and a bill; returns the CLI arguments. */
function writeMonth(billLines: string[]): string[] {
  mkdirSync(join(dir, 'cdrs'));
  const push = { eventType: 'fee', feeLst: [fee('a', 65), fee('b', 30)] };
  writeFileSync(
    join(dir, 'cdrs', '10-15.ndjson'),
    `${JSON.stringify(push)}\n${JSON.stringify(push)}\n${JSON.stringify({ eventType: 'fee', feeLst: [fee('c', 10, false)] })}\n`,
  );
  writeFileSync(join(dir, 'tariff.json'), JSON.stringify(TARIFF));
  writeFileSync(join(dir, 'bill.csv'), `${[HEADER, ...billLines].join('\r\n')}\r\n`);
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
    'out',
  ];
}

const CLEAN_BILL = [
  `a,+8613800000021,+8613800000022,${huaweiTime(AT)},65,2,0.12,0.24,call`,
  `b,+8613800000021,+8613800000022,${huaweiTime(AT)},30,1,0.12,0.12,call`,
  ',,,,,,,10.00,rent',
];

function readOut(name: string): string {
  return readFileSync(join(dir, 'out', name), 'utf8');
}

describe('callrecon reconcile', () => {
  it('exits 0 and writes the whole report when the bill matches our rating', () => {
    const { code, stdout, stderr } = run(...writeMonth(CLEAN_BILL));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      '2026-10: nothing to claim back — 3 calls, 0 discrepancies, bill equals our rating, report in out\n',
    );
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'discrepancies.csv',
      'rated.csv',
      'rejected.csv',
      'report.html',
      'report.md',
      'report.xlsx',
      'summary.json',
    ]);
    const summary = JSON.parse(readOut('summary.json')) as Summary;
    expect(summary.cdrs).toEqual({
      records: 5,
      skippedEvents: 0,
      duplicates: 2,
      conflicts: 0,
      rejected: 0,
      kept: 3,
      inPeriod: 3,
      answeredInPeriod: 2,
      unrated: 0,
      smsRecords: 0,
    });
    expect(summary.totals).toMatchObject({
      ours: '0.36',
      theirs: '0.36',
      otherCharges: '10.00',
      unexplained: '0.00',
    });
    expect(summary.inputs).toEqual([
      {
        role: 'cdrs',
        path: join('cdrs', '10-15.ndjson'),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        records: 5,
        rejected: 0,
      },
      {
        role: 'bill',
        path: 'bill.csv',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        records: 3,
        rejected: 0,
      },
    ]);
    expect(readOut('discrepancies.csv')).toBe(
      '\uFEFFkind,callId,matchedBy,impact,amountOurs,amountTheirs,secondsOurs,secondsTheirs,minutesOurs,minutesTheirs,unitPriceOurs,unitPriceTheirs,callerNum,privateNum,calleeNum,answerTime,endTime,cdrSource,billSource,detail,action,stepDuration,stepIncrements,stepRate,stepPackage,stepRounding\n',
    );
    expect(readOut('rated.csv').split('\n')[1]).toBe(
      'a,+86138****0021,+86138****0022,+86138****7021,2026-10-15T09:00:00+08:00,2026-10-15T09:01:05+08:00,65,120,2,0,0.12,0.24,mobile',
    );
    expect(readOut('report.md')).toContain('The books balance');
  });

  it('exits 1 with discrepancies; phone numbers are masked unless --show-numbers', () => {
    const args = writeMonth([CLEAN_BILL[0] as string]);
    const { code, stdout } = run(...args);
    expect(code).toBe(1);
    expect(stdout).toBe(
      '2026-10: nothing to claim back; under-billed CNY 0.12 (1) — 3 calls, 1 discrepancy, bill under by CNY 0.12, report in out\n',
    );
    const rows = readOut('discrepancies.csv').trim().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(
      /^MISSING_IN_BILL,b,,-0\.12,0\.12,,30,,1,,0\.12,,\+86138\*\*\*\*0021,\+86138\*\*\*\*0022,/,
    );
    const shown = run(...args, '--show-numbers');
    expect(shown.code).toBe(1);
    expect(readOut('discrepancies.csv')).toContain(
      ',+8613800000021,+8613800000022,+8613866887021,',
    );
  });

  it('a bill cell that a spreadsheet would run is written as text', () => {
    const { code } = run(
      ...writeMonth([...CLEAN_BILL, '=1+1,+8613700000000,+8613700000001,,,,,0.10,call']),
    );
    expect(code).toBe(1);
    const csv = readOut('discrepancies.csv');
    expect(csv).toContain("MISSING_IN_CDRS,'=1+1,");
    expect(csv).not.toMatch(/(^|,)=1\+1/m);
  });

  it('exits 1 when a row is rejected, and lists it with file, line and reason', () => {
    const { code } = run(...writeMonth([...CLEAN_BILL, 'x,,,,,,,12.3.4,call']));
    expect(code).toBe(1);
    expect(readOut('rejected.csv')).toBe(
      `\uFEFFsource,line,code,reason\nbill.csv,5,INVALID_AMOUNT,"amount '12.3.4' is not a decimal like 12.30, -0.50, ¥1,234.50 or (1.20)"\n`,
    );
  });

  it('exits 2 on an unknown option, with one line on stderr and no report', () => {
    const { code, stderr, stdout } = run(...writeMonth(CLEAN_BILL), '--colour');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe("callrecon: unknown option '--colour' (see callrecon reconcile --help)\n");
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('exits 2 naming a missing input file', () => {
    const args = writeMonth(CLEAN_BILL);
    args[4] = 'no-such-bill.csv';
    const { code, stderr } = run(...args);
    expect(code).toBe(2);
    expect(stderr).toContain('no-such-bill.csv');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 naming the rate and field of an invalid tariff, and keeps the previous report', () => {
    const args = writeMonth(CLEAN_BILL);
    expect(run(...args).code).toBe(0);
    const before = readOut('summary.json');
    writeFileSync(
      join(dir, 'tariff.json'),
      JSON.stringify({ currency: 'CNY', rates: [{ id: 'mobile', pricePerMinute: 0.12 }] }),
    );
    const { code, stderr } = run(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^callrecon: tariff\.json: rate 'mobile', field pricePerMinute: .*\n$/);
    expect(readOut('summary.json')).toBe(before);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('exits 2 on a bill without the columns it needs, naming them and the headers found', () => {
    const args = writeMonth([]);
    writeFileSync(join(dir, 'bill.csv'), 'id,cost\nabc,1.00\n');
    const { code, stderr } = run(...args);
    expect(code).toBe(2);
    expect(stderr).toContain('bill.csv');
    expect(stderr).toContain('amount');
    expect(stderr).toContain('cost');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('--help explains every option with an example; --version prints the version', () => {
    const help = run('--help');
    expect(help.code).toBe(0);
    for (const option of [
      '--cdrs',
      '--bill',
      '--tariff',
      '--period',
      '--out',
      '--timezone',
      '--cdr-timezone',
      '--bill-timezone',
      '--encoding',
      '--cdr-columns',
      '--bill-columns',
      '--match-window',
      '--amount-tolerance',
      '--max-call-seconds',
      '--show-numbers',
      '--quiet',
    ]) {
      expect(help.stdout).toContain(option);
    }
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(run('--version').stdout).toBe(`${version}\n`);
  });

  it('--quiet prints nothing on stdout', () => {
    const { code, stdout } = run(...writeMonth(CLEAN_BILL), '--quiet');
    expect(code).toBe(0);
    expect(stdout).toBe('');
  });
});

describe('callrecon rate', () => {
  it('writes our rating of every call to a CSV file', () => {
    writeMonth(CLEAN_BILL);
    const { code, stdout } = run(
      'rate',
      '--cdrs',
      'cdrs',
      '--tariff',
      'tariff.json',
      '--out',
      'rated.csv',
      '--show-numbers',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('3 calls rated, 2 re-pushes dropped, 0 conflicting, 0 rejected');
    const lines = readFileSync(join(dir, 'rated.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      'b,+8613800000021,+8613800000022,+8613866887021,2026-10-15T09:00:00+08:00,2026-10-15T09:00:30+08:00,30,60,1,0,0.12,0.12,mobile',
    );
  });
});

describe('exit code 3', () => {
  it('an internal failure exits 3 and says it is a defect', async () => {
    const { main } = (await import(join(root, 'dist', 'cli', 'run.js'))) as typeof Run;
    const args = writeMonth(CLEAN_BILL).map((arg) =>
      ['cdrs', 'bill.csv', 'tariff.json', 'out'].includes(arg) ? join(dir, arg) : arg,
    );
    let stderr = '';
    const code = await main(args, {
      stdout: { write: () => true },
      stderr: { write: (text: string) => ((stderr += text), true) },
      reconcileFiles: () => Promise.reject(new TypeError('boom')),
    });
    expect(code).toBe(3);
    expect(stderr).toContain('internal error (a defect');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('interrupted and partitioned runs', () => {
  it('a run killed in the middle leaves no partial report, no spill files, and the previous report', async () => {
    const args = writeMonth(CLEAN_BILL);
    expect(run(...args).code).toBe(0);
    const before = readOut('summary.json');
    // A month big enough to take a while: 60,000 records.
    const lines: string[] = [];
    for (let push = 0; push < 1200; push++) {
      const feeLst = Array.from({ length: 50 }, (_, i) => fee(`big-${push}-${i}`, 30 + i));
      lines.push(JSON.stringify({ eventType: 'fee', feeLst }));
    }
    writeFileSync(join(dir, 'cdrs', 'big.ndjson'), `${lines.join('\n')}\n`);
    const spill = join(dir, 'spill');
    mkdirSync(spill);
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { ...process.env, TMPDIR: spill },
      stdio: 'ignore',
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.kill('SIGTERM');
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect(code === 143 || signal === 'SIGTERM').toBe(true);
    expect(readOut('summary.json')).toBe(before);
    expect(readdirSync(dir).filter((name) => name.startsWith('.out.'))).toEqual([]);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('writes the same report byte for byte with one partition in this thread and many on workers', () => {
    const args = writeMonth([
      ...CLEAN_BILL.slice(1),
      'icid-a,,,,,,,0.24,call',
      ',+8613800000021,+8613800000022,' + huaweiTime(AT) + ',,,,0.12,call',
    ]);
    // A second, smaller file of calls (one a re-push of the first file's), so rated.csv is
    // joined from two shares of files.
    writeFileSync(
      join(dir, 'cdrs', '10-16.ndjson'),
      `${JSON.stringify({ eventType: 'fee', feeLst: [fee('d', 125), fee('a', 65)] })}\n`,
    );
    expect(run(...args, '--partitions', '1', '--workers', '0').code).toBe(1);
    const one = ['summary.json', 'discrepancies.csv', 'rejected.csv', 'rated.csv', 'report.md'].map(
      readOut,
    );
    expect(run(...args, '--partitions', '5', '--workers', '2').code).toBe(1);
    const many = [
      'summary.json',
      'discrepancies.csv',
      'rejected.csv',
      'rated.csv',
      'report.md',
    ].map(readOut);
    expect(many).toEqual(one);
    expect(one[3]?.split('\n').map((line) => line.split(',')[0])).toEqual([
      'callId',
      'a',
      'b',
      'c',
      'd',
      '',
    ]);
  });
});

describe('progress', () => {
  it('draws a live line on a terminal and nothing elsewhere', () => {
    let drawn = '';
    let clock = 0;
    const tty = createProgress(
      { isTTY: true, write: (text: string) => (drawn += text) },
      () => clock,
    );
    clock = 2000;
    tty.update('records and rows', 50_000);
    clock = 3000;
    tty.step('matching: 3 of 8 partitions');
    tty.done();
    expect(drawn).toContain('records and rows: 50,000 read · 25,000/s · 2 s');
    expect(drawn).toContain('matching: 3 of 8 partitions · 3 s');
    expect(drawn.endsWith('\r\u001b[2K')).toBe(true);
    let piped = '';
    const pipe = createProgress({ isTTY: false, write: (text: string) => (piped += text) });
    pipe.update('records and rows', 50_000);
    pipe.step('matching: 1 of 1 partitions');
    pipe.done();
    expect(piped).toBe('');
  });
});

describe('the output is never put where it would destroy something', () => {
  it('refuses an --out folder that holds other files, before any work, and keeps them', () => {
    const args = writeMonth(CLEAN_BILL).map((arg) => (arg === 'out' ? '.' : arg));
    const { code, stderr } = run(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^callrecon: --out \. holds files that are not a callrecon report \(.*\)/,
    );
    expect(readdirSync(dir).sort()).toEqual(['bill.csv', 'cdrs', 'tariff.json']);
  });

  it('refuses an --out that is a file, and a rate --out that is a folder', () => {
    const args = writeMonth(CLEAN_BILL);
    writeFileSync(join(dir, 'out'), 'notes');
    expect(run(...args).code).toBe(2);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('notes');
    const rate = run('rate', '--cdrs', 'cdrs', '--tariff', 'tariff.json', '--out', 'cdrs');
    expect(rate.code).toBe(2);
    expect(rate.stderr).toBe(
      'callrecon: --out cdrs is a folder: give the path of a CSV file to write\n',
    );
  });

  it('refuses an --out where a folder is named like a report file', () => {
    const args = writeMonth(CLEAN_BILL);
    mkdirSync(join(dir, 'out', 'report.md'), { recursive: true });
    writeFileSync(join(dir, 'out', 'report.md', 'keep.txt'), 'mine');
    expect(run(...args).code).toBe(2);
    expect(readFileSync(join(dir, 'out', 'report.md', 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('rate never overwrites an input, but replaces its own earlier output', () => {
    writeMonth(CLEAN_BILL);
    const input = join('cdrs', '10-15.ndjson');
    const before = readFileSync(join(dir, input), 'utf8');
    const refused = run('rate', '--cdrs', 'cdrs', '--tariff', 'tariff.json', '--out', input);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not a file callrecon wrote');
    expect(readFileSync(join(dir, input), 'utf8')).toBe(before);
    expect(run('rate', '--cdrs', 'cdrs', '--tariff', 'tariff.json', '--out', 'r.csv').code).toBe(0);
    expect(run('rate', '--cdrs', 'cdrs', '--tariff', 'tariff.json', '--out', 'r.csv').code).toBe(0);
  });

  it('rate reports a conflicting record and exits 1', () => {
    writeMonth(CLEAN_BILL);
    writeFileSync(
      join(dir, 'cdrs', 'late.ndjson'),
      `${JSON.stringify({ eventType: 'fee', feeLst: [fee('a', 99)] })}\n`,
    );
    const { code, stdout, stderr } = run(
      'rate',
      '--cdrs',
      'cdrs',
      '--tariff',
      'tariff.json',
      '--out',
      'r.csv',
    );
    expect(code).toBe(1);
    expect(stdout).toContain('1 conflicting');
    expect(stderr).toContain('conflicting record cdrs/late.ndjson:1 of call a');
  });
});
