import { OptionsError } from '../errors.js';
import { parseMicros } from '../money/index.js';
import type { Tariff } from '../tariff/index.js';
import { DEFAULT_MAX_CALL_SECONDS } from '../time/duration.js';
import { parsePeriod, type Period } from '../time/period.js';
import { createTimeZone, type TimeZone } from '../time/zone.js';
import { itemValues, type ItemValues } from './items.js';
import type { ReconcileProgress } from './summary.js';

/** The settings of a reconciliation (SPEC §3–§4, the options of §6). */
export interface ReconcileOptions {
  /** The parsed tariff (see `parseTariff`). */
  readonly tariff: Tariff;
  /** The month to reconcile, `YYYY-MM`. */
  readonly period: string;
  /** The zone of the month (default: the tariff's, else `UTC`). */
  readonly timezone?: string | undefined;
  /** The zone of CDR times without an offset (default `UTC`, as Huawei writes them). */
  readonly cdrTimezone?: string | undefined;
  /** The zone of bill times without an offset (default `UTC`). */
  readonly billTimezone?: string | undefined;
  /** Seconds a composite match may be apart (default 2, at most 86400). */
  readonly matchWindowSeconds?: number | undefined;
  /** Largest amount difference of a pair still clean, a decimal string (default `'0'`). */
  readonly amountTolerance?: string | undefined;
  /** Longest call rated, in whole seconds (default 86400, at most 31 days). */
  readonly maxCallSeconds?: number | undefined;
  /**
   * Bill `item` values to add to or override SPEC §2.2's: value → `call`, `rent`, `sms`,
   * `package` or another item name (`{"呼叫费": "call"}`).
   */
  readonly itemValues?: Readonly<Record<string, string>> | undefined;
  /**
   * The total printed on the provider's invoice, a decimal string: a different sum of the
   * bill is an `INVOICE_TOTAL_MISMATCH` warning (SPEC §4.5).
   */
  readonly invoiceTotal?: string | undefined;
  /** Called now and then with the number of records and rows read so far. */
  readonly onProgress?: ((progress: ReconcileProgress) => void) | undefined;
}

/** The longest `matchWindowSeconds` accepted: a day. */
export const MAX_MATCH_WINDOW_SECONDS = 86_400;
/** The longest `maxCallSeconds` accepted: 31 days. */
export const MAX_CALL_SECONDS_LIMIT = 31 * 86_400;

/**
 * What classifying a pair needs, prepared once (SPEC §4.1–§4.2).
 *
 * @example
 * plan.rules.windowMs; // 2000 by default
 */
export interface PairRules {
  /** Each rate's price by value, for comparing with a bill's `unitPrice`. */
  readonly priceOf: readonly string[];
  /** `--amount-tolerance` in micros. */
  readonly tolerance: number;
  /** `--match-window` in ms. */
  readonly windowMs: number;
  /** The tariff's `amountDecimals`, for amounts in details. */
  readonly amountDecimals: number;
  /** The tariff, to re-rate a pair step by step (SPEC §4.6). */
  readonly tariff: Tariff;
}

/**
 * A run's settings, checked and prepared once: the tariff, the month, the zones and the
 * rules pairs are classified by. Plain to build, cheap to build again (a worker thread
 * builds its own from the same options).
 *
 * @example
 * const plan = planRun({ tariff, period: '2026-10' });
 * plan.reportZone.name; // the tariff's zone, else 'UTC'
 */
export interface RunPlan {
  readonly tariff: Tariff;
  /** The month; `undefined` when rating without a period (`rate`). */
  readonly period: Period | undefined;
  /** The zone of the month's calendar and of times in reports (`summary.timezone`). */
  readonly reportZone: TimeZone;
  readonly cdrZone: TimeZone;
  readonly billZone: TimeZone;
  readonly maxCallSeconds: number;
  readonly rules: PairRules;
  /** How bill `item` cells are read (SPEC §2.2). */
  readonly items: ItemValues;
  /** `invoiceTotal` in micros, when given. */
  readonly invoiceTotal: number | undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `the ${typeof value} ${value}`;
  }
  return typeof value === 'undefined' ? 'nothing' : `a ${typeof value}`;
}

function zoneOption(name: string, value: unknown, fallback: string): TimeZone {
  if (value === undefined) return createTimeZone(fallback);
  if (typeof value !== 'string') {
    throw new OptionsError(
      `${name}: got ${describe(value)}; give an IANA zone name such as "Asia/Shanghai"`,
    );
  }
  return createTimeZone(value);
}

