import { open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from './errors.js';
import {
  cutTornLine,
  listPushFiles,
  makeDurableFolder,
  pushFileName,
  pushFileSeq,
  syncFolder,
  utcDay,
  type TornLine,
} from './files.js';

/**
 * A new push file is started past this size (SPEC §8).
 *
 * @example
 * await PushStore.open({ dir: 'pushes', maxFileBytes: MAX_FILE_BYTES });
 */
export const MAX_FILE_BYTES = 256 * 2 ** 20;

/** The folder of bodies that are not pushes (SPEC §8). */
const REJECTED_FOLDER = 'rejected';

/**
 * Options of {@link PushStore.open}.
 *
 * @example
 * const options: PushStoreOptions = { dir: 'pushes', maxFileBytes: 64 * 2 ** 20 };
 */
export interface PushStoreOptions {
  /** The receiver's folder; made when missing. */
  readonly dir: string;
  /** Start a new file of the day past this many bytes; default {@link MAX_FILE_BYTES}. */
  readonly maxFileBytes?: number;
}

/**
 * Where a push was stored.
 *
 * @example
 * const at: StoredPush = await store.append(line, Date.now());
 * console.log(`${at.file} @ ${at.offset}`);
 */
export interface StoredPush {
  readonly file: string;
  /** The offset of its line in that file. */
  readonly offset: number;
}

interface Pending {
  readonly line: Buffer;
  readonly day: string;
  readonly resolve: (at: StoredPush) => void;
  readonly reject: (error: StoreError) => void;
}

interface OpenFile {
  readonly day: string;
  readonly seq: number;
  readonly path: string;
  readonly handle: FileHandle;
  size: number;
}

const NEWLINE = Buffer.from('\n');

/**
 * The receiver's durable store (SPEC §8): each push is appended as one line to
 * `DIR/YYYY-MM-DD/pushes.ndjson` and flushed to disk before {@link append} resolves. Pushes
 * that arrive while a flush is under way wait and are written and flushed together (group
 * commit): one `fdatasync` for all of them, so the disk's flush time is shared, not queued.
 *
 * A write or flush that fails (a full disk) fails every push of its group, and the file is
 * cut back to where the group began, so a push that was not acknowledged leaves no torn line.
 *
 * @example
 * const store = await PushStore.open({ dir: 'pushes' });
 * await store.append(Buffer.from('{"smsEvent":{}}'), Date.now());
 * await store.close();
 */
export class PushStore {
  /** The receiver's folder. */
  readonly dir: string;
  private readonly maxFileBytes: number;
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private current: OpenFile | undefined;
  private rejectedSeq = 0;
  private closed = false;
  /** Torn lines cut from files opened since the start. */
  readonly torn: TornLine[] = [];

  private constructor(options: PushStoreOptions) {
    this.dir = options.dir;
    this.maxFileBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  }

  /**
   * Opens the store: makes the folder, and moves aside the torn last line of every push file
   * a crash may have left (see {@link PushStore.torn}).
   *
   * @param options - the folder and the file size limit
   * @returns the store, ready to append
   * @throws {@link StoreError} when the folder cannot be made or a file cannot be repaired
   * @example
   * const store = await PushStore.open({ dir: 'pushes' });
   * await store.append(Buffer.from('{"eventType":"fee","feeLst":[]}'), Date.now());
   * await store.close();
   */
  static async open(options: PushStoreOptions): Promise<PushStore> {
    const store = new PushStore(options);
    try {
      await makeDurableFolder(options.dir);
      for (const file of await listPushFiles(options.dir)) {
        const handle = await open(file.path, 'r+');
        try {
          const torn = await cutTornLine(handle, file.path);
          if (torn !== undefined) store.torn.push(torn);
        } finally {
          await handle.close();
        }
      }
    } catch (error) {
      throw new StoreError(`${options.dir}: cannot open the push folder (${codeOf(error)})`, {
        cause: error,
      });
    }
    return store;
  }

  /**
   * Appends one push as a line of its day's file and resolves once it is on disk.
   *
   * @param line - the body, without line breaks
   * @param receivedMs - when it was received: its UTC day names the folder
   * @returns where it was stored
   * @throws {@link StoreError} when it could not be written or flushed (answer 503)
   * @example
   * const at = await store.append(readPush(body).line, Date.now());
   */
  append(line: Buffer, receivedMs: number): Promise<StoredPush> {
    if (this.closed) return Promise.reject(new StoreError(`${this.dir}: the store is closed`));
    return new Promise<StoredPush>((resolve, reject) => {
      this.queue.push({ line, day: utcDay(receivedMs), resolve, reject });
      this.flushing ??= this.flushQueue();
    });
  }

  /**
   * Keeps a body that is not a push in `DIR/rejected/` (SPEC §8), flushed to disk: a file
   * whose first line is `{"receivedAt", "reason", "bytes"}` and the rest the body as received.
   * Its extension is `.txt`, never one `reconcile` reads.
   *
   * @param body - the bytes received
   * @param reason - why it is not a push
   * @param receivedMs - when it was received
   * @returns the file's path
   * @throws {@link StoreError} when it cannot be written (answer 503)
   * @example
   * await store.keepRejected(body, 'not JSON: Unexpected token', Date.now());
   */
  async keepRejected(body: Buffer, reason: string, receivedMs: number): Promise<string> {
    const folder = join(this.dir, REJECTED_FOLDER);
    const stamp = new Date(receivedMs).toISOString().replace(/[:.]/g, '-');
    const path = join(folder, `${stamp}-${process.pid}-${++this.rejectedSeq}.txt`);
    const head = JSON.stringify({
      receivedAt: new Date(receivedMs).toISOString(),
      reason,
      bytes: body.length,
    });
    try {
      await makeDurableFolder(folder);
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(Buffer.concat([Buffer.from(`${head}\n`), body]));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await syncFolder(folder);
    } catch (error) {
      throw new StoreError(`${path}: cannot keep the rejected body (${codeOf(error)})`, {
        cause: error,
      });
    }
    return path;
  }

  /**
   * Waits for the pushes under way to be flushed, then closes the file. Later appends fail.
   *
   * @example
   * await store.close();
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.closeCurrent();
  }

  private async flushQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      // Pushes are grouped by day; a group that straddles midnight is written day by day.
      let start = 0;
      while (start < batch.length) {
        const day = (batch[start] as Pending).day;
        let end = start + 1;
        while (end < batch.length && (batch[end] as Pending).day === day) end++;
        await this.writeGroup(batch.slice(start, end));
        start = end;
      }
    }
    this.flushing = undefined;
  }

  private async writeGroup(group: readonly Pending[]): Promise<void> {
    let done = 0;
    try {
      while (done < group.length) {
        const file = await this.fileFor((group[done] as Pending).day);
        // As many pushes as fit in this file; at least one, so a file is never left empty.
        const parts: Buffer[] = [];
        const offsets: number[] = [];
        let bytes = 0;
        let end = done;
        while (end < group.length) {
          const length = (group[end] as Pending).line.length + 1;
          if (end > done && file.size + bytes + length > this.maxFileBytes) break;
          if (end === done && file.size > 0 && file.size + length > this.maxFileBytes) break;
          offsets.push(file.size + bytes);
          parts.push((group[end] as Pending).line, NEWLINE);
          bytes += length;
          end++;
        }
        if (end === done) {
          await this.rotate(file);
          continue;
        }
        await this.writeAndFlush(file, parts, bytes);
        for (let k = done; k < end; k++) {
          (group[k] as Pending).resolve({ file: file.path, offset: offsets[k - done] as number });
        }
        done = end;
      }
    } catch (error) {
      const failure =
        error instanceof StoreError
          ? error
          : new StoreError(`${this.dir}: cannot store pushes (${codeOf(error)})`, { cause: error });
      for (let k = done; k < group.length; k++) (group[k] as Pending).reject(failure);
    }
  }

  private async writeAndFlush(file: OpenFile, parts: Buffer[], bytes: number): Promise<void> {
    const before = file.size;
    try {
      // One system call for the group, without copying it; the rest of a short write after.
      let written = (await file.handle.writev(parts)).bytesWritten;
      if (written < bytes) {
        const data = Buffer.concat(parts, bytes);
        while (written < bytes) {
          written += (await file.handle.write(data, written, bytes - written)).bytesWritten;
        }
      }
      await file.handle.datasync();
      file.size = before + bytes;
    } catch (error) {
      // Nothing of a failed group may stay: cut the file back to where the group began.
      try {
        await file.handle.truncate(before);
        await file.handle.datasync();
      } catch {
        // The file is reopened, and its torn tail cut, before the next write.
        await this.closeCurrent();
      }
      throw new StoreError(`${file.path}: cannot write or flush (${codeOf(error)})`, {
        cause: error,
      });
    }
  }

  private async fileFor(day: string): Promise<OpenFile> {
    if (this.current?.day === day) return this.current;
    await this.closeCurrent();
    const folder = join(this.dir, day);
    await makeDurableFolder(folder);
    let seq = 1;
    for (const name of await readdir(folder)) seq = Math.max(seq, pushFileSeq(name) ?? 1);
    return this.openFile(day, seq);
  }

  private async openFile(day: string, seq: number): Promise<OpenFile> {
    const path = join(this.dir, day, pushFileName(seq));
    const handle = await open(path, 'a+');
    try {
      const torn = await cutTornLine(handle, path);
      if (torn !== undefined) this.torn.push(torn);
      const { size } = await handle.stat();
      // A new file's name must be on disk before a push in it is acknowledged.
      if (size === 0) await syncFolder(join(this.dir, day));
      this.current = { day, seq, path, handle, size };
      return this.current;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private async rotate(file: OpenFile): Promise<void> {
    await this.closeCurrent();
    await this.openFile(file.day, file.seq + 1);
  }

  private async closeCurrent(): Promise<void> {
    const file = this.current;
    this.current = undefined;
    await file?.handle.close().catch(() => undefined);
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error);
}
