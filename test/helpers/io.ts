import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, relative } from 'node:path';
import type * as Io from '../../src/io/index.js';

/**
 * The built `io` module, `dist/io/index.js`: what worker threads run (their scripts are
 * built files), so tests of threads call it (`npm test` builds it first).
 */
export const BUILT_IO = join(process.cwd(), 'dist', 'io', 'index.js');

/** The built `io` module, {@link BUILT_IO}, imported. */
export async function builtIo(): Promise<typeof Io> {
  return (await import(pathToFileURL(BUILT_IO).href)) as typeof Io;
}

/** The path of a reader fixture, relative to the working directory (as a user writes it). */
export function ioFixture(name: string): string {
  const absolute = fileURLToPath(new URL(`../fixtures/io/${name}`, import.meta.url));
  return relative(process.cwd(), absolute);
}

/** All items of a batched async iterable, in order. */
export async function collect<T>(batches: AsyncIterable<readonly T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const batch of batches) items.push(...batch);
  return items;
}

/** `bytes` cut into chunks of `size` bytes (the last may be shorter). */
export function splitEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/** `bytes` cut at the given offsets (in any order; out-of-range ones ignored). */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(offsets.filter((o) => o > 0 && o < bytes.length))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    chunks.push(bytes.subarray(start, cut));
    start = cut;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/** A byte iterable that yields `chunks` and then fails with `error`. */
export async function* failingAfter(
  chunks: readonly Uint8Array[],
  error: Error,
): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    await Promise.resolve();
    yield chunk;
  }
  throw error;
}
