import {
  ROUNDING_MODES,
  minutesToSeconds,
  parseMicros,
  parseMinutes,
  parsePrice,
  type Price,
  type RoundingMode,
} from '../money/index.js';
import { TariffError } from './errors.js';
import { parseIsoInstant } from './iso-instant.js';
import {
  PERIOD_BY_VALUES,
  WHEN_KEYS,
  type Allowance,
  type PeriodBy,
  type Rate,
  type Tariff,
  type When,
  type WhenKey,
} from './types.js';
import { normalisePrefix, whenIdentity } from './when.js';
import { rememberCompiled } from './compiled.js';

const TARIFF_KEYS = [
  '$schema',
  'currency',
  'timezone',
  'amountDecimals',
  'roundingMode',
  'periodBy',
  'rates',
  'allowances',
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

const DEFAULT_INCREMENT_SECONDS = 60;
const MAX_AMOUNT_DECIMALS = 6;

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value as a message shows it: short, on one line. */
function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** What a value is, for "got …" in a message. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'number':
      return `the JSON number ${show(value)}`;
    case 'string':
      return `the text ${show(value)}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return show(value);
  }
}

function quoted(id: string): string {
  return `'${id.replace(/[\r\n]/g, ' ')}'`;
}

/** The validity bounds of a rate or allowance, as written and as epoch ms. */
interface Validity {
  readonly fromText: string | undefined;
  readonly toText: string | undefined;
  readonly fromMs: number;
  readonly toMs: number;
}

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
  // An explicit type lets TypeScript narrow after `fail(...)` calls.
  const fail: (subject: string, field: string, detail: string) => never = (
    subject,
    field,
    detail,
  ) => {
    throw new TariffError(source, subject, field, detail);
  };

  function checkKeys(
    object: JsonObject,
    allowed: readonly string[],
    subject: string,
    path = '',
  ): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) {
        fail(subject, path + key, `unknown key; valid keys are ${allowed.join(', ')}`);
      }
    }
  }

  function readId(raw: JsonObject, list: string, index: number): string | undefined {
    const id = raw['id'];
    if (id === undefined) return undefined;
    if (typeof id !== 'string' || id.length === 0) {
      fail(`${list}[${index}]`, 'id', `got ${describe(id)}; an id is a non-empty string`);
    }
    return id;
  }

  function readMoney(
    raw: JsonObject,
    field: string,
    subject: string,
    fallback: string | undefined,
  ): Price {
    const value = raw[field];
    if (value === undefined) {
      if (fallback === undefined) {
        fail(subject, field, 'missing; give a decimal string such as "0.12"');
      }
      return parsePrice(fallback) as Price;
    }
    if (typeof value === 'number') {
      fail(
        subject,
        field,
        `got the JSON number ${show(value)}; money is a decimal string, e.g. "${show(value)}"`,
      );
    }
    if (typeof value !== 'string') {
      fail(subject, field, `got ${describe(value)}; money is a decimal string such as "0.12"`);
    }
    const price = parsePrice(value);
    if (price === undefined) {
      fail(
        subject,
        field,
        `${show(value)} is not a plain decimal; write digits with an optional "." such as "0.12" (no exponent, no separators)`,
      );
    }
    if (price.units < 0n) {
      fail(subject, field, `${show(value)} is negative; it must be 0 or more`);
    }
    return price;
  }

  function readIncrement(raw: JsonObject, field: string, subject: string): number {
    const value = raw[field];
    if (value === undefined) return DEFAULT_INCREMENT_SECONDS;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      fail(
        subject,
        field,
        `got ${describe(value)}; an increment is a whole number of seconds, 1 or more`,
      );
    }
    return value;
  }

  function readInstant(raw: JsonObject, field: string, subject: string): number | undefined {
    const value = raw[field];
    if (value === undefined) return undefined;
    const ms = typeof value === 'string' ? parseIsoInstant(value) : undefined;
    if (ms === undefined) {
      fail(
        subject,
        field,
        `got ${describe(value)}; expected an ISO 8601 date-time in the calendar with Z or an offset, e.g. "2026-10-01T00:00:00+08:00"`,
      );
    }
    return ms;
  }

  function readValidity(raw: JsonObject, subject: string): Validity {
    const fromMs = readInstant(raw, 'validFrom', subject);
    const toMs = readInstant(raw, 'validTo', subject);
    const fromText = raw['validFrom'] as string | undefined;
    const toText = raw['validTo'] as string | undefined;
    if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) {
      fail(
        subject,
        'validTo',
        `${show(toText)} is not after validFrom ${show(fromText)}; validTo must be later than validFrom`,
      );
    }
    return {
      fromText,
      toText,
      fromMs: fromMs ?? Number.NEGATIVE_INFINITY,
      toMs: toMs ?? Number.POSITIVE_INFINITY,
    };
  }

  function readWhen(raw: JsonObject, subject: string): When {
    const value = raw['when'];
    if (value === undefined) return {};
    if (!isObject(value)) {
      fail(
        subject,
        'when',
        `got ${describe(value)}; a when is an object with keys ${WHEN_KEYS.join(', ')}`,
      );
    }
    const object = value;
    checkKeys(object, WHEN_KEYS, subject, 'when.');
    const when: { [K in WhenKey]?: string[] } = {};
    for (const key of WHEN_KEYS) {
      const entry = object[key];
      if (entry === undefined) continue;
      const list: unknown[] = Array.isArray(entry) ? entry : [entry];
      if (list.length === 0) {
        fail(
          subject,
          `when.${key}`,
          'an empty list matches no call; give one value or a list of values',
        );
      }
      when[key] = list.map((item) => {
        const text =
          typeof item === 'string'
            ? item
            : typeof item === 'number' && Number.isFinite(item)
              ? String(item)
              : undefined;
        if (text === undefined || text.length === 0) {
          fail(
            subject,
            `when.${key}`,
            `got ${describe(item)}; values are non-empty strings or numbers`,
          );
        }
        if (key !== 'privateNumPrefix') return text;
        const prefix = normalisePrefix(text);
        if (prefix.length === 0) {
          fail(
            subject,
            `when.${key}`,
            `${show(item)} is an empty prefix; leave privateNumPrefix out to match every number`,
          );
        }
        return prefix;
      });
    }
    return when;
  }

  /** Allowance minutes: a JSON number ≥ 0 that is a whole number of seconds; returns seconds. */
  function readAllowanceMinutes(
    raw: JsonObject,
    field: string,
    subject: string,
    required: boolean,
  ): number {
    const value = raw[field];
    if (value === undefined) {
      if (required) fail(subject, field, 'missing; give the package size in minutes, e.g. 5000');
      return 0;
    }
    const problem = `got ${describe(value)}; minutes are a JSON number, 0 or more, that is a whole number of seconds (e.g. 5000 or 1234.5)`;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      fail(subject, field, problem);
    }
    const minutes = parseMinutes(String(value));
    const seconds = minutes === undefined ? undefined : minutesToSeconds(minutes);
    if (seconds === undefined) fail(subject, field, problem);
    return seconds;
  }

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
  };
  rememberCompiled(tariff);
  return tariff;
}

/** An absent key takes its default; `null` is a value (and refused where it is not valid). */
function withDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
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
