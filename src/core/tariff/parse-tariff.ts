import { ROUNDING_MODES, parseMicros, type RoundingMode } from '../money/index.js';
import {
  PERIOD_BY_VALUES,
  type Allowance,
  type PeriodBy,
  type Rate,
  type Tariff,
} from './types.js';
import { whenIdentity } from './when.js';
import { rememberCompiled } from './compiled.js';

import { readCharges } from './tariff-charges.js';
import {
  withDefault,
  describe,
  isObject,
  quoted,
  show,
  tariffFields,
  type Validity,
} from './tariff-fields.js';

const TARIFF_KEYS = [
  '$schema',
  'currency',
  'timezone',
  'amountDecimals',
  'roundingMode',
  'periodBy',
  'rates',
  'allowances',
  'charges',
] as const;

const RATE_KEYS = [
  'id',
  'pricePerMinute',
  'when',
  'validFrom',
  'validTo',
  'firstIncrementSeconds',
  'nextIncrementSeconds',
  'connectFee',
  'minimumCharge',
] as const;

const ALLOWANCE_KEYS = [
  'id',
  'minutes',
  'consumedBeforeMinutes',
  'validFrom',
  'validTo',
  'when',
] as const;

const MAX_AMOUNT_DECIMALS = 6;
/** The largest exact amount: 2^53 − 1 micros. */
const MAX_AMOUNT = 9_007_199_254;
/** The largest price per minute whose 31-day call is still an exact amount. */
const MAX_PRICE_PER_MINUTE = Math.floor(MAX_AMOUNT / (31 * 1440));

/**
 * Reads a tariff file's JSON (SPEC §3.2): validates it fully and applies every default
 * (`amountDecimals` 2, `roundingMode` half-up, `periodBy` callEndTime, increments 60/60,
 * `connectFee` and `minimumCharge` 0, unbounded validity, a `when` that matches all, no
 * allowances).
 *
 * Refused, with a one-line {@link TariffError} naming the file, the rate or allowance (its
 * `id`, else its index), the field and what would be valid: an unknown key at any level;
 * money given as a JSON number rather than a decimal string; a bad decimal; a negative price;
 * an increment that is not a whole number ≥ 1; an invalid or offset-less `validFrom`/`validTo`,
 * or `validTo` ≤ `validFrom`; an unknown `roundingMode` or `periodBy`; `amountDecimals`
 * outside 0..6; a `minimumCharge` with more decimals than `amountDecimals`; a currency that
 * is not 3 uppercase letters; an unknown `timezone`; duplicate rate or allowance ids; two rates
 * with the same `when` and overlapping validity; allowance minutes that are negative or not a
 * whole number of seconds, or `consumedBeforeMinutes` above `minutes`.
 *
 * @param json - the parsed JSON of the file
 * @param source - the file's name, for messages
 * @returns the tariff, ready for {@link chooseRate} and {@link amountFor}
 * @throws TariffError when the tariff cannot be valid
 * @example
 * const tariff = parseTariff({ currency: 'CNY', rates: [{ id: 'all', pricePerMinute: '0.12' }] }, 'tariff.json');
 * tariff.rates[0]?.firstIncrementSeconds; // 60
 * parseTariff({ currency: 'CNY', rates: [{ pricePerMinute: 0.12 }] }, 'tariff.json');
 * // throws TariffError: tariff.json: rates[0], field pricePerMinute: got the JSON number 0.12; money is a decimal string, e.g. "0.12"
 */
