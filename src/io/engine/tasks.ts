import { aliasHash, forEachRecord, idHash, readAlias, CallsAt, type Alias } from './spill.js';
import { spillFile, type Prepared } from './config.js';

// The engine's tasks, by job: the run's config (config.ts), reading and spilling
// (ingest.ts), ordering and settling partitions (settle.ts), and the icid lookup here.
export * from './config.js';
export * from './ingest.js';
export * from './settle.js';

/**
 * The aliases of an alias partition whose icid is one of `icids` (kept or not: the caller
 * knows which records were dropped).
 */
export async function findAliases(
  prepared: Prepared,
  partition: number,
  workers: number,
  icids: readonly string[],
): Promise<Alias[]> {
  const wanted = new Set(icids);
  // Most of a partition's aliases are of icids no row names: judged on their hash alone.
  const hashes = new Set(icids.map(idHash));
  const found: Alias[] = [];
  const files = Array.from({ length: workers }, (_, w) =>
    spillFile.aliases(prepared.config.tmpDir, w, partition),
  );
  const calls = new CallsAt(prepared.config.tmpDir, prepared.config.cdrFiles, workers);
  try {
    await forEachRecord(files, (buf, at) => {
      if (!hashes.has(aliasHash(buf, at))) return;
      // The icid is the call's own: read from its record, which every thread can reach.
      const alias = readAlias(buf, at);
      const icid = calls.read(alias.partition, alias.file, alias.position).icid;
      if (icid !== undefined && wanted.has(icid)) {
        found.push({ icid, partition: alias.partition, seq: alias.seq });
      }
    });
  } finally {
    calls.close();
  }
  return found;
}
