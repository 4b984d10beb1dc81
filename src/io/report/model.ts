/**
 * What the human-readable reports show, worked out once from the summary and the rows: the
 * headline action, the bridge, impact by day. Sums are exact (integer minor units).
 */
import {
  CHARGE_KINDS,
  DISCREPANCY_KINDS,
  type BridgeStepName,
  type DiscrepancyKind,
  type DiscrepancyRow,
  type Summary,
} from '../../core/reconcile/index.js';
import { maskPhone } from '../../core/phone.js';
import type { Strings } from './strings.js';

/**
 * The decimals of the summary's amounts (`"742.24"`: 2).
 *
 * @param summary - the run's summary
 * @returns the number of decimals of its amounts
 * @example
 * decimalsOf(result.summary); // 2
 */
export function decimalsOf(summary: Summary): number {
  const dot = summary.totals.ours.indexOf('.');
  return dot < 0 ? 0 : summary.totals.ours.length - dot - 1;
}

/**
 * A decimal amount as an integer of minor units (`"-1.20"`, 2 → `-120n`); `0n` for `''`.
 *
 * @example
 * toMinor('-1.2', 2); // -120n
 */
export function toMinor(text: string, decimals: number): bigint {
  if (text === '') return 0n;
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (
    negative || text.startsWith('+') ? text.slice(1) : text
  ).split('.');
  const units = BigInt(whole + fraction.padEnd(decimals, '0').slice(0, decimals));
  return negative ? -units : units;
}

/**
 * Minor units as a decimal amount (`-120n`, 2 → `"-1.20"`).
 *
 * @example
 * fromMinor(-120n, 2); // '-1.20'
 */
export function fromMinor(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const text = decimals === 0 ? whole : `${whole}.${digits.slice(digits.length - decimals)}`;
  return negative ? `-${text}` : text;
}

/** The headline figures: what to claim, what is under-billed, what is left to look at. */
export interface Headline {
  readonly claimable: string;
  readonly claimCount: number;
  readonly underBilled: string;
  readonly underBilledCount: number;
  /** The other discrepancies: to check, to fix, or to note. */
  readonly notes: number;
}

/**
 * The headline of a run (SPEC §4.3, §4.4): the `claim` rows, the `note` rows with a negative
 * impact, and the rest.
 *
 * @param summary - the run's summary (for `claimable` and `underBilled`)
 * @param rows - every discrepancy
 * @returns the figures
 * @example
 * headlineOf(result.summary, result.discrepancies).claimCount; // 14
 */
export function headlineOf(summary: Summary, rows: readonly DiscrepancyRow[]): Headline {
  let claimCount = 0;
  let underBilledCount = 0;
  for (const row of rows) {
    if (row.action === 'claim') claimCount++;
    else if (row.action === 'note' && row.impact.startsWith('-') && /[1-9]/.test(row.impact))
      underBilledCount++;
  }
  return {
    claimable: summary.totals.claimable,
    claimCount,
    underBilled: summary.totals.underBilled,
    underBilledCount,
    notes: rows.length - claimCount - underBilledCount,
  };
}

/**
 * The headline as a sentence: "claim back CNY 6.16 (14 items); under-billed CNY 1.38 (7);
 * 16 notes".
 *
 * @param summary - the run's summary
 * @param rows - every discrepancy
 * @param strings - the labels of the report's language
 * @returns the sentence
 * @example
 * actionLine(summary, result.discrepancies, stringsFor('en'));
 */
export function actionLine(
  summary: Summary,
  rows: readonly DiscrepancyRow[],
  strings: Strings,
): string {
  const h = headlineOf(summary, rows);
  const money = (amount: string): string => strings.money(summary.currency, amount);
  const parts = [
    h.claimCount > 0
      ? strings.t('claimBack', {
          money: money(h.claimable),
          items: strings.plural('item', h.claimCount),
        })
      : strings.t('nothingToClaim'),
  ];
  if (h.underBilledCount > 0)
    parts.push(strings.t('underBilled', { money: money(h.underBilled), n: h.underBilledCount }));
  if (h.notes > 0) parts.push(strings.plural('note', h.notes));
  return parts.join('; ');
}

/** One bar of the bridge: a named change and how many items it moves. */
export interface BridgeBar {
  /** A step of SPEC §4.6, or a kind when the run gave no bridge. */
  readonly step: BridgeStepName | DiscrepancyKind;
  readonly amount: string;
  readonly count: number;
}

/** The bridge from ours to theirs (SPEC §4.6): where it starts and ends, and its steps. */
export interface Bridge {
  readonly start: string;
  readonly end: string;
  readonly bars: readonly BridgeBar[];
}

