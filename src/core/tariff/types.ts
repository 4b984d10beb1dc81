import type { Price, RoundingMode } from '../money/index.js';

/**
 * Which instant places a call in a month (SPEC §3.2, §3.7).
 *
 * @example
 * const periodBy: PeriodBy = tariff.periodBy; // 'callEndTime' by default
 */
export type PeriodBy = 'callEndTime' | 'fwdAnswerTime' | 'callInTime';

/**
 * The `periodBy` settings, in the order SPEC §3.2 lists them.
 *
 * @example
 * PERIOD_BY_VALUES; // ['callEndTime', 'fwdAnswerTime', 'callInTime']
 */
export const PERIOD_BY_VALUES: readonly PeriodBy[] = ['callEndTime', 'fwdAnswerTime', 'callInTime'];

/**
 * The keys a `when` may have (SPEC §3.2).
 *
 * @example
 * WHEN_KEYS; // ['privateNumPrefix', 'serviceType', 'direction', 'mode']
 */
export const WHEN_KEYS = ['privateNumPrefix', 'serviceType', 'direction', 'mode'] as const;

/**
 * One key of a `when`.
 *
 * @example
 * const key: WhenKey = 'direction';
 */
export type WhenKey = (typeof WHEN_KEYS)[number];

/**
 * What a rate or allowance applies to (SPEC §3.2): each present key lists the values it
 * accepts, as text; all present keys must match. An empty `when` matches every call.
 *
 * @example
 * const when: When = { privateNumPrefix: ['+86138', '+86139'], direction: ['1'] };
 */
export type When = { readonly [K in WhenKey]?: readonly string[] };

/**
 * One rate of a tariff, validated and with every default applied.
 *
 * @example
 * tariff.rates[0].pricePerMinute.text; // '0.12'
 */
export interface Rate {
  /** Position in the file's `rates`, 0-based. */
  readonly index: number;
  /** The rate's `id`, if it has one. */
  readonly id: string | undefined;
  /** Price of a minute; `pricePerMinute.text` is its canonical text (`'0.1'` for `"0.10"`). */
  readonly pricePerMinute: Price;
  /** Added to every call with `billedSeconds > 0`; 0 by default. */
  readonly connectFee: Price;
  /** The least amount of a call with `billedSeconds > 0`; 0 by default. */
  readonly minimumCharge: Price;
  /** `minimumCharge` in micros (it has at most `amountDecimals` decimals). */
  readonly minimumChargeMicros: number;
  /** What the rate applies to; `{}` matches every call. Prefixes are normalised. */
  readonly when: When;
  /** Start of validity, epoch ms, inclusive; `-Infinity` when unbounded. */
  readonly validFromMs: number;
  /** End of validity, epoch ms, exclusive; `Infinity` when unbounded. */
  readonly validToMs: number;
  /** 60 by default. */
  readonly firstIncrementSeconds: number;
  /** 60 by default. */
  readonly nextIncrementSeconds: number;
}

/**
 * One allowance (package of minutes) of a tariff, validated and with defaults applied.
 *
 * @example
 * tariff.allowances[0].capacitySeconds; // 300000 for 5000 minutes, none consumed before
 */
export interface Allowance {
  /** Position in the file's `allowances`, 0-based. */
  readonly index: number;
  /** The allowance's `id`, if it has one. */
  readonly id: string | undefined;
  /** Size of the package in minutes, as written. */
  readonly minutes: number;
  /** Minutes already used before the supplied calls, as written; 0 by default. */
  readonly consumedBeforeMinutes: number;
  /** `(minutes − consumedBeforeMinutes) · 60`, a whole number of seconds. */
  readonly capacitySeconds: number;
  /** Which calls may draw on it; `{}` matches every call. */
  readonly when: When;
  /** Start of validity, epoch ms, inclusive; `-Infinity` when unbounded. */
  readonly validFromMs: number;
  /** End of validity, epoch ms, exclusive; `Infinity` when unbounded. */
  readonly validToMs: number;
}

/**
 * A tariff file (SPEC §3.2), validated by {@link parseTariff}, every default applied.
 *
 * @example
 * const tariff: Tariff = parseTariff(JSON.parse(text), 'tariff.json');
 * tariff.roundingMode; // 'half-up' unless the file says otherwise
 */
export interface Tariff {
  /** The file the tariff was read from, as named in messages. */
  readonly source: string;
  /** ISO 4217 code, 3 uppercase letters. */
  readonly currency: string;
  /** IANA time zone of the period, if the file names one. */
  readonly timezone: string | undefined;
  /** Decimals of an amount, 0..6. */
  readonly amountDecimals: number;
  /** `half-up` by default. */
  readonly roundingMode: RoundingMode;
  /** `callEndTime` by default. */
  readonly periodBy: PeriodBy;
  /** The rates, in file order (the last tie-breaker of SPEC §3.3). */
  readonly rates: readonly Rate[];
  /** The allowances, in the order they are drawn (SPEC §3.5). */
  readonly allowances: readonly Allowance[];
  /** What is owed besides calls (SPEC §4.5), when the file prices it. */
  readonly charges: Charges | undefined;
}

/**
 * The prices of what is not a call (SPEC §4.5), in micros of the tariff's currency.
 *
 * @example
 * tariff.charges?.rentPerNumberMicros; // 15_000_000 for "15.00"
 */
export interface Charges {
  /** A month's rent of one virtual number held at any instant of the month. */
  readonly rentPerNumberMicros: number | undefined;
  /** One SMS part sent successfully. */
  readonly smsPerMessageMicros: number | undefined;
  /** Packages bought: each owes its price in the month it is billed in. */
  readonly packages: readonly {
    readonly allowance: string;
    readonly priceMicros: number;
    /** `YYYY-MM`. */
    readonly billedIn: string;
  }[];
}

/**
 * The position of a rate in {@link Tariff.rates}.
 *
 * @example
 * const index: RateIndex | undefined = chooseRate(tariff, call);
 */
export type RateIndex = number;

/**
 * The fields of a call that select a rate or an allowance (SPEC §3.2, §3.3). `bindNum` is
 * already normalised (SPEC §2.3); an absent field matches no `when` that names its key.
 *
 * @example
 * const call: RateSelector = { bindNum: '+8613800000022', direction: '1', answerMs: 1790000000000 };
 */
export interface RateSelector {
  readonly bindNum?: string | undefined;
  readonly serviceType?: string | undefined;
  readonly direction?: string | undefined;
  readonly mode?: string | undefined;
  /** `fwdAnswerTime`, epoch ms. */
  readonly answerMs: number;
}
