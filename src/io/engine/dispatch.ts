import { copyRatedLines, mergeRated, type RatedPart } from './merge.js';
import { adoptMemoryFiles } from './store.js';
import {
  findAliases,
  finishIngest,
  ingest,
  orderPartition,
  settlePartition,
  type Prepared,
  type ProgressSink,
} from './tasks.js';

/** A task of the file engine, as sent to a worker. */
export type EngineTask =
  | { readonly kind: 'ingest'; readonly cdr: number[]; readonly bill: number[] }
  | { readonly kind: 'finish-ingest' }
  | {
      readonly kind: 'adopt-files';
      readonly files: Readonly<Record<string, readonly Uint8Array[]>>;
    }
  | {
      readonly kind: 'find-aliases';
      readonly partition: number;
      readonly workers: number;
      readonly icids: string[];
    }
  | { readonly kind: 'order'; readonly partition: number; readonly workers: number }
  | {
      readonly kind: 'settle';
      readonly partition: number;
      readonly workers: number;
      readonly packageSeconds: (readonly [number, number])[];
      readonly injected: Uint8Array[];
    }
  | {
      readonly kind: 'merge-rated';
      readonly path: string;
      readonly files: string[];
      readonly from: number;
      readonly to: number;
      readonly append: boolean;
    }
  | {
      readonly kind: 'copy-rated';
      readonly path: string;
      readonly start: number;
      readonly parts: RatedPart[];
    };

type TaskOf<K extends EngineTask['kind']> = Extract<EngineTask, { kind: K }>;

/**
 * Every task kind and what runs it: the one table the pool (in this thread) and the
 * workers dispatch through.
 */
export const TASKS = {
  ingest: (p: Prepared, t: TaskOf<'ingest'>, progress: ProgressSink) =>
    ingest(p, t.cdr, t.bill, progress),
  'finish-ingest': (p: Prepared) => finishIngest(p),
  'adopt-files': (_: Prepared, t: TaskOf<'adopt-files'>) => {
    adoptMemoryFiles(t.files);
    return Promise.resolve(undefined);
  },
  'find-aliases': (p: Prepared, t: TaskOf<'find-aliases'>) =>
    findAliases(p, t.partition, t.workers, t.icids),
  order: (p: Prepared, t: TaskOf<'order'>) => orderPartition(p, t.partition, t.workers),
  settle: (p: Prepared, t: TaskOf<'settle'>) =>
    settlePartition(p, t.partition, t.workers, t.packageSeconds, t.injected),
  'merge-rated': (_: Prepared, t: TaskOf<'merge-rated'>) =>
    mergeRated(t.path, t.files, t.from, t.to, t.append),
  'copy-rated': (_: Prepared, t: TaskOf<'copy-rated'>) => copyRatedLines(t.path, t.start, t.parts),
} satisfies {
  [K in EngineTask['kind']]: (
    p: Prepared,
    t: TaskOf<K>,
    progress: ProgressSink,
  ) => Promise<unknown>;
};

/** What a task resolves to. */
export type ResultOf<T extends EngineTask> = Awaited<ReturnType<(typeof TASKS)[T['kind']]>>;

/**
 * Runs a task through {@link TASKS}.
 *
 * @param prepared - this thread's prepared config
 * @param task - the task
 * @param progress - told how many records the task has read
 * @returns what the task resolves to
 * @example
 * const settled = await runTask(prepared, { kind: 'settle', partition: 0, workers: 1,
 *   packageSeconds: [], injected: [] }, () => {});
 */
export function runTask<T extends EngineTask>(
  prepared: Prepared,
  task: T,
  progress: ProgressSink,
): Promise<ResultOf<T>> {
  const run = TASKS[task.kind] as (
    p: Prepared,
    t: EngineTask,
    progress: ProgressSink,
  ) => Promise<ResultOf<T>>;
  return run(prepared, task, progress);
}
