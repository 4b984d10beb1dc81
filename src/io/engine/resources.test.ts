import { describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import {
  MAIN_BYTES,
  MAX_MEMORY_FILES,
  MEMORY_PARTITION_BYTES,
  PARTITION_BYTES,
  SMALL_INPUT_BYTES,
  SPILL_PER_INPUT_BYTE,
  WORKER_BYTES,
  defaultMemoryBytes,
  fitOpenFiles,
  openFileLimit,
  openFilesOf,
  partitionsFor,
  planEngine,
  planResources,
} from './resources.js';

const GiB = 2 ** 30;

describe('planResources', () => {
  it('a month of 1M calls (940 MB) on 2 cores and 6 GiB (the default on 24 GiB) stays in memory, on 2 workers', () => {
    expect(planResources({ inputBytes: 940e6, memoryBytes: 6 * GiB, cores: 2 })).toEqual({
      workers: 2,
      spill: 'memory',
    });
  });

  it('a month of 10M calls (9.4 GB) with the same budget spills to disk', () => {
    expect(planResources({ inputBytes: 9.4e9, memoryBytes: 6 * GiB, cores: 2 })).toEqual({
      workers: 2,
      spill: 'disk',
    });
  });

  it('16 cores get 16 workers when the budget holds their heaps, fewer when it does not', () => {
    expect(planResources({ inputBytes: 940e6, memoryBytes: 12 * GiB, cores: 16 }).workers).toBe(16);
    expect(planResources({ inputBytes: 940e6, memoryBytes: 2 * GiB, cores: 16 })).toEqual({
      workers: 4,
      spill: 'disk',
    });
  });

  it('a small input is read in this thread; workers asked for are kept', () => {
    expect(planResources({ inputBytes: 1e6, memoryBytes: GiB }).workers).toBe(0);
    expect(planResources({ inputBytes: 1e9, memoryBytes: GiB, workers: 3 }).workers).toBe(3);
  });

  it('the default budget is a quarter of the memory this process may use', () => {
    expect(defaultMemoryBytes()).toBeGreaterThan(0);
  });

  describe('properties', () => {
    it('spills in memory exactly when the estimate fits beside the heaps, with 1 to `cores` workers', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: SMALL_INPUT_BYTES, max: 2e11 }),
          fc.integer({ min: 1, max: 64 * GiB }),
          fc.integer({ min: 1, max: 64 }),
          (inputBytes, memoryBytes, cores) => {
            const { workers, spill } = planResources({ inputBytes, memoryBytes, cores });
            expect(workers).toBeGreaterThanOrEqual(1);
            expect(workers).toBeLessThanOrEqual(cores);
            const needed = MAIN_BYTES + workers * WORKER_BYTES + inputBytes * SPILL_PER_INPUT_BYTE;
            expect(spill).toBe(needed <= memoryBytes ? 'memory' : 'disk');
          },
        ),
      );
    });
  });
});

describe('partitionsFor', () => {
  it('a month kept in memory is split finer (one partition per 8 MiB) than one spilled to disk (per 32 MiB)', () => {
    expect(partitionsFor(940e6, 'memory', 2)).toBe(113);
    expect(partitionsFor(940e6, 'disk', 2)).toBe(29);
    expect(partitionsFor(0, 'memory', 2)).toBe(1);
  });

  it('a month in memory on many workers keeps its memory files under the bound, and never fewer partitions than on disk', () => {
    // 10M calls on 16 workers: 1,130 partitions would make 54,000 memory files.
    expect(partitionsFor(9.5e9, 'memory', 16)).toBe(Math.floor(MAX_MEMORY_FILES / 48));
    expect(partitionsFor(100e9, 'memory', 64)).toBe(Math.ceil(100e9 / PARTITION_BYTES));
  });

  it('property: between the disk split and the memory split, within the files bound when it can be', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 256 }),
        (bytes, workers) => {
          const onDisk = Math.max(1, Math.ceil(bytes / PARTITION_BYTES));
          const inMemory = partitionsFor(bytes, 'memory', workers);
          expect(partitionsFor(bytes, 'disk', workers)).toBe(onDisk);
          expect(inMemory).toBeGreaterThanOrEqual(onDisk);
          expect(inMemory).toBeLessThanOrEqual(
            Math.max(onDisk, Math.ceil(bytes / MEMORY_PARTITION_BYTES)),
          );
          if (inMemory > onDisk)
            expect(3 * workers * inMemory).toBeLessThanOrEqual(MAX_MEMORY_FILES);
        },
      ),
    );
  });
});

