import { Worker } from 'node:worker_threads';
import { mergeRated } from './merge.js';
import { InputError } from '../errors.js';
import {
  ingest,
  orderPartition,
  prepare,
  settlePartition,
  type EngineConfig,
  type IngestResult,
  type Prepared,
  type SettleResult,
} from './tasks.js';

/** Old-generation heap of a worker, MiB: a bound, so V8 collects instead of growing. */
export const WORKER_OLD_GENERATION_MB = 1024;

/**
 * Young generation of a worker, MiB: records live for one batch; a young generation that
 * holds several batches lets them die young instead of being copied to the old one.
 */
export const WORKER_YOUNG_GENERATION_MB = 96;

/** A task of the file engine. */
export type EngineTask =
  | {
      readonly kind: 'ingest';
      readonly worker: number;
      readonly cdr: number[];
      readonly bill: number[];
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
      readonly dropped: number[];
      readonly append: boolean;
    };

/** A message to a worker. */
export interface EngineRequest {
  readonly id: number;
  readonly task: EngineTask;
}

/** A worker's answer: progress, a result or an error. */
export interface EngineResponse {
  readonly id: number;
  readonly progress?: number;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string; readonly stack: string };
}

type ResultOf<T extends EngineTask> = T['kind'] extends 'ingest'
  ? IngestResult
  : T['kind'] extends 'order'
    ? string
    : T['kind'] extends 'merge-rated'
      ? undefined
      : SettleResult;

/** An error raised in a worker, rebuilt in the main thread with its name and stack. */
export class WorkerTaskError extends Error {
  override readonly name = 'WorkerTaskError';
}

function rebuild(error: NonNullable<EngineResponse['error']>): Error {
  // Input problems keep their class so the CLI reports them as such (exit code 2).
  const rebuilt =
    error.name === 'InputError'
      ? new InputError(error.message)
      : new WorkerTaskError(error.message);
  if (error.name !== 'InputError') {
    Object.defineProperty(rebuilt, 'name', { value: error.name });
    rebuilt.stack = error.stack;
  }
  return rebuilt;
}

/**
 * Runs engine tasks on worker threads, or in this thread when `size` is 0 (small inputs,
 * tests). Each task's progress is reported through `onProgress(taskId, records)`.
 */
export class EnginePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: {
    request: EngineRequest;
    resolve: (value: unknown) => void;
    reject: (error: Error) => void;
  }[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; worker: Worker }
  >();
  private readonly local: Prepared | undefined;
  private nextId = 0;
  private localTail: Promise<unknown> = Promise.resolve();

  /**
   * @param config - the run's config, sent once to every worker
   * @param size - how many worker threads; 0 runs tasks here
   * @param onProgress - told how many records a task has read
   */
  constructor(
    config: EngineConfig,
    size: number,
    private readonly onProgress: (taskId: number, records: number) => void = () => {},
  ) {
    if (size === 0) {
      this.local = prepare(config);
      return;
    }
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: config,
        // A partition's live data is small (one per 32 MiB of input); bounded generations
        // make V8 collect it instead of growing the heap partition after partition.
        resourceLimits: {
          maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB,
          maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
        },
      });
      worker.on('message', (response: EngineResponse) => this.answer(worker, response));
      worker.on('error', (error) => this.fail(worker, error));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Runs a task and resolves with its result. */
  run<T extends EngineTask>(task: T): Promise<ResultOf<T>> {
    const id = this.nextId++;
    if (this.local !== undefined) {
      // One task at a time, as on one worker: partitions settle one after another, so
      // memory holds one partition, not all of them.
      const result = this.localTail.then(() => this.runHere(id, task));
      this.localTail = result.catch(() => undefined);
      return result as Promise<ResultOf<T>>;
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        request: { id, task },
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.dispatch();
    });
  }

  private async runHere(id: number, task: EngineTask): Promise<unknown> {
    const local = this.local as Prepared;
    const progress = (records: number): void => this.onProgress(id, records);
    switch (task.kind) {
      case 'ingest':
        return ingest(local, task.worker, task.cdr, task.bill, progress);
      case 'order':
        return orderPartition(local, task.partition, task.workers);
      case 'settle':
        return settlePartition(
          local,
          task.partition,
          task.workers,
          task.packageSeconds,
          task.injected,
        );
      case 'merge-rated':
        return mergeRated(task.path, task.files, task.from, task.to, task.dropped, task.append);
    }
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const next = this.queue.shift() as (typeof this.queue)[number];
      this.pending.set(next.request.id, { resolve: next.resolve, reject: next.reject, worker });
      worker.postMessage(next.request);
    }
  }

  private answer(worker: Worker, response: EngineResponse): void {
    if (response.progress !== undefined) {
      this.onProgress(response.id, response.progress);
      return;
    }
    const pending = this.pending.get(response.id);
    if (pending === undefined) return;
    this.pending.delete(response.id);
    this.idle.push(worker);
    if (response.error !== undefined) pending.reject(rebuild(response.error));
    else pending.resolve(response.result);
    this.dispatch();
  }

  private fail(worker: Worker, error: Error): void {
    const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
    const reason = outOfMemory
      ? new WorkerTaskError(
          `a partition did not fit in a worker's ${WORKER_OLD_GENERATION_MB} MiB heap (one call id repeated very often, or very compressed input?); run again with more --partitions`,
          { cause: error },
        )
      : error;
    for (const [id, pending] of this.pending) {
      if (pending.worker === worker) {
        this.pending.delete(id);
        pending.reject(reason);
      }
    }
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
