import { CallreconError } from '../../core/errors.js';

/**
 * The receiver cannot start: its folder is held by another live receiver, cannot be made or
 * written, or the port cannot be listened on. A usage problem, exit code 2 (SPEC §6, §8).
 *
 * @example
 * throw new ReceiveError('pushes/: another receiver (pid 4242) holds pushes/receive.lock');
 */
export class ReceiveError extends CallreconError {
  override readonly name = 'ReceiveError';
  readonly exitCode = 2;
}

/**
 * A push could not be written or flushed to disk (a full disk, an I/O error). The push is
 * answered 503 so the platform sends it again (SPEC §8); exit code 3 if it ends the process.
 *
 * @example
 * throw new StoreError('pushes/2026-10-15/pushes.ndjson: ENOSPC', { cause });
 */
export class StoreError extends CallreconError {
  override readonly name = 'StoreError';
  readonly exitCode = 3;
}
