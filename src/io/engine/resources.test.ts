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
  partitionsFor,
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
