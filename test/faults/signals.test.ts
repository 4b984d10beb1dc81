import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fc } from '../helpers/fast-check.js';
import { BIN, run, snapshot, start, writeMonth } from './month.js';

let dir: string;
let spill: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'callrecon-signals-'));
  spill = join(dir, 'spill');
  mkdirSync(spill);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A previous report (a month with no discrepancy) and the report the run under test makes
 * (the same month, every 7th call over-billed), each as a snapshot; the run's arguments.
 */
async function prepare(): Promise<{
  args: string[];
  previous: Record<string, string>;
  next: Record<string, string>;
  durationMs: number;
}> {
  writeMonth(dir, 400);
  await run(dir, writeMonth(dir, 400), spill);
  const previous = snapshot(join(dir, 'out'))!;
  const args = writeMonth(dir, 400, { overBilledEvery: 7 });
  const started = Date.now();
  const ended = await run(dir, args, spill);
  const durationMs = Date.now() - started;
  expect(ended.code).toBe(1);
  const next = snapshot(join(dir, 'out'))!;
  expect(next).not.toEqual(previous);
  // Back to the previous report for the runs under test.
  await run(dir, writeMonth(dir, 400), spill);
  writeMonth(dir, 400, { overBilledEvery: 7 });
  return { args, previous, next, durationMs };
}

/** What the folder holds besides the month and its report: nothing, when runs cleaned up. */
function leftovers(): string[] {
  return readdirSync(dir).filter(
    (name) => !['cdrs', 'bill.csv', 'tariff.json', 'out', 'spill'].includes(name),
  );
}

describe('signals', () => {
  it('SIGTERM or SIGINT at any moment ends the run by that signal, leaving the previous report or the new one whole, and nothing else', async () => {
    const { args, previous, next, durationMs } = await prepare();
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: durationMs + 100 }),
        fc.constantFrom<'SIGTERM' | 'SIGINT'>('SIGTERM', 'SIGINT'),
        async (delayMs, signal) => {
          // Each case starts from the previous report.
          if (JSON.stringify(snapshot(join(dir, 'out'))) !== JSON.stringify(previous)) {
            await run(dir, writeMonth(dir, 400), spill);
            writeMonth(dir, 400, { overBilledEvery: 7 });
          }
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
      { numRuns: 12 },
    );
    expect(outcomes.has('none')).toBe(false);
  });

  it('SIGKILL at any moment leaves the previous report or the new one whole; the next run cleans up what it left', async () => {
    const { args, previous, next, durationMs } = await prepare();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: durationMs + 100 }), async (delayMs) => {
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
        await run(dir, writeMonth(dir, 400), spill);
        writeMonth(dir, 400, { overBilledEvery: 7 });
      }),
      { numRuns: 3 },
    );
  });

  it('a second SIGTERM during the cleanup still ends the run', async () => {
    const { args, previous, next } = await prepare();
    const running = start(dir, args, spill);
    await new Promise((resolve) => setTimeout(resolve, 150));
    running.kill('SIGTERM');
    running.kill('SIGTERM');
    const ended = await running.ended;
    expect(ended.signal ?? ended.code).toBe(ended.signal === null ? 1 : 'SIGTERM');
    expect([previous, next]).toContainEqual(snapshot(join(dir, 'out')));
  });

  it('a shell sees exit status 143 after SIGTERM and 130 after SIGINT', async () => {
    const { args } = await prepare();
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
