import { CallreconError } from '../errors.js';
/**
 * An amount left the range where micro-units are exact (a sum or a price beyond about 9
 * billion currency units). This is an internal failure, never a property of one bad record.
 *
 * @example
 * try { addMicros(Number.MAX_SAFE_INTEGER, 1); }
 * catch (e) { if (e instanceof MoneyOverflowError) console.error(e.message, e.cause); }
 */
export class MoneyOverflowError extends CallreconError {
  override readonly name = 'MoneyOverflowError';
  readonly exitCode = 3;

  /**
   * @param message - what overflowed
   * @param options - `cause`: the operands, for the report of the internal error
   */
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}
