import { createReadStream, createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { allSettledOrThrow } from '../all-settled.js';
import { RATED_HEADER } from '../report/write-report.js';
import type { EnginePool } from './pool.js';
import { FILE_SEQ, spillFile, type EngineConfig } from './tasks.js';

// Writing rated.csv at the end of a run: joined from the lines written while reading, or
// merged from the partitions' lines by input position.

/**
 * Splits files into at most `shares` runs of consecutive files of about equal bytes.
 *
 * @returns the index of the first file of each run
 */
function splitBySize(sizes: readonly number[], shares: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const starts = [0];
  let bytes = 0;
  sizes.forEach((size, index) => {
    if (index > 0 && bytes >= (total * starts.length) / shares && starts.length < shares) {
      starts.push(index);
    }
    bytes += size;
  });
  return starts;
}

/**
 * Writes `rated.csv` from the lines written while reading (one file of them per CDR file,
 * without packages): each worker copies a share of the files straight to its place in
 * `rated.csv`, leaving out the lines of records that were not kept.
 *
 * @param pool - the run's workers
 * @param path - `rated.csv`
 * @param config - the run's config
 * @param shares - how many workers copy
 * @param ratedBytes - bytes of lines written for each CDR file
 * @param droppedLines - `[CDR file, offset, bytes]` of each line to leave out
 * @returns when the file is written
 * @example
 * await joinRatedLines(pool, 'out/rated.csv', config, 2, ratedBytes, droppedLines);
 */
export async function joinRatedLines(
  pool: EnginePool,
  path: string,
  config: EngineConfig,
  shares: number,
  ratedBytes: readonly number[],
  droppedLines: readonly number[],
): Promise<void> {
  const cuts = ratedBytes.map(() => [] as [number, number][]);
  const kept = [...ratedBytes];
  for (let i = 0; i < droppedLines.length; i += 3) {
    const file = droppedLines[i] as number;
    const bytes = droppedLines[i + 2] as number;
    cuts[file]?.push([droppedLines[i + 1] as number, bytes]);
    kept[file] = (kept[file] as number) - bytes;
  }
  const header = Buffer.from(RATED_HEADER);
  await writeFile(path, header);
  const starts = splitBySize(kept, shares);
  let offset = header.length;
  // Every share ends before a failure is thrown: none is left writing into a folder that
  // the failure removes.
  await allSettledOrThrow(
    starts.map((first, i) => {
      const end = starts[i + 1] ?? kept.length;
      const start = offset;
      for (let file = first; file < end; file++) offset += kept[file] as number;
      return pool.run({
        kind: 'copy-rated',
        path,
        start,
        parts: Array.from({ length: end - first }, (_, k) => ({
          path: spillFile.ratedOfFile(config.tmpDir, first + k),
          cuts: (cuts[first + k] as [number, number][]).sort((a, b) => a[0] - b[0]).flat(),
        })),
      });
    }),
  );
}

/**
 * Writes `rated.csv` from the lines each partition wrote (with packages, amounts wait for
 * the whole month), merged by input position: each worker merges a share of the positions
 * (split by the CDR files' sizes), the shares then concatenated.
 *
 * @param pool - the run's workers
 * @param path - `rated.csv`
 * @param config - the run's config
 * @param shares - how many workers merge
 * @param cdrSizes - bytes of each CDR file
 * @returns when the file is written
 * @example
 * await mergeRatedLines(pool, 'out/rated.csv', config, 2, cdrSizes);
 */
export async function mergeRatedLines(
  pool: EnginePool,
  path: string,
  config: EngineConfig,
  shares: number,
  cdrSizes: readonly number[],
): Promise<void> {
  const dir = config.tmpDir;
  const starts = splitBySize(cdrSizes, shares);
  const files = Array.from({ length: config.partitions }, (_, p) => spillFile.rated(dir, p));
  await writeFile(path, RATED_HEADER);
  const parts = starts.map((first, i) => ({
    // The first share writes straight into rated.csv, the others beside it: only their
    // bytes are copied in at the end.
    file: i === 0 ? path : join(dir, `rated-part-${i}.csv`),
    from: first * FILE_SEQ,
    to: i + 1 < starts.length ? (starts[i + 1] as number) * FILE_SEQ : Number.MAX_SAFE_INTEGER,
  }));
  await allSettledOrThrow(
    parts.map((part, i) =>
      pool.run({
        kind: 'merge-rated',
        path: part.file,
        files,
        from: part.from,
        to: part.to,
        append: i === 0,
      }),
    ),
  );
  for (const part of parts.slice(1)) {
    await pipeline(createReadStream(part.file), createWriteStream(path, { flags: 'a' }));
  }
}
