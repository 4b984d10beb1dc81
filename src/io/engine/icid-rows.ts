/**
 * Bill rows whose callId is another call's icid: found across partitions, where the file
 * engine keeps each call's aliases.
 */
import type { BilledItem } from '../../core/reconcile/index.js';
import type { EnginePool } from './pool.js';
import { partitionOf, type Alias } from './spill.js';
import type { EngineConfig, SettleResult } from './tasks.js';

/**
 * Bill rows left over in their own partition whose callId is the icid of a call spilled to
 * another partition: each with the partition that holds the call (the earliest such call).
 */
export async function findIcidRows(
  pool: EnginePool,
  config: EngineConfig,
  workers: number,
  settled: readonly SettleResult[],
): Promise<Map<BilledItem, number>> {
  const found = new Map<BilledItem, number>();
  const byAliasPartition = new Map<number, BilledItem[]>();
  for (const part of settled) {
    for (const row of part.leftoverRows) {
      if (row.callId === undefined) continue;
      const a = partitionOf(row.callId, config.partitions);
      const rows = byAliasPartition.get(a) ?? [];
      rows.push(row);
      byAliasPartition.set(a, rows);
    }
  }
  // Only kept calls count: the first kept call with an icid, as CallBook.find takes it. The
  // workers look through the alias files, a partition each, for the icids wanted there.
  const dropped = new Set(settled.flatMap((part) => part.dropped));
  await Promise.all(
    [...byAliasPartition].map(async ([a, rows]) => {
      const icids = [...new Set(rows.map((row) => row.callId as string))];
      const aliases = await pool.run({ kind: 'find-aliases', partition: a, workers, icids });
      const target = new Map<string, Alias>();
      for (const alias of aliases) {
        if (dropped.has(alias.seq)) continue;
        const known = target.get(alias.icid);
        if (known === undefined || alias.seq < known.seq) target.set(alias.icid, alias);
      }
      for (const row of rows) {
        const hit = target.get(row.callId as string);
        if (hit !== undefined) found.set(row, hit.partition);
      }
    }),
  );
  return found;
}
