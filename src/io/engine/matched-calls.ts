/**
 * The calls a partition matched by id, as bytes sent back to the main thread: the month's
 * last step reads them only when bill rows are left over, to find one call billed twice
 * (SPEC §4.3 `NEAR_DUPLICATE_IN_BILL`), and skips those whose virtual number cannot be one.
 * A record holds what the skipping is judged on and where the call's own spill record is:
 * the texts of the few calls that are not skipped are read from there.
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

// A record, of FIXED_BYTES: the virtual number's key as 4 bytes of ASCII (blank-padded, or
// 0xff first when it is not printable ASCII); then seq, answerMs, endMs, the bill row's
// line (float64), its file's index (u32), the call's spill file (u32: the worker that
// wrote it) and its position there (float64).
const KEY_BYTES = 4;
/** The first key byte of a record read whatever the keys wanted. */
const ANY_KEY = 0xff;
const FIXED_BYTES = KEY_BYTES + 4 * 8 + 4 + 4 + 8;

/** Bytes of the first chunk; each next one doubles, up to {@link MAX_CHUNK}. */
const FIRST_CHUNK = 1 << 16;
const MAX_CHUNK = 1 << 24;

/** Where a call's spill record is: which of its partition's files, and where in it. */
export interface CallPlace {
  readonly file: number;
  readonly position: number;
}

/** The texts of a matched call, read from its spill record. */
export type CallTexts = Pick<MatchedCall, 'callId' | 'callerNum' | 'bindNum' | 'fwdDstNum'>;

/**
 * Encodes the answered calls of id-matched pairs.
 *
 * @param pairs - each matched call with its bill row
 * @param billFiles - the bill files, whose index stands for a row's source
 * @param placeOf - where each call's spill record is
 * @returns the records, in chunks
 */
export function encodeMatchedCalls(
  pairs: ReadonlyMap<ChargedCall, BilledItem>,
  billFiles: readonly string[],
  placeOf: (call: ChargedCall) => CallPlace,
): Uint8Array[] {
  const sourceIndex = new Map(billFiles.map((file, index) => [file, index]));
  const chunks: Uint8Array[] = [];
  let size = FIRST_CHUNK;
  let buf = Buffer.allocUnsafe(size);
  let at = 0;
  for (const [call, row] of pairs) {
    if (call.answerMs === undefined) continue;
    if (at + FIXED_BYTES > buf.length) {
      chunks.push(buf.subarray(0, at));
      size = Math.min(MAX_CHUNK, size * 2);
      buf = Buffer.allocUnsafe(size);
      at = 0;
    }
    // A key that bytes cannot stand for is always read.
    buf.writeUInt32LE(keyWord(nearKeyOf(call.bindNum)) ?? ANY_KEY, at);
    buf.writeDoubleLE(call.seq, at + 4);
    buf.writeDoubleLE(call.answerMs, at + 12);
    buf.writeDoubleLE(call.endMs, at + 20);
    buf.writeDoubleLE(row.line, at + 28);
    buf.writeUInt32LE(sourceIndex.get(row.source) ?? 0, at + 36);
    const place = placeOf(call);
    buf.writeUInt32LE(place.file, at + 40);
    buf.writeDoubleLE(place.position, at + 44);
    at += FIXED_BYTES;
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
 * @param textsOf - the texts of a call, from its partition (the index in `parts`) and
 *   {@link CallPlace}
 */
export function decodeMatchedCalls(
  parts: readonly (readonly Uint8Array[] | string)[],
  billFiles: readonly string[],
  textsOf: (partition: number, file: number, position: number) => CallTexts,
): MatchedCalls {
  return {
    *calls(keys, spans) {
      const wanted = keys === undefined ? undefined : wantedKeys(keys, spans);
      for (const [partition, part] of parts.entries()) {
        for (const chunk of typeof part === 'string' ? [readFileSync(part)] : part) {
          const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          for (let at = 0; at + FIXED_BYTES <= buf.length; at += FIXED_BYTES) {
            const answerMs = buf.readDoubleLE(at + 12);
            const endMs = buf.readDoubleLE(at + 20);
            // Judged on the record's numbers: nothing is read or made for the calls
            // skipped, most of a month's.
            if (wanted !== undefined && buf[at] !== ANY_KEY) {
              const span = wanted.get(buf.readUInt32LE(at));
              if (span === undefined || !meetsNearSpan(span, answerMs, endMs)) continue;
            }
            const texts = textsOf(partition, buf.readUInt32LE(at + 40), buf.readDoubleLE(at + 44));
            yield {
              seq: buf.readDoubleLE(at + 4),
              answerMs,
              endMs,
              billAt: `${billFiles[buf.readUInt32LE(at + 36)] ?? ''}:${buf.readDoubleLE(at + 28)}`,
              callId: texts.callId,
              callerNum: texts.callerNum,
              bindNum: texts.bindNum,
              fwdDstNum: texts.fwdDstNum,
            };
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
