import { formatMicros, type Micros } from './micros.js';

/**
 * A sum of amounts of micros that stays exact at any size: a plain number while it is a
 * safe integer (the common case, and fast), a bigint past that. A month's bill in IDR, VND
 * or KRW passes 2^53 micros (about 9 billion units) easily; one amount never does.
 *
 * @example
 * const total = new MicrosSum();
 * total.add(5_000_000_000_000_000).add(5_000_000_000_000_000);
 * total.format(2); // '10000000000.00'
 */
export class MicrosSum {
  #small = 0;
  #big: bigint | undefined;

  /**
   * Adds an amount (or subtracts a negative one).
   *
   * @param micros - a safe integer of micros
   * @returns this sum
   * @throws RangeError when `micros` is not a safe integer
   */
  add(micros: Micros): this {
    if (!Number.isSafeInteger(micros))
      throw new RangeError(`micros ${micros} is not a safe integer`);
    if (this.#big !== undefined) {
      this.#big += BigInt(micros);
      return this;
    }
    const sum = this.#small + micros;
    if (Number.isSafeInteger(sum)) this.#small = sum;
    else this.#big = BigInt(this.#small) + BigInt(micros);
    return this;
  }

  /**
   * Adds another sum, or the {@link value} of one.
   *
   * @param other - the sum to add
   * @returns this sum
   */
  addSum(other: MicrosSum | number | bigint): this {
    const value = other instanceof MicrosSum ? other.value() : other;
    if (typeof value === 'number') return this.add(value);
    this.#big = this.big() + value;
    return this;
  }

  /**
   * The sum: a number while it is a safe integer, else a bigint.
   *
   * @example
   * new MicrosSum().add(1).value(); // 1
   */
  value(): number | bigint {
    if (this.#big === undefined) return this.#small === 0 ? 0 : this.#small;
    return this.#big;
  }

  /** The sum as a bigint. */
  big(): bigint {
    return this.#big ?? BigInt(this.#small);
  }

  /** Whether the sum is zero. */
  isZero(): boolean {
    return this.#big === undefined ? this.#small === 0 : this.#big === 0n;
  }

  /**
   * The sum as a decimal (see {@link formatMicros}).
   *
   * @param minDecimals - the least number of decimals to write
   */
  format(minDecimals: number): string {
    return formatAnyMicros(this.value(), minDecimals);
  }
}

/**
 * Writes micros given as a number or a bigint as a decimal with at least `minDecimals`
 * decimals, more only where needed to stay exact.
 *
 * @param micros - a safe integer or any bigint of micros
 * @param minDecimals - the least number of decimals
 * @example
 * formatAnyMicros(10_000_000_000_000_000n, 2); // '10000000000.00'
 */
export function formatAnyMicros(micros: number | bigint, minDecimals: number): string {
  if (typeof micros === 'number') return formatMicros(micros, minDecimals);
  if (micros >= BigInt(Number.MIN_SAFE_INTEGER) && micros <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return formatMicros(Number(micros), minDecimals);
  }
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const integer = magnitude / 1_000_000n;
  const fractionMicros = Number(magnitude % 1_000_000n);
  // The fraction is formatted as a small number (its integer part 0), then joined on.
  const fraction = formatMicros(fractionMicros, minDecimals).replace(/^0/, '');
  return `${negative ? '-' : ''}${integer}${fraction}`;
}
