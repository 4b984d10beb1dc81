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

type Cell = string | number | null;

/** A rated call (before charging) as one line of JSON; sources are indices into a list. */
export function callToLine(call: RatedCall, sourceIndex: number): string {
  const cells: Cell[] = [
    call.seq,
    sourceIndex,
    call.line,
    call.callId,
    call.sessionId ?? null,
    call.icid ?? null,
    call.callerNum,
    call.bindNum,
    call.fwdDstNum,
    call.serviceType ?? null,
    call.direction ?? null,
    call.mode ?? null,
    call.answerMs ?? null,
    call.endMs,
    call.periodMs,
    call.inPeriod ? 1 : 0,
    call.seconds,
    call.rateIndex,
    call.billedSeconds,
  ];
  return `${JSON.stringify(cells)}\n`;
}

function text(cell: unknown): string | undefined {
  return cell === null ? undefined : (cell as string);
}

function num(cell: unknown): number | undefined {
  return cell === null ? undefined : (cell as number);
}

/** Reads a line written by {@link callToLine}. */
export function callFromLine(line: string, sources: readonly string[]): RatedCall {
  const c = JSON.parse(line) as Cell[];
  return {
    seq: c[0] as number,
    source: sources[c[1] as number] as string,
    line: c[2] as number,
    callId: c[3] as string,
    sessionId: text(c[4]),
    icid: text(c[5]),
    callerNum: c[6] as string,
    bindNum: c[7] as string,
    fwdDstNum: c[8] as string,
    serviceType: text(c[9]),
    direction: text(c[10]),
    mode: text(c[11]),
    answerMs: num(c[12]),
    endMs: c[13] as number,
    periodMs: c[14] as number,
    inPeriod: c[15] === 1,
    seconds: c[16] as number,
    rateIndex: c[17] as number,
    billedSeconds: c[18] as number,
    packageSeconds: 0,
    amount: 0,
  };
}

/** A validated bill call row as one line of JSON. */
export function billToLine(row: BilledItem, sourceIndex: number): string {
  const cells: Cell[] = [
    row.seq,
    sourceIndex,
    row.line,
    row.item,
    row.amount,
    row.callId ?? null,
    row.callerNum ?? null,
    row.privateNum ?? null,
    row.calleeNum ?? null,
    row.answerMs ?? null,
    row.endMs ?? null,
    row.billedSeconds ?? null,
    row.billedMinutes?.text ?? null,
    row.packageMinutes?.text ?? null,
    row.unitPrice ?? null,
    row.unitPriceValue ?? null,
  ];
  return `${JSON.stringify(cells)}\n`;
}

/** Reads a line written by {@link billToLine}. */
export function billFromLine(line: string, sources: readonly string[]): BilledItem {
  const c = JSON.parse(line) as Cell[];
  const minutes = (cell: Cell | undefined): ReturnType<typeof parseMinutes> =>
    cell === null || cell === undefined ? undefined : parseMinutes(cell as string);
  return {
    seq: c[0] as number,
    source: sources[c[1] as number] as string,
    line: c[2] as number,
    isCall: true,
    item: c[3] as string,
    amount: c[4] as number,
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

/**
 * The lines of a spill file, in batches; a missing file has none.
 *
 * @param path - a file written by the engine (UTF-8, `\n` line ends)
 */
export async function* readLineBatches(path: string): AsyncGenerator<string[]> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
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
