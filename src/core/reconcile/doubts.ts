/**
 * The run's doubts about its own inputs (SPEC §2.4), found once the month is matched: no
 * CDR in the period, few matches, bill times shifted by a zone, item values not understood,
 * an invoice total that is not the bill's.
 */
import { formatAnyMicros } from '../money/index.js';
import type { BilledItem } from './bill.js';
import type { ChargedCall } from './calls.js';
import { isKnownItem } from './items.js';
import type { RunPlan } from './plan.js';
import type { Tally } from './tally.js';
import { WARNING_CODES, type RunWarning } from './warnings.js';

const QUARTER_HOUR_MS = 15 * 60_000;
/** The widest shift looked for: 14 hours either way (the zones of the world). */
const MAX_QUARTERS = 56;
/** SPEC §2.4: at least this many rows (or all, when fewer) must fit one shift. */
const OFFSET_ROWS = 20;
/** SPEC §2.4: an unknown item value covering this many rows is a warning. */
const ITEM_VALUE_ROWS = 10;

/** Zones to suggest for a whole-hour offset from UTC, the usual ones of the service. */
const ZONE_OF_OFFSET: ReadonlyMap<number, string> = new Map([
  [8 * 60, 'Asia/Shanghai'],
  [9 * 60, 'Asia/Tokyo'],
  [7 * 60, 'Asia/Bangkok'],
  [330, 'Asia/Kolkata'],
  [3 * 60, 'Europe/Moscow'],
  [2 * 60, 'Africa/Johannesburg'],
  [60, 'Africa/Lagos'],
  [0, 'UTC'],
  [-3 * 60, 'America/Sao_Paulo'],
  [-5 * 60, 'America/New_York'],
  [-8 * 60, 'America/Los_Angeles'],
]);

/** A constant shift between the bill's times and the CDRs' (SPEC §2.4, §4.7). */
export interface TimeOffset {
  /** Bill time − CDR time, in minutes (a multiple of 15). */
  readonly minutes: number;
  /** Bill rows that match a call by composite once shifted back. */
  readonly rows: number;
  /** Unmatched bill rows that could match by composite at all. */
  readonly of: number;
  /** The `--bill-timezone` that would remove it, when one is likely. */
  readonly zone: string | undefined;
}

function phoneKey(caller: string, privateNum: string): string {
  return `${caller}\u0000${privateNum}`;
}

/**
 * Looks for one whole number of quarter-hours by which the unmatched bill rows are off from
 * the unmatched calls (SPEC §2.4 `BILL_TIME_OFFSET`).
 *
 * @param rows - bill call rows that matched nothing
 * @param calls - answered calls no row matched
 * @param plan - the run's plan (match window, bill zone)
 * @returns the shift, when enough rows fit it
 * @example
 * findTimeOffset(rows, calls, plan)?.zone; // 'Asia/Shanghai' for a Beijing-time bill read as UTC
 */
export function findTimeOffset(
  rows: readonly BilledItem[],
  calls: readonly ChargedCall[],
  plan: RunPlan,
): TimeOffset | undefined {
  const byPhones = new Map<string, ChargedCall[]>();
  for (const call of calls) {
    if (call.answerMs === undefined) continue;
    const key = phoneKey(call.callerNum, call.bindNum);
    const list = byPhones.get(key);
    if (list === undefined) byPhones.set(key, [call]);
    else list.push(call);
  }
  const counts = new Map<number, number>();
  let of = 0;
  for (const row of rows) {
    if (row.callerNum === undefined || row.privateNum === undefined || row.answerMs === undefined)
      continue;
    of++;
    const fits = new Set<number>();
    for (const call of byPhones.get(phoneKey(row.callerNum, row.privateNum)) ?? []) {
      const delta = row.answerMs - (call.answerMs as number);
      const quarters = Math.round(delta / QUARTER_HOUR_MS);
      if (quarters === 0 || Math.abs(quarters) > MAX_QUARTERS) continue;
      if (Math.abs(delta - quarters * QUARTER_HOUR_MS) <= plan.rules.windowMs) fits.add(quarters);
    }
    for (const quarters of fits) counts.set(quarters, (counts.get(quarters) ?? 0) + 1);
  }
  let best: [number, number] | undefined;
  for (const entry of counts) {
    if (
      best === undefined ||
      entry[1] > best[1] ||
      (entry[1] === best[1] && Math.abs(entry[0]) < Math.abs(best[0]))
    ) {
      best = entry;
    }
  }
  if (best === undefined || best[1] < Math.min(OFFSET_ROWS, of)) return undefined;
  const minutes = best[0] * 15;
  const sample = rows.find((row) => row.answerMs !== undefined)?.answerMs ?? 0;
  const zoneMinutes = Math.round(plan.billZone.offsetAt(sample) / 60_000) + minutes;
  return { minutes, rows: best[1], of, zone: ZONE_OF_OFFSET.get(zoneMinutes) };
}

