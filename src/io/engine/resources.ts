import { availableParallelism, totalmem } from 'node:os';
import type { SpillPlace } from './store.js';

/** Inputs smaller than this are read in this thread: starting workers would cost more. */
export const SMALL_INPUT_BYTES = 32 * 1024 * 1024;

/**
 * Bytes of spill a byte of input makes, about, rounded up. Measured on the 1M bench month
 * (945 MB of input): calls 274 MiB, bill rows 150 MiB, icid aliases 28 MiB, so 0.5. The
 * `rated.csv` lines written while reading are not spill: they go to disk.
 */
export const SPILL_PER_INPUT_BYTE = 0.6;

/** Memory one worker takes besides the spill (heap and buffers, measured), bytes. */
export const WORKER_BYTES = 384 * 1024 * 1024;

/** Memory of the main thread besides the spill, bytes. */
export const MAIN_BYTES = 256 * 1024 * 1024;

/**
 * The share of the machine's (or the process's) memory a run takes by default: a 10M-call
 * month (9.4 GB of input, about 5.6 GB of spill beside 1 GB of heaps) goes to disk on a
 * 24 GiB machine, a 1M one stays in memory.
 */
const DEFAULT_MEMORY_SHARE = 0.25;

/**
 * The default memory budget: a quarter of what this process may use, the machine's memory or
 * the control group's limit when lower.
 *
 * @returns bytes
 * @example
 * defaultMemoryBytes(); // 6 GiB on a machine of 24 GiB
 */
export function defaultMemoryBytes(): number {
  const machine = totalmem();
  const limit = process.constrainedMemory?.() ?? 0;
  const usable = limit > 0 && limit < machine ? limit : machine;
  return Math.floor(usable * DEFAULT_MEMORY_SHARE);
}

/** What {@link planResources} is given. */
export interface ResourceRequest {
  /** Bytes of input (gzip counted as what it holds). */
  readonly inputBytes: number;
  /** Workers asked for; default from the cores and the budget. */
  readonly workers?: number | undefined;
  /** The memory budget, bytes; default {@link defaultMemoryBytes}. */
  readonly memoryBytes?: number | undefined;
  /** Cores to use; default `availableParallelism()`. */
  readonly cores?: number | undefined;
}

/**
 * How a run uses the machine: how many workers (one per core while the budget holds their
 * heaps; none for small inputs), and whether the month's spill stays in memory (when its
 * estimate fits in the budget beside the heaps) or goes to disk.
 *
 * @param request - input size, the workers and budget asked for
 * @returns the workers and where to spill
 * @example
 * planResources({ inputBytes: 1e9, memoryBytes: 6 * 2 ** 30, cores: 2 });
 * // { workers: 2, spill: 'memory' }
 */
export function planResources(request: ResourceRequest): {
  workers: number;
  spill: SpillPlace;
} {
  const budget = request.memoryBytes ?? defaultMemoryBytes();
  const cores = request.cores ?? availableParallelism();
  const byMemory = Math.floor((budget - MAIN_BYTES) / WORKER_BYTES);
  const workers =
    request.workers ??
    (request.inputBytes < SMALL_INPUT_BYTES ? 0 : Math.max(1, Math.min(cores, byMemory)));
  const heaps = MAIN_BYTES + workers * WORKER_BYTES;
  const spillBytes = request.inputBytes * SPILL_PER_INPUT_BYTE;
  return { workers, spill: heaps + spillBytes <= budget ? 'memory' : 'disk' };
}

/**
 * Input bytes a partition holds when the spill is on disk: each partition has three open
 * files a worker, whose write buffers share 128 MiB.
 */
export const PARTITION_BYTES = 32 * 1024 * 1024;
/**
 * Input bytes a partition holds when the month is in memory: what a partition keeps alive
 * while it is settled (its calls, bill rows and pairs, about 1.5 times its input) then
 * fits in a worker's young generation and dies there, instead of being copied and promoted
 * on every collection. Settling the 1M-call month, four runs each, alternating: median
 * 3.6 s at 8 MiB (3.2-4.2), 4.4 s at 32 (4.0-4.7). On disk (10M) it made no difference.
 */
export const MEMORY_PARTITION_BYTES = 8 * 1024 * 1024;
/**
 * Memory files of a run at most (three a partition for each worker): each is a mapping of
 * its own, and the kernel allows a process 65,530.
 */
export const MAX_MEMORY_FILES = 16_384;

/**
 * How many partitions a month is split into by default, for where its spill is kept.
 *
 * @param inputBytes - bytes of input (gzip counted as what it holds)
 * @param spill - where the spill is kept
 * @param workers - the workers that spill (each writes three files a partition)
 * @returns the partitions, at least one
 * @example
 * partitionsFor(940e6, 'memory', 2); // 113: one per 8 MiB
 * partitionsFor(940e6, 'disk', 2); // 29: one per 32 MiB
 */
export function partitionsFor(inputBytes: number, spill: SpillPlace, workers: number): number {
  const onDisk = Math.max(1, Math.ceil(inputBytes / PARTITION_BYTES));
  if (spill === 'disk') return onDisk;
  const small = Math.ceil(inputBytes / MEMORY_PARTITION_BYTES);
  return Math.max(onDisk, Math.min(small, Math.floor(MAX_MEMORY_FILES / (3 * workers))));
}
