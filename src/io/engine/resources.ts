import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { OutputError } from '../report/output-error.js';
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

/** Files a thread spilling to disk keeps open a partition while it reads: calls, aliases, bill rows. */
export const FILES_PER_PARTITION = 3;
/**
 * Files a thread spilling to disk keeps open besides its partitions': the file it reads, its
 * `rated.csv` lines, bill rows without an id, its event loop's own.
 */
export const FILES_PER_WRITER = 8;
/** Files the process keeps open besides the spill: standard streams, event loops, the report's. */
export const FILES_OF_PROCESS = 64;

/**
 * Files a run keeps open at most while it reads (the most it ever holds): every thread that
 * spills to disk has a file open for each partition and kind of record.
 *
 * @param workers - the run's workers (0: one thread, this one)
 * @param partitions - the run's partitions
 * @returns the open files, about, bounded above
 * @example
 * openFilesOf(2, 29); // 254
 */
export function openFilesOf(workers: number, partitions: number): number {
  return (
    FILES_OF_PROCESS + Math.max(1, workers) * (FILES_PER_PARTITION * partitions + FILES_PER_WRITER)
  );
}

/**
 * How many files this process may have open (its soft limit, which Node raises to the hard
 * one at start), from `/proc/self/limits`; `undefined` where that cannot be read (not Linux)
 * or there is no limit.
 *
 * @param limits - the text of `/proc/self/limits` (read from there by default)
 * @returns the limit, or undefined
 * @example
 * openFileLimit(); // 1048576 in a container, 1024 or 4096 on some hosts
 */
export function openFileLimit(limits?: string): number | undefined {
  let text = limits;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return undefined;
    }
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  const value = soft === undefined ? Number.NaN : Number(soft);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** A run's workers and partitions, once fitted to the open-file limit. */
export interface OpenFilePlan {
  readonly workers: number;
  readonly partitions: number;
  /** The workers the plan had before it was fitted, when it had to give some up. */
  readonly workersWanted?: number;
}

/**
 * Fits a run whose spill goes to disk to the open files the process may have (a month in
 * memory keeps no file open a partition): fewer workers first, each holding its partitions'
 * files; then, when even one thread is too many and the partitions were not asked for,
 * fewer partitions. Refused when nothing fits: better a message now than `EMFILE` half-way.
 *
 * @param plan - the workers, partitions and spill planned, and whether `--partitions` was given
 * @param limit - the open-file limit ({@link openFileLimit}); none: nothing to fit
 * @returns the workers and partitions to run with
 * @throws {@link OutputError} when the partitions asked for do not fit even in one thread
 * @example
 * fitOpenFiles({ workers: 16, partitions: 280, spill: 'disk', partitionsGiven: false }, 4096);
 * // { workers: 4, partitions: 280, workersWanted: 16 }
 */
export function fitOpenFiles(
  plan: {
    readonly workers: number;
    readonly partitions: number;
    readonly spill: SpillPlace;
    readonly partitionsGiven: boolean;
  },
  limit: number | undefined,
): OpenFilePlan {
  const { workers, partitions } = plan;
  if (plan.spill === 'memory' || limit === undefined || openFilesOf(workers, partitions) <= limit) {
    return { workers, partitions };
  }
  const perThread = FILES_PER_PARTITION * partitions + FILES_PER_WRITER;
  const threads = Math.floor((limit - FILES_OF_PROCESS) / perThread);
  if (threads >= 1)
    return { workers: Math.min(workers, threads), partitions, workersWanted: workers };
  const fewer = Math.floor((limit - FILES_OF_PROCESS - FILES_PER_WRITER) / FILES_PER_PARTITION);
  if (!plan.partitionsGiven && fewer >= 1) {
    return {
      workers: Math.min(workers, 1),
      partitions: fewer,
      ...(workers > 1 && { workersWanted: workers }),
    };
  }
  const need = openFilesOf(1, partitions).toLocaleString('en-US');
  throw new OutputError(
    `the spill on disk needs about ${need} open files (${FILES_PER_PARTITION} for each of ${partitions} partitions) and this process may open ${limit.toLocaleString('en-US')}: give fewer --partitions, raise the limit (ulimit -n), or a larger --memory to keep the month in memory`,
  );
}

/**
 * The whole plan of a run: its workers and where it spills ({@link planResources}), its
 * partitions ({@link partitionsFor} unless given), fitted to the open-file limit
 * ({@link fitOpenFiles}) before anything is opened.
 *
 * @param request - input size, the workers, budget and partitions asked for
 * @param limit - the open-file limit; by default {@link openFileLimit}
 * @returns the plan
 * @throws {@link OutputError} when the partitions asked for cannot be kept open on disk
 * @example
 * planEngine({ inputBytes: 1e9, memoryBytes: 6 * 2 ** 30 });
 * // { workers: 2, partitions: 120, spill: 'memory' } on 2 cores
 */
export function planEngine(
  request: ResourceRequest & { readonly partitions?: number | undefined },
  limit: number | undefined = openFileLimit(),
): OpenFilePlan & { readonly spill: SpillPlace } {
  const { workers, spill } = planResources(request);
  const partitions = Math.max(
    1,
    request.partitions ?? partitionsFor(request.inputBytes, spill, Math.max(1, workers)),
  );
  const fitted = fitOpenFiles(
    { workers, partitions, spill, partitionsGiven: request.partitions !== undefined },
    limit,
  );
  return { ...fitted, spill };
}
