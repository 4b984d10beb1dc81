import { EngineError } from '../errors.js';
import { parentPort, workerData } from 'node:worker_threads';
import {
  findAliases,
  finishIngest,
  ingest,
  orderPartition,
  prepare,
  settlePartition,
  type EngineConfig,
} from './tasks.js';
import type { EngineRequest, EngineResponse } from './pool.js';
import { copyRatedLines, mergeRated } from './merge.js';

// A worker of the file engine: runs the tasks the pool sends, one at a time.
const port = parentPort;
if (port === null) throw new EngineError('the engine worker must run in a worker thread');
const { config, worker } = workerData as { config: EngineConfig; worker: number };
const prepared = prepare(config, worker);

port.on('message', (request: EngineRequest) => {
  void run(request).then((response) => port.postMessage(response));
});

async function run(request: EngineRequest): Promise<EngineResponse> {
  try {
    const progress = (records: number): void =>
      port?.postMessage({ id: request.id, progress: records });
    switch (request.task.kind) {
      case 'ingest': {
        const { cdr, bill } = request.task;
        return { id: request.id, result: await ingest(prepared, cdr, bill, progress) };
      }
      case 'finish-ingest':
        await finishIngest(prepared);
        return { id: request.id, result: undefined };
      case 'find-aliases': {
        const { partition, workers, icids } = request.task;
        return { id: request.id, result: await findAliases(prepared, partition, workers, icids) };
      }
      case 'order':
        return {
          id: request.id,
          result: await orderPartition(prepared, request.task.partition, request.task.workers),
        };
      case 'merge-rated': {
        const { path, files, from, to, append } = request.task;
        await mergeRated(path, files, from, to, append);
        return { id: request.id, result: undefined };
      }
      case 'copy-rated': {
        const { path, start, parts } = request.task;
        await copyRatedLines(path, start, parts);
        return { id: request.id, result: undefined };
      }
      case 'settle': {
        const { partition, workers, packageSeconds, injected } = request.task;
        return {
          id: request.id,
          result: await settlePartition(prepared, partition, workers, packageSeconds, injected),
        };
      }
    }
  } catch (error) {
    const e = error as Error;
    return { id: request.id, error: { name: e.name, message: e.message, stack: e.stack ?? '' } };
  }
}
