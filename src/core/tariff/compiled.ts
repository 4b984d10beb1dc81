import type { Tariff } from './types.js';
import { compileWhen, type WhenMatcher } from './when.js';

/** A rate or allowance reduced to what matching needs. Internal. */
export interface CompiledEntry {
  readonly fromMs: number;
  readonly toMs: number;
  readonly matcher: WhenMatcher;
}

/** A tariff's matchers, built once per tariff. Internal. */
export interface CompiledTariff {
  readonly rates: readonly CompiledEntry[];
  readonly allowances: readonly CompiledEntry[];
}

const cache = new WeakMap<Tariff, CompiledTariff>();

function compile(tariff: Tariff): CompiledTariff {
  const entry = (item: Tariff['rates'][number] | Tariff['allowances'][number]): CompiledEntry => ({
    fromMs: item.validFromMs,
    toMs: item.validToMs,
    matcher: compileWhen(item.when),
  });
  return { rates: tariff.rates.map(entry), allowances: tariff.allowances.map(entry) };
}

/** Builds and caches a tariff's matchers (called at load). */
export function rememberCompiled(tariff: Tariff): void {
  cache.set(tariff, compile(tariff));
}

/**
 * A tariff's matchers: cached at load by `parseTariff`, built on first use for a tariff made
 * another way. A tariff is treated as immutable once used.
 */
export function compiledOf(tariff: Tariff): CompiledTariff {
  let compiled = cache.get(tariff);
  if (compiled === undefined) {
    compiled = compile(tariff);
    cache.set(tariff, compiled);
  }
  return compiled;
}
