import { CallreconError } from '../../core/errors.js';

/**
 * A report or output file that cannot be written (no space, no permission, a file where a
 * folder should be, another run writing it). The CLI exits with code 2 and this one-line
 * message.
 *
 * @example
 * throw new OutputError('cannot write out: no space left on the device (ENOSPC)');
 */
export class OutputError extends CallreconError {
  override readonly name = 'OutputError';
  readonly exitCode = 2;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  ENOTDIR: 'a file is in the way of a folder',
  EEXIST: 'something is in the way',
  ENOTEMPTY: 'something is in the way',
  EISDIR: 'a folder is in the way of a file',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EFBIG: 'file too large',
};

/**
 * The errno code of a file system failure: its `code`, or the one its message starts with
 * (an error from a worker thread arrives rebuilt, as `ENOSPC: no space left on device, write`).
 *
 * @param cause - any thrown value
 * @returns the code (`ENOSPC`), or undefined when it is not a file system failure
 * @example
 * errnoOf(new Error('ENOSPC: no space left on device, write')); // 'ENOSPC'
 */
export function errnoOf(cause: unknown): string | undefined {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
  const message = cause instanceof Error ? cause.message : '';
  return /^(E[A-Z0-9]+): /.exec(message)?.[1];
}

/**
 * An {@link OutputError} for a failure to write `target`: the cause in words and its code.
 *
 * @param target - the output, as the user named it
 * @param cause - the failure
 * @returns the error to throw
 * @example
 * describeFailure('out', enospc).message; // 'cannot write out: no space left on the device (ENOSPC)'
 */
export function describeFailure(target: string, cause: unknown): OutputError {
  const code = errnoOf(cause) ?? String(cause);
  const text = ERRNO_TEXT[code];
  const where = (cause as { path?: unknown } | undefined)?.path;
  const detail = typeof where === 'string' ? `${code}, ${where}` : code;
  return new OutputError(
    `cannot write ${target}: ${text === undefined ? detail : `${text} (${detail})`}`,
    { cause },
  );
}

/**
 * A failure while writing an output, as the CLI should see it: a file system failure
 * (a full disk, a permission) becomes an {@link OutputError} naming `target`; a failure that
 * already says what to do stays; anything else is a defect and stays as it is.
 *
 * @param target - the output, as the user named it
 * @param cause - the failure
 * @returns what to throw instead
 * @example
 * throw asOutputFailure('out', error);
 */
export function asOutputFailure(target: string, cause: unknown): unknown {
  if (cause instanceof CallreconError && cause.exitCode === 2) return cause;
  return errnoOf(cause) === undefined ? cause : describeFailure(target, cause);
}
