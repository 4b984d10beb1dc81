import { InputError } from './errors.js';
import type { TextEncoding } from './options.js';
import { TEXT_ENCODINGS } from './options.js';

/**
 * Checks an encoding option (SPEC §2.3); absent means UTF-8. Case is ignored and `utf8` is
 * read as `utf-8`.
 *
 * @throws {@link InputError} for any other encoding
 */
export function checkEncoding(encoding: string | undefined): TextEncoding {
  if (encoding === undefined) return 'utf-8';
  const name = encoding.toLowerCase() === 'utf8' ? 'utf-8' : encoding.toLowerCase();
  const known = TEXT_ENCODINGS.find((e) => e === name);
  if (known === undefined) {
    throw new InputError(
      `unknown encoding ${JSON.stringify(encoding)}; use ${TEXT_ENCODINGS.join(', ')}`,
    );
  }
  return known;
}
