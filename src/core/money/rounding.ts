/**
 * How an exact amount is rounded to `amountDecimals` (SPEC §3.2, §3.4). `half-up` rounds a
 * tie away from zero and `up` rounds away from zero (decimal.js `ROUND_HALF_UP`, `ROUND_UP`);
 * `half-even` rounds a tie to the even neighbour; `down` rounds toward zero.
 *
 * @example
 * const mode: RoundingMode = 'half-even';
 */
export type RoundingMode = 'half-up' | 'half-even' | 'up' | 'down';

/**
 * The rounding modes, in the order SPEC §3.2 lists them.
 *
 * @example
 * ROUNDING_MODES.includes(value as RoundingMode); // validates a setting
 */
export const ROUNDING_MODES: readonly RoundingMode[] = ['half-up', 'half-even', 'up', 'down'];

/**
 * `num / den` rounded to an integer with `mode`, for safe integers `num` and `den > 0`.
 * Exact: `%` on integers is exact, and `num − r` is an exact multiple of `den`.
 */
export function roundDivNumber(num: number, den: number, mode: RoundingMode): number {
  const r = num % den;
  const q = (num - r) / den;
  if (r === 0) return q === 0 ? 0 : q;
  const away = num < 0 ? q - 1 : q + 1;
  const twice = 2 * Math.abs(r); // exact: doubling never rounds
  let result: number;
  switch (mode) {
    case 'down':
      result = q;
      break;
    case 'up':
      result = away;
      break;
    case 'half-up':
      result = twice >= den ? away : q;
      break;
    case 'half-even':
      result = twice > den || (twice === den && q % 2 !== 0) ? away : q;
      break;
  }
  return result === 0 ? 0 : result;
}

/** `num / den` rounded to an integer with `mode`, for `den > 0n`. */
export function roundDivBig(num: bigint, den: bigint, mode: RoundingMode): bigint {
  const q = num / den; // truncates toward zero
  const r = num - q * den;
  if (r === 0n) return q;
  const away = num < 0n ? q - 1n : q + 1n;
  const twice = 2n * (r < 0n ? -r : r);
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return away;
    case 'half-up':
      return twice >= den ? away : q;
    case 'half-even':
      return twice > den || (twice === den && q % 2n !== 0n) ? away : q;
  }
}
