import { priceCall } from '../money/index.js';
import type { RateIndex, Tariff } from './types.js';

/**
 * The amount of one rated call in micros (SPEC §3.4), with the tariff's rounding:
 * `chargedSeconds = billedSeconds − packageSeconds` at the rate's price, plus its connect fee
 * when `billedSeconds > 0`, rounded to `amountDecimals`, then at least its minimum charge.
 *
 * @param tariff - a tariff from {@link parseTariff}
 * @param rateIndex - the call's rate, from {@link chooseRate}
 * @param billedSeconds - billed seconds, from {@link billedSecondsFor}
 * @param packageSeconds - seconds covered by allowances, from {@link AllowanceLedger.consume}
 * @returns the amount in micros (format it with `formatMicros(amount, tariff.amountDecimals)`)
 * @throws RangeError when the rate does not exist or `packageSeconds` is not in 0..billedSeconds
 * @throws MoneyOverflowError when the amount is beyond exact micros
 * @example
 * amountFor(tariff, 0, 120, 0); // 240_000 at 0.12 a minute: '0.24'
 */
export function amountFor(
  tariff: Tariff,
  rateIndex: RateIndex,
  billedSeconds: number,
  packageSeconds: number,
): number {
  const rate = tariff.rates[rateIndex];
  if (rate === undefined) throw new RangeError(`the tariff has no rate ${rateIndex}`);
  if (
    !Number.isSafeInteger(packageSeconds) ||
    packageSeconds < 0 ||
    packageSeconds > billedSeconds
  ) {
    throw new RangeError(`packageSeconds ${packageSeconds} is not in 0..${billedSeconds}`);
  }
  return priceCall(
    billedSeconds - packageSeconds,
    billedSeconds,
    rate.pricePerMinute,
    rate.connectFee,
    rate.minimumChargeMicros,
    tariff.amountDecimals,
    tariff.roundingMode,
  );
}
