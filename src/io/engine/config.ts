import { join } from 'node:path';
import { planRun, type ReconcileOptions, type RunPlan } from '../../core/reconcile/index.js';
import type { TextEncoding } from '../options.js';
import { type SpillPlace } from './store.js';
import type { SpillWriters } from './ingest.js';

/** Records of one file get `seq = fileIndex · FILE_SEQ + position`: input order across workers. */
export const FILE_SEQ = 2 ** 32;

/** Everything a worker needs to do its share of a run; plain data. */
export interface EngineConfig extends RunSettings {
  readonly encoding: TextEncoding | undefined;
  readonly cdrColumns: Readonly<Record<string, string>> | undefined;
  readonly billColumns: Readonly<Record<string, string>> | undefined;
  readonly showNumbers: boolean;
  /**
   * Write `rated.csv` lines while reading, in input order (possible when no package makes an
   * amount depend on other calls); otherwise each partition writes them when settled.
   */
  readonly ratedAtIngest: boolean;
  readonly partitions: number;
  /** Where the files written while reading are kept: memory while the month fits the budget. */
  readonly spill: SpillPlace;
  readonly tmpDir: string;
  readonly cdrFiles: readonly string[];
  readonly billFiles: readonly string[];
}

/** A worker's prepared view of the config, and its spill files while it reads. */
export interface Prepared {
  readonly config: EngineConfig;
  readonly plan: RunPlan;
  /** This worker's number: names its spill files. */
  readonly worker: number;
  /** Open from the first file it reads until {@link finishIngest}. */
  spill: SpillWriters | undefined;
}

/**
 * The settings of a run, as plain data a worker thread can be sent: the core's options,
 * with the tariff parsed once (a parsed tariff is plain data), without the progress callback.
 */
export type RunSettings = Omit<ReconcileOptions, 'onProgress'>;

/**
 * Prepares the run once per worker: its plan, from the same settings as every other thread.
 *
 * @param config - the run's config
 * @param worker - the worker's number (0 when the work runs in one thread)
 */
export function prepare(config: EngineConfig, worker: number): Prepared {
  return { config, plan: planRun(config), worker, spill: undefined };
}

/** Where a worker spills: call lines, alias lines and bill lines per partition. */
export const spillFile = {
  calls: (dir: string, worker: number, partition: number) =>
    join(dir, `w${worker}-c${partition}.bin`),
  aliases: (dir: string, worker: number, partition: number) =>
    join(dir, `w${worker}-a${partition}.bin`),
  bill: (dir: string, worker: number, partition: number) =>
    join(dir, `w${worker}-b${partition}.bin`),
  billWithoutId: (dir: string, worker: number) => join(dir, `w${worker}-bnone.bin`),
  rated: (dir: string, partition: number) => join(dir, `rated-${partition}.bin`),
  ratedOfFile: (dir: string, file: number) => join(dir, `rated-file-${file}.csv`),
  run: (dir: string, partition: number) => join(dir, `run-${partition}.bin`),
  matched: (dir: string, partition: number) => join(dir, `matched-${partition}.bin`),
};

/** Called with how many records and rows a task has read so far. */
export type ProgressSink = (records: number) => void;
