import { EngineError } from '../errors.js';
import { CallreconError } from '../../core/errors.js';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { runTask, type EngineTask, type ResultOf } from './dispatch.js';
import { prepare, type EngineConfig, type Prepared } from './tasks.js';

export type { EngineTask } from './dispatch.js';

/** Old-generation heap of a worker, MiB: a bound, so V8 collects instead of growing. */
export const WORKER_OLD_GENERATION_MB = 1024;

/**
 * Young generation of a worker, MiB: records live for one batch; a young generation that
 * holds several batches lets them die young instead of being copied to the old one.
 */
export const WORKER_YOUNG_GENERATION_MB = 96;

/** A task waiting for a worker. */
interface Queued {
  readonly request: EngineRequest;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

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

/** An error raised in a worker, rebuilt in the main thread with its name and stack. */
export class WorkerTaskError extends CallreconError {
  override readonly name = 'WorkerTaskError';
  readonly exitCode = 3;
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
  /** Tasks for any worker, and tasks for one worker (by its number), in order. */
  private readonly queue: Queued[] = [];
  private readonly queueOf = new Map<Worker, Queued[]>();
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; worker: Worker }
  >();
  private readonly local: Prepared | undefined;
  private nextId = 0;
  private localTail: Promise<unknown> = Promise.resolve();
  private closed = false;

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
      this.local = prepare(config, 0);
      return;
    }
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: { config, worker: i },
        // A partition's live data is small (one per 8 or 32 MiB of input); bounded generations
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
      this.queueOf.set(worker, []);
    }
  }

  /** Runs a task on the first worker free (tasks start in the order given). */
  run<T extends EngineTask>(task: T): Promise<ResultOf<T>> {
    return this.enqueue(task, this.queue);
  }

  /** Runs a task on every worker (once here without workers); resolves when all are done. */
  async runOnEach<T extends EngineTask>(task: T): Promise<ResultOf<T>[]> {
    if (this.local !== undefined) return [await this.enqueue(task, this.queue)];
    return Promise.all(
      this.workers.map((worker) => this.enqueue(task, this.queueOf.get(worker) as Queued[])),
    );
  }

  private enqueue<T extends EngineTask>(task: T, queue: Queued[]): Promise<ResultOf<T>> {
    const id = this.nextId++;
    if (this.local !== undefined) {
      // One task at a time, as on one worker: partitions settle one after another, so
      // memory holds one partition, not all of them.
      const result = this.localTail.then(() => {
        if (this.closed) throw new EngineError('the engine was closed');
        return this.runHere(id, task);
      });
      this.localTail = result.catch(() => undefined);
      return result as Promise<ResultOf<T>>;
    }
    return new Promise((resolve, reject) => {
      queue.push({ request: { id, task }, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  private runHere(id: number, task: EngineTask): Promise<unknown> {
    return runTask(this.local as Prepared, task, (records) => this.onProgress(id, records));
  }

  private dispatch(): void {
    // A worker's own tasks first, then the shared ones.
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const worker = this.idle[i] as Worker;
      const next = this.queueOf.get(worker)?.shift() ?? this.queue.shift();
      if (next === undefined) continue;
      this.idle.splice(i, 1);
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
    for (const queued of this.queueOf.get(worker)?.splice(0) ?? []) queued.reject(reason);
  }

  /** Stops the workers; here, lets the task running end and drops the others. */
  async close(): Promise<void> {
    this.closed = true;
    await this.localTail;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
