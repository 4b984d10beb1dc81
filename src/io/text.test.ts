import { describe, expect, it } from 'vitest';
import { fc } from '../../test/helpers/fast-check.js';
import { collect, failingAfter, splitAt } from '../../test/helpers/io.js';
import { InputError } from './errors.js';
import type { TextEncoding } from './options.js';
import { CutInputError, decodeBatches } from './text.js';
import type { ItemSink, TextReader } from './text.js';

/** A reader that keeps the text it is given, and how it was ended. */
class TextRecorder implements TextReader<string> {
  readonly sink: ItemSink<string> = { items: [], suspect: false };
  text = '';
  ended = '';
  push(text: string): void {
    this.text += text;
  }
  end(): void {
    this.ended = 'end';
  }
  cut(reason: string): void {
    this.ended = `cut: ${reason}`;
  }
}

async function decode(
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  encoding: TextEncoding = 'utf-8',
): Promise<TextRecorder> {
  const recorder = new TextRecorder();
  await collect(decodeBatches(chunks, 'x', encoding, recorder));
  return recorder;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('decodeBatches', () => {
  it('drops a byte order mark at the start only', async () => {
    const recorder = await decode([bytes(0xef, 0xbb), bytes(0xbf, 0x61, 0xef, 0xbb, 0xbf)]);
    expect(recorder.text).toBe('a\uFEFF');
  });

  it('drops a double byte order mark, even split over chunks, and a mark later on stays', async () => {
    const bom = [0xef, 0xbb, 0xbf];
    const recorder = await decode([bytes(...bom), bytes(...bom, 0x61, ...bom)]);
    expect(recorder.text).toBe('a\uFEFF');
  });

  it('drops a GB18030 byte order mark', async () => {
    const recorder = await decode([bytes(0x84, 0x31, 0x95, 0x33, 0x61)], 'gb18030');
    expect(recorder.text).toBe('a');
  });

  it('decodes an incomplete character before an ASCII chunk as U+FFFD, like the decoder', async () => {
    const recorder = await decode([bytes(0x61, 0xe4, 0xb8), bytes(0x62)]);
    expect(recorder.text).toBe('a\uFFFDb');
    expect(recorder.sink.suspect).toBe(true);
  });

  it('decodes a file that ends inside a character as U+FFFD', async () => {
    const recorder = await decode([bytes(0x61, 0xe4)]);
    expect(recorder.text).toBe('a\uFFFD');
    expect(recorder.ended).toBe('end');
  });

  it('decodes an invalid GB18030 sequence completed by a one-byte chunk (pinned counterexample)', async () => {
    const recorder = await decode([bytes(0x01, 0x01, 0x81, 0x30, 0x81), bytes(0x80)], 'gb18030');
    expect(recorder.text).toBe(
      new TextDecoder('gb18030').decode(bytes(0x01, 0x01, 0x81, 0x30, 0x81, 0x80)),
    );
  });

  it('throws InputError for NUL bytes: the file is not text', async () => {
    await expect(decode([bytes(0x61, 0x00, 0x62)])).rejects.toThrow(
      new InputError('x: not a text file (it holds NUL bytes; a binary or UTF-16 file?)'),
    );
  });

  it('ends the text with a cut when the bytes are cut off', async () => {
    const recorder = await decode(failingAfter([bytes(0x61)], new CutInputError('gone')));
    expect(recorder.text).toBe('a');
    expect(recorder.ended).toBe('cut: gone');
  });

  it('passes other errors of the byte source on', async () => {
    await expect(decode(failingAfter([bytes(0x61)], new Error('disk')))).rejects.toThrow('disk');
  });
});

/** Yields `bytes` in pieces of `size` through one buffer that is overwritten each time. */
function* throughOneBuffer(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  const buffer = Buffer.alloc(size); // Buffer, like the file reader: its slice() is a view
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size);
    buffer.fill(0x58);
    buffer.set(piece);
    yield buffer.subarray(0, piece.length);
  }
}

describe('decodeBatches with a byte source that reuses its buffer', () => {
  it('decodes UTF-8 and GB18030 characters split between chunks right', async () => {
    const utf8 = new TextEncoder().encode('a,中,b𠀀,c');
    const gb = bytes(0x61, 0x2c, 0xd6, 0xd0, 0x2c, 0x62, 0x95, 0x32, 0x82, 0x36, 0x2c, 0x63);
    for (let size = 1; size <= 4; size++) {
      expect((await decode(throughOneBuffer(utf8, size))).text).toBe('a,中,b𠀀,c');
      expect((await decode(throughOneBuffer(gb, size), 'gb18030')).text).toBe('a,中,b𠀀,c');
    }
  });
});

describe('properties', () => {
  it('decodes any bytes, split anywhere, as one TextDecoder pass over the whole would', async () => {
    const byte = fc.oneof(
      fc.integer({ min: 1, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0xff }),
      fc.constantFrom(0xe4, 0xb8, 0xad, 0xf0, 0x9f, 0x98, 0x80),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(byte, { maxLength: 80 }),
        fc.array(fc.nat({ max: 80 }), { maxLength: 10 }),
        fc.constantFrom<TextEncoding>('utf-8', 'gb18030'),
        async (values, cuts, encoding) => {
          const all = Uint8Array.from(values);
          let expected = new TextDecoder(encoding, { ignoreBOM: true }).decode(all);
          expected = expected.replace(/^\uFEFF+/, '');
          const recorder = await decode(splitAt(all, cuts), encoding);
          expect(recorder.text).toBe(expected);
          expect(recorder.sink.suspect).toBe(expected.includes('\uFFFD'));
        },
      ),
    );
  });
});
