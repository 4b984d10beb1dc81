/**
 * The calls a partition matched by id, as bytes sent back to the main thread: the month's
 * last step reads them only when bill rows are left over, to find one call billed twice
 * (SPEC §4.3 `NEAR_DUPLICATE_IN_BILL`), and skips those whose virtual number cannot be one.
 */
import {
  nearKeyOf,
  type BilledItem,
  type ChargedCall,
  type MatchedCall,
  type MatchedCalls,
  meetsNearSpan,
  type NearSpans,
} from '../../core/reconcile/index.js';
import { readFileSync } from 'node:fs';
import { Fields, putNumber, putText, textBound } from './spill-codec.js';

// A record: u32 length; the virtual number's key as 4 bytes of ASCII (blank-padded, or
// 0xff first when it is not printable ASCII); then
// seq, answerMs, endMs, the bill row's line (float64), its file's index (u32), and the
// texts callId, callerNum, bindNum, fwdDstNum.
const KEY_BYTES = 4;
/** The first key byte of a record read whatever the keys wanted. */
const ANY_KEY = 0xff;
const FIXED_BYTES = 4 + KEY_BYTES + 4 * 8 + 4;

/** Bytes of the first chunk; each next one doubles, up to {@link MAX_CHUNK}. */
const FIRST_CHUNK = 1 << 16;
const MAX_CHUNK = 1 << 24;

/**
 * Encodes the answered calls of id-matched pairs.
 *
 * @param pairs - each matched call with its bill row
 * @param billFiles - the bill files, whose index stands for a row's source
 * @returns the records, in chunks
 */
export function encodeMatchedCalls(
  pairs: ReadonlyMap<ChargedCall, BilledItem>,
  billFiles: readonly string[],
): Uint8Array[] {
  const sourceIndex = new Map(billFiles.map((file, index) => [file, index]));
  const chunks: Uint8Array[] = [];
  let size = FIRST_CHUNK;
  let buf = Buffer.allocUnsafe(size);
  let at = 0;
  for (const [call, row] of pairs) {
    if (call.answerMs === undefined) continue;
    const bound =
      FIXED_BYTES +
      textBound(call.callId) +
      textBound(call.callerNum) +
      textBound(call.bindNum) +
      textBound(call.fwdDstNum);
    if (at + bound > buf.length) {
      chunks.push(buf.subarray(0, at));
      size = Math.min(MAX_CHUNK, size * 2);
      buf = Buffer.allocUnsafe(Math.max(size, bound));
      at = 0;
    }
    const start = at;
    // A key that bytes cannot stand for is always read.
    buf.writeUInt32LE(keyWord(nearKeyOf(call.bindNum)) ?? ANY_KEY, start + 4);
    at = start + 4 + KEY_BYTES;
    at = putNumber(buf, at, call.seq);
    at = putNumber(buf, at, call.answerMs);
    at = putNumber(buf, at, call.endMs);
    at = putNumber(buf, at, row.line);
    buf.writeUInt32LE(sourceIndex.get(row.source) ?? 0, at);
    at += 4;
    at = putText(buf, at, call.callId);
    at = putText(buf, at, call.callerNum);
    at = putText(buf, at, call.bindNum);
    at = putText(buf, at, call.fwdDstNum);
    buf.writeUInt32LE(at - start - 4, start);
  }
  // The last chunk is copied to its size: a worker sends a copy of the whole buffer.
  if (at > 0) chunks.push(Uint8Array.prototype.slice.call(buf, 0, at));
  return chunks;
}

/**
 * The matched calls of every partition, read from {@link encodeMatchedCalls}' bytes.
 *
 * @param parts - each partition's chunks, or the file they were written to (read a
 *   partition at a time, each time the calls are asked for)
 * @param billFiles - the bill files, as given to the encoder
 */
export function decodeMatchedCalls(
  parts: readonly (readonly Uint8Array[] | string)[],
  billFiles: readonly string[],
): MatchedCalls {
  return {
    *calls(keys, spans) {
      const wanted = keys === undefined ? undefined : wantedKeys(keys, spans);
      for (const part of parts) {
        for (const chunk of typeof part === 'string' ? [readFileSync(part)] : part) {
          const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          let at = 0;
          while (at < buf.length) {
            const length = buf.readUInt32LE(at);
            const start = at + 4;
            at = start + length;
            // Judged on the record's fixed bytes: nothing is read or made for the calls
            // skipped, most of a month's.
            if (wanted !== undefined && buf[start] !== ANY_KEY) {
              const span = wanted.get(buf.readUInt32LE(start));
              if (span === undefined) continue;
              const answerMs = buf.readDoubleLE(start + KEY_BYTES + 8);
              const endMs = buf.readDoubleLE(start + KEY_BYTES + 16);
              if (!meetsNearSpan(span, answerMs, endMs)) continue;
            }
            yield readMatchedCall(buf, start + KEY_BYTES, billFiles);
          }
        }
      }
    },
  };
}

/** No answer time is outside this span: a key wanted without a span. */
const ALL_TIMES: readonly number[] = [-Infinity, Infinity];

/**
 * The keys wanted as the records hold them, each with the span its calls must meet. A key
 * bytes cannot stand for is in no printable record (and the records whose key is not
 * printable are read whatever the keys).
 */
function wantedKeys(
  keys: ReadonlySet<string>,
  spans: NearSpans | undefined,
): Map<number, readonly number[]> {
  const wanted = new Map<number, readonly number[]>();
  for (const key of keys) {
    const word = keyWord(key);
    if (word !== undefined) wanted.set(word, spans?.get(key) ?? ALL_TIMES);
  }
  return wanted;
}

/**
 * A key (at most {@link KEY_BYTES} characters) as its record holds it: its characters,
 * blank-padded, read as one little-endian number; `undefined` unless they are printable
 * ASCII (the first byte is then {@link ANY_KEY}, never a printable one).
 */
function keyWord(key: string): number | undefined {
  let word = 0;
  for (let i = KEY_BYTES - 1; i >= 0; i--) {
    const c = i < key.length ? key.charCodeAt(i) : 32;
    if (i < key.length && (c < 0x21 || c > 0x7e)) return undefined;
    word = word * 256 + c;
  }
  return key.length > KEY_BYTES ? undefined : word;
}

function readMatchedCall(buf: Buffer, at: number, billFiles: readonly string[]): MatchedCall {
  const fields = new Fields(buf, at);
  const seq = fields.number();
  const answerMs = fields.number();
  const endMs = fields.number();
  const line = fields.number();
  const source = billFiles[buf.readUInt32LE(at + 4 * 8)] ?? '';
  fields.skip(4);
  return {
    seq,
    answerMs,
    endMs,
    billAt: `${source}:${line}`,
    callId: fields.text() ?? '',
    callerNum: fields.text() ?? '',
    bindNum: fields.text() ?? '',
    fwdDstNum: fields.text() ?? '',
  };
}
