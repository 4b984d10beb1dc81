import { WHEN_KEYS, type RateSelector, type When } from './types.js';

/**
 * A `when` compiled once at load for fast matching: sets of values, and the prefixes longest
 * first. Internal to the tariff module.
 */
export interface WhenMatcher {
  /** How many keys the `when` has (the second tie-breaker of SPEC §3.3). */
  readonly keyCount: number;
  /** The prefixes, longest first; `undefined` without a `privateNumPrefix` key. */
  readonly prefixes: readonly string[] | undefined;
  /** The prefixes as a set, with their distinct lengths longest first, for long lists. */
  readonly prefixSet: ReadonlySet<string> | undefined;
  readonly prefixLengths: readonly number[];
  readonly serviceType: ReadonlySet<string> | undefined;
  readonly direction: ReadonlySet<string> | undefined;
  readonly mode: ReadonlySet<string> | undefined;
}

/** Above this many prefixes a set lookup per distinct length beats `startsWith` on each. */
const PREFIX_SET_THRESHOLD = 8;

function toSet(values: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return values === undefined ? undefined : new Set(values);
}

/** Compiles a `when` for {@link matchWhen}. */
export function compileWhen(when: When): WhenMatcher {
  const prefixes =
    when.privateNumPrefix === undefined
      ? undefined
      : [...new Set(when.privateNumPrefix)].sort((a, b) => b.length - a.length);
  const useSet = prefixes !== undefined && prefixes.length > PREFIX_SET_THRESHOLD;
  return {
    keyCount: WHEN_KEYS.filter((key) => when[key] !== undefined).length,
    prefixes,
    prefixSet: useSet ? new Set(prefixes) : undefined,
    prefixLengths: useSet ? [...new Set(prefixes.map((p) => p.length))] : [],
    serviceType: toSet(when.serviceType),
    direction: toSet(when.direction),
    mode: toSet(when.mode),
  };
}

function accepts(values: ReadonlySet<string> | undefined, value: string | undefined): boolean {
  return values === undefined || (value !== undefined && values.has(value));
}

/**
 * Whether a call matches a compiled `when`: -1 when it does not, else the length of the
 * longest matching `privateNumPrefix` (0 when the `when` has no prefix).
 */
export function matchWhen(matcher: WhenMatcher, call: Omit<RateSelector, 'answerMs'>): number {
  if (
    !accepts(matcher.serviceType, call.serviceType) ||
    !accepts(matcher.direction, call.direction) ||
    !accepts(matcher.mode, call.mode)
  ) {
    return -1;
  }
  const prefixes = matcher.prefixes;
  if (prefixes === undefined) return 0;
  const bindNum = call.bindNum;
  if (bindNum === undefined) return -1;
  const set = matcher.prefixSet;
  if (set !== undefined) {
    for (const length of matcher.prefixLengths) {
      if (length <= bindNum.length && set.has(bindNum.slice(0, length))) return length;
    }
    return -1;
  }
  for (const prefix of prefixes) if (bindNum.startsWith(prefix)) return prefix.length;
  return -1;
}

/**
 * A text that two `when` share exactly when they are "the same" (SPEC §3.2): the same keys
 * with the same sets of values.
 */
export function whenIdentity(when: When): string {
  return JSON.stringify(
    WHEN_KEYS.filter((key) => when[key] !== undefined).map((key) => [
      key,
      [...new Set(when[key])].sort(),
    ]),
  );
}

/**
 * Normalises a `privateNumPrefix` the way numbers are normalised (SPEC §2.3), as far as that
 * applies to a prefix: spaces, tabs, `-`, `(` and `)` dropped, a leading `00` becomes `+`.
 */
export function normalisePrefix(text: string): string {
  const compact = text.replace(/[ \t\-()]/g, '');
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}
