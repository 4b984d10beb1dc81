import { CallreconError } from '../errors.js';
/**
 * A tariff file that cannot be valid (SPEC §3.2). The message is one line naming the file,
 * the rate or allowance (its `id`, else its index), the field, and what would be valid; the
 * CLI prints it and exits with code 2.
 *
 * @example
 * try { parseTariff(json, 'tariff.json'); }
 * catch (e) { if (e instanceof TariffError) console.error(e.message); }
 * // tariff.json: rate 'carrier', field pricePerMinute: got the JSON number 0.12; money is a decimal string, e.g. "0.12"
 */
export class TariffError extends CallreconError {
  override readonly name = 'TariffError';
  readonly exitCode = 2;
  /** The file, as named in the message. */
  readonly source: string;
  /** The rate or allowance (`rate 'carrier'`, `rates[2]`), or `''` for the top level. */
  readonly subject: string;
  /** The field, as a path inside the subject (`pricePerMinute`, `when.direction`). */
  readonly field: string;

  /**
   * @param source - the file
   * @param subject - the rate or allowance, or `''` for the top level
   * @param field - the field
   * @param detail - what is wrong and what would be valid
   */
  constructor(source: string, subject: string, field: string, detail: string) {
    const where = subject === '' ? '' : `${subject}, `;
    super(`${source}: ${where}field ${field}: ${detail}`);
    this.source = source;
    this.subject = subject;
    this.field = field;
  }
}
