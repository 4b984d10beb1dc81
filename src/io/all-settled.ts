/**
 * Waits for every one of `work` to end, then throws the first failure (in the order given):
 * work writing into a folder that is removed on failure is never left writing into it.
 *
 * @param work - the writes, started
 * @example
 * await allSettledOrThrow([writeRated(path), writeTheRest(tmp)]);
 */
export async function allSettledOrThrow(work: readonly Promise<unknown>[]): Promise<void> {
  const ended = await Promise.allSettled(work);
  for (const one of ended) if (one.status === 'rejected') throw one.reason;
}
