/**
 * Why a call's duration cannot be rated (SPEC §3.1). Each is also an issue code.
 * - `MISSING_FIELD`: there is no `callEndTime`;
 * - `NEGATIVE_DURATION`: `callEndTime` is before `fwdAnswerTime`;
 * - `DURATION_OUT_OF_RANGE`: the call lasts longer than the longest plausible call.
 */
export type DurationRejection = 'MISSING_FIELD' | 'NEGATIVE_DURATION' | 'DURATION_OUT_OF_RANGE';

/** The longest call rated by default: one day (`--max-call-seconds`). */
export const DEFAULT_MAX_CALL_SECONDS = 86_400;

/**
 * The billable duration of a call in milliseconds: `callEndTime − fwdAnswerTime`, 0 when
 * the call was not answered (SPEC §3.1).
 *
 * @param answerMs - `fwdAnswerTime` in epoch ms, or `undefined` for an unanswered call
 * @param endMs - `callEndTime` in epoch ms, or `undefined` when it is missing
 * @param maxCallSeconds - calls longer than this are refused
 * @returns the duration in ms, or the reason it cannot be rated
 * @example
 * callDurationMs(0, 65_000); // 65000
 * callDurationMs(undefined, 65_000); // 0
 * callDurationMs(65_000, 0); // 'NEGATIVE_DURATION'
 */
export function callDurationMs(
  answerMs: number | undefined,
  endMs: number | undefined,
  maxCallSeconds: number = DEFAULT_MAX_CALL_SECONDS,
): number | DurationRejection {
  if (endMs === undefined) return 'MISSING_FIELD';
  if (answerMs === undefined) return 0;
  const durationMs = endMs - answerMs;
  if (durationMs < 0) return 'NEGATIVE_DURATION';
  if (durationMs > maxCallSeconds * 1000) return 'DURATION_OUT_OF_RANGE';
  return durationMs;
}

/**
 * Whole seconds of a duration, any part of a second counting as a full second.
 *
 * @example
 * billableSeconds(65_000); // 65
 * billableSeconds(65_001); // 66
 */
export function billableSeconds(durationMs: number): number {
  return Math.ceil(durationMs / 1000);
}

/**
 * Whole minutes of a duration, any part of a minute counting as a full minute (SPEC §3.1):
 * 60 s → 1, 61 s → 2, 0 s → 0.
 *
 * @example
 * billableMinutes(65_000); // 2
 */
export function billableMinutes(durationMs: number): number {
  return Math.ceil(durationMs / 60_000);
}
