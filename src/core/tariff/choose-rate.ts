import { compiledOf } from './compiled.js';
import { matchWhen } from './when.js';
import type { RateIndex, RateSelector, Tariff } from './types.js';

/**
 * Chooses the rate of a call at its `fwdAnswerTime` (SPEC §3.3): among rates whose `when`
 * matches and whose `[validFrom, validTo)` contains `answerMs`, the one with the longest
 * matching `privateNumPrefix`, then the most `when` keys; a remaining tie goes to the first
 * in the file. Matchers are compiled once per tariff, so this is a scan of small sets.
 *
 * @param tariff - a tariff from {@link parseTariff}
 * @param call - the call's normalised `bindNum`, `serviceType`, `direction`, `mode` and `answerMs`
 * @returns the index of the rate in `tariff.rates`, or `undefined` when no rate covers the
 *   call (it is unrated: `NO_TARIFF`)
 * @example
 * const index = chooseRate(tariff, { bindNum: '+8613800000022', answerMs: Date.UTC(2026, 9, 1) });
 * if (index !== undefined) tariff.rates[index]?.pricePerMinute.text; // '0.12'
 */
export function chooseRate(tariff: Tariff, call: RateSelector): RateIndex | undefined {
  const answerMs = call.answerMs;
  if (!Number.isFinite(answerMs)) return undefined;
  const rates = compiledOf(tariff).rates;
  let best = -1;
  let bestPrefix = -1;
  let bestKeys = -1;
  for (let i = 0; i < rates.length; i++) {
    const rate = rates[i];
    if (rate === undefined || answerMs < rate.fromMs || answerMs >= rate.toMs) continue;
    const prefix = matchWhen(rate.matcher, call);
    if (prefix < 0) continue;
    // strictly better only: a tie keeps the earlier rate
    if (prefix > bestPrefix || (prefix === bestPrefix && rate.matcher.keyCount > bestKeys)) {
      best = i;
      bestPrefix = prefix;
      bestKeys = rate.matcher.keyCount;
    }
  }
  return best < 0 ? undefined : best;
}
