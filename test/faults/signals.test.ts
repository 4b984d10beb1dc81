import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc } from '../helpers/fast-check.js';
import { BIN, run, snapshot, start, writeMonth } from './month.js';

let dir: string;
let spill: string;
let args: string[];
let previous: Record<string, string>;
let next: Record<string, string>;
let durationMs: number;

/**
 * The month under test (every 7th call over-billed) and two reports kept aside: the
 * previous one (the same month billed right) and the one the run under test makes.
 */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callrecon-signals-'));
  spill = join(dir, 'spill');
  mkdirSync(spill);
  await run(dir, writeMonth(dir, 300), spill);
  cpSync(join(dir, 'out'), join(dir, 'previous'), { recursive: true });
  previous = snapshot(join(dir, 'previous'))!;
  args = writeMonth(dir, 300, { overBilledEvery: 7 });
  const started = Date.now();
  expect((await run(dir, args, spill)).code).toBe(1);
  durationMs = Date.now() - started;
  next = snapshot(join(dir, 'out'))!;
  expect(next).not.toEqual(previous);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Puts the previous report back in --out. */
function resetReport(): void {
  rmSync(join(dir, 'out'), { recursive: true, force: true });
  cpSync(join(dir, 'previous'), join(dir, 'out'), { recursive: true });
}

/** What the folder holds besides the month and its report: nothing, when runs cleaned up. */
function leftovers(): string[] {
  return readdirSync(dir).filter(
    (name) => !['cdrs', 'bill.csv', 'tariff.json', 'out', 'spill', 'previous'].includes(name),
  );
}

describe('signals', () => {
  it('SIGTERM or SIGINT at any moment ends the run by that signal, leaving the previous report or the new one whole, and nothing else', async () => {
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: durationMs + 100 }),
        fc.constantFrom<'SIGTERM' | 'SIGINT'>('SIGTERM', 'SIGINT'),
        async (delayMs, signal) => {
          resetReport();
          const running = start(dir, args, spill);
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          running.kill(signal);
          const ended = await running.ended;
          const report = snapshot(join(dir, 'out'));
          if (ended.signal === null) {
            // The run ended before the signal came.
            expect(ended.code).toBe(1);
            expect(report).toEqual(next);
            outcomes.add('finished');
          } else {
            expect(ended.signal).toBe(signal);
            expect([previous, next]).toContainEqual(report);
            outcomes.add(report === undefined ? 'none' : 'killed');
          }
          expect(ended.stderr).not.toContain('internal error');
          expect(leftovers()).toEqual([]);
          expect(readdirSync(spill)).toEqual([]);
        },
      ),
      { numRuns: 8 },
    );
    expect(outcomes.has('none')).toBe(false);
  });

  it('SIGKILL at any moment leaves the previous report or the new one whole; the next run cleans up what it left', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: durationMs + 100 }), async (delayMs) => {
        resetReport();
        const running = start(dir, args, spill);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        running.kill('SIGKILL');
        await running.ended;
        // Leftovers of a killed run are the next run's to clean; the report is whole.
        expect([previous, next]).toContainEqual(snapshot(join(dir, 'out')));
        const after = await run(dir, args, spill);
        expect(after.code).toBe(1);
        expect(snapshot(join(dir, 'out'))).toEqual(next);
        expect(leftovers()).toEqual([]);
        // The spill folder of a killed run stays in TMPDIR (the next run does not look there).
        for (const name of readdirSync(spill)) {
          rmSync(join(spill, name), { recursive: true, force: true });
        }
      }),
      { numRuns: 3 },
    );
  });

  it('a second SIGINT or SIGTERM during the cleanup waits for it: the run still ends by the signal, and nothing is left behind', async () => {
    // Spilled to disk in thousands of files: the cleanup takes long enough to be interrupted,
    // and the thread pool is still creating files while it runs.
    const spilling = [...args, '--memory', '64M', '--partitions', '2000'];
    for (const [signal, delayMs, gapMs] of [
      ['SIGINT', 150, 1],
      ['SIGTERM', 250, 3],
      ['SIGINT', 350, 6],
      ['SIGINT', 450, 1],
      ['SIGTERM', 550, 10],
      ['SIGINT', 650, 3],
    ] as const) {
      resetReport();
      const running = start(dir, spilling, spill);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      running.kill(signal);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
      running.kill(signal);
      const ended = await running.ended;
      expect(ended.signal ?? ended.code, ended.stderr).toBe(ended.signal === null ? 1 : signal);
      expect([previous, next]).toContainEqual(snapshot(join(dir, 'out')));
      expect(readdirSync(spill), `${signal} after ${delayMs} ms, again ${gapMs} ms later`).toEqual(
        [],
      );
      expect(leftovers()).toEqual([]);
    }
  });

  it('SIGTERM ends a run that is starting as many worker threads as it may, and its spill files go', async () => {
    resetReport();
    // --workers is bounded by the cores (at least 2).
    const workers = String(Math.max(2, availableParallelism()));
    const running = start(dir, [...args, '--workers', workers, '--partitions', '8'], spill);
    await new Promise((resolve) => setTimeout(resolve, 250));
    running.kill('SIGTERM');
    const ended = await running.ended;
    expect(ended.signal ?? ended.code, ended.stderr).toBe(ended.signal === null ? 1 : 'SIGTERM');
    expect([previous, next]).toContainEqual(snapshot(join(dir, 'out')));
    expect(readdirSync(spill)).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  it('a shell sees exit status 143 after SIGTERM and 130 after SIGINT', () => {
    const script = 'node "$@" & pid=$!; sleep 0.3; kill -$SIG $pid; wait $pid; echo "status $?"';
    for (const [signal, status] of [
      ['TERM', 143],
      ['INT', 130],
    ] as const) {
      const shell = spawnSync('sh', ['-c', script, 'sh', BIN, ...args], {
        cwd: dir,
        env: { ...process.env, SIG: signal, TMPDIR: spill },
        encoding: 'utf8',
      });
      // Ended by the signal, or done before it (a fast machine): 1, discrepancies found.
      expect([`status ${status}\n`, 'status 1\n']).toContain(shell.stdout);
    }
    expect(leftovers()).toEqual([]);
    expect(readdirSync(spill)).toEqual([]);
  });
});
