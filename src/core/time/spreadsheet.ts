import { INVALID_TIME, parseInstant } from './instant.js';
import type { TimeZone } from './zone.js';

/** A time read from a bill cell: epoch ms, and whether the cell had to be normalised. */
export interface CellTime {
  readonly ms: number;
  readonly normalised: boolean;
}

/** Why a bill cell is not a time: not one at all, or a time whose seconds a spreadsheet cut off. */
export type CellTimeFault = 'invalid' | 'no-seconds';

const LOOSE =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;

const FRACTION_WALL = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\./;

function pad(text: string): string {
  return text.length === 1 ? `0${text}` : text;
}

/**
 * Reads a bill time as written or as a spreadsheet writes it (SPEC §2.2, §2.3): besides the
 * forms of `parseInstant`, `yyyy/M/d H:mm:ss` and `yyyy-M-d H:mm:ss` (one- or two-digit
 * month, day and hour) and fractional seconds, all wall-clock times in `zone`.
 *
 * @param cell - the time as written
 * @param zone - the zone of times without an offset
 * @returns the instant and whether it was normalised, or why it is no time
 * @example
 * readCellTime('2026/10/1 8:00:37', UTC); // { ms: …, normalised: true }
 * readCellTime('2026-10-25 16:00', UTC); // 'no-seconds'
 */
export function readCellTime(cell: string, zone: TimeZone): CellTime | CellTimeFault {
  const strict = parseInstant(cell, zone);
  // Fractional seconds on a wall time are a spreadsheet's or database's form: counted.
  if (strict !== INVALID_TIME) {
    // `yyyy-MM-dd HH:mm:ss` has 19 characters: only a longer cell can have a fraction.
    return { ms: strict, normalised: cell.length > 19 && FRACTION_WALL.test(cell) };
  }
  const match = LOOSE.exec(cell.trim());
  if (match === null) return 'invalid';
  const [, year, month, day, hour, minute, second, fraction] = match as unknown as string[];
  if (second === undefined) return 'no-seconds';
  const wall = `${year}-${pad(month as string)}-${pad(day as string)} ${pad(hour as string)}:${minute}:${second}`;
  const ms = parseInstant(wall, zone);
  if (ms === INVALID_TIME) return 'invalid';
  const fractionMs = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000 + 1e-9);
  return { ms: ms + fractionMs, normalised: true };
}
