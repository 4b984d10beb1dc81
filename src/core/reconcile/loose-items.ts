/**
 * What a service passes the library is often what it received: a push body
 * (`{"eventType":"fee","feeLst":[…]}`) or a plain FeeInfo, with numbers where the readers
 * give text. These become the items the readers yield, and a value of the wrong shape a
 * rejected record naming the field — never a crash in the middle of a month.
 */
import { FEE_FIELDS, type BillItem, type CdrItem } from '../records.js';
import { BILL_COLUMNS } from '../records.js';

const LIBRARY_SOURCE = '(library input)';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields as text: numbers and booleans written out; anything else names its field. */
function textFields(
  value: Record<string, unknown>,
  fields: readonly string[],
): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const cell = value[field];
    if (cell === undefined || cell === null) continue;
    if (typeof cell === 'string') out[field] = cell;
    else if (typeof cell === 'number' || typeof cell === 'boolean') out[field] = String(cell);
    else return `${field} is ${Array.isArray(cell) ? 'a list' : `a ${typeof cell}`}, not text`;
  }
  return out;
}

/**
 * The CDR items one input value stands for: an item as the readers yield it passes through
 * (its record's fields made text); a push body gives one item per FeeInfo, a non-fee event
 * one skipped item; a plain FeeInfo one fee item; anything else one rejected item.
 *
 * @param value - what the caller gave as a CDR item
 * @param position - its 1-based position, as the line of what it yields
 * @returns the items it stands for
 * @example
 * [...cdrItemsOfValue({ eventType: 'fee', feeLst: [feeInfo] }, 1)]; // [{ type: 'fee', record, … }]
 */
export function* cdrItemsOfValue(value: unknown, position: number): Generator<CdrItem> {
  const rejected = (reason: string): CdrItem => ({
    type: 'rejected',
    issue: { code: 'INVALID_JSON', source: LIBRARY_SOURCE, line: position, reason },
  });
  if (!isObject(value)) {
    yield rejected(`a CDR item is ${value === null ? 'null' : typeof value}, not an object`);
    return;
  }
  const type = value['type'];
  if (type === 'skipped' || type === 'rejected' || type === 'sms') {
    yield value as unknown as CdrItem;
    return;
  }
  if (type === 'fee') {
    const record = isObject(value['record'])
      ? textFields(value['record'], FEE_FIELDS)
      : 'record is missing';
    if (typeof record === 'string') yield rejected(record);
    else yield { ...(value as unknown as CdrItem & { type: 'fee' }), record: record };
    return;
  }
  if (type !== undefined) {
    yield rejected(
      `a CDR item of type ${JSON.stringify(type)}; give 'fee', 'skipped', 'sms' or 'rejected', a push body or a FeeInfo`,
    );
    return;
  }
  const eventType = value['eventType'];
  if (eventType !== undefined && eventType !== 'fee') {
    yield { type: 'skipped', source: LIBRARY_SOURCE, line: position };
    return;
  }
  const list = value['feeLst'];
  const infos: unknown[] = list === undefined ? [value] : Array.isArray(list) ? list : [list];
  for (const info of infos) {
    const record = isObject(info) ? textFields(info, FEE_FIELDS) : 'a FeeInfo is not an object';
    if (typeof record === 'string') yield rejected(record);
    else yield { type: 'fee', record: record, source: LIBRARY_SOURCE, line: position };
  }
}

/**
 * The bill item one input value stands for: an item passes through (its row made text); a
 * plain row of canonical columns becomes a row item; anything else a rejected item.
 *
 * @param value - what the caller gave as a bill item
 * @param position - its 1-based position
 * @returns the item
 * @example
 * billItemOfValue({ callId: 'abc', amount: 0.24 }, 1); // { type: 'row', row: { callId: 'abc', amount: '0.24' }, … }
 */
export function billItemOfValue(value: unknown, position: number): BillItem {
  const rejected = (reason: string): BillItem => ({
    type: 'rejected',
    issue: { code: 'MALFORMED_ROW', source: LIBRARY_SOURCE, line: position, reason },
  });
  if (!isObject(value))
    return rejected(`a bill item is ${value === null ? 'null' : typeof value}, not an object`);
  const type = value['type'];
  if (type === 'rejected' || type === 'total' || type === 'warning')
    return value as unknown as BillItem;
  const rowValue = type === 'row' ? value['row'] : type === undefined ? value : undefined;
  if (!isObject(rowValue))
    return rejected(`a bill item of type ${JSON.stringify(type)} has no row`);
  const row = textFields(rowValue, BILL_COLUMNS);
  if (typeof row === 'string') return rejected(row);
  return type === 'row'
    ? { ...(value as unknown as BillItem & { type: 'row' }), row: row }
    : { type: 'row', row: row, source: LIBRARY_SOURCE, line: position };
}