export function parseTariff(json: unknown, source = 'tariff'): Tariff {
  const fields = tariffFields(source);
  // An explicit type lets TypeScript narrow after `fail(...)` calls.
  const fail: (subject: string, field: string, detail: string) => never = fields.fail;
  const {
    checkKeys,
    readId,
    readMoney,
    readIncrement,
    readValidity,
    readWhen,
    readAllowanceMinutes,
  } = fields;

  if (!isObject(json)) {
    fail('', '(root)', `got ${describe(json)}; a tariff is a JSON object with currency and rates`);
  }
  const root = json;
  checkKeys(root, TARIFF_KEYS, '');

  const schema = root['$schema'];
  if (schema !== undefined && typeof schema !== 'string') {
    fail('', '$schema', `got ${describe(schema)}; $schema is the text of a schema reference`);
  }

  const currency = root['currency'];
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    fail(
      '',
      'currency',
      `got ${currency === undefined ? 'nothing' : describe(currency)}; a currency is an ISO 4217 code of 3 uppercase letters, e.g. "CNY"`,
    );
  }

  const timezone = root['timezone'];
  if (timezone !== undefined && (typeof timezone !== 'string' || !isTimeZone(timezone))) {
    fail(
      '',
      'timezone',
      `got ${describe(timezone)}; a timezone is an IANA name, e.g. "Asia/Shanghai" or "UTC"`,
    );
  }

  const decimalsValue = withDefault(root['amountDecimals'], 2);
  if (
    typeof decimalsValue !== 'number' ||
    !Number.isInteger(decimalsValue) ||
    decimalsValue < 0 ||
    decimalsValue > MAX_AMOUNT_DECIMALS
  ) {
    fail(
      '',
      'amountDecimals',
      `got ${describe(decimalsValue)}; amountDecimals is a whole number from 0 to 6`,
    );
  }
  const amountDecimals = decimalsValue;

  const modeValue = withDefault(root['roundingMode'], 'half-up');
  if (!ROUNDING_MODES.includes(modeValue as RoundingMode)) {
    fail(
      '',
      'roundingMode',
      `got ${describe(modeValue)}; valid modes are ${ROUNDING_MODES.join(', ')}`,
    );
  }
  const periodValue = withDefault(root['periodBy'], 'callEndTime');
  if (!PERIOD_BY_VALUES.includes(periodValue as PeriodBy)) {
    fail(
      '',
      'periodBy',
      `got ${describe(periodValue)}; valid values are ${PERIOD_BY_VALUES.join(', ')}`,
    );
  }

  const ratesValue = root['rates'];
  if (!Array.isArray(ratesValue) || ratesValue.length === 0) {
    fail(
      '',
      'rates',
      `got ${ratesValue === undefined ? 'nothing' : describe(ratesValue)}; rates is a non-empty list of rates`,
    );
  }
  const rateValidity: Validity[] = [];
  const rateSubjects: string[] = [];
  const rates = (ratesValue as unknown[]).map((raw, index): Rate => {
    if (!isObject(raw)) {
      fail(`rates[${index}]`, '(rate)', `got ${describe(raw)}; a rate is an object`);
    }
    const object = raw;
    const id = readId(object, 'rates', index);
    const subject = id === undefined ? `rates[${index}]` : `rate ${quoted(id)}`;
    rateSubjects.push(subject);
    checkKeys(object, RATE_KEYS, subject);
    const pricePerMinute = readMoney(object, 'pricePerMinute', subject, undefined);
    const connectFee = readMoney(object, 'connectFee', subject, '0');
    const minimumCharge = readMoney(object, 'minimumCharge', subject, '0');
    // Every amount is exact in micros: the longest call a run accepts (31 days) must fit.
    for (const [field, price, limit] of [
      ['pricePerMinute', pricePerMinute, MAX_PRICE_PER_MINUTE],
      ['connectFee', connectFee, MAX_AMOUNT],
    ] as const) {
      if (Number(price.text) > limit) {
        fail(
          subject,
          field,
          `${price.text} is too large: amounts are exact up to ${MAX_AMOUNT} (a price per minute up to ${MAX_PRICE_PER_MINUTE}, so that a call of 31 days fits)`,
        );
      }
    }
    if (minimumCharge.scale > amountDecimals) {
      fail(
        subject,
        'minimumCharge',
        `${show(object['minimumCharge'])} has ${minimumCharge.scale} decimals; at most amountDecimals (${amountDecimals})`,
      );
    }
    const minimumChargeMicros = parseMicros(minimumCharge.text);
    if (minimumChargeMicros === undefined) {
      fail(
        subject,
        'minimumCharge',
        `${show(object['minimumCharge'])} is too large; amounts are below 9007199254.74`,
      );
    }
    const validity = readValidity(object, subject);
    rateValidity.push(validity);
    return {
      index,
      id,
      pricePerMinute,
      connectFee,
      minimumCharge,
      minimumChargeMicros,
      when: readWhen(object, subject),
      validFromMs: validity.fromMs,
      validToMs: validity.toMs,
      firstIncrementSeconds: readIncrement(object, 'firstIncrementSeconds', subject),
      nextIncrementSeconds: readIncrement(object, 'nextIncrementSeconds', subject),
    };
  });

  checkUniqueIds(rates, 'rates', fail);

  // SPEC §3.2: the same `when` with overlapping validity would make the choice ambiguous.
  const byWhen = new Map<string, Rate[]>();
  for (const rate of rates) {
    const key = whenIdentity(rate.when);
    const group = byWhen.get(key);
    if (group === undefined) byWhen.set(key, [rate]);
    else group.push(rate);
  }
  for (const group of byWhen.values()) {
    // by start (an unbounded start is -Infinity: compare, never subtract), then file order
    const sorted = [...group].sort((a, b) =>
      a.validFromMs === b.validFromMs ? a.index - b.index : a.validFromMs < b.validFromMs ? -1 : 1,
    );
    for (let i = 1; i < sorted.length; i++) {
      const earlier = sorted[i - 1] as Rate;
      const later = sorted[i] as Rate;
      if (later.validFromMs < earlier.validToMs) {
        const [first, second] = earlier.index < later.index ? [earlier, later] : [later, earlier];
        fail(
          rateSubjects[second.index] as string,
          'validFrom/validTo',
          `has the same when as ${rateSubjects[first.index] as string} and an overlapping validity ` +
            `(${span(rateValidity[second.index])} and ${span(rateValidity[first.index])}); ` +
            'make the validity periods disjoint or the when different',
        );
      }
    }
  }

  const allowancesValue = withDefault(root['allowances'], []);
  if (!Array.isArray(allowancesValue)) {
    fail('', 'allowances', `got ${describe(allowancesValue)}; allowances is a list of allowances`);
  }
  const allowances = (allowancesValue as unknown[]).map((raw, index): Allowance => {
    if (!isObject(raw)) {
      fail(
        `allowances[${index}]`,
        '(allowance)',
        `got ${describe(raw)}; an allowance is an object`,
      );
    }
    const object = raw;
    const id = readId(object, 'allowances', index);
    const subject = id === undefined ? `allowances[${index}]` : `allowance ${quoted(id)}`;
    checkKeys(object, ALLOWANCE_KEYS, subject);
    const totalSeconds = readAllowanceMinutes(object, 'minutes', subject, true);
    const consumedSeconds = readAllowanceMinutes(object, 'consumedBeforeMinutes', subject, false);
    if (consumedSeconds > totalSeconds) {
      fail(
        subject,
        'consumedBeforeMinutes',
        `${show(object['consumedBeforeMinutes'])} is more than minutes ${show(object['minutes'])}; it must be at most minutes`,
      );
    }
    const validity = readValidity(object, subject);
    return {
      index,
      id,
      minutes: object['minutes'] as number,
      consumedBeforeMinutes: (object['consumedBeforeMinutes'] as number | undefined) ?? 0,
      capacitySeconds: totalSeconds - consumedSeconds,
      when: readWhen(object, subject),
      validFromMs: validity.fromMs,
      validToMs: validity.toMs,
    };
  });
  checkUniqueIds(allowances, 'allowances', fail);

  const tariff: Tariff = {
    source,
    currency,
    timezone,
    amountDecimals,
    roundingMode: modeValue as RoundingMode,
    periodBy: periodValue as PeriodBy,
    rates,
    allowances,
    charges: readCharges(root['charges'], fields, allowances, amountDecimals),
  };
  rememberCompiled(tariff);
  return tariff;
}

function span(validity: Validity | undefined): string {
  return `[${validity?.fromText ?? 'unbounded'}, ${validity?.toText ?? 'unbounded'})`;
}

function checkUniqueIds(
  items: readonly { readonly id: string | undefined; readonly index: number }[],
  list: string,
  fail: (subject: string, field: string, detail: string) => never,
): void {
  const seen = new Map<string, number>();
  for (const item of items) {
    if (item.id === undefined) continue;
    const earlier = seen.get(item.id);
    if (earlier !== undefined) {
      fail(
        `${list}[${item.index}]`,
        'id',
        `${quoted(item.id)} is also the id of ${list}[${earlier}]; ids must be unique`,
      );
    }
    seen.set(item.id, item.index);
  }
}

/** Whether `Intl` knows the IANA zone name (the zone database, not the clock). */
function isTimeZone(name: string): boolean {
  if (name.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
