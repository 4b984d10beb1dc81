import { minutesToSeconds, parseMinutes, parsePrice, type Price } from '../money/index.js';
import { TariffError } from './errors.js';
import { parseIsoInstant } from './iso-instant.js';
import { WHEN_KEYS, type When, type WhenKey } from './types.js';
import { normalisePrefix } from './when.js';

const DEFAULT_INCREMENT_SECONDS = 60;

/** An absent key takes its default; `null` is a value (and refused where it is not valid). */
export function withDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
}

/** A JSON object as read. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Whether a JSON value is an object (not null, not a list). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value as a message shows it: short, on one line. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** What a value is, for "got …" in a message. */
export function describe(value: unknown): string {
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

export function quoted(id: string): string {
  return `'${id.replace(/[\r\n]/g, ' ')}'`;
}

/** The validity bounds of a rate or allowance, as written and as epoch ms. */
export interface Validity {
  readonly fromText: string | undefined;
  readonly toText: string | undefined;
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * The readers of a tariff's fields for one file: each checks one field and fails with a
 * {@link TariffError} naming the file, the rate or allowance, the field and what would be
 * valid.
 *
 * @param source - the file's name, for messages
 * @returns the readers
 * @example
 * const { readMoney } = tariffFields('tariff.json');
 */
export function tariffFields(source: string) {
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
  return {
    fail,
    checkKeys,
    readId,
    readMoney,
    readIncrement,
    readInstant,
    readValidity,
    readWhen,
    readAllowanceMinutes,
  };
}

/** The field readers of one tariff file. */
export type TariffFields = ReturnType<typeof tariffFields>;
