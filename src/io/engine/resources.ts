import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { OutputError } from '../report/output-error.js';
import { MAX_OPEN_FILES } from './spill-cursor.js';
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
 * Files a thread that spills writes a partition: calls, aliases, bill rows (memory files, or
 * files open on disk while it reads).
 */
export const FILES_PER_PARTITION = 3;
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
  return Math.max(
    onDisk,
    Math.min(small, Math.floor(MAX_MEMORY_FILES / (FILES_PER_PARTITION * workers))),
  );
}

/**
 * Files a thread keeps open besides its partitions': the file it reads, its `rated.csv`
 * lines, bill rows without an id, its event loop's own.
 */
export const FILES_PER_WRITER = 8;
/** Files the process keeps open besides the threads': standard streams, event loops, the report's. */
export const FILES_OF_PROCESS = 64;

/** What a run keeps open for each partition, in each thread, at most. */
export interface OpenFilesShape {
  readonly spill: SpillPlace;
  /**
   * Whether the tariff has allowances: the allowance pass and the `rated.csv` merge then
   * write a file a partition even for a month kept in memory, and open them all at once.
   */
  readonly allowances: boolean;
}

/** Files a thread keeps open a partition: 3 on disk, 1 in memory with allowances, else none. */
export function filesPerPartition(shape: OpenFilesShape): number {
  if (shape.spill === 'disk') return FILES_PER_PARTITION;
  return shape.allowances ? 1 : 0;
}

/**
 * Files a run keeps open at most, bounded above: every thread that reads has its
 * partitions' files open ({@link filesPerPartition}), its own, and the call files it reads
 * back by position (as many as there are workers, at least {@link MAX_OPEN_FILES}).
 *
 * @param workers - the run's workers (0: one thread, this one)
 * @param partitions - the run's partitions
 * @param shape - where it spills, whether the tariff has allowances
 * @returns the open files
 * @example
 * openFilesOf(2, 29, { spill: 'disk', allowances: false }); // 64 + 2 × (87 + 8 + 16) = 286
 */
export function openFilesOf(workers: number, partitions: number, shape: OpenFilesShape): number {
  const threads = Math.max(1, workers);
  return (
    FILES_OF_PROCESS +
    threads *
      (filesPerPartition(shape) * partitions + FILES_PER_WRITER + Math.max(MAX_OPEN_FILES, threads))
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
 * Fits a run to the open files the process may have ({@link openFilesOf}): the most workers
 * up to those planned that fit; then, when even one thread is too many and the partitions
 * were not asked for, fewer partitions. Refused when nothing fits: better a message now
 * than `EMFILE` half-way.
 *
 * @param plan - the workers and partitions planned, where it spills, whether the tariff has
 *   allowances, and whether `--partitions` was given
 * @param limit - the open-file limit ({@link openFileLimit}); none: nothing to fit
 * @returns the workers and partitions to run with
 * @throws {@link OutputError} when even one thread cannot keep its files open: the partitions
 *   were asked for, or the limit is lower than a thread's own files
 * @example
 * fitOpenFiles(
 *   { workers: 16, partitions: 280, spill: 'disk', allowances: false, partitionsGiven: false },
 *   4096,
 * );
 * // { workers: 4, partitions: 280, workersWanted: 16 }
 */
export function fitOpenFiles(
  plan: OpenFilesShape & {
    readonly workers: number;
    readonly partitions: number;
    readonly partitionsGiven: boolean;
  },
  limit: number | undefined,
): OpenFilePlan {
  const { workers, partitions } = plan;
  if (limit === undefined || openFilesOf(workers, partitions, plan) <= limit) {
    return { workers, partitions };
  }
  // The files a run keeps open grow with its workers: the most that fit.
  for (let fitting = workers - 1; fitting >= 1; fitting--) {
    if (openFilesOf(fitting, partitions, plan) <= limit) {
      return { workers: fitting, partitions, workersWanted: workers };
    }
  }
  const perPartition = filesPerPartition(plan);
  const one = Math.min(workers, 1);
  const fewer =
    perPartition === 0 ? 0 : Math.floor((limit - openFilesOf(1, 0, plan)) / perPartition);
  if (!plan.partitionsGiven && fewer >= 1) {
    return { workers: one, partitions: fewer, ...(workers > 1 && { workersWanted: workers }) };
  }
  const need = openFilesOf(1, partitions, plan).toLocaleString('en-US');
  const what =
    perPartition === 0
      ? ''
      : ` (${perPartition} for each of ${partitions} partitions${plan.spill === 'disk' ? ', the spill being on disk' : ''})`;
  const fixes = [
    ...(plan.partitionsGiven && perPartition > 0 ? ['give fewer --partitions'] : []),
    'raise the limit (ulimit -n)',
    ...(plan.spill === 'disk' ? ['or a larger --memory to keep the month in memory'] : []),
  ];
  throw new OutputError(
    `the run needs about ${need} open files${what} and this process may open ${limit.toLocaleString('en-US')}: ${fixes.join(', ')}`,
  );
}

/**
 * The whole plan of a run: its workers and where it spills ({@link planResources}), its
 * partitions ({@link partitionsFor} unless given), fitted to the open-file limit
 * ({@link fitOpenFiles}) before anything is opened.
 *
 * @param request - input size, the workers, budget and partitions asked for, whether the
 *   tariff has allowances
 * @param limit - the open-file limit; by default {@link openFileLimit}
 * @returns the plan
 * @throws {@link OutputError} when even one thread cannot keep its files open
 * @example
 * planEngine({ inputBytes: 1e9, memoryBytes: 6 * 2 ** 30, allowances: false });
 * // { workers: 2, partitions: 120, spill: 'memory' } on 2 cores
 */
export function planEngine(
  request: ResourceRequest & {
    readonly partitions?: number | undefined;
    readonly allowances: boolean;
  },
  limit: number | undefined = openFileLimit(),
): OpenFilePlan & { readonly spill: SpillPlace } {
  const { workers, spill } = planResources(request);
  const partitions = Math.max(
    1,
    request.partitions ?? partitionsFor(request.inputBytes, spill, Math.max(1, workers)),
  );
  const fitted = fitOpenFiles(
    {
      workers,
      partitions,
      spill,
      allowances: request.allowances,
      partitionsGiven: request.partitions !== undefined,
    },
    limit,
  );
  return { ...fitted, spill };
}

/**
 * What a run tells its user when it was fitted to fewer workers than planned.
 *
 * @param workers - the workers it runs with (0: one thread)
 * @param workersWanted - the workers planned, when more than it runs with
 * @returns the sentence, or undefined when nothing was given up
 * @example
 * fittedNotice(1, 2);
 * // '1 worker instead of 2: more would keep more files open than this process may (ulimit -n)'
 */
export function fittedNotice(workers: number, workersWanted?: number): string | undefined {
  if (workersWanted === undefined) return undefined;
  const running = Math.max(1, workers);
  return `${running} ${running === 1 ? 'worker' : 'workers'} instead of ${workersWanted}: more would keep more files open than this process may (ulimit -n)`;
}
