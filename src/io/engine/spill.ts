import { createReadStream } from 'node:fs';
import { parseMinutes, type BilledItem, type RatedCall } from '../../index.js';

/**
 * The partition of an id: FNV-1a over its UTF-16 code units. Stable across runs and
 * machines, so the same month always splits the same way.
 *
 * @param id - a call id
 * @param partitions - how many partitions there are
 */
export function partitionOf(id: string, partitions: number): number {
  if (partitions === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

// Spill lines are tab-separated: cheaper than JSON both ways. A text cell is escaped only
// when it holds a backslash, tab or line break; an empty cell is an absent value (the engine
// never spills an empty text where a value is present).

/** Escapes a text cell of a spill line (absent → empty). */
export function esc(value: string | undefined): string {
  if (value === undefined) return '';
  let plain = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // Surrogates too: a lone one cannot be written as UTF-8 and would come back altered.
    if (c === 92 || c === 9 || c === 10 || c === 13 || (c >= 0xd800 && c <= 0xdfff)) {
      plain = false;
      break;
    }
  }
  return plain
    ? value
    : value.replace(
        /[\\\t\n\r]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
        (c) =>
          c === '\\'
            ? '\\\\'
            : c === '\t'
              ? '\\t'
              : c === '\n'
                ? '\\n'
                : c === '\r'
                  ? '\\r'
                  : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
}

/** Reads a text cell of a spill line (empty → absent). */
export function text(cell: string | undefined): string | undefined {
  if (cell === undefined || cell === '') return undefined;
  return cell.includes('\\')
    ? cell.replace(/\\(u[0-9a-f]{4}|.)/g, (_, c: string) =>
        c.length === 5
          ? String.fromCharCode(parseInt(c.slice(1), 16))
          : c === 't'
            ? '\t'
            : c === 'n'
              ? '\n'
              : c === 'r'
                ? '\r'
                : c,
      )
    : cell;
}

function num(cell: string | undefined): number | undefined {
  return cell === undefined || cell === '' ? undefined : Number(cell);
}

function numOr(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** A rated call (before charging) as one spill line; its source is an index into a list. */
export function callToLine(call: RatedCall, sourceIndex: number): string {
  return `${call.seq}\t${sourceIndex}\t${call.line}\t${esc(call.sessionId)}\t${esc(call.icid)}\t${esc(call.callerNum)}\t${esc(call.bindNum)}\t${esc(call.fwdDstNum)}\t${esc(call.serviceType)}\t${esc(call.direction)}\t${esc(call.mode)}\t${numOr(call.answerMs)}\t${call.endMs}\t${call.periodMs}\t${call.inPeriod ? 1 : 0}\t${call.seconds}\t${call.rateIndex}\t${call.billedSeconds}\n`;
}

/** Reads a line written by {@link callToLine}. */
export function callFromLine(line: string, sources: readonly string[]): RatedCall {
  const c = line.split('\t');
  // The key is the sessionId, else the icid (SPEC §3.6): not written twice.
  const sessionId = text(c[3]);
  const icid = text(c[4]);
  return {
    seq: Number(c[0]),
    source: sources[Number(c[1])] as string,
    line: Number(c[2]),
    callId: (sessionId ?? icid) as string,
    sessionId,
    icid,
    callerNum: text(c[5]) ?? '',
    bindNum: text(c[6]) ?? '',
    fwdDstNum: text(c[7]) ?? '',
    serviceType: text(c[8]),
    direction: text(c[9]),
    mode: text(c[10]),
    answerMs: num(c[11]),
    endMs: Number(c[12]),
    periodMs: Number(c[13]),
    inPeriod: c[14] === '1',
    seconds: Number(c[15]),
    rateIndex: Number(c[16]),
    billedSeconds: Number(c[17]),
    packageSeconds: 0,
    amount: 0,
  };
}

/** A validated bill call row as one spill line. */
export function billToLine(row: BilledItem, sourceIndex: number): string {
  return `${row.seq}\t${sourceIndex}\t${row.line}\t${esc(row.item)}\t${row.amount}\t${esc(row.callId)}\t${esc(row.callerNum)}\t${esc(row.privateNum)}\t${esc(row.calleeNum)}\t${numOr(row.answerMs)}\t${numOr(row.endMs)}\t${numOr(row.billedSeconds)}\t${esc(row.billedMinutes?.text)}\t${esc(row.packageMinutes?.text)}\t${esc(row.unitPrice)}\t${esc(row.unitPriceValue)}\n`;
}

/** Reads a line written by {@link billToLine}. */
export function billFromLine(line: string, sources: readonly string[]): BilledItem {
  const c = line.split('\t');
  const minutes = (cell: string | undefined): ReturnType<typeof parseMinutes> => {
    const value = text(cell);
    return value === undefined ? undefined : parseMinutes(value);
  };
  return {
    seq: Number(c[0]),
    source: sources[Number(c[1])] as string,
    line: Number(c[2]),
    isCall: true,
    item: text(c[3]) ?? 'call',
    amount: Number(c[4]),
    callId: text(c[5]),
    callerNum: text(c[6]),
    privateNum: text(c[7]),
    calleeNum: text(c[8]),
    answerMs: num(c[9]),
    endMs: num(c[10]),
    billedSeconds: num(c[11]),
    billedMinutes: minutes(c[12]),
    packageMinutes: minutes(c[13]),
    unitPrice: text(c[14]),
    unitPriceValue: text(c[15]),
  };
}

/** An alias line: a call's icid, the partition of its key, and its input position. */
export function aliasToLine(icid: string, partition: number, seq: number): string {
  return `${esc(icid)}\t${partition}\t${seq}\n`;
}

/** Reads a line written by {@link aliasToLine}. */
export function aliasFromLine(line: string): { icid: string; partition: number; seq: number } {
  const c = line.split('\t');
  return { icid: text(c[0]) as string, partition: Number(c[1]), seq: Number(c[2]) };
}

/**
 * The lines of a spill file, in batches; a missing file has none.
 *
 * @param path - a file written by the engine (UTF-8, `\n` line ends)
 * @param chunkBytes - how much to read at a time: large for one file read through, small
 *   when hundreds are open at once (a merge)
 */
export async function* readLineBatches(
  path: string,
  chunkBytes = 1 << 20,
): AsyncGenerator<string[]> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: chunkBytes });
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      if (lines.length > 0) yield lines;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (rest !== '') yield [rest];
}
