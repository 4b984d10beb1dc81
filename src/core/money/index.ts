/**
 * Exact money and minutes: amounts as integer micro-units, prices and stated minutes as
 * scaled integers, rounding only where SPEC §3.4 says. No decimal library at run time:
 * decimal.js is the tests' independent oracle (test/oracles/price-reference.ts).
 */
export { MoneyOverflowError } from './errors.js';
export { addMicros, formatMicros, parseMicros, subtractMicros } from './micros.js';
export type { Micros } from './micros.js';
export {
  MinutesSum,
  formatMinutes,
  formatSecondsAsMinutes,
  minutesAgreeWithSeconds,
  minutesEqualSeconds,
  minutesToSeconds,
  parseMinutes,
} from './minutes.js';
export type { Minutes } from './minutes.js';
export { parsePrice, priceCall } from './price.js';
export type { Price } from './price.js';
export { ROUNDING_MODES, roundDivBig } from './rounding.js';
export type { RoundingMode } from './rounding.js';
export { canonicalDecimal, formatScaled, parseScaledDecimal, pow10Big } from './scaled-decimal.js';
export type { ScaledDecimal } from './scaled-decimal.js';
export { formatAnyMicros, MicrosSum } from './sum.js';
export { isScientificNotation, readCellDecimal } from './spreadsheet.js';
export type { CellDecimal } from './spreadsheet.js';
