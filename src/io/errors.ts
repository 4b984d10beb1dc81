import { CallreconError } from '../core/errors.js';
/**
 * An input that cannot be used at all: a missing or unreadable file, an unknown file type,
 * a file that is not text, an unusable bill layout (SPEC §2.2) or a bad column map.
 *
 * The message is one line that names the file and what is wrong; the CLI prints it and
 * exits with code 2 (SPEC §6). Records that cannot be read are not errors: they are
 * rejected items, and reading goes on.
 *
 * @example
 * try {
 *   for await (const batch of readBillBatches(['bill.csv'])) consume(batch);
 * } catch (error) {
 *   if (error instanceof InputError) console.error(error.message);
 * }
 */
export class InputError extends CallreconError {
  override readonly name = 'InputError';
  readonly exitCode = 2;

  /**
   * @param message - one line naming the file and what is wrong
   * @param options - `cause`: the underlying error, when there is one
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The file engine failed inside (a worker that could not start, a spill file cut short, a
 * task after the engine was closed): a defect or a machine fault, exit code 3.
 *
 * @example
 * throw new EngineError('spill/w0-c3.bin: a spill file ends inside a record');
 */
export class EngineError extends CallreconError {
  override readonly name = 'EngineError';
  readonly exitCode = 3;
}
