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
 * default action is back before the cleanup starts: a second signal ends the run even then.
 */
function interrupted(signal: 'SIGINT' | 'SIGTERM'): void {
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  removePendingOutputsSync();
  process.kill(process.pid, signal);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, interrupted);

process.exitCode = await main(process.argv.slice(2));
