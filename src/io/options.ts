/**
 * The text encodings the readers accept (SPEC §2.3). `gbk` is read with the GB18030
 * decoder, which is a superset of it.
 */
export type TextEncoding = 'utf-8' | 'gb18030' | 'gbk';

/** The encodings of {@link TextEncoding}, for validating a flag. */
export const TEXT_ENCODINGS = [
  'utf-8',
  'gb18030',
  'gbk',
] as const satisfies readonly TextEncoding[];

/**
 * What a reader reports about one input file once it has been read to the end.
 *
 * @example
 * { role: 'cdrs', path: 'cdrs/10-01.ndjson', sha256: '9f86d0…', records: 1200 }
 */
export interface InputFileInfo {
  /** Which input the file belongs to. */
  readonly role: 'cdrs' | 'bill';
  /** The path as given, or as found below a given folder. */
  readonly path: string;
  /** Hex SHA-256 of the file's bytes on disk (the compressed bytes of a `.gz` file). */
  readonly sha256: string;
  /**
   * Records read: for CDRs the fee records, rejected ones included (skipped non-fee events
   * are not records); for a bill the data rows, malformed ones included.
   */
  readonly records: number;
}

/**
 * Options both readers share.
 *
 * @example
 * { encoding: 'utf-8', onFile: (info) => inputs.push(info), signal: AbortSignal.timeout(60_000) }
 */
export interface ReadOptions {
  /** Encoding of the text files; default `utf-8`. A byte order mark is dropped. */
  readonly encoding?: TextEncoding;
  /**
   * Called once per file, after the file's last batch has been yielded and before the
   * next file is opened.
   */
  readonly onFile?: (info: InputFileInfo) => void;
  /** Stops reading: the iteration throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** Paths never read from a given folder, with all below them (SPEC §2.1). */
  readonly exclude?: readonly string[];
}

/**
 * Options of {@link readCdrBatches}.
 *
 * @example
 * { encoding: 'gb18030', columns: { sessionId: 'Call ID', callEndTime: 'End' } }
 */
export interface CdrReadOptions extends ReadOptions {
  /**
   * For CSV files: FeeInfo field → header of the column holding it (`--cdr-columns`).
   * Fields the map does not name are found by their own name. Headers are matched
   * ignoring case. The key `eventType` is accepted too.
   */
  readonly columns?: Readonly<Record<string, string>>;
}

/**
 * Options of {@link readBillBatches}.
 *
 * @example
 * { encoding: 'gbk', columns: { callId: '呼叫记录ID', amount: '费用(元)' } }
 */
export interface BillReadOptions extends ReadOptions {
  /**
   * Canonical bill column → header of the file (`--bill-columns`). A mapped name takes
   * precedence; canonical names the map does not name are found by their own name.
   * Headers are matched ignoring case, spaces, `_` and `-` (SPEC §2.2).
   */
  readonly columns?: Readonly<Record<string, string>>;
}
