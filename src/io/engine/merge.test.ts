import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc } from '../../../test/helpers/fast-check.js';
import { copyRatedLines } from './merge.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callrecon-merge-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('copyRatedLines', () => {
  it('copies files one after the other from its start, without the lines cut', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        // Files of lines, each line kept or cut; long lines so that files pass the 1 MiB
        // read size and cuts straddle it.
        fc.array(
          fc.array(fc.record({ size: fc.integer({ min: 1, max: 300_000 }), cut: fc.boolean() }), {
            maxLength: 12,
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.nat(100),
        async (files, start) => {
          const out = join(dir, `out-${run}.csv`);
          let expected = Buffer.alloc(start, 'h');
          const parts = [];
          for (const [f, lines] of files.entries()) {
            const path = join(dir, `in-${run}-${f}.csv`);
            const cuts: number[] = [];
            const chunks: Buffer[] = [];
            let offset = 0;
            for (const [i, { size, cut }] of lines.entries()) {
              const line = Buffer.alloc(size, String.fromCharCode(97 + ((i + f) % 26)));
              chunks.push(line);
              if (cut) cuts.push(offset, size);
              else expected = Buffer.concat([expected, line]);
              offset += size;
            }
            await writeFile(path, Buffer.concat(chunks));
            parts.push({ path, cuts });
          }
          run++;
          await writeFile(out, Buffer.alloc(start, 'h'));
          await copyRatedLines(out, start, parts);
          expect((await readFile(out)).equals(expected)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });
});
