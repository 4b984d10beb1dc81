/**
 * Gives every entry of a zip file one date, in place: a workbook of the same month is then
 * the same bytes whenever it is written (a zip stamps each entry with the clock).
 */
import { open } from 'node:fs/promises';

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const END_SEARCH = 22 + 0xffff;

/** MS-DOS time and date of an instant, as zip headers hold them (2-second steps). */
function dosDateTime(date: Date): [time: number, day: number] {
  const time =
    (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day =
    ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  return [time, day];
}

/**
 * Sets the modification date of every entry of a zip file (central directory and local
 * headers) to `date`.
 *
 * @param path - the zip file, rewritten in place (only its header dates)
 * @param date - the date every entry gets
 * @throws Error when the file is not a zip it can read
 * @example
 * await stampZipDates('report.xlsx', new Date(Date.UTC(2026, 9, 1)));
 */
export async function stampZipDates(path: string, date: Date): Promise<void> {
  const [time, day] = dosDateTime(date);
  const file = await open(path, 'r+');
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, END_SEARCH);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    let end = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === END_OF_DIRECTORY) {
        end = i;
        break;
      }
    }
    if (end < 0) throw new Error(`${path}: no zip end record`);
    const entries = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    const stamp = Buffer.alloc(4);
    stamp.writeUInt16LE(time, 0);
    stamp.writeUInt16LE(day, 2);
    const local = Buffer.alloc(4);
    let at = 0;
    for (let n = 0; n < entries; n++) {
      if (directory.readUInt32LE(at) !== DIRECTORY_ENTRY)
        throw new Error(`${path}: bad zip directory`);
      stamp.copy(directory, at + 12);
      const localOffset = directory.readUInt32LE(at + 42);
      await file.read(local, 0, 4, localOffset);
      if (local.readUInt32LE(0) !== LOCAL_ENTRY) throw new Error(`${path}: bad zip entry`);
      await file.write(stamp, 0, 4, localOffset + 10);
      at +=
        46 +
        directory.readUInt16LE(at + 28) +
        directory.readUInt16LE(at + 30) +
        directory.readUInt16LE(at + 32);
    }
    await file.write(directory, 0, directorySize, directoryOffset);
  } finally {
    await file.close();
  }
}