function secondsOption(
  name: string,
  value: unknown,
  fallback: number,
  max: number,
  whole: boolean,
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    value <= max &&
    (!whole || (Number.isInteger(value) && value > 0));
  if (!ok) {
    const what = whole
      ? `a whole number of seconds from 1 to ${max}`
      : `a number of seconds from 0 to ${max}`;
    throw new OptionsError(`${name}: got ${describe(value)}; give ${what}`);
  }
  return value;
}

function checkTariff(tariff: unknown): Tariff {
  const looksParsed =
    typeof tariff === 'object' &&
    tariff !== null &&
    Array.isArray((tariff as Tariff).rates) &&
    Array.isArray((tariff as Tariff).allowances) &&
    typeof (tariff as Tariff).amountDecimals === 'number';
  if (!looksParsed) {
    throw new OptionsError(`tariff: got ${describe(tariff)}; give the result of parseTariff(json)`);
  }
  return tariff as Tariff;
}

function itemValuesOption(value: unknown): ItemValues {
  if (value === undefined) return itemValues();
  const ok =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string' && item.trim() !== '');
  if (!ok) {
    throw new OptionsError(
      `itemValues: got ${describe(value)}; give an object of item value → item, e.g. {"呼叫费": "call", "功能费": "rent"}`,
    );
  }
  return itemValues(value as Record<string, string>);
}

function invoiceTotalOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const micros = typeof value === 'string' ? parseMicros(value) : undefined;
  if (micros === undefined) {
    throw new OptionsError(
      `invoiceTotal: got ${describe(value)}; give a decimal string such as "1234.50"`,
    );
  }
  return micros;
}

/**
 * Checks the options of a run and prepares its plan (SPEC §3.7: the month's zone is
 * `timezone`, else the tariff's, else UTC).
 *
 * @param options - the options; `period` may be left out to rate without a month
 * @returns the plan
 * @throws {@link OptionsError} naming an option of the wrong type or out of range;
 *   TimeZoneError or PeriodError for an unknown zone or a bad month
 * @example
 * const plan = planRun({ tariff: parseTariff(json), period: '2026-10', matchWindowSeconds: 5 });
 */
export function planRun(
  options: Omit<ReconcileOptions, 'period' | 'onProgress'> & {
    readonly period?: string | undefined;
  },
): RunPlan {
  if (typeof options !== 'object' || options === null) {
    throw new OptionsError(`options: got ${describe(options)}; give { tariff, period, … }`);
  }
  const tariff = checkTariff(options.tariff);
  const reportZone = zoneOption('timezone', options.timezone, tariff.timezone ?? 'UTC');
  const periodText: unknown = options.period;
  if (periodText !== undefined && typeof periodText !== 'string') {
    throw new OptionsError(`period: got ${describe(periodText)}; give a month such as "2026-10"`);
  }
  const toleranceText: unknown = options.amountTolerance ?? '0';
  if (typeof toleranceText !== 'string') {
    throw new OptionsError(
      `amountTolerance: got ${describe(toleranceText)}; give a decimal string such as "0.01"`,
    );
  }
  const tolerance = parseMicros(toleranceText);
  if (tolerance === undefined || tolerance < 0) {
    throw new OptionsError(
      `amountTolerance: ${JSON.stringify(toleranceText)} is not a decimal ≥ 0 such as "0.01" (at most 6 decimals)`,
    );
  }
  const window = secondsOption(
    'matchWindowSeconds',
    options.matchWindowSeconds,
    2,
    MAX_MATCH_WINDOW_SECONDS,
    false,
  );
  return {
    tariff,
    items: itemValuesOption(options.itemValues),
    invoiceTotal: invoiceTotalOption(options.invoiceTotal),
    period: periodText === undefined ? undefined : parsePeriod(periodText, reportZone),
    reportZone,
    cdrZone: zoneOption('cdrTimezone', options.cdrTimezone, 'UTC'),
    billZone: zoneOption('billTimezone', options.billTimezone, 'UTC'),
    maxCallSeconds: secondsOption(
      'maxCallSeconds',
      options.maxCallSeconds,
      DEFAULT_MAX_CALL_SECONDS,
      MAX_CALL_SECONDS_LIMIT,
      true,
    ),
    rules: {
      priceOf: tariff.rates.map((rate) => rate.pricePerMinute.text),
      tolerance,
      windowMs: window * 1000,
      amountDecimals: tariff.amountDecimals,
      tariff,
    },
  };
}
