#!/usr/bin/env node
import { removePendingOutputsSync } from '../io/report/atomic.js';
import { main } from './run.js';

if (process.argv[2] === 'receive') {
  // The receiver owns its signals: SIGTERM finishes what is in flight and exits 0 (SPEC §8).
  const { runReceiveCommand } = await import('./receive.js');
  process.exit(await runReceiveCommand(process.argv.slice(3), process));
}

/**
 * An interrupted run leaves no partial report and no temporary files (SPEC §5), and ends
 * at once whatever it is doing. The cleanup is synchronous: `process.exit` and anything
 * asynchronous can wait forever behind a read blocked in the thread pool. The signal is
 * then raised again with its default action, so the run ends as killed by it (exit status
 * 130 for SIGINT, 143 for SIGTERM in a shell), with no exit handler left to wait on. The
 * listeners stay until the cleanup is done: a second Ctrl-C during it waits for it instead
 * of killing the run half-cleaned (a run that must die at once takes SIGKILL, and the next
 * run removes its spill folder).
 */
let cleaning = false;
function interrupted(signal: 'SIGINT' | 'SIGTERM'): void {
  if (cleaning) return;
  cleaning = true;
  removePendingOutputsSync();
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.kill(process.pid, signal);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, interrupted);

process.exitCode = await main(process.argv.slice(2));
