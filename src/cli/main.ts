#!/usr/bin/env node
import { removePendingOutputs } from '../io/index.js';
import { main } from './run.js';

if (process.argv[2] === 'receive') {
  // The receiver owns its signals: SIGTERM finishes what is in flight and exits 0 (SPEC §8).
  const { runReceiveCommand } = await import('./receive.js');
  process.exit(await runReceiveCommand(process.argv.slice(3), process));
}

// An interrupted run leaves no partial report (SPEC §5).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void removePendingOutputs().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

process.exitCode = await main(process.argv.slice(2));
