/**
 * What a failure means for whoever ran the work: `2` a usage or input problem the user can
 * fix (a bad flag, file, tariff or option), `3` an internal failure (a defect, or the
 * machine gave out). SPEC §6 exit codes.
 *
 * @example
 * const code: FailureCode = error instanceof CallreconError ? error.exitCode : 3;
 */
export type FailureCode = 2 | 3;

/**
 * The base of every error callrecon throws: a literal `name`, an optional `cause`, and the
 * exit code it means (SPEC §6). A CLI maps any error to its exit code in one place with
 * `error instanceof CallreconError ? error.exitCode : 3`.
 *
 * Records and rows that cannot be used are never errors: they are rejected values (STYLE,
 * errors of the second kind).
 *
 * @example
 * class ReportError extends CallreconError {
 *   override readonly name = 'ReportError';
 *   readonly exitCode = 2;
 * }
 */
export abstract class CallreconError extends Error {
  abstract override readonly name: string;
  /** The exit code this failure means (SPEC §6). */
  abstract readonly exitCode: FailureCode;

  /**
   * @param message - one line naming what and where, and what would be valid
   * @param options - `cause`: the underlying error or data, when there is one
   */
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Options given to the library that cannot be used (a number where a decimal string is
 * expected, a negative window, an unknown zone name): the message names the option.
 *
 * @example
 * try { await reconcile(input, { tariff, period: '2026-10', amountTolerance: 0.5 as never }); }
 * catch (e) { if (e instanceof OptionsError) console.error(e.message); }
 * // amountTolerance: got the number 0.5; give a decimal string such as "0.01"
 */
export class OptionsError extends CallreconError {
  override readonly name = 'OptionsError';
  readonly exitCode = 2;
}