describe('fitOpenFiles: every thread that reads keeps files open, a partition and kind of record on disk', () => {
  const DISK = { spill: 'disk' as const, allowances: false };
  const onDisk = (workers: number, partitions: number, partitionsGiven = false) => ({
    workers,
    partitions,
    ...DISK,
    partitionsGiven,
  });

  it('16 workers on a 10M-call month on disk (280 partitions) keep 4 of them where a process may open 4,096 files, all 16 where it may open 20,000', () => {
    expect(openFilesOf(16, 280, DISK)).toBe(64 + 16 * (3 * 280 + 8 + 16));
    expect(fitOpenFiles(onDisk(16, 280), 4096)).toEqual({
      workers: 4,
      partitions: 280,
      workersWanted: 16,
    });
    expect(fitOpenFiles(onDisk(16, 280), 20_000)).toEqual({ workers: 16, partitions: 280 });
  });

  it('a month kept in memory keeps no file a partition, unless its tariff has allowances (one a partition: the allowance pass, the rated.csv merge)', () => {
    const memory = { spill: 'memory' as const, allowances: false };
    const withAllowances = { spill: 'memory' as const, allowances: true };
    expect(openFilesOf(16, 4096, memory)).toBe(64 + 16 * (8 + 16));
    expect(openFilesOf(2, 300, withAllowances)).toBe(64 + 2 * (300 + 8 + 16));
    expect(
      fitOpenFiles({ workers: 16, partitions: 4096, ...memory, partitionsGiven: true }, 1024),
    ).toEqual({ workers: 16, partitions: 4096 });
    expect(
      fitOpenFiles({ workers: 2, partitions: 300, ...withAllowances, partitionsGiven: false }, 256),
    ).toEqual({ workers: 1, partitions: 168, workersWanted: 2 });
    expect(fitOpenFiles(onDisk(16, 4096), undefined)).toEqual({ workers: 16, partitions: 4096 });
  });

  it('when even one thread is too many, the partitions it chose are fewer; the partitions asked for are refused, naming the limit and what to do', () => {
    expect(fitOpenFiles(onDisk(2, 300), 256)).toEqual({
      workers: 1,
      partitions: 56,
      workersWanted: 2,
    });
    expect(openFilesOf(1, 56, DISK)).toBeLessThanOrEqual(256);
    expect(fitOpenFiles(onDisk(0, 300), 256)).toEqual({ workers: 0, partitions: 56 });
    expect(() => fitOpenFiles(onDisk(2, 200, true), 256)).toThrow(
      'the run needs about 688 open files (3 for each of 200 partitions, the spill being on disk) and this process may open 256: give fewer --partitions, raise the limit (ulimit -n), or a larger --memory to keep the month in memory',
    );
    // Below a thread's own files, partitions or not: only the limit can be raised.
    expect(() =>
      fitOpenFiles(
        { workers: 2, partitions: 1, spill: 'memory', allowances: false, partitionsGiven: false },
        80,
      ),
    ).toThrow(
      'the run needs about 88 open files and this process may open 80: raise the limit (ulimit -n)',
    );
  });

  it('property: what it returns fits the limit with the most workers that do, no more than planned, the partitions asked for kept', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 256 }),
        fc.integer({ min: 1, max: 4096 }),
        fc.constantFrom('disk' as const, 'memory' as const),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 200_000 }),
        (workers, partitions, spill, allowances, partitionsGiven, limit) => {
          const shape = { spill, allowances };
          const plan = { workers, partitions, ...shape, partitionsGiven };
          let fitted: ReturnType<typeof fitOpenFiles>;
          try {
            fitted = fitOpenFiles(plan, limit);
          } catch (error) {
            // Refused only when one thread cannot hold what it must.
            expect((error as Error).name).toBe('OutputError');
            const least = partitionsGiven ? partitions : 1;
            expect(openFilesOf(1, least, shape)).toBeGreaterThan(limit);
            return;
          }
          if (openFilesOf(workers, partitions, shape) <= limit) {
            expect(fitted).toEqual({ workers, partitions });
            return;
          }
          expect(openFilesOf(fitted.workers, fitted.partitions, shape)).toBeLessThanOrEqual(limit);
          expect(fitted.workersWanted).toBe(workers > 1 ? workers : undefined);
          expect(fitted.workers === 0).toBe(workers === 0);
          if (partitionsGiven) expect(fitted.partitions).toBe(partitions);
          if (fitted.partitions === partitions) {
            // The most workers that fit: one more would not.
            expect(fitted.workers).toBeLessThan(workers);
            expect(openFilesOf(fitted.workers + 1, partitions, shape)).toBeGreaterThan(limit);
          } else {
            // Fewer partitions only on one thread, and the most that fit on it.
            expect(fitted.partitions).toBeLessThan(partitions);
            expect(fitted.workers).toBeLessThanOrEqual(1);
            expect(openFilesOf(1, fitted.partitions + 1, shape)).toBeGreaterThan(limit);
          }
        },
      ),
    );
  });

  it('reads the limit from /proc/self/limits: a number, or none when unlimited or not there', () => {
    const limits = (soft: string): string =>
      [
        'Limit                     Soft Limit           Hard Limit           Units     ',
        'Max processes             95632                95632                processes ',
        `Max open files            ${soft.padEnd(21)}${soft.padEnd(21)}files     `,
      ].join('\n');
    expect(openFileLimit(limits('20000'))).toBe(20_000);
    expect(openFileLimit(limits('unlimited'))).toBeUndefined();
    expect(openFileLimit('')).toBeUndefined();
    if (process.platform === 'linux') expect(openFileLimit()).toBeGreaterThan(0);
  });

  it('planEngine fits the whole plan: a 10M-call month spilled to disk on 16 cores with an 8 GiB budget, where a process may open 4,096 files', () => {
    expect(
      planEngine({ inputBytes: 9.4e9, memoryBytes: 8 * GiB, cores: 16, allowances: false }, 4096),
    ).toEqual({ workers: 4, partitions: 281, spill: 'disk', workersWanted: 16 });
  });
});
