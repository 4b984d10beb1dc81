/**
 * Billed seconds of a call after increments (SPEC §3.4): 0 when `seconds` is 0; the first
 * increment when `seconds ≤ first`; else the first increment plus whole next increments
 * covering the rest.
 *
 * @param seconds - whole seconds of the call (SPEC §3.1)
 * @param firstIncrementSeconds - the rate's first increment, 1 or more
 * @param nextIncrementSeconds - the rate's next increment, 1 or more
 * @returns the billed seconds
 * @throws RangeError when an argument is not a whole number in its range
 * @example
 * billedSecondsFor(61, 60, 60); // 120
 * billedSecondsFor(31, 30, 6); // 36
 * billedSecondsFor(0, 60, 60); // 0
 */
export function billedSecondsFor(
  seconds: number,
  firstIncrementSeconds: number,
  nextIncrementSeconds: number,
): number {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`seconds ${seconds} is not a whole number ≥ 0`);
  }
  if (!Number.isSafeInteger(firstIncrementSeconds) || firstIncrementSeconds < 1) {
    throw new RangeError(
      `firstIncrementSeconds ${firstIncrementSeconds} is not a whole number ≥ 1`,
    );
  }
  if (!Number.isSafeInteger(nextIncrementSeconds) || nextIncrementSeconds < 1) {
    throw new RangeError(`nextIncrementSeconds ${nextIncrementSeconds} is not a whole number ≥ 1`);
  }
  if (seconds === 0) return 0;
  if (seconds <= firstIncrementSeconds) return firstIncrementSeconds;
  // f + ceil((s − f) / n)·n, with an exact remainder instead of a float quotient
  const rest = (seconds - firstIncrementSeconds) % nextIncrementSeconds;
  return rest === 0 ? seconds : seconds + nextIncrementSeconds - rest;
}