function hours(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return m === 0 ? `${sign}${h} h` : `${sign}${h} h ${m} min`;
}

/** What the month's finish needs to judge its inputs. */
export interface DoubtInput {
  readonly tally: Tally;
  readonly plan: RunPlan;
  /** Bill call rows that matched nothing (`MISSING_IN_CDRS`). */
  readonly unmatchedRows: readonly BilledItem[];
  /** Answered calls no row matched. */
  readonly unmatchedCalls: readonly ChargedCall[];
  /** Σ every usable bill row, calls and other charges, in micros. */
  readonly invoiceTheirs: bigint;
}

/**
 * The warnings of SPEC §2.4 that need the whole month: `NO_CALLS_IN_PERIOD`, `FEW_MATCHES`,
 * `BILL_TIME_OFFSET`, `ITEM_VALUES` and (§4.5) `INVOICE_TOTAL_MISMATCH`.
 *
 * @param input - the merged tally, the plan, what matched nothing, the bill's sum
 * @returns the warnings, and the time shift found (for the inferred policy)
 * @example
 * const { warnings } = judgeInputs({ tally, plan, unmatchedRows, unmatchedCalls, invoiceTheirs });
 */
export function judgeInputs(input: DoubtInput): {
  warnings: RunWarning[];
  offset: TimeOffset | undefined;
} {
  const { tally, plan } = input;
  const warnings: RunWarning[] = [];
  const callRows = tally.bill.callRows;
  const period = plan.period?.label ?? '';
  if (callRows > 0 && tally.cdrs.inPeriod === 0) {
    warnings.push({
      code: 'NO_CALLS_IN_PERIOD',
      message: `the bill has ${callRows} call rows but no kept call record is in ${period} (${plan.reportZone.name}): is --period right, and are these the month's CDR files?`,
    });
  }
  const duplicates = tally.discrepancies.filter((d) => d.kind === 'DUPLICATE_IN_BILL').length;
  const matched = tally.byId + tally.byComposite + duplicates;
  if (callRows > 0 && matched * 2 < callRows) {
    warnings.push({
      code: 'FEW_MATCHES',
      message: `only ${matched} of the bill's ${callRows} call rows matched a call record: check --period, --bill-timezone, the column map and the files given`,
    });
  }
  const offset = findTimeOffset(input.unmatchedRows, input.unmatchedCalls, plan);
  if (offset !== undefined) {
    const hint =
      offset.zone === undefined
        ? `the bill's zone is not ${plan.billZone.name}`
        : `try --bill-timezone ${offset.zone}`;
    warnings.push({
      code: 'BILL_TIME_OFFSET',
      message: `${offset.rows} of ${offset.of} unmatched bill rows match a call record once their times are shifted by ${hours(-offset.minutes)}: the bill's times look ${hours(offset.minutes)} off the CDRs' (read in ${plan.billZone.name}); ${hint} (or --cdr-timezone, if the CDRs are the shifted side)`,
    });
  }
  for (const [item, entry] of tally.otherByItem) {
    if (item === 'unknown' || entry.rows < ITEM_VALUE_ROWS || isKnownItem(item, plan.items))
      continue;
    warnings.push({
      code: 'ITEM_VALUES',
      message: `${entry.rows} bill rows have item '${item}', which is not an item value the run knows, so they count as other charges: if they are calls, rent, SMS or packages, say so with --item-values (e.g. {"${item}": "call"})`,
    });
  }
  if (plan.invoiceTotal !== undefined && BigInt(plan.invoiceTotal) !== input.invoiceTheirs) {
    const decimals = plan.tariff.amountDecimals;
    warnings.push({
      code: 'INVOICE_TOTAL_MISMATCH',
      message: `the invoice total given is ${formatAnyMicros(plan.invoiceTotal, decimals)} but the bill's rows sum to ${formatAnyMicros(input.invoiceTheirs, decimals)}: a bill file is missing or extra, or rows were rejected (see bill.rejectedAmount)`,
    });
  }
  return { warnings, offset };
}

const CODE_ORDER = new Map(Object.keys(WARNING_CODES).map((code, index) => [code, index]));

/**
 * Orders warnings so a run's list is the same however its work was split: by code, then
 * file, then line.
 */
export function compareWarnings(a: RunWarning, b: RunWarning): number {
  const byCode = (CODE_ORDER.get(a.code) ?? 0) - (CODE_ORDER.get(b.code) ?? 0);
  if (byCode !== 0) return byCode;
  const [fileA, lineA] = splitSource(a.source);
  const [fileB, lineB] = splitSource(b.source);
  if (fileA !== fileB) return fileA < fileB ? -1 : 1;
  if (lineA !== lineB) return lineA - lineB;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

function splitSource(source: string | undefined): [string, number] {
  if (source === undefined) return ['', 0];
  const match = /^(.*):(\d+)$/.exec(source);
  return match === null ? [source, 0] : [match[1] as string, Number(match[2])];
}