/**
 * The bridge to draw: `explanation.bridge` when the run has one, else ours → each kind's
 * impact → within tolerance → theirs. With other charges in it, it runs from the invoice's
 * ours to the invoice's theirs.
 *
 * @param summary - the run's summary
 * @returns the bridge, zero steps left out
 * @example
 * bridgeOf(result.summary).bars.map((bar) => bar.step); // ['missing', 'billedNotOurs', …]
 */
export function bridgeOf(summary: Summary): Bridge {
  const decimals = decimalsOf(summary);
  const nonZero = (amount: string): boolean => toMinor(amount, decimals) !== 0n;
  let bars: BridgeBar[];
  if (summary.explanation.bridge.length > 0) {
    bars = summary.explanation.bridge.filter((s) => nonZero(s.amount));
  } else {
    const kindBar = (kind: DiscrepancyKind): BridgeBar => ({
      step: kind,
      amount: summary.discrepancies[kind].impact,
      count: summary.discrepancies[kind].count,
    });
    const tolerance: BridgeBar = {
      step: 'withinTolerance',
      amount: summary.totals.withinTolerance,
      count: summary.matched.clean,
    };
    const callKinds = DISCREPANCY_KINDS.filter((kind) => !isChargeKind(kind));
    const chargeBars = nonZero(summary.charges.difference) ? CHARGE_KINDS.map(kindBar) : [];
    bars = [...callKinds.map(kindBar), tolerance, ...chargeBars].filter((bar) =>
      nonZero(bar.amount),
    );
  }
  const withCharges = bars.some((bar) => bar.step === 'charges' || isChargeKind(bar.step));
  const start = withCharges ? summary.invoice.ours : summary.totals.ours;
  let total = toMinor(start, decimals);
  for (const bar of bars) total += toMinor(bar.amount, decimals);
  return { start, end: fromMinor(total, decimals), bars };
}

function isChargeKind(step: string): boolean {
  return (CHARGE_KINDS as readonly string[]).includes(step);
}

/** One day's discrepancies: their count and summed impact. */
export interface DayImpact {
  /** `yyyy-MM-dd` in the report's zone. */
  readonly day: string;
  readonly count: number;
  readonly impact: string;
}

/**
 * Impact and count by day of the call's answer (or end) time; rows without a time (other
 * charges) are left out.
 *
 * @param rows - the discrepancies
 * @param decimals - the amounts' decimals
 * @returns one entry per day, in order
 * @example
 * impactByDay(result.discrepancies, 2)[0]; // { day: '2026-10-01', count: 3, impact: '0.36' }
 */
export function impactByDay(rows: readonly DiscrepancyRow[], decimals: number): DayImpact[] {
  const days = new Map<string, { count: number; impact: bigint }>();
  for (const row of rows) {
    const time = row.answerTime || row.endTime;
    if (time.length < 10) continue;
    const day = time.slice(0, 10);
    const entry = days.get(day) ?? { count: 0, impact: 0n };
    entry.count++;
    entry.impact += toMinor(row.impact, decimals);
    days.set(day, entry);
  }
  return [...days]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, { count, impact }]) => ({ day, count, impact: fromMinor(impact, decimals) }));
}

const PHONE_COLUMNS: ReadonlySet<string> = new Set(['callerNum', 'privateNum', 'calleeNum']);
/** The kinds whose `detail` names the row's private number (SPEC §4.5: `rent of …`). */
const NUMBER_IN_DETAIL: ReadonlySet<string> = new Set(CHARGE_KINDS);

/**
 * A cell of a discrepancy row as reports show it: phone numbers masked unless asked, in
 * their columns and where a charge's `detail` names its number (`rent of +86138****0022:
 * …`).
 *
 * @param row - the row
 * @param column - the column
 * @param showNumbers - whether to show numbers in full
 * @returns the cell's text
 * @example
 * shownCell(row, 'callerNum', false); // '+86138****0021'
 */
export function shownCell(
  row: DiscrepancyRow,
  column: keyof DiscrepancyRow,
  showNumbers: boolean,
): string {
  const value = row[column];
  if (showNumbers) return value;
  if (PHONE_COLUMNS.has(column)) return maskPhone(value);
  if (column !== 'detail' || !NUMBER_IN_DETAIL.has(row.kind)) return value;
  return maskWholeNumber(value, row.privateNum);
}

/** `text` with every occurrence of `number` not within a longer run of digits masked. */
function maskWholeNumber(text: string, number: string): string {
  const masked = maskPhone(number);
  if (number === '' || masked === number) return text;
  const isDigit = (at: number): boolean => {
    const c = text.charCodeAt(at);
    return c >= 48 && c <= 57;
  };
  let out = '';
  let from = 0;
  for (let at = text.indexOf(number); at !== -1; at = text.indexOf(number, at + 1)) {
    if (at < from || isDigit(at - 1) || isDigit(at + number.length)) continue;
    out += text.slice(from, at) + masked;
    from = at + number.length;
  }
  return out + text.slice(from);
}
