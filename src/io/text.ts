import { CallreconError } from '../core/errors.js';
import { Buffer, isAscii } from 'node:buffer';
import { InputError } from './errors.js';
import type { TextEncoding } from './options.js';

/**
 * Items per batch a reader yields, give or take one chunk's worth (a 64 KiB chunk holds
 * 150 to 400 rows). Larger batches are slower, not faster: the batch being filled is what
 * survives each young-generation GC, and at 4,096 items the copying halves the throughput.
 */
export const BATCH_ITEMS = 1024;

/** Where a format reader puts its items; the driver takes them in batches. */
export interface ItemSink<T> {
  items: T[];
  /** Set once the decoded text held U+FFFD, the mark of bytes invalid in the encoding. */
  suspect: boolean;
}

/** A reader of one text format, fed with decoded chunks in order. */
export interface TextReader<T> {
  readonly sink: ItemSink<T>;
  /** Reads one chunk; a record may be split anywhere between chunks. */
  push(text: string): void;
  /** The text is complete: reads what is pending. May throw {@link InputError}. */
  end(): void;
  /** The text was cut off: drops what is pending and reports the cut as one item. */
  cut(reason: string): void;
}

/**
 * The byte source was cut off or damaged (a truncated gzip stream): what was read before
 * stays, the cut becomes one `TRUNCATED_INPUT` item.
 */
export class CutInputError extends CallreconError {
  override readonly name = 'CutInputError';
  readonly exitCode = 2;
}

/** Turns byte chunks into text, a character split between chunks included. */
interface ChunkDecoder {
  /** The text of `bytes`, less the bytes of a character that may go on in the next chunk. */
  write(bytes: Uint8Array): string;
  /** The text of the bytes held back; an incomplete character becomes U+FFFD. */
  end(): string;
}

/**
 * UTF-8 with Node's TextDecoder in streaming mode. A chunk that is pure ASCII skips the
 * decoder (its Latin-1 text is the same, and much cheaper); an incomplete character held
 * before it becomes U+FFFD, as the decoder would make it.
 */
class Utf8Decoder implements ChunkDecoder {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly stream = { stream: true };
  /** The decoder may hold the first bytes of a character. */
  private holding = false;

  write(bytes: Uint8Array): string {
    if (!isAscii(bytes)) {
      this.holding = true;
      return this.decoder.decode(bytes, this.stream);
    }
    const ascii = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (!this.holding) return ascii;
    this.holding = false;
    return this.decoder.decode() + ascii;
  }

  end(): string {
    return this.decoder.decode();
  }
}

/** The most bytes {@link Gb18030Decoder} holds back looking for a character boundary. */
const MAX_HELD_BYTES = 1024 * 1024;

/**
 * GB18030 (and GBK, its subset) with Node's TextDecoder, one complete piece at a time.
 * Node's streaming decoder for it throws when held bytes and a short chunk decode to more
 * characters than the chunk has bytes, so no bytes are left inside it: each chunk is cut
 * after its last byte below 0x30, a byte no multi-byte GB18030 character contains, and the
 * rest waits for the next chunk.
 */
class Gb18030Decoder implements ChunkDecoder {
  private readonly decoder = new TextDecoder('gb18030', { ignoreBOM: true });
  private held: Uint8Array | undefined;

  write(bytes: Uint8Array): string {
    const data = this.held === undefined ? bytes : Buffer.concat([this.held, bytes]);
    let cut = data.length - 1;
    while (cut >= 0 && data[cut]! >= 0x30) cut--;
    if (cut < 0 && data.length < MAX_HELD_BYTES) {
      this.held = Uint8Array.from(data);
      return '';
    }
    const end = cut < 0 ? data.length : cut + 1;
    // A copy: the chunk's buffer may be reused for the next chunk.
    this.held = end < data.length ? Uint8Array.from(data.subarray(end)) : undefined;
    return this.decoder.decode(data.subarray(0, end));
  }

  end(): string {
    const held = this.held;
    this.held = undefined;
    return held === undefined ? '' : this.decoder.decode(held);
  }
}

/**
 * Decodes byte chunks as `encoding` and feeds them to `reader`, yielding its items in
 * batches of about {@link BATCH_ITEMS}.
 *
 * - A character split between chunks decodes right; byte order marks at the start (one, or
 *   more when a tool added its own) are dropped.
 * - Bytes invalid in the encoding decode to U+FFFD and set the sink's `suspect` flag: the
 *   reader then rejects records whose values hold it (`INVALID_ENCODING`).
 * - A NUL character means the file is not text (binary, or UTF-16): {@link InputError}.
 * - A {@link CutInputError} from the chunks ends the text with one `TRUNCATED_INPUT` item.
 */
export async function* decodeBatches<T>(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  source: string,
  encoding: TextEncoding,
  reader: TextReader<T>,
  signal?: AbortSignal,
): AsyncGenerator<T[], void, undefined> {
  const sink = reader.sink;
  // GBK is read with the GB18030 decoder, its superset, as the WHATWG Encoding standard does.
  const decoder: ChunkDecoder = encoding === 'utf-8' ? new Utf8Decoder() : new Gb18030Decoder();
  let atStart = true;
  let cut: CutInputError | undefined;
  try {
    for await (const bytes of chunks) {
      signal?.throwIfAborted();
      let text = decoder.write(bytes);
      if (atStart) {
        text = dropByteOrderMarks(text);
        atStart = text.length === 0;
      }
      if (text.length === 0) continue;
      checkText(text, source, sink);
      reader.push(text);
      if (sink.items.length >= BATCH_ITEMS) {
        const batch = sink.items;
        sink.items = [];
        yield batch;
      }
    }
  } catch (error) {
    if (!(error instanceof CutInputError)) throw error;
    cut = error;
  }
  signal?.throwIfAborted();
  if (cut === undefined) {
    let tail = decoder.end();
    if (atStart) tail = dropByteOrderMarks(tail);
    if (tail.length > 0) {
      checkText(tail, source, sink);
      reader.push(tail);
    }
    reader.end();
  } else {
    reader.cut(cut.message);
  }
  if (sink.items.length > 0) {
    const batch = sink.items;
    sink.items = [];
    yield batch;
  }
}

/**
 * Text without the byte order marks it starts with. Some tools add a mark to a file that
 * has one already (a UTF-8 file saved again "with BOM"): a second mark would stick to the
 * first header name and hide it.
 */
function dropByteOrderMarks(text: string): string {
  let start = 0;
  while (text.charCodeAt(start) === 0xfeff) start++;
  return start === 0 ? text : text.slice(start);
}

function checkText(text: string, source: string, sink: ItemSink<unknown>): void {
  if (text.includes('\0')) {
    throw new InputError(
      `${source}: not a text file (it holds NUL bytes; a binary or UTF-16 file?)`,
    );
  }
  if (!sink.suspect && text.includes('\uFFFD')) sink.suspect = true;
}
