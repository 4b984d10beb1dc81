import { availableParallelism, totalmem } from 'node:os';
import type { SpillPlace } from './store.js';

/** Inputs smaller than this are read in this thread: starting workers would cost more. */
export const SMALL_INPUT_BYTES = 32 * 1024 * 1024;

/**
 * Bytes of spill a byte of input makes, about (measured on the bench month: a pushed
 * record keeps a third of its bytes, a bill row about as many as it has, and each call's
 * `rated.csv` line is kept too), rounded up.
 */
export const SPILL_PER_INPUT_BYTE = 0.9;

/** Memory one worker takes besides the spill (heap and buffers, measured), bytes. */
export const WORKER_BYTES = 384 * 1024 * 1024;

/** Memory of the main thread besides the spill, bytes. */
export const MAIN_BYTES = 256 * 1024 * 1024;

/** The share of the machine's (or the process's) memory a run takes by default: a 10M-call month (9 GB of spill) goes to disk on a 24 GiB machine, a 1M one stays in memory. */
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

/** Write buffers a worker holds for its spill files on disk, in all (about). */
export const SPILL_BUFFER_BYTES = 128 * 1024 * 1024;
/** The smallest write of a spill file on disk. */
export const MIN_SPILL_CHUNK_BYTES = 64 * 1024;

/**
 * Input bytes a partition holds when the spill is on disk, while the write buffers hold
 * ({@link MAX_DISK_PARTITIONS}); past that, one per 32 MiB. Smaller partitions settle
 * faster (what a partition keeps alive dies young, see {@link MEMORY_PARTITION_BYTES}):
 * the 10M-call month at 16 MiB, 580 partitions, settled in 37.6 s against 46.5 s at 32 MiB.
 */
export const PARTITION_BYTES = 16 * 1024 * 1024;
/** Input bytes a partition holds on disk at least: the files' buffers are shared then. */
export const LARGE_PARTITION_BYTES = 32 * 1024 * 1024;
/**
 * Partitions on disk while each of a worker's three files a partition still gets its
 * smallest write buffer out of {@link SPILL_BUFFER_BYTES}.
 */
export const MAX_DISK_PARTITIONS = Math.floor((SPILL_BUFFER_BYTES / MIN_SPILL_CHUNK_BYTES - 2) / 3);
/**
 * Input bytes a partition holds when the month is in memory: what a partition keeps alive
 * while it is settled (its calls, bill rows and pairs, about 1.5 times its input) then
 * fits in a worker's young generation and dies there, instead of being copied and promoted
 * on every collection. Settling the 1M-call month: 3.2-3.4 s at 8 MiB, 4.1-5.2 s at 32.
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
 * partitionsFor(940e6, 'disk', 2); // 57: one per 16 MiB
 */
export function partitionsFor(inputBytes: number, spill: SpillPlace, workers: number): number {
  const fewest = Math.max(1, Math.ceil(inputBytes / LARGE_PARTITION_BYTES));
  const onDisk = Math.max(
    fewest,
    Math.min(Math.ceil(inputBytes / PARTITION_BYTES), MAX_DISK_PARTITIONS),
  );
  if (spill === 'disk') return onDisk;
  const small = Math.ceil(inputBytes / MEMORY_PARTITION_BYTES);
  return Math.max(fewest, Math.min(small, Math.floor(MAX_MEMORY_FILES / (3 * workers))));
}
