import fc from 'fast-check';

/**
 * Seeds fast-check from `FC_SEED` so a failing run can be replayed exactly:
 * `FC_SEED=123 npx vitest run path/to/file.test.ts`. Without it fast-check picks a seed and
 * prints it with any failure.
 */
export function seedFastCheck(): void {
  const seed = process.env['FC_SEED'];
  if (seed !== undefined && seed !== '') fc.configureGlobal({ seed: Number(seed) });
}

seedFastCheck();

export { fc };
