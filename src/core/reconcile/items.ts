/**
 * What a bill row's `item` cell means (SPEC §2.2 "item values", "total rows"): a call, one of
 * the charges of §4.5, another item kept as written, or the export's own total.
 */

/** The items the run understands; any other value is kept as written. */
export type KnownItem = 'call' | 'rent' | 'sms' | 'package';

/** The item values SPEC §2.2 lists, under their normalised form (lower case, trimmed). */
export const ITEM_VALUES: Readonly<Record<string, KnownItem>> = {
  call: 'call',
  voice: 'call',
  通话: 'call',
  呼叫: 'call',
  语音: 'call',
  通话费: 'call',
  rent: 'rent',
  月租: 'rent',
  号码月租: 'rent',
  月租费: 'rent',
  sms: 'sms',
  短信: 'sms',
  短信费: 'sms',
  package: 'package',
  套餐: 'package',
  套餐包: 'package',
};

/** The item value → item table a run reads `item` cells with. */
export type ItemValues = ReadonlyMap<string, string>;

/** How item values are compared: ignoring case and surrounding spaces. */
export function normaliseItemValue(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * The table of item values: SPEC §2.2's, with `extra` (`--item-values`) added or overriding.
 *
 * @param extra - value → item (`{"呼叫费": "call", "功能费": "rent"}`)
 * @returns the table to read `item` cells with
 * @example
 * itemValues({ 呼叫费: 'call' }).get('呼叫费'); // 'call'
 */
export function itemValues(extra: Readonly<Record<string, string>> = {}): ItemValues {
  const table = new Map<string, string>(Object.entries(ITEM_VALUES));
  for (const [value, item] of Object.entries(extra)) {
    const known = ITEM_VALUES[normaliseItemValue(item)];
    table.set(normaliseItemValue(value), known ?? item.trim());
  }
  return table;
}

/**
 * The item a cell names: `call` when empty, a known item by the table, else the value as
 * written (trimmed).
 *
 * @param cell - the `item` cell, or `undefined` when the row has none
 * @param table - from {@link itemValues}
 * @example
 * itemOf('月租', itemValues()); // 'rent'
 * itemOf(' Voice ', itemValues()); // 'call'
 * itemOf('功能费', itemValues()); // '功能费'
 */
export function itemOf(cell: string | undefined, table: ItemValues): string {
  const trimmed = cell?.trim() ?? '';
  if (trimmed === '') return 'call';
  return table.get(normaliseItemValue(trimmed)) ?? trimmed;
}

/**
 * Whether an item is one SPEC §2.2 or `--item-values` gives a meaning to (an unknown one that
 * covers many rows is an `ITEM_VALUES` warning).
 */
export function isKnownItem(item: string, table: ItemValues): boolean {
  return (
    item === 'call' ||
    item === 'rent' ||
    item === 'sms' ||
    item === 'package' ||
    table.has(normaliseItemValue(item))
  );
}

const TOTAL_LABELS = new Set(['合计', '总计', '小计', 'total', 'subtotal', 'sum']);
/** A cell that begins with the first character of a total label, or a space before it. */
const MAY_BE_TOTAL = new RegExp(
  `^[\\s${[...new Set([...TOTAL_LABELS].map((label) => label[0]))].join('')}]`,
  'i',
);

/**
 * Whether a cell labels an export's own total row (SPEC §2.2): `合计`, `总计`, `小计`,
 * `total`, `subtotal` or `sum`, ignoring case, spaces and a trailing `:` or `：`.
 *
 * @example
 * isTotalLabel('合计：'); // true
 * isTotalLabel('Sub Total'); // true
 * isTotalLabel('call'); // false
 */
export function isTotalLabel(cell: string): boolean {
  // Most cells are ids and item names: told apart by their first character, without a copy.
  if (!MAY_BE_TOTAL.test(cell)) return false;
  const key = cell
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[:：]$/, '');
  return TOTAL_LABELS.has(key);
}
