/**
 * The tariff's `charges` (SPEC §4.5): the prices of number rent, SMS parts and packages,
 * validated like the rest of the tariff.
 */
import { parseMicros } from '../money/index.js';
import {
  describe,
  isObject,
  withDefault,
  type JsonObject,
  type TariffFields,
} from './tariff-fields.js';
import type { Allowance, Charges } from './types.js';

const CHARGES_KEYS = ['rentPerNumber', 'smsPerMessage', 'packages'] as const;
const PACKAGE_KEYS = ['allowance', 'price', 'billedIn'] as const;

/**
 * Reads `charges`: money as decimal strings in at most `amountDecimals` decimals; each
 * package names one of the tariff's allowances and the month it is billed in.
 *
 * @param value - the `charges` member, or `undefined`
 * @param fields - the tariff's field readers (they name the file in refusals)
 * @param allowances - the tariff's allowances
 * @param amountDecimals - the tariff's `amountDecimals`
 * @returns the charges in micros, or `undefined` without them
 * @throws TariffError naming the field
 * @example
 * readCharges({ rentPerNumber: '15.00' }, tariffFields('tariff.json'), [], 2);
 */
/** SPEC §4.5: the prices of rent, SMS and packages; money in the amount's decimals. */
export function readCharges(
  value: unknown,
  fields: TariffFields,
  allowances: readonly Allowance[],
  amountDecimals: number,
): Charges | undefined {
  const fail: (subject: string, field: string, detail: string) => never = fields.fail;
  const { checkKeys, readMoney } = fields;
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    fail(
      'charges',
      '(object)',
      `got ${describe(value)}; charges is an object such as {"rentPerNumber": "15.00"}`,
    );
  }
  checkKeys(value, CHARGES_KEYS, 'charges');
  const amount = (raw: JsonObject, field: string, subject: string): number | undefined => {
    if (raw[field] === undefined) return undefined;
    const price = readMoney(raw, field, subject, undefined);
    const micros = price.scale <= amountDecimals ? parseMicros(price.text) : undefined;
    if (micros === undefined) {
      fail(
        subject,
        field,
        `${price.text} has more decimals than amountDecimals (${amountDecimals}) or is too large`,
      );
    }
    return micros;
  };
  const packagesValue = withDefault(value['packages'], []);
  if (!Array.isArray(packagesValue)) {
    fail(
      'charges',
      'packages',
      `got ${describe(packagesValue)}; give a list of {allowance, price, billedIn}`,
    );
  }
  const packages = (packagesValue as unknown[]).map((raw, index) => {
    const subject = `charges.packages[${index}]`;
    if (!isObject(raw))
      fail(subject, '(object)', `got ${describe(raw)}; give {allowance, price, billedIn}`);
    checkKeys(raw, PACKAGE_KEYS, subject);
    const allowance = raw['allowance'];
    if (typeof allowance !== 'string' || !allowances.some((a) => a.id === allowance)) {
      fail(
        subject,
        'allowance',
        `got ${describe(allowance)}; name the id of one of the tariff's allowances`,
      );
    }
    const billedIn = raw['billedIn'];
    if (typeof billedIn !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(billedIn)) {
      fail(
        subject,
        'billedIn',
        `got ${describe(billedIn)}; give the month it is billed in, e.g. "2026-10"`,
      );
    }
    const priceMicros = amount(raw, 'price', subject);
    if (priceMicros === undefined)
      fail(subject, 'price', 'missing; give a decimal string such as "300.00"');
    return { allowance, priceMicros, billedIn };
  });
  return {
    rentPerNumberMicros: amount(value, 'rentPerNumber', 'charges'),
    smsPerMessageMicros: amount(value, 'smsPerMessage', 'charges'),
    packages,
  };
}
