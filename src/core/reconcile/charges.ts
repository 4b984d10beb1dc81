/**
 * The rest of the invoice (SPEC §4.5): number rent, SMS and packages, checked against what
 * the tariff's `charges` and the numbers held say we owe. Each bill row and each thing owed
 * is settled once, as (theirs, ours); a difference is a discrepancy, so the charges balance
 * by construction, as calls do.
 */
import { formatMicros, MicrosSum } from '../money/index.js';
import { compareBytes } from '../order.js';
import type { BilledItem } from './bill.js';
import type { DiscrepancyKind } from './kinds.js';
import type { RunPlan } from './plan.js';
import type { Discrepancy } from './rows.js';
import type { NumberHeld, SmsSeen, TallyData } from './tally.js';

/** One item's lines of the invoice, both sides. */
export interface ChargeItemSums {
  readonly theirs: MicrosSum;
  readonly ours: MicrosSum;
  rows: number;
}

/** What checking the other charges finds. */
export interface ChargesCheck {
  /** Whether anything was checked (the tariff prices charges, or numbers were given). */
  readonly checked: boolean;
  readonly discrepancies: Discrepancy[];
  /** Per item, sorted by item. */
  readonly byItem: Map<string, ChargeItemSums>;
  /** Σ what we owe for the other charges. */
  readonly ours: MicrosSum;
}

interface Owed {
  readonly number: string;
  readonly micros: number;
  readonly what: string;
}

/** The charges data of a merged tally. */
export type ChargesData = Pick<TallyData, 'sms' | 'numbers' | 'otherRows'>;

/**
 * Checks the bill's non-call rows (SPEC §4.5). Without `charges` in the tariff and without
 * numbers, nothing is checked: the rows are believed as billed.
 *
 * @param data - the month's SMS, numbers held and non-call rows (any order: sorted here)
 * @param plan - the run's plan (tariff, period)
 * @param hasNumbers - whether a list of numbers held was given
 * @returns the discrepancies, the sums by item and what we owe
 * @example
 * const check = checkCharges(tally, plan, true);
 */
export function checkCharges(data: ChargesData, plan: RunPlan, hasNumbers: boolean): ChargesCheck {
  const charges = plan.tariff.charges;
  const rows = [...data.otherRows].sort((a, b) => a.seq - b.seq);
  const byItem = new Map<string, ChargeItemSums>();
  const ours = new MicrosSum();
  const discrepancies: Discrepancy[] = [];
  const checked = charges !== undefined || hasNumbers;
  const decimals = plan.tariff.amountDecimals;
  const money = (micros: number): string => formatMicros(micros, decimals);
  const sums = (item: string): ChargeItemSums => {
    let entry = byItem.get(item);
    if (entry === undefined) {
      entry = { theirs: new MicrosSum(), ours: new MicrosSum(), rows: 0 };
      byItem.set(item, entry);
    }
    return entry;
  };
  const settle = (
    item: string,
    row: BilledItem | undefined,
    owed: number,
    kind: DiscrepancyKind,
    detail: string,
    number?: string,
  ): void => {
    const entry = sums(item);
    const theirs = row?.amount ?? 0;
    if (row !== undefined) {
      entry.theirs.add(theirs);
      entry.rows++;
    }
    entry.ours.add(owed);
    ours.add(owed);
    if (theirs !== owed) {
      discrepancies.push({
        kind,
        call: undefined,
        bill: row,
        matchedBy: '',
        impact: theirs - owed,
        detail,
        number: row?.privateNum ?? number,
      });
    }
  };
  if (!checked) {
    for (const row of rows) settle(row.item, row, row.amount, 'CHARGE_MISMATCH', '');
    return { checked, discrepancies, byItem: sorted(byItem), ours };
  }
  const byKind = new Map<string, BilledItem[]>();
  for (const row of rows) {
    const list = byKind.get(row.item);
    if (list === undefined) byKind.set(row.item, [row]);
    else list.push(row);
  }
  const rent = charges?.rentPerNumberMicros;
  const held = hasNumbers ? heldNumbers(data.numbers, plan) : undefined;
  settleOwed(
    'rent',
    byKind.get('rent') ?? [],
    rent,
    held?.map((number) => ({ number, micros: rent ?? 0, what: `the rent of ${number}` })),
    settle,
    money,
  );
  const sms = charges?.smsPerMessageMicros;
  settleOwed(
    'sms',
    byKind.get('sms') ?? [],
    sms,
    sms === undefined ? undefined : smsOwed(data.sms, plan, sms),
    settle,
    money,
  );
  const period = plan.period?.label;
  const packages = (charges?.packages ?? []).filter((p) => p.billedIn === period);
  const packageRows = byKind.get('package') ?? [];
  packageRows.forEach((row, index) => {
    const owed = packages[index];
    if (owed === undefined) {
      settle(
        'package',
        row,
        0,
        'UNEXPECTED_CHARGE',
        'package: the tariff has no package billed this month for this row',
      );
    } else {
      settle(
        'package',
        row,
        owed.priceMicros,
        'CHARGE_MISMATCH',
        `package ${owed.allowance}: billed ${money(row.amount)}, the tariff's price is ${money(owed.priceMicros)}`,
      );
    }
  });
  for (const owed of packages.slice(packageRows.length)) {
    settle(
      'package',
      undefined,
      owed.priceMicros,
      'MISSING_CHARGE',
      `package ${owed.allowance}: ${money(owed.priceMicros)} owed for ${owed.billedIn}, not billed`,
    );
  }
  for (const [item, list] of byKind) {
    if (item === 'rent' || item === 'sms' || item === 'package') continue;
    for (const row of list) {
      settle(
        item,
        row,
        0,
        'UNEXPECTED_CHARGE',
        item === 'unknown'
          ? 'unknown: a row with no item, id, numbers or time; nothing is owed for it'
          : `${item}: the tariff has no price for this item`,
      );
    }
  }
  return { checked, discrepancies, byItem: sorted(byItem), ours };
}

