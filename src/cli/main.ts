#!/usr/bin/env node
import { removePendingOutputs } from '../io/index.js';
import { main } from './run.js';

// An interrupted run leaves no partial report (SPEC §5).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void removePendingOutputs().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

process.exitCode = await main(process.argv.slice(2));
