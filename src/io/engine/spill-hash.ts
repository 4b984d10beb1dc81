/**
 * The partition of an id: its {@link idHash} modulo the partitions. Stable across runs and
 * machines, so the same month always splits the same way.
 *
 * @param id - a call id
 * @param partitions - how many partitions there are
 */
export function partitionOf(id: string, partitions: number): number {
  return partitions === 1 ? 0 : partitionOfHash(idHash(id), partitions);
}

/**
 * The partition of an id whose {@link idHash} is known already.
 *
 * @param hash - the id's hash
 * @param partitions - how many partitions there are
 */
export function partitionOfHash(hash: number, partitions: number): number {
  return hash % partitions;
}

/**
 * A 32-bit hash of an id: FNV-1a over its UTF-16 code units, in two interleaved lanes (odd
 * and even units) so that the multiplications of one lane overlap those of the other.
 *
 * @param id - a call id
 * @returns an unsigned 32-bit integer
 */
export function idHash(id: string): number {
  let even = 0x811c9dc5;
  let odd = 0x050c5d1f;
  const n = id.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    even = Math.imul(even ^ id.charCodeAt(i), 0x01000193);
    odd = Math.imul(odd ^ id.charCodeAt(i + 1), 0x01000193);
  }
  if (i < n) even = Math.imul(even ^ id.charCodeAt(i), 0x01000193);
  return (even ^ Math.imul(odd ^ n, 0x9e3779b1)) >>> 0;
}