type Settle = (
  item: string,
  row: BilledItem | undefined,
  owed: number,
  kind: DiscrepancyKind,
  detail: string,
  number?: string,
) => void;

/**
 * Rent or SMS: rows naming a number are compared per number (a second row of a number, or a
 * row of a number we owe nothing for, is unexpected); rows naming none are compared in sum
 * with what the numbers not billed by name owe; what is owed and not billed is missing.
 */
function settleOwed(
  item: 'rent' | 'sms',
  rows: readonly BilledItem[],
  price: number | undefined,
  owedList: readonly Owed[] | undefined,
  settle: Settle,
  money: (micros: number) => string,
): void {
  if (price === undefined && owedList === undefined) {
    for (const row of rows)
      settle(item, row, 0, 'UNEXPECTED_CHARGE', `${item}: the tariff has no price for this item`);
    return;
  }
  const owed = new Map((owedList ?? []).map((entry) => [entry.number, entry]));
  const seen = new Set<string>();
  const unnamed: BilledItem[] = [];
  for (const row of rows) {
    const number = row.privateNum;
    if (number === undefined) {
      unnamed.push(row);
      continue;
    }
    if (seen.has(number)) {
      settle(
        item,
        row,
        0,
        'UNEXPECTED_CHARGE',
        `${item} of ${number}: a second row for the same number`,
      );
      continue;
    }
    seen.add(number);
    const entry = owed.get(number);
    if (entry === undefined && owedList !== undefined) {
      settle(
        item,
        row,
        0,
        'UNEXPECTED_CHARGE',
        item === 'rent'
          ? `rent of ${number}: the number is not held in the month`
          : `sms of ${number}: no SMS sent from this number in the month`,
      );
      continue;
    }
    const micros = entry?.micros ?? price ?? 0;
    settle(
      item,
      row,
      micros,
      'CHARGE_MISMATCH',
      `${item} of ${number}: billed ${money(row.amount)}, we owe ${money(micros)}`,
    );
  }
  const rest = [...owed.values()].filter((entry) => !seen.has(entry.number) && entry.micros !== 0);
  if (unnamed.length > 0) {
    // SPEC §4.5: rows without a number are compared in sum.
    const total = rest.reduce((sum, entry) => sum + entry.micros, 0);
    const theirs = unnamed.reduce((sum, row) => sum + row.amount, 0);
    const owedTotal = owedList === undefined ? theirs : total;
    // One finding for the sum: the first row carries what the others do not.
    unnamed.forEach((row, index) => {
      const share = index === 0 ? owedTotal - (theirs - row.amount) : row.amount;
      settle(
        item,
        row,
        share,
        'CHARGE_MISMATCH',
        `${item} in sum: ${unnamed.length} rows without a number bill ${money(theirs)}, we owe ${money(owedTotal)}${owedList === undefined ? '' : ` for ${rest.length} numbers`}`,
      );
    });
    return;
  }
  for (const entry of rest) {
    settle(
      item,
      undefined,
      entry.micros,
      'MISSING_CHARGE',
      `${entry.what}: ${money(entry.micros)} owed, not billed`,
      entry.number,
    );
  }
}

/** SPEC §4.5: a number held at any instant of the month owes a whole month's rent. */
function heldNumbers(numbers: readonly NumberHeld[], plan: RunPlan): string[] {
  const period = plan.period;
  const held = new Set<string>();
  for (const [number, orderedMs, releasedMs] of numbers) {
    if (period !== undefined) {
      if (orderedMs !== undefined && orderedMs >= period.endMs) continue;
      if (releasedMs !== undefined && releasedMs <= period.startMs) continue;
    }
    held.add(number);
  }
  return [...held].sort(compareBytes);
}

/** SPEC §4.5: each part of each SMS sent in the month, once however often it was pushed. */
function smsOwed(list: readonly SmsSeen[], plan: RunPlan, price: number): Owed[] {
  const period = plan.period;
  const first = new Map<string, SmsSeen>();
  for (const sms of [...list].sort((a, b) => compareBytes(a[5], b[5]))) {
    if (!first.has(sms[0])) first.set(sms[0], sms);
  }
  const parts = new Map<string, number>();
  for (const [, number, ms, count, sent] of first.values()) {
    if (!sent || ms === undefined) continue;
    if (period !== undefined && (ms < period.startMs || ms >= period.endMs)) continue;
    parts.set(number, (parts.get(number) ?? 0) + count);
  }
  return [...parts]
    .sort(([a], [b]) => compareBytes(a, b))
    .map(([number, count]) => ({
      number,
      micros: count * price,
      what: `${count} SMS parts from ${number}`,
    }));
}

function sorted(map: Map<string, ChargeItemSums>): Map<string, ChargeItemSums> {
  return new Map([...map].sort(([a], [b]) => compareBytes(a, b)));
}
