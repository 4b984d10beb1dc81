/**
 * The keys the FeeInfo scanner (fee-scanner.ts) knows, by number, and the sets it finds a
 * key given twice with.
 */
import { FEE_FIELDS } from '../core/records.js';

/** Key numbers: the fee fields are 0..17 (FEE_FIELDS order), then the keys read or known. */
export const FIELD_COUNT = FEE_FIELDS.length;
export const EVENT_TYPE = FIELD_COUNT;
export const FEE_LST = FIELD_COUNT + 1;
export const SMS_EVENT = FIELD_COUNT + 2;
/** Not a known key: compared as text. */
export const OTHER_KEY = -1;

/** Known keys: the fee fields, the push's own, and Huawei's other FeeInfo fields. */
export const KEY_NAMES: readonly string[] = [
  ...FEE_FIELDS,
  'eventType',
  'feeLst',
  'smsEvent',
  'hostName',
  'fwdUnaswRsn',
  'ulFailReason',
  'sipStatusCode',
  'callOutUnaswRsn',
  'recordFlag',
  'ttsPlayTimes',
  'ttsTransDuration',
  'recordStartTime',
  'recordObjectName',
  'recordBucketName',
  'recordDomain',
  'userData',
  'mptyId',
  'uniqueId',
  'partyType',
];

/** Key numbers by key length. */
export const KEYS_BY_LENGTH: number[][] = [];
for (let id = 0; id < KEY_NAMES.length; id++) {
  const length = (KEY_NAMES[id] as string).length;
  (KEYS_BY_LENGTH[length] ??= []).push(id);
}

/** The number of the known key spelt by `text[from, to)`, or {@link OTHER_KEY}. */
export function keyNumber(text: string, from: number, to: number): number {
  const ids = KEYS_BY_LENGTH[to - from];
  if (ids === undefined) return OTHER_KEY;
  for (const id of ids) if (text.startsWith(KEY_NAMES[id] as string, from)) return id;
  return OTHER_KEY;
}

/**
 * The keys of one kind of object (the push body, or a FeeInfo): which were seen in the
 * object being read, to find one given twice, and the keys of the last one in order, the
 * likely keys of the next (pushes list their fields in one order).
 */
export class KeySet {
  /** `seen[id] === epoch`: key `id` was seen in the object being read. */
  private readonly seen = new Int32Array(KEY_NAMES.length);
  private epoch = 0;
  /** Keys not known by number, of the object being read. */
  private readonly others: string[] = [];
  /** The keys of the last object (its first keys, then this object's from where they differ). */
  readonly names: string[] = [];
  readonly ids: number[] = [];
  /** How many keys of the object being read are the last object's, from its first. */
  matched = 0;
  /** The object being read has had the last object's keys so far. */
  following = true;

  start(): void {
    this.epoch++;
    if (this.epoch === 0x7fffffff) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    if (this.others.length > 0) this.others.length = 0;
    this.matched = 0;
    this.following = true;
  }

  /**
   * Takes the `k`th key of the object; `predicted`: it is the last object's `k`th.
   *
   * @returns `true` when the object has it already
   */
  add(id: number, name: string, k: number, predicted: boolean): boolean {
    if (predicted) {
      this.matched++;
    } else {
      this.following = false;
      this.names[k] = name;
      this.ids[k] = id;
      if (this.names.length > k + 1) {
        this.names.length = k + 1;
        this.ids.length = k + 1;
      }
    }
    if (id === OTHER_KEY) {
      if (this.others.includes(name)) return true;
      this.others.push(name);
      return false;
    }
    if (this.seen[id] === this.epoch) return true;
    this.seen[id] = this.epoch;
    return false;
  }
}

/** The characters of every known key, one after another (each key's are at KEY_AT[id]). */
const KEY_CODES = new Uint8Array(KEY_NAMES.reduce((n, name) => n + name.length, 0));
const KEY_AT = new Int32Array(KEY_NAMES.length);
{
  let at = 0;
  for (let id = 0; id < KEY_NAMES.length; id++) {
    const name = KEY_NAMES[id] as string;
    KEY_AT[id] = at;
    for (let i = 0; i < name.length; i++) KEY_CODES[at++] = name.charCodeAt(i);
  }
}

/**
 * Whether `text` spells the known key `id`, `length` characters long, from `from`: a loop
 * over its codes, much cheaper than startsWith for a key this short (measured).
 */
export function spells(text: string, from: number, id: number, length: number): boolean {
  const codes = KEY_CODES;
  const at = (KEY_AT[id] as number) - from;
  const end = from + length;
  for (let i = from; i < end; i++) if (text.charCodeAt(i) !== codes[at + i]) return false;
  return true;
}
