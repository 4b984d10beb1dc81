import { EngineError } from '../errors.js';
import { parentPort, workerData } from 'node:worker_threads';
import { prepare, type EngineConfig } from './tasks.js';
import { runTask } from './dispatch.js';
import type { EngineRequest, EngineResponse } from './pool.js';

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
    return { id: request.id, result: await runTask(prepared, request.task, progress) };
  } catch (error) {
    const e = error as Error;
    return { id: request.id, error: { name: e.name, message: e.message, stack: e.stack ?? '' } };
  }
}
