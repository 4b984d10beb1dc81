#!/usr/bin/env node
/**
 * A deterministic month of privacy-number traffic: the provider's fee pushes (NDJSON, as
 * Huawei POSTs them), the provider's bill (CSV), the tariff, and a manifest holding the
 * result a correct reconciliation must produce.
 *
 * Two profiles share one code path for calls, rating (SPEC §3) and the expected result
 * (SPEC §4):
 * - `bench`: N calls (`100k`, `1m`, `10m`, …) in October 2026 (Asia/Shanghai), one flat
 *   per-minute rate, about 1 % of bill rows wrong. Written as it is generated, so memory
 *   stays flat at any N.
 * - `sample`: a realistic month of about 3,000 calls with every SPEC §4.3 kind a bill can
 *   cause, boundary calls, a price change, a package that runs out, re-pushes, a
 *   conflicting record and unreadable input. The committed fixtures/2026-10 is this
 *   profile with seed 2026.
 *
 * The expected result is computed independently of the product, from the text the
 * generator writes (the sample re-reads its own push lines and bill cells), and the
 * generator refuses to finish when it differs from what it meant to inject.
 *
 * Usage:
 *   node bench/generate.mjs --profile bench --calls 1m --out bench/data/1m --seed 1
 *   node bench/generate.mjs --profile sample --out fixtures/2026-10 --seed 2026
 *
 * Same options and seed → byte-identical files.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bumped whenever the files written for a given profile, seed and size change. */
export const GENERATOR_VERSION = 2;

const PERIOD = '2026-10';
const TIMEZONE = 'Asia/Shanghai';
/** Asia/Shanghai has had no daylight saving time since 1991: a fixed UTC+8. */
const ZONE_OFFSET_SECONDS = 8 * 3600;
const CURRENCY = 'CNY';
const MICRO = 1_000_000;
const MAX_CALL_SECONDS = 86_400;
const MATCH_WINDOW_SECONDS = 2;

/** Every discrepancy kind of SPEC §4.3, in the order manifests list them. */
export const KINDS = Object.freeze([
  'MISSING_IN_BILL',
  'MISSING_IN_CDRS',
  'DUPLICATE_IN_BILL',
  'NEAR_DUPLICATE_IN_BILL',
  'PERIOD_MISMATCH',
  'UNANSWERED_BILLED',
  'NO_TARIFF',
  'DURATION_MISMATCH',
  'MINUTES_MISMATCH',
  'RATE_MISMATCH',
  'PACKAGE_MISMATCH',
  'AMOUNT_MISMATCH',
  'CONFLICTING_CDR',
  'CHARGE_MISMATCH',
  'UNEXPECTED_CHARGE',
  'MISSING_CHARGE',
]);

/** The call kinds this generator injects into every month (the others it never makes there). */
export const INJECTED_KINDS = Object.freeze(
  KINDS.filter(
    (kind) =>
      ![
        'NEAR_DUPLICATE_IN_BILL',
        'CHARGE_MISMATCH',
        'UNEXPECTED_CHARGE',
        'MISSING_CHARGE',
      ].includes(kind),
  ),
);

/** The kinds of SPEC §4.5, about the rest of the invoice: explained apart from the calls. */
const CHARGE_KINDS = Object.freeze(['CHARGE_MISMATCH', 'UNEXPECTED_CHARGE', 'MISSING_CHARGE']);

/** SPEC §4.3: the action of a discrepancy, from its kind and the sign of its impact. */
function actionOf(kind, impactMicro) {
  switch (kind) {
    case 'DURATION_MISMATCH':
    case 'MINUTES_MISMATCH':
    case 'RATE_MISMATCH':
    case 'PACKAGE_MISMATCH':
    case 'AMOUNT_MISMATCH':
    case 'CHARGE_MISMATCH':
      return impactMicro > 0 ? 'claim' : 'note';
    case 'PERIOD_MISMATCH':
      return 'check-period';
    case 'NO_TARIFF':
      return 'fix-tariff';
    case 'CONFLICTING_CDR':
      return 'check-records';
    case 'MISSING_IN_BILL':
    case 'MISSING_CHARGE':
      return 'note';
    default:
      return 'claim';
  }
}

// ---------------------------------------------------------------------------------------
// Seeded randomness

/** FNV-1a of a text: turns a stream name into 32 bits of seed. */
function hashText(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A small seeded PRNG (sfc32, its state filled by splitmix32). Each purpose draws from its
 * own named stream, so changing how one part of the month is made does not reshuffle the
 * others.
 *
 * @param {number} seed an integer in [0, 2^32)
 * @param {string} stream the purpose, e.g. `'calls'`
 */
export function createRng(seed, stream) {
  let state = (seed + Math.imul(hashText(stream), 0x9e3779b1)) >>> 0;
  const splitmix = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const uint32 = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) uint32();
  const float = () => uint32() / 4294967296;
  return {
    uint32,
    /** A float in [0, 1). */
    float,
    /** An integer in [lo, hi]. */
    int: (lo, hi) => lo + Math.floor(float() * (hi - lo + 1)),
    chance: (p) => float() < p,
    /** @template T @param {readonly T[]} items @returns {T} */
    pick: (items) => items[Math.floor(float() * items.length)],
    /** `n` decimal digits (n ≤ 9), zero-padded. */
    digits: (n) => String(Math.floor(float() * 10 ** n)).padStart(n, '0'),
    /** `n` lowercase hex digits (n a multiple of 8). */
    hex: (n) => {
      let out = '';
      while (out.length < n) out += uint32().toString(16).padStart(8, '0');
      return out.slice(0, n);
    },
  };
}

/** Fisher–Yates, in place, with the given stream. */
function shuffle(rng, items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

// ---------------------------------------------------------------------------------------
// Time: whole epoch seconds inside, Huawei's `yyyy-MM-dd HH:mm:ss` UTC text outside

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** @type {Map<number, string>} */
const utcDayCache = new Map();

/** `yyyy-MM-dd HH:mm:ss` of a UTC instant in whole seconds. */
function formatUtc(sec) {
  const day = Math.floor(sec / 86400);
  let date = utcDayCache.get(day);
  if (date === undefined) {
    date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    utcDayCache.set(day, date);
  }
  const rest = sec - day * 86400;
  const hours = Math.floor(rest / 3600);
  const minutes = Math.floor((rest - hours * 3600) / 60);
  return `${date} ${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[rest % 60]}`;
}

/** `yyyyMMddHHmmss` of a UTC instant, as in Huawei session ids. */
function compactUtc(sec) {
  const text = formatUtc(sec);
  return (
    text.slice(0, 4) +
    text.slice(5, 7) +
    text.slice(8, 10) +
    text.slice(11, 13) +
    text.slice(14, 16) +
    text.slice(17, 19)
  );
}

/** The wall-clock text in Asia/Shanghai of an instant (for people: README, notes). */
function formatLocal(sec) {
  return `${formatUtc(sec + ZONE_OFFSET_SECONDS)} +08:00`;
}

const UTC_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Parses `yyyy-MM-dd HH:mm:ss` as UTC; null when it is not that or not in the calendar. */
function parseUtc(text) {
  const m = UTC_TEXT.exec(text);
  if (m === null) return null;
  const [year, month, day, hours, minutes, seconds] = m.slice(1).map(Number);
  const ms = Date.UTC(year, month - 1, day, hours, minutes, seconds);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hours ||
    back.getUTCMinutes() !== minutes ||
    back.getUTCSeconds() !== seconds
  ) {
    return null;
  }
  return ms / 1000;
}

/** The instant of a wall-clock time in Asia/Shanghai. */
function shanghai(year, month, day, hours = 0, minutes = 0, seconds = 0) {
  return Date.UTC(year, month - 1, day, hours, minutes, seconds) / 1000 - ZONE_OFFSET_SECONDS;
}

/** An ISO 8601 instant with an explicit offset (tariff validity), in whole seconds. */
function parseIsoInstant(text, where) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new Error(`${where}: '${text}' is not an ISO 8601 instant with an offset`);
  }
  return Date.parse(text) / 1000;
}

const PERIOD_FROM = shanghai(2026, 10, 1);
const PERIOD_TO = shanghai(2026, 11, 1);

/** Which local days of the week are busier: calls per hour of a Shanghai weekday. */
// prettier-ignore
const HOUR_WEIGHTS = [
  0.25, 0.12, 0.08, 0.06, 0.06, 0.12, 0.35, 0.9, 2.0, 3.0, 3.3, 3.1, 2.4, 2.6, 3.0, 3.1, 2.9, 2.6,
  2.1, 1.9, 1.7, 1.4, 0.9, 0.5,
];

/**
 * Maps u ∈ [0, 1) to an instant in [from, to) following a day-and-night pattern in
 * Shanghai (weekends at 70 %). Monotone in u, so sorted u give sorted instants.
 */
function createTimeline(from, to) {
  const hours = Math.ceil((to - from) / 3600);
  const cumulative = new Float64Array(hours + 1);
  for (let h = 0; h < hours; h++) {
    const local = from + h * 3600 + ZONE_OFFSET_SECONDS;
    const hourOfDay = Math.floor(local / 3600) % 24;
    const weekday = (Math.floor(local / 86400) + 3) % 7; // 0 = Monday (1970-01-01 was a Thursday)
    const weight = HOUR_WEIGHTS[hourOfDay] * (weekday >= 5 ? 0.7 : 1);
    cumulative[h + 1] = cumulative[h] + weight;
  }
  const total = cumulative[hours];
  return (u) => {
    const target = u * total;
    let lo = 0;
    let hi = hours;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] <= target) lo = mid;
      else hi = mid;
    }
    const within = (target - cumulative[lo]) / (cumulative[lo + 1] - cumulative[lo]);
    return Math.min(to - 1, from + lo * 3600 + Math.floor(within * 3600));
  };
}

/** The Monday (local date text) of the Shanghai week an instant falls in. */
function localWeekStart(sec) {
  const localDay = Math.floor((sec + ZONE_OFFSET_SECONDS) / 86400);
  const monday = localDay - ((localDay + 3) % 7);
  return formatUtc(monday * 86400).slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// Phone numbers (SPEC §2.3)

/** Mobile prefixes of real parties. `+86199` is kept for calls the CDRs never saw. */
// prettier-ignore
const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152',
  '153', '155', '156', '157', '158', '159', '166', '176', '177', '178', '180', '181', '182',
  '183', '184', '185', '186', '187', '188', '189', '191', '198',
];
const PHANTOM_PREFIX = '199';

function mobileNumber(rng, prefix = rng.pick(MOBILE_PREFIXES)) {
  return `+86${prefix}${rng.digits(8)}`;
}

/** SPEC §2.3: drop separators, `00` → `+`, bare Chinese mobiles → `+86…`. */
function normalizeNumber(text) {
  let n = text.replace(/[\s\-()]/g, '');
  if (n.startsWith('00')) n = `+${n.slice(2)}`;
  if (/^86\d{11}$/.test(n)) n = `+${n}`;
  else if (/^1\d{10}$/.test(n)) n = `+86${n}`;
  return n;
}

/** Equal after normalising, a `*` standing for any one digit. */
function numbersMatch(a, b) {
  const x = normalizeNumber(a);
  const y = normalizeNumber(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i] && x[i] !== '*' && y[i] !== '*') return false;
  }
  return true;
}

/** `+8613812340021` → `+86138****0021`, as provider portals show numbers. */
function maskNumber(number) {
  return number.slice(0, 6) + '*'.repeat(number.length - 10) + number.slice(-4);
}

// ---------------------------------------------------------------------------------------
// Exact decimals: money and minutes as integer millionths

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** A plain decimal as integer millionths; null when it is not a plain decimal. */
function parseMicro(text) {
  if (!PLAIN_DECIMAL.test(text)) return null;
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  if (fraction.length > 6) throw new Error(`more than 6 decimals in '${text}'`);
  const value = Number(whole) * MICRO + Number(fraction.padEnd(6, '0'));
  if (!Number.isSafeInteger(value)) throw new Error(`'${text}' is out of range`);
  return negative ? -value : value;
}

/** ⌊num / den + 1/2⌋ for integers num ≥ 0, den > 0: half-up, exactly. */
function divideHalfUp(num, den) {
  if (!Number.isSafeInteger(num) || num < 0) throw new Error(`cannot round ${num}`);
  const twice = 2 * num + den;
  return (twice - (twice % (2 * den))) / (2 * den);
}

/** Millionths as a decimal with exactly `decimals` places; throws if that is not exact. */
function formatMicro(micro, decimals) {
  const unit = 10 ** (6 - decimals);
  if (micro % unit !== 0) throw new Error(`${micro}e-6 does not have ${decimals} decimals`);
  const units = Math.abs(micro) / unit;
  const scale = 10 ** decimals;
  const whole = Math.floor(units / scale);
  const fraction = decimals === 0 ? '' : `.${String(units % scale).padStart(decimals, '0')}`;
  return `${micro < 0 ? '-' : ''}${whole}${fraction}`;
}

/** A minutes value from millionths: no trailing zeros (SPEC §5.1). */
function formatMinutesMicro(micro) {
  const text = formatMicro(micro, 6);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** Seconds as minutes, exact up to 6 decimals, else rounded half-up (SPEC §5.1). */
function formatMinutes(seconds) {
  return formatMinutesMicro(divideHalfUp(seconds * MICRO, 60));
}

// ---------------------------------------------------------------------------------------
// Tariff and rating (SPEC §3)

/** The single-rate tariff of the bench profile. */
function benchTariff(pricePerMinute) {
  return {
    currency: CURRENCY,
    timezone: TIMEZONE,
    amountDecimals: 2,
    roundingMode: 'half-up',
    periodBy: 'callEndTime',
    rates: [
      {
        id: 'flat',
        pricePerMinute,
        validFrom: '2026-01-01T00:00:00+08:00',
        validTo: '2027-01-01T00:00:00+08:00',
        firstIncrementSeconds: 60,
        nextIncrementSeconds: 60,
        connectFee: '0',
        minimumCharge: '0',
      },
    ],
    allowances: [],
  };
}

/** The sample month's tariff: two ranges, a price cut on 16 Oct, a 5,000-minute package. */
const SAMPLE_TARIFF = {
  currency: CURRENCY,
  timezone: TIMEZONE,
  amountDecimals: 2,
  roundingMode: 'half-up',
  periodBy: 'callEndTime',
  rates: [
    {
      id: 'x138-until-oct16',
      pricePerMinute: '0.12',
      when: { privateNumPrefix: '+86138' },
      validFrom: '2026-01-01T00:00:00+08:00',
      validTo: '2026-10-16T00:00:00+08:00',
      firstIncrementSeconds: 60,
      nextIncrementSeconds: 60,
      connectFee: '0',
      minimumCharge: '0',
    },
    {
      id: 'x138-from-oct16',
      pricePerMinute: '0.10',
      when: { privateNumPrefix: '+86138' },
      validFrom: '2026-10-16T00:00:00+08:00',
      validTo: '2027-01-01T00:00:00+08:00',
      firstIncrementSeconds: 60,
      nextIncrementSeconds: 60,
      connectFee: '0',
      minimumCharge: '0',
    },
    {
      id: 'x139',
      pricePerMinute: '0.15',
      when: { privateNumPrefix: ['+86139'] },
      validFrom: '2026-01-01T00:00:00+08:00',
      validTo: '2027-01-01T00:00:00+08:00',
      firstIncrementSeconds: 60,
      nextIncrementSeconds: 6,
      connectFee: '0',
      minimumCharge: '0',
    },
  ],
  allowances: [
    {
      id: 'pkg-5000',
      minutes: 5000,
      consumedBeforeMinutes: 0,
      validFrom: '2026-10-01T00:00:00+08:00',
      validTo: '2027-10-01T00:00:00+08:00',
    },
  ],
  // SPEC §4.5: the rest of the invoice. The package is the 5,000-minute allowance above.
  charges: {
    rentPerNumber: '10.00',
    smsPerMessage: '0.05',
    packages: [{ allowance: 'pkg-5000', price: '160.00', billedIn: PERIOD }],
  },
};

const WHEN_KEYS = ['privateNumPrefix', 'serviceType', 'direction', 'mode'];

function compileWhen(when = {}, where) {
  const compiled = { keys: 0 };
  for (const key of Object.keys(when)) {
    if (!WHEN_KEYS.includes(key)) throw new Error(`${where}: unknown when key '${key}'`);
  }
  for (const key of WHEN_KEYS) {
    const value = when[key];
    if (value === undefined) continue;
    compiled[key] = (Array.isArray(value) ? value : [value]).map(String);
    compiled.keys += 1;
  }
  return compiled;
}

/**
 * -1 when `when` does not match the call, else the length of its longest matching
 * `privateNumPrefix` (0 without that key). SPEC §3.2–§3.3.
 */
function matchWhen(when, call) {
  for (const key of ['serviceType', 'direction', 'mode']) {
    if (when[key] !== undefined && !when[key].includes(call[key] ?? '')) return -1;
  }
  if (when.privateNumPrefix === undefined) return 0;
  const number = normalizeNumber(call.bindNum);
  let longest = -1;
  for (const prefix of when.privateNumPrefix) {
    if (number.startsWith(prefix) && prefix.length > longest) longest = prefix.length;
  }
  return longest;
}

/** The tariff as the generator rates with it: instants in seconds, money in millionths. */
function compileTariff(tariff) {
  if ((tariff.roundingMode ?? 'half-up') !== 'half-up') {
    throw new Error('the generator rates with roundingMode half-up only');
  }
  const periodBy = tariff.periodBy ?? 'callEndTime';
  if (periodBy !== 'callEndTime' && periodBy !== 'fwdAnswerTime') {
    throw new Error(`the generator does not support periodBy '${periodBy}'`);
  }
  const decimals = tariff.amountDecimals ?? 2;
  const rates = tariff.rates.map((rate, index) => {
    const where = `rate '${rate.id}'`;
    return {
      id: rate.id,
      index,
      priceText: rate.pricePerMinute,
      priceMicro: parseMicro(rate.pricePerMinute),
      connectMicro: parseMicro(rate.connectFee ?? '0'),
      minimumMicro: parseMicro(rate.minimumCharge ?? '0'),
      firstIncrementSeconds: rate.firstIncrementSeconds ?? 60,
      nextIncrementSeconds: rate.nextIncrementSeconds ?? 60,
      from: rate.validFrom === undefined ? -Infinity : parseIsoInstant(rate.validFrom, where),
      to: rate.validTo === undefined ? Infinity : parseIsoInstant(rate.validTo, where),
      when: compileWhen(rate.when, where),
    };
  });
  const allowances = (tariff.allowances ?? []).map((allowance) => {
    const where = `allowance '${allowance.id}'`;
    return {
      id: allowance.id,
      seconds: (allowance.minutes - (allowance.consumedBeforeMinutes ?? 0)) * 60,
      from:
        allowance.validFrom === undefined ? -Infinity : parseIsoInstant(allowance.validFrom, where),
      to: allowance.validTo === undefined ? Infinity : parseIsoInstant(allowance.validTo, where),
      when: compileWhen(allowance.when, where),
    };
  });
  return { currency: tariff.currency, decimals, periodBy, rates, allowances };
}

/** SPEC §3.3: the rate at an instant — longest prefix, then most keys, then file order. */
function chooseRate(tariff, call, atSec) {
  let best = null;
  let bestPrefix = -1;
  let bestKeys = -1;
  for (const rate of tariff.rates) {
    if (atSec < rate.from || atSec >= rate.to) continue;
    const prefix = matchWhen(rate.when, call);
    if (prefix < 0) continue;
    if (prefix > bestPrefix || (prefix === bestPrefix && rate.when.keys > bestKeys)) {
      best = rate;
      bestPrefix = prefix;
      bestKeys = rate.when.keys;
    }
  }
  return best;
}

/** SPEC §3.4: seconds rounded up to the rate's increments. */
function incrementSeconds(seconds, rate) {
  const first = rate.firstIncrementSeconds;
  const next = rate.nextIncrementSeconds;
  if (seconds === 0) return 0;
  if (seconds <= first) return first;
  return first + Math.ceil((seconds - first) / next) * next;
}

/** SPEC §3.4: the amount of a call in millionths, rounded half-up to the tariff's decimals. */
function priceSeconds(tariff, rate, billedSeconds, packageSeconds) {
  if (billedSeconds === 0) return 0;
  const scale = 10 ** tariff.decimals;
  const charged = billedSeconds - packageSeconds;
  // In units of 1 / (60 · 10^6) of the smallest currency unit: exact integers.
  const numerator = charged * rate.priceMicro * scale + 60 * rate.connectMicro * scale;
  const units = divideHalfUp(numerator, 60 * MICRO);
  const micro = units * (MICRO / scale);
  return micro < rate.minimumMicro ? rate.minimumMicro : micro;
}

/**
 * Our side of one kept call, before packages (SPEC §3.1–§3.4, §3.7).
 *
 * @returns {Rating}
 */
function rateCall(tariff, call) {
  const answered = call.answerSec !== null;
  const periodInstant =
    tariff.periodBy === 'fwdAnswerTime' && answered ? call.answerSec : call.endSec;
  const inPeriod = periodInstant >= PERIOD_FROM && periodInstant < PERIOD_TO;
  if (!answered) {
    return {
      inPeriod,
      answered,
      periodInstant,
      rate: null,
      seconds: 0,
      billedSeconds: 0,
      packageSeconds: 0,
      amountMicro: 0,
    };
  }
  const seconds = call.endSec - call.answerSec; // whole-second times: ceil is a no-op
  const rate = chooseRate(tariff, call, call.answerSec);
  const billedSeconds = rate === null ? 0 : incrementSeconds(seconds, rate);
  return {
    inPeriod,
    answered,
    periodInstant,
    rate,
    seconds,
    billedSeconds,
    packageSeconds: 0,
    amountMicro: rate === null ? 0 : priceSeconds(tariff, rate, billedSeconds, 0),
  };
}

/**
 * SPEC §3.5: packages consumed in order of the periodBy instant, then sessionId. Updates
 * the ratings in place and returns, per allowance, when it ran out (or null).
 *
 * @param {{ call: Call, rating: Rating }[]} entries every kept call
 */
function consumeAllowances(tariff, entries) {
  const exhausted = [];
  for (const allowance of tariff.allowances) {
    const eligible = entries.filter(
      ({ call, rating }) =>
        rating.rate !== null &&
        call.answerSec >= allowance.from &&
        call.answerSec < allowance.to &&
        matchWhen(allowance.when, call) >= 0,
    );
    eligible.sort(
      (x, y) =>
        x.rating.periodInstant - y.rating.periodInstant ||
        compareBytes(x.call.sessionId, y.call.sessionId),
    );
    let remaining = allowance.seconds;
    let ranOut = null;
    for (const { call, rating } of eligible) {
      const take = Math.min(remaining, rating.billedSeconds - rating.packageSeconds);
      if (take <= 0) continue;
      remaining -= take;
      rating.packageSeconds += take;
      rating.amountMicro = priceSeconds(
        tariff,
        rating.rate,
        rating.billedSeconds,
        rating.packageSeconds,
      );
      if (remaining === 0 && ranOut === null) ranOut = { callId: call.sessionId, at: call.endSec };
    }
    exhausted.push({ id: allowance.id, ranOut, remainingSeconds: remaining });
  }
  return exhausted;
}

function compareBytes(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * @typedef {object} Call
 * @property {Record<string, unknown>} fee the FeeInfo as pushed
 * @property {string} key sessionId, else icid (SPEC §3.6)
 * @property {string} sessionId
 * @property {string} icid
 * @property {string} callerNum
 * @property {string} bindNum
 * @property {string} fwdDstNum
 * @property {string} serviceType
 * @property {string} direction
 * @property {number | null} answerSec
 * @property {number} endSec
 * @property {number} alertSec
 */

/**
 * @typedef {object} Rating
 * @property {boolean} inPeriod
 * @property {boolean} answered
 * @property {number} periodInstant
 * @property {ReturnType<typeof chooseRate>} rate null when unanswered or unrated
 * @property {number} seconds
 * @property {number} billedSeconds
 * @property {number} packageSeconds
 * @property {number} amountMicro
 */

// ---------------------------------------------------------------------------------------
// Calls and pushes

/** Hosts of the call platform: (node id in the session id, host number). */
const HOSTS = [
  [1029, 246],
  [1031, 247],
  [1030, 251],
  [1027, 312],
];

/** A duration in seconds: mostly 10 s – 10 min (log-uniform), a few short, a long tail. */
function drawDurationSeconds(rng) {
  const u = rng.float();
  if (u < 0.06) return rng.int(1, 9);
  if (u < 0.95) return Math.round(10 * 60 ** rng.float());
  return Math.round(600 * 12 ** rng.float());
}

/** The longest span from callInTime to callEndTime a generated call can have. */
const MAX_SPAN_SECONDS = 1 + 6 + 25 + 7200;

/** Virtual numbers with their subscription ids. */
function createNumberPool(rng, prefixes, count) {
  const numbers = [];
  const seen = new Set();
  while (numbers.length < count) {
    const number = `+86${prefixes[numbers.length % prefixes.length]}${rng.digits(8)}`;
    if (seen.has(number)) continue;
    seen.add(number);
    numbers.push(number);
  }
  const subscriptions = new Map(
    numbers.map((number) => {
      const h = rng.hex(32);
      const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
      return [number, id];
    }),
  );
  return { numbers, subscriptions };
}

/**
 * One call as the platform records it. `plan` pins what a scenario needs; the rest is drawn.
 *
 * @param {ReturnType<typeof createRng>} rng
 * @param {{ numbers: string[], subscriptions: Map<string, string>, unansweredRate: number }} context
 * @param {number} seq unique per month: makes sessionId and icid unique
 * @param {number} callInSec
 * @param {{ bindNum?: string, callerNum?: string, answered?: boolean, answerSec?: number,
 *   durationSeconds?: number }} [plan]
 * @returns {Call}
 */
function buildCall(rng, context, seq, callInSec, plan = {}) {
  const bindNum = plan.bindNum ?? rng.pick(context.numbers);
  const callerNum = plan.callerNum ?? mobileNumber(rng);
  const fwdDstNum = mobileNumber(rng);
  const direction = rng.chance(0.55) ? 1 : 0;
  const startSec = callInSec + rng.int(0, 1);
  const alertSec = startSec + rng.int(1, 6);
  const answered = plan.answered ?? !rng.chance(context.unansweredRate);
  let answerSec = null;
  let endSec;
  let reason = [0, 0, 0];
  if (answered) {
    answerSec = plan.answerSec ?? alertSec + rng.int(2, 25);
    endSec = answerSec + (plan.durationSeconds ?? drawDurationSeconds(rng));
  } else {
    endSec = alertSec + rng.int(5, 45);
    reason = rng.pick([
      [19, 2, 480],
      [17, 1, 486],
      [18, 3, 487],
    ]);
  }
  const [node, host] = rng.pick(HOSTS);
  const hostName = `callenabler${host}.huaweicaas.com`;
  const sessionId = `${seq}_${node}_4294967295_${compactUtc(callInSec)}@${hostName}`;
  const icid = `${rng.hex(32)}.${1_000_000_000 + seq}.${200_000_000 + rng.int(0, 99_999_999)}.1`;
  const fee = {
    direction,
    spId: 'demo_sp',
    appKey: 'DEMOAPPKEY0000000000000000001',
    icid,
    bindNum,
    sessionId,
    subscriptionId: context.subscriptions.get(bindNum) ?? '',
    callerNum,
    calleeNum: bindNum,
    fwdDisplayNum: bindNum,
    fwdDstNum,
    callInTime: formatUtc(callInSec),
    fwdStartTime: formatUtc(startSec),
    fwdAlertingTime: formatUtc(alertSec),
    fwdAnswerTime: answerSec === null ? '' : formatUtc(answerSec),
    callEndTime: formatUtc(endSec),
    fwdUnaswRsn: reason[0],
    ulFailReason: reason[1],
    sipStatusCode: reason[2],
    callOutUnaswRsn: 0,
    recordFlag: answered && rng.chance(0.3) ? 1 : 0,
    ttsPlayTimes: 0,
    ttsTransDuration: 0,
    serviceType: '004',
    hostName,
  };
  return {
    fee,
    key: sessionId,
    sessionId,
    icid,
    callerNum,
    bindNum,
    fwdDstNum,
    serviceType: '004',
    direction: String(direction),
    answerSec,
    endSec,
    alertSec,
  };
}

/** Text of a FeeInfo field: JSON numbers become text, absent and null become ''. */
function fieldText(value) {
  return value === undefined || value === null ? '' : String(value);
}

/**
 * A call read back from a FeeInfo, or why it is rejected (SPEC §2.1, §3.1, §5.3).
 *
 * @returns {{ ok: true, call: Call } | { ok: false, code: string }}
 */
function callFromFee(fee) {
  if (typeof fee !== 'object' || fee === null || Array.isArray(fee)) {
    return { ok: false, code: 'INVALID_JSON' };
  }
  const sessionId = fieldText(fee.sessionId);
  const icid = fieldText(fee.icid);
  const key = sessionId !== '' ? sessionId : icid;
  const endText = fieldText(fee.callEndTime);
  const answerText = fieldText(fee.fwdAnswerTime);
  if (key === '' || endText === '') return { ok: false, code: 'MISSING_FIELD' };
  const endSec = parseUtc(endText);
  const answerSec = answerText === '' ? null : parseUtc(answerText);
  if (endSec === null || (answerText !== '' && answerSec === null)) {
    return { ok: false, code: 'INVALID_TIME' };
  }
  if (answerSec !== null && endSec < answerSec) return { ok: false, code: 'NEGATIVE_DURATION' };
  if (answerSec !== null && endSec - answerSec > MAX_CALL_SECONDS) {
    return { ok: false, code: 'DURATION_OUT_OF_RANGE' };
  }
  return {
    ok: true,
    call: {
      fee,
      key,
      sessionId,
      icid,
      callerNum: fieldText(fee.callerNum),
      bindNum: fieldText(fee.bindNum),
      fwdDstNum: fieldText(fee.fwdDstNum),
      serviceType: fieldText(fee.serviceType),
      direction: fieldText(fee.direction),
      answerSec,
      endSec,
      alertSec: parseUtc(fieldText(fee.fwdAlertingTime)) ?? endSec,
    },
  };
}

/** SPEC §3.6: the fields that tell a re-push from a conflicting record. */
const SAME_CALL_FIELDS = [
  'fwdAnswerTime',
  'callEndTime',
  'callerNum',
  'bindNum',
  'fwdDstNum',
  'serviceType',
  'direction',
];

function isSameRecord(a, b) {
  return SAME_CALL_FIELDS.every((field) => fieldText(a[field]) === fieldText(b[field]));
}

/** One push body on one line. Records are serialised once and reused by re-pushes. */
function pushLine(feeJsons) {
  return `{"eventType":"fee","feeLst":[${feeJsons.join(',')}]}`;
}

// ---------------------------------------------------------------------------------------
// Bill rows

const BENCH_BILL_COLUMNS = [
  'callId',
  'callerNum',
  'privateNum',
  'calleeNum',
  'answerTime',
  'endTime',
  'billedSeconds',
  'billedMinutes',
  'unitPrice',
  'amount',
  'currency',
  'item',
];

/**
 * The sample bill's columns: canonical names mostly, a few spelt as an export would
 * (matched ignoring case, spaces, `_`, `-`; SPEC §2.2), and one extra column.
 */
const SAMPLE_BILL_COLUMNS = [
  ['callId', 'callId'],
  ['callerNum', 'caller_num'],
  ['privateNum', 'privateNum'],
  ['calleeNum', 'calleeNum'],
  ['answerTime', 'Answer Time'],
  ['endTime', 'endTime'],
  ['billedSeconds', 'billedSeconds'],
  ['billedMinutes', 'billedMinutes'],
  ['packageMinutes', 'packageMinutes'],
  ['unitPrice', 'unitPrice'],
  ['amount', 'amount'],
  ['currency', 'currency'],
  ['item', 'item'],
  ['billMonth', 'billMonth'],
];

/**
 * @typedef {object} BillRow
 * @property {Record<string, string>} cells canonical column → cell text ('' = empty)
 * @property {'call' | 'other' | 'rejected'} type
 * @property {string} item `call`, or the item of a non-call line (`rent`, `sms`, `package`)
 * @property {string} [code] why a rejected row is rejected
 * @property {number} amountMicro
 * @property {number | null} seconds
 * @property {number | null} minutesMicro
 * @property {number | null} priceMicro
 * @property {number | null} packageMicro
 * @property {number | null} answerSec
 * @property {number | null} endSec
 */

/**
 * A bill row as the expected result sees it: parsed from the very cells that are written
 * (SPEC §2.2). An empty cell is an absent value.
 *
 * @param {Record<string, string>} cells
 * @returns {BillRow}
 */
function readBillCells(cells, currency) {
  const cell = (name) => cells[name] ?? '';
  const item = cell('item') === '' ? 'call' : cell('item');
  const row = {
    cells,
    type: item === 'call' ? 'call' : 'other',
    item,
    amountMicro: 0,
    seconds: null,
    minutesMicro: null,
    minutesMicroDecimals: 0,
    priceMicro: null,
    packageMicro: null,
    packageMicroDecimals: 0,
    answerSec: null,
    endSec: null,
  };
  const reject = (code) => Object.assign(row, { type: 'rejected', code });
  const amount = parseMicro(cell('amount'));
  if (amount === null) return Object.assign(reject('INVALID_AMOUNT'), { amountMicro: null });
  row.amountMicro = amount;
  if (cell('currency') !== '' && cell('currency') !== currency) return reject('CURRENCY_MISMATCH');
  if (row.type === 'other') return row;
  for (const [name, field] of [
    ['answerTime', 'answerSec'],
    ['endTime', 'endSec'],
  ]) {
    if (cell(name) === '') continue;
    row[field] = parseUtc(cell(name));
    if (row[field] === null) return reject('INVALID_TIME');
  }
  if (cell('billedSeconds') !== '') {
    if (!/^\d+$/.test(cell('billedSeconds'))) return reject('INVALID_NUMBER');
    row.seconds = Number(cell('billedSeconds'));
  }
  for (const [name, field] of [
    ['billedMinutes', 'minutesMicro'],
    ['unitPrice', 'priceMicro'],
    ['packageMinutes', 'packageMicro'],
  ]) {
    if (cell(name) === '') continue;
    row[field] = parseMicro(cell(name));
    if (row[field] === null) return reject('MALFORMED_ROW');
    // SPEC §4.2 rules 5, 7 compare at the decimals the bill writes.
    const dot = cell(name).indexOf('.');
    row[`${field}Decimals`] = dot < 0 ? 0 : cell(name).length - dot - 1;
  }
  return row;
}

/**
 * The provider's line for a call it rated like we do (before any injected error).
 *
 * @param {Call} call
 * @param {{ seconds: number, billedSeconds: number, packageSeconds: number,
 *   amountMicro: number, priceText: string }} view
 */
function callCells(call, view, decimals) {
  return {
    callId: call.sessionId,
    callerNum: call.callerNum,
    privateNum: call.bindNum,
    calleeNum: call.fwdDstNum,
    answerTime: call.answerSec === null ? '' : formatUtc(call.answerSec),
    endTime: formatUtc(call.endSec),
    billedSeconds: String(view.seconds),
    billedMinutes: formatMinutes(view.billedSeconds),
    packageMinutes: formatMinutes(view.packageSeconds),
    unitPrice: view.priceText,
    amount: formatMicro(view.amountMicro, decimals),
    currency: CURRENCY,
    item: 'call',
  };
}

/** Our rating as the provider's view of a call. */
function viewOf(rating) {
  return {
    seconds: rating.seconds,
    billedSeconds: rating.billedSeconds,
    packageSeconds: rating.packageSeconds,
    amountMicro: rating.amountMicro,
    priceText: rating.rate.priceText,
  };
}

/** The provider rating `seconds` with `rate` (and `packageSeconds` of package) itself. */
function providerView(tariff, rate, seconds, packageSeconds = 0) {
  const billedSeconds = incrementSeconds(seconds, rate);
  return {
    seconds,
    billedSeconds,
    packageSeconds,
    amountMicro: priceSeconds(tariff, rate, billedSeconds, packageSeconds),
    priceText: rate.priceText,
  };
}

function csvCell(value) {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// ---------------------------------------------------------------------------------------
// The expected result (SPEC §4, §5.1)

/**
 * Counts, classifies and totals exactly as SPEC §4 says, fed call by call and row by row.
 * Both profiles use it; only how rows find their calls differs.
 */
class Ledger {
  constructor(decimals) {
    this.decimals = decimals;
    this.cdrs = {
      records: 0,
      skippedEvents: 0,
      duplicates: 0,
      conflicts: 0,
      rejected: 0,
      kept: 0,
      inPeriod: 0,
      answeredInPeriod: 0,
      unrated: 0,
      smsRecords: 0,
    };
    this.bill = {
      rows: 0,
      callRows: 0,
      otherRows: 0,
      rejected: 0,
      totalRows: 0,
      normalisedCells: 0,
      rejectedAmount: 0,
      rejectedUnreadable: 0,
    };
    this.claimable = 0;
    this.underBilled = 0;
    this.matched = { byId: 0, byComposite: 0, clean: 0 };
    this.counts = Object.fromEntries(KINDS.map((kind) => [kind, 0]));
    this.impacts = Object.fromEntries(KINDS.map((kind) => [kind, 0]));
    this.ours = 0;
    this.theirs = 0;
    this.otherCharges = 0;
    this.withinTolerance = 0;
    this.oursBilledSeconds = 0;
    this.theirsMinutesMicro = 0;
    /** The bill's non-call rows, in file order (few: rent, SMS, packages). */
    this.otherRows = [];
    /** What checking them found (SPEC §4.5); null: believed as billed. */
    this.charges = null;
    /** Per-discrepancy detail, kept only when asked (the sample). */
    this.details = null;
  }

  /** An SMS notification read among the pushes (SPEC §4.5). */
  smsRecord() {
    this.cdrs.smsRecords += 1;
  }

  /** @param {'kept' | 'duplicate' | 'conflict' | 'rejected'} status */
  cdrRecord(status) {
    this.cdrs.records += 1;
    if (status === 'kept') this.cdrs.kept += 1;
    else if (status === 'duplicate') this.cdrs.duplicates += 1;
    else if (status === 'conflict') this.cdrs.conflicts += 1;
    else this.cdrs.rejected += 1;
  }

  skippedEvent() {
    this.cdrs.skippedEvents += 1;
  }

  conflict(call) {
    this.cdrRecord('conflict');
    this.add('CONFLICTING_CDR', 0, call.sessionId);
  }

  /** @param {Rating} rating */
  keptCall(rating) {
    if (!rating.inPeriod) return;
    this.cdrs.inPeriod += 1;
    if (!rating.answered) return;
    this.cdrs.answeredInPeriod += 1;
    if (rating.rate === null) {
      this.cdrs.unrated += 1;
      return;
    }
    this.ours += rating.amountMicro;
    this.oursBilledSeconds += rating.billedSeconds;
  }

  /** Counts a bill row; true when it is a usable call row that takes part in matching. */
  billRow(row) {
    this.bill.rows += 1;
    if (row.type === 'rejected') {
      this.bill.rejected += 1;
      if (row.amountMicro === null) this.bill.rejectedUnreadable += 1;
      else this.bill.rejectedAmount += row.amountMicro;
      return false;
    }
    if (row.type === 'other') {
      this.bill.otherRows += 1;
      this.otherCharges += row.amountMicro;
      this.otherRows.push(row);
      return false;
    }
    this.bill.callRows += 1;
    this.theirs += row.amountMicro;
    this.theirsMinutesMicro += row.minutesMicro ?? 0;
    return true;
  }

  /** SPEC §4.2: a matched pair, classified by the first rule that holds. */
  pair(call, rating, row, matchedBy) {
    this.matched[matchedBy === 'id' ? 'byId' : 'byComposite'] += 1;
    const found = classifyPair(rating, row);
    if (found === null) {
      this.matched.clean += 1;
      this.withinTolerance += row.amountMicro - rating.amountMicro;
      return;
    }
    this.add(found.kind, found.impact, call.sessionId, matchedBy);
  }

  duplicate(call, row) {
    this.add('DUPLICATE_IN_BILL', row.amountMicro, call.sessionId, 'id');
  }

  missingInCdrs(row) {
    this.add('MISSING_IN_CDRS', row.amountMicro, row.cells.callId ?? '');
  }

  /** SPEC §4.1 step 3 and §4.3: a kept call no bill row matched. */
  unmatchedCall(call, rating) {
    if (!rating.inPeriod || !rating.answered) return;
    if (rating.rate === null) this.add('NO_TARIFF', 0, call.sessionId);
    else if (rating.billedSeconds > 0)
      this.add('MISSING_IN_BILL', -rating.amountMicro, call.sessionId);
  }

  add(kind, impactMicro, callId, matchedBy = '', charge = undefined) {
    this.counts[kind] += 1;
    this.impacts[kind] += impactMicro;
    const action = actionOf(kind, impactMicro);
    if (action === 'claim') this.claimable += impactMicro;
    else if (action === 'note' && impactMicro < 0) this.underBilled -= impactMicro;
    this.details?.push({ kind, callId, matchedBy, impactMicro, ...charge });
  }

  /** The expected summary, in the shape of SPEC §5.1. Throws if the books do not balance. */
  result() {
    const money = (micro) => formatMicro(micro, this.decimals);
    const sumOf = (kinds) => kinds.reduce((sum, kind) => sum + this.impacts[kind], 0);
    const explained = sumOf(KINDS.filter((kind) => !CHARGE_KINDS.includes(kind)));
    const difference = this.theirs - this.ours;
    const unexplained = difference - explained - this.withinTolerance;
    if (unexplained !== 0) throw new Error(`the expected books do not balance: ${unexplained}e-6`);
    // SPEC §4.5: the other charges balance apart, to zero as well.
    const charges = this.charges ?? believeCharges(this.otherRows);
    const chargesExplained = sumOf(CHARGE_KINDS);
    const chargesDifference = this.otherCharges - charges.oursMicro;
    const chargesUnexplained = chargesDifference - chargesExplained;
    if (chargesUnexplained !== 0) {
      throw new Error(`the expected other charges do not balance: ${chargesUnexplained}e-6`);
    }
    const invoiceTheirs = this.theirs + this.otherCharges;
    const invoiceOurs = this.ours + charges.oursMicro;
    return {
      cdrs: { ...this.cdrs },
      bill: { ...this.bill, rejectedAmount: money(this.bill.rejectedAmount) },
      matched: { ...this.matched },
      discrepancies: Object.fromEntries(
        KINDS.map((kind) => [
          kind,
          { count: this.counts[kind], impact: money(this.impacts[kind]) },
        ]),
      ),
      totals: {
        ours: money(this.ours),
        theirs: money(this.theirs),
        otherCharges: money(this.otherCharges),
        difference: money(difference),
        explained: money(explained),
        withinTolerance: money(this.withinTolerance),
        unexplained: money(unexplained),
        claimable: money(this.claimable),
        underBilled: money(this.underBilled),
      },
      minutes: {
        ours: formatMinutes(this.oursBilledSeconds),
        theirs: formatMinutesMicro(this.theirsMinutesMicro),
      },
      charges: {
        theirs: money(this.otherCharges),
        ours: money(charges.oursMicro),
        difference: money(chargesDifference),
        explained: money(chargesExplained),
        unexplained: money(chargesUnexplained),
        byItem: Object.fromEntries(
          [...charges.byItem]
            .sort(([a], [b]) => compareBytes(a, b))
            .map(([item, sums]) => [
              item,
              { theirs: money(sums.theirsMicro), ours: money(sums.oursMicro), rows: sums.rows },
            ]),
        ),
        checked: charges.checked,
      },
      invoice: {
        theirs: money(invoiceTheirs),
        ours: money(invoiceOurs),
        difference: money(invoiceTheirs - invoiceOurs),
      },
    };
  }
}

/** SPEC §4.5 without `charges` and numbers: every non-call row is believed as billed. */
function believeCharges(rows) {
  const byItem = new Map();
  let oursMicro = 0;
  for (const row of rows) {
    const sums = byItem.get(row.item) ?? { theirsMicro: 0, oursMicro: 0, rows: 0 };
    sums.theirsMicro += row.amountMicro;
    sums.oursMicro += row.amountMicro;
    sums.rows += 1;
    byItem.set(row.item, sums);
    oursMicro += row.amountMicro;
  }
  return { checked: false, oursMicro, byItem };
}

/**
 * SPEC §4.2 rules 5, 7: stated minutes (in micro-minutes, written with `decimals` decimals)
 * agree with seconds when seconds / 60 rounded half-up to those decimals equals them.
 *
 * @param {number} micro
 * @param {number} decimals
 * @param {number} seconds
 */
function minutesAgree(micro, decimals, seconds) {
  if (decimals > 6) return micro * 60 === seconds * MICRO;
  const scale = 10n ** BigInt(decimals);
  const ours = (BigInt(seconds) * scale * 2n + 60n) / 120n;
  return ours * 10n ** BigInt(6 - decimals) === BigInt(micro);
}

/**
 * SPEC §4.2: the kind of a matched pair, or null when it is clean (amount tolerance 0).
 *
 * @param {Rating} rating
 * @param {BillRow} row
 */
function classifyPair(rating, row) {
  if (!rating.inPeriod) return { kind: 'PERIOD_MISMATCH', impact: row.amountMicro };
  if (!rating.answered) {
    return row.amountMicro > 0 || (row.minutesMicro ?? 0) > 0
      ? { kind: 'UNANSWERED_BILLED', impact: row.amountMicro }
      : null;
  }
  if (rating.rate === null) return { kind: 'NO_TARIFF', impact: row.amountMicro };
  const impact = row.amountMicro - rating.amountMicro;
  const theirSeconds =
    row.seconds ??
    (row.answerSec !== null && row.endSec !== null ? row.endSec - row.answerSec : null);
  // SPEC §4.2 rule 4: either our seconds or our billed seconds agree.
  if (
    theirSeconds !== null &&
    theirSeconds !== rating.seconds &&
    theirSeconds !== rating.billedSeconds
  ) {
    return { kind: 'DURATION_MISMATCH', impact };
  }
  if (
    row.minutesMicro !== null &&
    !minutesAgree(row.minutesMicro, row.minutesMicroDecimals, rating.billedSeconds)
  ) {
    return { kind: 'MINUTES_MISMATCH', impact };
  }
  if (row.priceMicro !== null && row.priceMicro !== rating.rate.priceMicro) {
    return { kind: 'RATE_MISMATCH', impact };
  }
  if (
    row.packageMicro !== null &&
    !minutesAgree(row.packageMicro, row.packageMicroDecimals, rating.packageSeconds)
  ) {
    return { kind: 'PACKAGE_MISMATCH', impact };
  }
  if (impact !== 0) return { kind: 'AMOUNT_MISMATCH', impact };
  return null;
}

/**
 * SPEC §4.1 on in-memory input: id matches in file order, then composite matches by time
 * difference, bill row order, CDR input order; then what is left over.
 *
 * @param {Ledger} ledger
 * @param {{ call: Call, rating: Rating }[]} kept in input order
 * @param {BillRow[]} rows in file order
 */
function reconcileInMemory(ledger, kept, rows) {
  const byId = new Map();
  for (const entry of kept) {
    if (entry.call.sessionId !== '') byId.set(entry.call.sessionId, entry);
  }
  for (const entry of kept) {
    if (entry.call.icid !== '' && !byId.has(entry.call.icid)) byId.set(entry.call.icid, entry);
  }
  const matched = new Set();
  const pending = [];
  rows.forEach((row, index) => {
    if (!ledger.billRow(row)) return;
    const target = row.cells.callId ? byId.get(row.cells.callId) : undefined;
    if (target === undefined) pending.push({ row, index });
    else if (matched.has(target)) ledger.duplicate(target.call, row);
    else {
      matched.add(target);
      ledger.pair(target.call, target.rating, row, 'id');
    }
  });
  const candidates = [];
  for (const item of pending) {
    const { row } = item;
    if (!row.cells.callerNum || !row.cells.privateNum || row.answerSec === null) continue;
    kept.forEach((entry, order) => {
      const { call } = entry;
      if (matched.has(entry) || call.answerSec === null) return;
      const gap = Math.abs(row.answerSec - call.answerSec);
      if (gap > MATCH_WINDOW_SECONDS) return;
      if (!numbersMatch(row.cells.callerNum, call.callerNum)) return;
      if (!numbersMatch(row.cells.privateNum, call.bindNum)) return;
      candidates.push({ item, entry, gap, order });
    });
  }
  candidates.sort((x, y) => x.gap - y.gap || x.item.index - y.item.index || x.order - y.order);
  const used = new Set();
  for (const { item, entry } of candidates) {
    if (used.has(item) || matched.has(entry)) continue;
    used.add(item);
    matched.add(entry);
    ledger.pair(entry.call, entry.rating, item.row, 'composite');
  }
  for (const item of pending) if (!used.has(item)) ledger.missingInCdrs(item.row);
  for (const entry of kept) if (!matched.has(entry)) ledger.unmatchedCall(entry.call, entry.rating);
}

// ---------------------------------------------------------------------------------------
// The rest of the invoice (SPEC §4.5): numbers held, SMS notifications, what they owe

/** The columns of the console's export of the numbers held. */
const NUMBER_COLUMNS = ['number', 'orderedAt', 'releasedAt'];

/** The tariff's `charges` in millionths; null without them. */
function compileCharges(tariff) {
  const charges = tariff.charges;
  if (charges === undefined) return null;
  if (charges.rentPerNumber === undefined || charges.smsPerMessage === undefined) {
    throw new Error('the generator checks charges with rentPerNumber and smsPerMessage priced');
  }
  return {
    rentMicro: parseMicro(charges.rentPerNumber),
    smsMicro: parseMicro(charges.smsPerMessage),
    packages: (charges.packages ?? []).map((entry) => ({
      allowance: entry.allowance,
      priceMicro: parseMicro(entry.price),
      billedIn: entry.billedIn,
    })),
  };
}

const ISO_UTC_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

/** An SMS `timeStamp` (ISO 8601 in UTC, or Huawei's plain UTC text) in epoch ms; else null. */
function parseSmsTime(text) {
  const m = ISO_UTC_TEXT.exec(text);
  if (m === null) {
    const sec = parseUtc(text);
    return sec === null ? null : sec * 1000;
  }
  const sec = parseUtc(`${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`);
  return sec === null ? null : sec * 1000 + Number((m[7] ?? '').padEnd(3, '0'));
}

/**
 * An SMS notification as the expected result reads it from its push body (SPEC §4.5): sent
 * when `sendResult` is `success` or `0`, in `splitNum` parts (at least 1).
 *
 * @param {Record<string, unknown>} event the `smsEvent` member
 * @param {string} where `file:line`, the key of one without an id
 */
function smsFromEvent(event, where) {
  const paras = /** @type {any} */ (event.extInfo)?.extParas;
  const split = Array.isArray(paras)
    ? paras.find((entry) => entry?.key === 'splitNum')?.value
    : paras?.splitNum;
  const splitText = fieldText(split).trim();
  const result = fieldText(event.sendResult).trim().toLowerCase();
  return {
    id: fieldText(event.smsIdentifier).trim() || `@${where}`,
    number: normalizeNumber(fieldText(event.virtualNumber)),
    ms: parseSmsTime(fieldText(event.timeStamp).trim()),
    parts: /^\d{1,4}$/.test(splitText) ? Math.max(1, Number(splitText)) : 1,
    sent: result === 'success' || result === '0',
  };
}

/**
 * The numbers held at some instant of the period (SPEC §4.5), read back from the text of
 * the numbers file (times in UTC, as the run reads them without `--bill-timezone`).
 */
function readHeldNumbers(text) {
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line !== '');
  const columns = header.split(',');
  const held = new Set();
  for (const line of lines) {
    if (line.includes('"')) throw new Error('the generator writes numbers without quotes');
    const cells = Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell]));
    const time = (name) => {
      if (!cells[name]) return null;
      const sec = parseUtc(cells[name]);
      if (sec === null) throw new Error(`numbers: '${cells[name]}' is not a time`);
      return sec;
    };
    const orderedAt = time('orderedAt');
    const releasedAt = time('releasedAt');
    if (orderedAt !== null && orderedAt >= PERIOD_TO) continue;
    if (releasedAt !== null && releasedAt <= PERIOD_FROM) continue;
    held.add(normalizeNumber(cells.number));
  }
  return held;
}

/**
 * SPEC §4.5 on the bill's non-call rows: rent and SMS rows compared per number (a row of a
 * number that owes nothing, or a second row of one, is unexpected; what is owed and not
 * billed is missing), package rows with the packages billed this month, any other item
 * unexpected. Adds what it finds to the ledger, and sets what we owe.
 *
 * @param {Ledger} ledger with every bill row counted
 * @param {NonNullable<ReturnType<typeof compileCharges>>} charges
 * @param {Set<string>} held the numbers held in the period
 * @param {ReturnType<typeof smsFromEvent>[]} smsList in input order
 */
function checkCharges(ledger, charges, held, smsList) {
  const byItem = new Map();
  let oursMicro = 0;
  const settle = (item, row, owedMicro, kind, number) => {
    const sums = byItem.get(item) ?? { theirsMicro: 0, oursMicro: 0, rows: 0 };
    byItem.set(item, sums);
    const theirsMicro = row?.amountMicro ?? 0;
    if (row !== undefined) {
      sums.theirsMicro += theirsMicro;
      sums.rows += 1;
    }
    sums.oursMicro += owedMicro;
    oursMicro += owedMicro;
    if (theirsMicro !== owedMicro) {
      const charge = number === undefined ? { item } : { item, number };
      ledger.add(kind, theirsMicro - owedMicro, row?.cells.callId ?? '', '', charge);
    }
  };
  const rentOwed = new Map([...held].map((number) => [number, charges.rentMicro]));
  // Re-pushes of a notification count once; only what was sent in the period is owed.
  const firstById = new Map();
  for (const sms of smsList) if (!firstById.has(sms.id)) firstById.set(sms.id, sms);
  const smsOwed = new Map();
  for (const sms of firstById.values()) {
    if (!sms.sent || sms.ms === null) continue;
    if (sms.ms < PERIOD_FROM * 1000 || sms.ms >= PERIOD_TO * 1000) continue;
    smsOwed.set(sms.number, (smsOwed.get(sms.number) ?? 0) + sms.parts * charges.smsMicro);
  }
  const rows = ledger.otherRows;
  for (const [item, owed] of /** @type {const} */ ([
    ['rent', rentOwed],
    ['sms', smsOwed],
  ])) {
    const seen = new Set();
    for (const row of rows.filter((r) => r.item === item)) {
      const number = normalizeNumber(row.cells.privateNum ?? '');
      if (number === '') throw new Error(`the generator writes ${item} rows with a number`);
      if (seen.has(number) || !owed.has(number)) {
        seen.add(number);
        settle(item, row, 0, 'UNEXPECTED_CHARGE', number);
        continue;
      }
      seen.add(number);
      settle(item, row, owed.get(number), 'CHARGE_MISMATCH', number);
    }
    for (const [number, micro] of [...owed].sort(([a], [b]) => compareBytes(a, b))) {
      if (!seen.has(number)) settle(item, undefined, micro, 'MISSING_CHARGE', number);
    }
  }
  const packages = charges.packages.filter((entry) => entry.billedIn === PERIOD);
  const packageRows = rows.filter((r) => r.item === 'package');
  packageRows.forEach((row, index) => {
    const entry = packages[index];
    if (entry === undefined) settle('package', row, 0, 'UNEXPECTED_CHARGE');
    else settle('package', row, entry.priceMicro, 'CHARGE_MISMATCH');
  });
  for (const entry of packages.slice(packageRows.length)) {
    settle('package', undefined, entry.priceMicro, 'MISSING_CHARGE');
  }
  for (const row of rows) {
    if (!['rent', 'sms', 'package'].includes(row.item)) {
      settle(row.item, row, 0, 'UNEXPECTED_CHARGE');
    }
  }
  ledger.charges = { checked: true, oursMicro, byItem };
}

/**
 * The virtual numbers of the sample month as the console exports them: those the calls use,
 * held all month, and three that come and go — one ordered on 20 Oct, one released on
 * 3 Oct, and one released in September (whose rent the provider still bills).
 *
 * @param {ReturnType<typeof createRng>} rng
 * @param {string[]} used the numbers the calls use
 */
function sampleNumbers(rng, used) {
  const taken = new Set(used);
  const fresh = (prefix) => {
    for (;;) {
      const number = `+86${prefix}${rng.digits(8)}`;
      if (taken.has(number)) continue;
      taken.add(number);
      return number;
    }
  };
  const earlier = () =>
    shanghai(2025, 3, 1) + rng.int(0, 500) * 86400 + rng.int(9 * 3600, 18 * 3600);
  const rows = used.map((number) => ({ number, orderedAt: earlier(), releasedAt: null }));
  const orderedMid = {
    number: fresh('138'),
    orderedAt: shanghai(2026, 10, 20, 10, 14, rng.int(0, 59)),
    releasedAt: null,
  };
  const releasedEarly = {
    number: fresh('139'),
    orderedAt: earlier(),
    releasedAt: shanghai(2026, 10, 3, 11, 30, rng.int(0, 59)),
  };
  const releasedBefore = {
    number: fresh('138'),
    orderedAt: earlier(),
    releasedAt: shanghai(2026, 9, 25, 16, 2, rng.int(0, 59)),
  };
  rows.push(orderedMid, releasedEarly, releasedBefore);
  rows.sort((a, b) => a.orderedAt - b.orderedAt || compareBytes(a.number, b.number));
  const subscriptions = new Map(
    rows.map(({ number }) => {
      const h = rng.hex(32);
      return [
        number,
        `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`,
      ];
    }),
  );
  return { rows, orderedMid, releasedEarly, releasedBefore, subscriptions };
}

/** The numbers file's text: the console's export, CRLF like the bill's. */
function numbersText(rows) {
  const lines = rows.map(({ number, orderedAt, releasedAt }) =>
    [number, formatUtc(orderedAt), releasedAt === null ? '' : formatUtc(releasedAt)].join(','),
  );
  return `${[NUMBER_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}

/**
 * The month's SMS notifications (Notify mode, one a push), in time order: a few from each
 * sender within the time it holds its number; three long ones in parts, one that failed, and
 * one pushed twice (`repushed`).
 *
 * @param {ReturnType<typeof createRng>} rng
 * @param {{ number: string, from: number, to: number, count: number }[]} senders
 */
function sampleSms(rng, senders) {
  const list = [];
  for (const { number, from, to, count } of senders) {
    const timeline = createTimeline(from, to);
    for (let i = 0; i < count; i++) {
      const sec = timeline(rng.float());
      list.push({
        id: rng.hex(32),
        number,
        sec,
        ms: sec * 1000 + rng.int(0, 999),
        calling: mobileNumber(rng),
        called: mobileNumber(rng),
        parts: 1,
        sendResult: 0,
        repushed: false,
      });
    }
  }
  list.sort((a, b) => a.ms - b.ms || compareBytes(a.id, b.id));
  const inPeriod = shuffle(
    rng,
    list.filter((sms) => sms.sec >= PERIOD_FROM && sms.sec < PERIOD_TO),
  );
  const [long3, long2a, long2b, failed, repushed] = inPeriod;
  long3.parts = 3;
  long2a.parts = 2;
  long2b.parts = 2;
  failed.sendResult = 1;
  repushed.repushed = true;
  return list;
}

/** One SMS notification push as Huawei sends it (SPEC §4.5, §8). */
function smsPushLine(sms, subscriptions) {
  return JSON.stringify({
    appKey: 'DEMOAPPKEY0000000000000000001',
    smsEvent: {
      smsIdentifier: sms.id,
      notificationMode: 'Notify',
      calling: sms.calling,
      called: sms.called,
      virtualNumber: sms.number,
      event: 'Text SMS',
      timeStamp: new Date(sms.ms).toISOString(),
      subscriptionId: subscriptions.get(sms.number) ?? '',
      extInfo: {
        extParas: [
          { key: 'splitNum', value: String(sms.parts) },
          { key: 'direction', value: '1' },
        ],
      },
      sendResult: sms.sendResult,
    },
  });
}

// ---------------------------------------------------------------------------------------
// Output files

/** A file written in large chunks, hashed on the way; the caller awaits `flush()` when `full`. */
class Sink {
  static async open(file) {
    await mkdir(path.dirname(file), { recursive: true });
    return new Sink(file, await open(file, 'w'));
  }

  constructor(file, handle) {
    this.file = file;
    this.handle = handle;
    this.parts = [];
    this.pending = 0;
    this.bytes = 0;
    this.lines = 0;
    this.hash = createHash('sha256');
  }

  /** Appends one line (the end of line is added). */
  line(text, eol = '\n') {
    this.parts.push(text, eol);
    this.pending += text.length + eol.length;
    this.lines += 1;
  }

  get full() {
    return this.pending >= 1 << 20;
  }

  async flush() {
    if (this.parts.length === 0) return;
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    this.bytes += chunk.length;
    this.hash.update(chunk);
    await this.handle.write(chunk);
  }

  /** Closes the file and describes it for the manifest. */
  async close(root, extra = {}) {
    await this.flush();
    await this.handle.close();
    return {
      path: path.relative(root, this.file).split(path.sep).join('/'),
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
      lines: this.lines,
      ...extra,
    };
  }
}

async function writeWholeFile(root, relative, text) {
  const file = path.join(root, relative);
  await mkdir(path.dirname(file), { recursive: true });
  const bytes = Buffer.from(text, 'utf8');
  await writeFile(file, bytes);
  return {
    path: relative,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    lines: text.split('\n').length - 1,
  };
}

function json(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Removes what a previous run wrote here (only the generator's own files). */
async function clearOutput(out) {
  for (const name of [
    'cdrs',
    'bill.csv',
    'numbers.csv',
    'tariff.json',
    'manifest.json',
    'README.md',
  ]) {
    await rm(path.join(out, name), { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// Options

/**
 * `100k`, `1m`, `10m`, `2.5m`, `3000` → a call count.
 *
 * @param {string | number} text
 */
export function parseCallCount(text) {
  if (typeof text === 'number') return assertCount(text, String(text));
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(String(text).trim().replace(/_/g, ''));
  if (m === null) throw new Error(`'${text}' is not a call count (like 100k, 1m, 10m or 3000)`);
  const factor = { '': 1, k: 1e3, m: 1e6 }[m[2].toLowerCase()];
  return assertCount(Math.round(Number(m[1]) * factor), text);
}

function assertCount(n, text) {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`'${text}' is not a positive call count`);
  return n;
}

/** The short label of a call count: 100000 → `100k`, 1000000 → `1m`. */
export function callCountLabel(n) {
  if (n % 1e6 === 0) return `${n / 1e6}m`;
  if (n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

function normalizeOptions(options) {
  const profile = options.profile ?? 'bench';
  if (profile !== 'bench' && profile !== 'sample') {
    throw new Error(`unknown profile '${profile}' (bench or sample)`);
  }
  if (typeof options.out !== 'string' || options.out === '') throw new Error('out is required');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new Error(`seed must be an integer in [0, 2^32), not ${seed}`);
  }
  const calls = parseCallCount(options.calls ?? (profile === 'bench' ? '100k' : 3000));
  if (profile === 'sample' && calls < 1000) throw new Error('the sample needs at least 1000 calls');
  const discrepancyRate = options.discrepancyRate ?? 0.01;
  if (!(discrepancyRate >= 0 && discrepancyRate <= 0.5)) {
    throw new Error(`discrepancyRate must be in [0, 0.5], not ${discrepancyRate}`);
  }
  return {
    profile,
    out: options.out,
    seed,
    calls,
    discrepancyRate,
    pricePerMinute: options.pricePerMinute ?? '0.12',
    log: options.log ?? (() => {}),
  };
}

// ---------------------------------------------------------------------------------------
// Profile `bench`: streamed

const BENCH_UNANSWERED_RATE = 0.2;
const BENCH_REPUSH_RATE = 0.01;
const BENCH_PUSH_SIZE = 50;
/** The bill-side kinds the bench injects, in equal shares of the discrepancy rate. */
const BENCH_KINDS = [
  'MISSING_IN_BILL',
  'DUPLICATE_IN_BILL',
  'DURATION_MISMATCH',
  'MINUTES_MISMATCH',
  'RATE_MISMATCH',
  'AMOUNT_MISMATCH',
  'UNANSWERED_BILLED',
  'MISSING_IN_CDRS',
];
const BENCH_WRONG_PRICE = '0.15';

/** The errors an answered call can carry in the bench bill, one slot each. */
const BENCH_ANSWERED_ERRORS = ['dropped', 'duplicated', 'duration', 'minutes', 'price', 'amount'];

/**
 * The bill error of one call, from one uniform draw `u`, or null. Each of the answered
 * calls' six errors takes `share / P(answered)` of the answered calls and unanswered
 * billing `share / P(unanswered)` of the unanswered ones, so each kind ends up near
 * `share · N` (a call that no push has is drawn separately).
 */
function drawBenchError(u, answered, share) {
  if (!answered) return u < share / BENCH_UNANSWERED_RATE ? 'unansweredBilled' : null;
  const slot = Math.floor((u * (1 - BENCH_UNANSWERED_RATE)) / share);
  return slot < BENCH_ANSWERED_ERRORS.length ? BENCH_ANSWERED_ERRORS[slot] : null;
}

/** Rows held back to be written later (re-pushes, duplicated bill rows), in order. */
class DelayQueue {
  constructor() {
    this.items = [];
  }

  add(due, value) {
    this.items.push({ due, value });
  }

  /** Values due at or before `now`, in the order they were added. */
  take(now) {
    if (!this.items.some((item) => item.due <= now)) return [];
    const ready = this.items.filter((item) => item.due <= now).map((item) => item.value);
    this.items = this.items.filter((item) => item.due > now);
    return ready;
  }

  drain() {
    const all = this.items.map((item) => item.value);
    this.items = [];
    return all;
  }
}

async function generateBench(o) {
  const { out, seed, calls: n, log } = o;
  const callRng = createRng(seed, 'bench-calls');
  const pushRng = createRng(seed, 'bench-pushes');
  const billRng = createRng(seed, 'bench-bill');
  const tariffJson = benchTariff(o.pricePerMinute);
  const tariff = compileTariff(tariffJson);
  const flat = tariff.rates[0];
  const wrongRate = {
    ...flat,
    priceText: BENCH_WRONG_PRICE,
    priceMicro: parseMicro(BENCH_WRONG_PRICE),
  };
  const pool = createNumberPool(callRng, ['138', '139'], 2000);
  const context = { ...pool, unansweredRate: BENCH_UNANSWERED_RATE };
  const ledger = new Ledger(tariff.decimals);
  const share = o.discrepancyRate / BENCH_KINDS.length;
  const injected = {
    billedAnsweredCalls: 0,
    unansweredCalls: 0,
    droppedFromBill: 0,
    addedNotInCdrs: 0,
    duplicatedInBill: 0,
    unansweredBilled: 0,
    durationChanged: 0,
    minutesChanged: 0,
    priceChanged: 0,
    amountChanged: 0,
    otherRows: 0,
    pushes: 0,
    repushedPushes: 0,
    repushedRecords: 0,
  };

  await clearOutput(out);
  const bill = await Sink.open(path.join(out, 'bill.csv'));
  bill.line(BENCH_BILL_COLUMNS.join(','));
  const writeRow = (cells) => {
    bill.line(BENCH_BILL_COLUMNS.map((name) => csvCell(cells[name] ?? '')).join(','));
    return readBillCells(cells, CURRENCY);
  };

  const timeline = createTimeline(PERIOD_FROM, PERIOD_TO - MAX_SPAN_SECONDS);
  const cdrFiles = [];
  let sink = null;
  let sinkWeek = -1;
  let fileStats = null;
  let batch = [];
  let batchWeek = -1;
  const repushes = new DelayQueue();
  const duplicateRows = new DelayQueue();

  const closeCdrFile = async () => {
    if (sink === null) return;
    for (const line of repushes.drain()) writePush(line, true);
    cdrFiles.push(await sink.close(out, fileStats));
    sink = null;
  };
  const writePush = (line, again) => {
    sink.line(line);
    fileStats.pushes += 1;
    if (again) fileStats.repushes += 1;
  };
  const flushBatch = async () => {
    if (batch.length === 0) return;
    if (batchWeek !== sinkWeek) {
      await closeCdrFile();
      const start = PERIOD_FROM + batchWeek * 7 * 86400;
      const name = `cdrs/fee-${formatUtc(start + ZONE_OFFSET_SECONDS).slice(0, 10)}.ndjson`;
      sink = await Sink.open(path.join(out, name));
      sinkWeek = batchWeek;
      fileStats = { pushes: 0, repushes: 0, records: 0 };
    }
    const line = pushLine(batch);
    injected.pushes += 1;
    writePush(line, false);
    fileStats.records += batch.length;
    if (pushRng.chance(BENCH_REPUSH_RATE)) {
      // Re-sent whole after 1–300 minutes: a few pushes later in the same file.
      repushes.add(injected.pushes + pushRng.int(1, 40), line);
      injected.repushedPushes += 1;
      injected.repushedRecords += batch.length;
      for (let i = 0; i < batch.length; i++) ledger.cdrRecord('duplicate');
      fileStats.records += batch.length;
    }
    for (const again of repushes.take(injected.pushes)) writePush(again, true);
    batch = [];
    if (sink.full) await sink.flush();
  };

  let seq = 1000;
  for (let i = 0; i < n; i++) {
    const callIn = timeline((i + callRng.float()) / n);
    const call = buildCall(callRng, context, seq++, callIn);
    const rating = rateCall(tariff, call);
    ledger.cdrRecord('kept');
    ledger.keptCall(rating);

    const week = Math.min(4, Math.floor((callIn - PERIOD_FROM) / (7 * 86400)));
    if (week !== batchWeek || batch.length === BENCH_PUSH_SIZE) {
      await flushBatch();
      batchWeek = week;
    }
    batch.push(JSON.stringify(call.fee));

    // The provider's rows for this call, with at most one injected error.
    const error = drawBenchError(billRng.float(), rating.answered, share);
    /** @type {BillRow[]} */
    const rows = [];
    if (rating.answered) {
      injected.billedAnsweredCalls += 1; // every answered call lasts ≥ 1 s here
      let cells = callCells(call, viewOf(rating), tariff.decimals);
      switch (error) {
        case 'dropped':
          injected.droppedFromBill += 1;
          cells = null;
          break;
        case 'duplicated':
          injected.duplicatedInBill += 1;
          duplicateRows.add(i + billRng.int(1, 500), cells);
          break;
        case 'duration': {
          // A minute more, measured: billedSeconds and billedMinutes.
          injected.durationChanged += 1;
          cells = callCells(call, providerView(tariff, flat, rating.seconds + 60), tariff.decimals);
          cells.endTime = formatUtc(call.endSec + 60);
          break;
        }
        case 'minutes': {
          // A minute more in billedMinutes only.
          injected.minutesChanged += 1;
          // One minute more than ours, at our precision: a mismatch at any precision.
          const theirs = providerView(tariff, flat, rating.seconds + 60);
          cells.billedMinutes = formatMinutes(rating.billedSeconds + 60);
          cells.amount = formatMicro(theirs.amountMicro, tariff.decimals);
          break;
        }
        case 'price':
          injected.priceChanged += 1;
          cells = callCells(call, providerView(tariff, wrongRate, rating.seconds), tariff.decimals);
          break;
        case 'amount':
          injected.amountChanged += 1;
          cells.amount = formatMicro(
            rating.amountMicro + billRng.int(1, 99) * 10_000,
            tariff.decimals,
          );
          break;
        default:
          break;
      }
      if (cells !== null) rows.push(writeRow(cells));
    } else {
      injected.unansweredCalls += 1;
      if (error === 'unansweredBilled') {
        // Billed from the moment the callee's phone rang.
        injected.unansweredBilled += 1;
        const theirs = providerView(tariff, flat, call.endSec - call.alertSec);
        const cells = callCells(call, theirs, tariff.decimals);
        cells.answerTime = formatUtc(call.alertSec);
        rows.push(writeRow(cells));
      }
    }
    if (rows.length === 0) ledger.unmatchedCall(call, rating);
    for (const row of rows) if (ledger.billRow(row)) ledger.pair(call, rating, row, 'id');
    for (const cells of duplicateRows.take(i)) {
      const row = writeRow(cells);
      if (ledger.billRow(row)) ledger.duplicate({ sessionId: cells.callId }, row);
    }
    if (billRng.chance(share)) {
      // A call the CDRs never saw (its push was lost); its caller range is used by no CDR,
      // so it cannot match by composite key either.
      injected.addedNotInCdrs += 1;
      const phantom = buildCall(billRng, { ...context, unansweredRate: 0 }, seq++, callIn, {
        callerNum: mobileNumber(billRng, PHANTOM_PREFIX),
      });
      const row = writeRow(
        callCells(
          phantom,
          providerView(tariff, flat, phantom.endSec - phantom.answerSec),
          tariff.decimals,
        ),
      );
      if (ledger.billRow(row)) ledger.missingInCdrs(row);
    }
    if (bill.full) await bill.flush();
    if ((i + 1) % 1_000_000 === 0) log(`generated ${callCountLabel(i + 1)} calls`);
  }
  await flushBatch();
  await closeCdrFile();
  for (const cells of duplicateRows.drain()) {
    const row = writeRow(cells);
    if (ledger.billRow(row)) ledger.duplicate({ sessionId: cells.callId }, row);
  }
  for (const cells of otherChargeCells(billRng, pool.numbers.slice(0, 5))) {
    injected.otherRows += 1;
    ledger.billRow(writeRow(cells));
  }
  const billFile = await bill.close(out, { rows: bill.lines - 1 });
  const tariffFile = await writeWholeFile(out, 'tariff.json', json(tariffJson));
  const expected = ledger.result();

  // What was injected must be exactly what the expected result finds.
  assertEqual(
    'MISSING_IN_BILL',
    expected.discrepancies.MISSING_IN_BILL.count,
    injected.droppedFromBill,
  );
  assertEqual(
    'MISSING_IN_CDRS',
    expected.discrepancies.MISSING_IN_CDRS.count,
    injected.addedNotInCdrs,
  );
  assertEqual(
    'DUPLICATE_IN_BILL',
    expected.discrepancies.DUPLICATE_IN_BILL.count,
    injected.duplicatedInBill,
  );
  assertEqual(
    'UNANSWERED_BILLED',
    expected.discrepancies.UNANSWERED_BILLED.count,
    injected.unansweredBilled,
  );
  assertEqual(
    'DURATION_MISMATCH',
    expected.discrepancies.DURATION_MISMATCH.count,
    injected.durationChanged,
  );
  assertEqual(
    'MINUTES_MISMATCH',
    expected.discrepancies.MINUTES_MISMATCH.count,
    injected.minutesChanged,
  );
  assertEqual('RATE_MISMATCH', expected.discrepancies.RATE_MISMATCH.count, injected.priceChanged);
  assertEqual(
    'AMOUNT_MISMATCH',
    expected.discrepancies.AMOUNT_MISMATCH.count,
    injected.amountChanged,
  );
  assertEqual(
    'bill call rows',
    expected.bill.callRows,
    injected.billedAnsweredCalls -
      injected.droppedFromBill +
      injected.addedNotInCdrs +
      injected.duplicatedInBill +
      injected.unansweredBilled,
  );

  return {
    files: { cdrs: cdrFiles, bill: [billFile], tariff: tariffFile },
    pricePerMinute: o.pricePerMinute,
    injected,
    expected,
  };
}

/** Monthly rent of a few virtual numbers and the month's SMS: non-call lines (SPEC §2.2). */
function otherChargeCells(rng, numbers) {
  const rows = numbers.map((number) => ({
    privateNum: number,
    amount: '10.00',
    currency: CURRENCY,
    item: 'rent',
  }));
  for (const number of numbers.slice(0, 2)) {
    const messages = rng.int(20, 400);
    rows.push({
      privateNum: number,
      amount: formatMicro(messages * 50_000, 2),
      currency: CURRENCY,
      item: 'sms',
    });
  }
  return rows;
}

function assertEqual(what, actual, intended) {
  if (actual !== intended) {
    throw new Error(`generator defect: ${what} is ${actual}, but ${intended} were injected`);
  }
}

// ---------------------------------------------------------------------------------------
// Profile `sample`: in memory, every kind of SPEC §4.3

/** How many of each bill-side error the sample month carries (2–5 each). */
const SAMPLE_PLAN = {
  dropped: 3,
  phantoms: 3,
  duplicated: 3,
  periodSeptember: 2,
  periodNovember: 1,
  unansweredBilled: 3,
  noTariffBilled: 2,
  noTariffUnbilled: 2,
  duration: 3,
  minutes: 3,
  rate: 3,
  package: 3,
  amount: 3,
  composite: 3,
  byIcid: 2,
  conflicts: 2,
};

async function generateSample(o) {
  const { out, seed, calls: n } = o;
  const rng = createRng(seed, 'sample-calls');
  const pushRng = createRng(seed, 'sample-pushes');
  const billRng = createRng(seed, 'sample-bill');
  const tariff = compileTariff(SAMPLE_TARIFF);
  const p138 = createNumberPool(rng, ['138'], 8);
  const p139 = createNumberPool(rng, ['139'], 4);
  const p137 = createNumberPool(rng, ['137'], 1);
  const subscriptions = new Map([
    ...p138.subscriptions,
    ...p139.subscriptions,
    ...p137.subscriptions,
  ]);
  const context = { numbers: [...p138.numbers], subscriptions, unansweredRate: 0.2 };
  const pickNumber = () => (rng.chance(0.68) ? rng.pick(p138.numbers) : rng.pick(p139.numbers));

  // -- The calls: a planned instant and what a scenario pins ---------------------------
  /** @type {{ callIn: number, plan: Parameters<typeof buildCall>[4], tag?: string }[]} */
  const plans = [];
  const pin = (callIn, plan, tag) => plans.push({ callIn, plan, tag });
  const special = (answerAt, durationSeconds, tag, extra = {}) =>
    pin(
      answerAt - 20,
      { bindNum: p138.numbers[0], answered: true, answerSec: answerAt, durationSeconds, ...extra },
      tag,
    );
  // Crossing into October: answered 30 Sep 23:59:20 local, ends in October (in the period,
  // before the package starts).
  special(shanghai(2026, 9, 30, 23, 59, 20), 95, 'crosses-into-october');
  // Crossing into November: ends 1 Nov local (outside the period).
  special(shanghai(2026, 10, 31, 23, 57, 40), 290, 'crosses-into-november');
  // Crossing the price cut: answered 15 Oct 23:58:40, rated at the old price.
  special(shanghai(2026, 10, 15, 23, 58, 40), 270, 'crosses-price-cut');
  // Answered and hung up at once: 0 seconds, nothing to bill.
  special(shanghai(2026, 10, 9, 14, 3, 11), 0, 'zero-seconds');
  // The call of the masked bill row: its caller's number ends in 0021.
  special(shanghai(2026, 10, 20, 10, 41, 7), 187, 'masked', {
    callerNum: `+86138${rng.digits(4)}0021`,
    bindNum: p138.numbers[1],
  });
  // Calls on a range no rate covers.
  for (let i = 0; i < SAMPLE_PLAN.noTariffBilled + SAMPLE_PLAN.noTariffUnbilled; i++) {
    pin(
      PERIOD_FROM + rng.int(2, 28) * 86400 + rng.int(3, 12) * 3600,
      { bindNum: p137.numbers[0], answered: true },
      'no-tariff',
    );
  }
  pin(
    PERIOD_FROM + 12 * 86400 + 5 * 3600,
    { bindNum: p137.numbers[0], answered: false },
    'no-tariff-unanswered',
  );
  // 30 Sep local (September), and 30 Sep 16:xx UTC (already 1 Oct local).
  for (let i = 0; i < 14; i++)
    pin(shanghai(2026, 9, 30, 8) + rng.int(0, 14 * 3600), { bindNum: pickNumber() }, 'september');
  for (const minute of [5, 20, 41])
    pin(
      shanghai(2026, 10, 1, 0, minute, rng.int(0, 59)),
      { bindNum: pickNumber() },
      'october-first-hour',
    );
  // 31 Oct 16:00–23:59 UTC (1 Nov local, November) and later on 1 Nov.
  for (let i = 0; i < 10; i++)
    pin(PERIOD_TO + rng.int(0, 8 * 3600 - 1), { bindNum: pickNumber() }, 'november');
  for (let i = 0; i < 4; i++)
    pin(PERIOD_TO + rng.int(8 * 3600, 20 * 3600), { bindNum: pickNumber() }, 'november');
  // The rest: the month's ordinary traffic.
  const timeline = createTimeline(PERIOD_FROM, PERIOD_TO);
  const ordinaryCount = n - plans.length;
  for (let i = 0; i < ordinaryCount; i++)
    pin(timeline(rng.float()), { bindNum: pickNumber() }, undefined);
  plans.sort((a, b) => a.callIn - b.callIn);
  /** @type {Call[]} */
  const calls = plans.map((p, i) => {
    const call = buildCall(rng, context, 1200 + i, p.callIn, p.plan);
    call.tag = p.tag;
    return call;
  });

  // -- The numbers held and the SMS sent from them (SPEC §4.5), from streams of their own
  const numbersRng = createRng(seed, 'sample-numbers');
  const numbers = sampleNumbers(numbersRng, [...p138.numbers, ...p139.numbers, ...p137.numbers]);
  const wrongRentNumber = p139.numbers[1];
  const wholeMonth = (number, count) => ({ number, from: PERIOD_FROM, to: PERIOD_TO, count });
  const sms = sampleSms(createRng(seed, 'sample-sms'), [
    ...[p138.numbers[0], p138.numbers[2], p138.numbers[3], p139.numbers[0], p139.numbers[2]].map(
      (number) => wholeMonth(number, 5),
    ),
    { ...wholeMonth(numbers.orderedMid.number, 4), from: numbers.orderedMid.orderedAt },
    { ...wholeMonth(numbers.releasedEarly.number, 2), to: numbers.releasedEarly.releasedAt },
    // On 30 Sep local time: September's, owed nothing this month.
    {
      number: p138.numbers[0],
      from: shanghai(2026, 9, 30, 9),
      to: shanghai(2026, 9, 30, 18),
      count: 1,
    },
  ]);

  // -- Pushes: in order of callEndTime, one file per Shanghai week ---------------------
  const byEnd = [...calls].sort(
    (a, b) => a.endSec - b.endSec || compareBytes(a.sessionId, b.sessionId),
  );
  /** @type {Map<string, { fees: Record<string, unknown>[], whole?: boolean }[]>} */
  const files = new Map();
  for (let i = 0; i < byEnd.length;) {
    const week = localWeekStart(byEnd[i].endSec);
    const size = pushRng.chance(0.08) ? pushRng.int(10, 50) : pushRng.int(1, 6);
    const fees = [];
    while (fees.length < size && i < byEnd.length && localWeekStart(byEnd[i].endSec) === week) {
      fees.push(byEnd[i].fee);
      i += 1;
    }
    if (!files.has(week)) files.set(week, []);
    files.get(week).push({ fees });
  }
  const weeks = [...files.keys()].sort();
  const laterPush = (pushes, index) =>
    index + 1 < pushes.length ? pushRng.int(index + 1, Math.min(pushes.length - 1, index + 8)) : -1;
  const locate = new Map();
  for (const week of weeks)
    files
      .get(week)
      .forEach((push, index) =>
        push.fees.forEach((fee) => locate.set(fee.sessionId, { week, index })),
      );
  // Single records re-sent inside a later push (the platform retries record by record).
  const singles = shuffle(pushRng, [...calls]).slice(0, Math.max(3, Math.round(n * 0.01)));
  for (const call of singles) {
    const { week, index } = locate.get(call.sessionId);
    const target = laterPush(files.get(week), index);
    if (target >= 0) files.get(week)[target].fees.push(call.fee);
  }
  // Conflicting records: the same sessionId later with another callEndTime.
  const conflictTargets = shuffle(
    pushRng,
    calls.filter((c) => c.answerSec !== null && c.tag === undefined),
  )
    .filter((call) => {
      const { week, index } = locate.get(call.sessionId);
      return index + 1 < files.get(week).length;
    })
    .slice(0, SAMPLE_PLAN.conflicts);
  for (const call of conflictTargets) {
    const { week, index } = locate.get(call.sessionId);
    const pushes = files.get(week);
    const target = pushes[laterPush(pushes, index)];
    target.hasConflict = true;
    target.fees.push({ ...call.fee, callEndTime: formatUtc(call.endSec + 7) });
  }
  // Whole pushes re-sent (the receiving server did not answer in time).
  for (const week of weeks) {
    const pushes = files.get(week);
    if (pushes.length < 2) continue;
    const count = Math.max(1, Math.round(pushes.length * 0.02));
    for (let k = 0; k < count; k++) {
      const index = pushRng.int(0, pushes.length - 2);
      if (pushes[index].hasConflict || pushes[index].whole) continue;
      const at = Math.min(pushes.length, index + pushRng.int(2, 6));
      pushes.splice(at, 0, { fees: pushes[index].fees, whole: true });
    }
  }

  // -- Write the pushes, with one call event and one line cut short ---------------------
  await clearOutput(out);
  const cdrFiles = [];
  /** @type {{ source: string, lines: string[] }[]} */
  const written = [];
  for (const [w, week] of weeks.entries()) {
    const lines = files
      .get(week)
      .map((push) => pushLine(push.fees.map((fee) => JSON.stringify(fee))));
    /** When each line was pushed, about: the end of its first call. */
    const ats = files.get(week).map((push) => parseUtc(push.fees[0].callEndTime));
    if (w === 1) {
      const call = calls.find((c) => localWeekStart(c.endSec) === week && c.answerSec !== null);
      const event = {
        eventType: 'callin',
        statusInfo: {
          sessionId: call.sessionId,
          timestamp: call.fee.callInTime,
          caller: call.callerNum,
          called: call.bindNum,
        },
      };
      const at = Math.floor(lines.length / 2);
      lines.splice(at, 0, JSON.stringify(event));
      ats.splice(at, 0, ats[at]);
    }
    if (w === 2) {
      // A push half-written when the receiver crashed; the platform re-sent it whole.
      const at = Math.floor(lines.length / 3);
      lines.splice(at, 0, lines[at].slice(0, Math.floor(lines[at].length * 0.6)));
      ats.splice(at, 0, ats[at]);
    }
    // SMS notifications among the fee pushes, as they were sent; one is pushed again three
    // lines later (the receiver did not answer in time).
    for (const message of sms.filter((m) => localWeekStart(m.sec) === week)) {
      let at = ats.findIndex((sec) => sec > message.sec);
      if (at < 0) at = lines.length;
      const line = smsPushLine(message, numbers.subscriptions);
      lines.splice(at, 0, line);
      ats.splice(at, 0, message.sec);
      if (message.repushed) {
        const again = Math.min(lines.length, at + 4);
        lines.splice(again, 0, line);
        ats.splice(again, 0, message.sec);
      }
    }
    const relative = `cdrs/${week}.ndjson`;
    const sink = await Sink.open(path.join(out, relative));
    for (const line of lines) sink.line(line);
    cdrFiles.push(await sink.close(out));
    written.push({ source: relative, lines });
  }

  // -- Read the pushes back as the product would: keep, duplicate, conflict, reject ----
  const ledger = new Ledger(tariff.decimals);
  ledger.details = [];
  const rejected = [];
  /** @type {Map<string, { call: Call, rating: Rating }>} */
  const keptByKey = new Map();
  /** @type {ReturnType<typeof smsFromEvent>[]} */
  const smsRead = [];
  for (const { source, lines } of written) {
    lines.forEach((line, index) => {
      let body;
      try {
        body = JSON.parse(line);
      } catch {
        ledger.cdrRecord('rejected');
        rejected.push({ source, line: index + 1, code: 'INVALID_JSON' });
        return;
      }
      const smsEvent = body.smsEvent;
      if (typeof smsEvent === 'object' && smsEvent !== null && !Array.isArray(smsEvent)) {
        ledger.smsRecord();
        smsRead.push(smsFromEvent(smsEvent, `${source}:${index + 1}`));
        return;
      }
      if (body.eventType !== undefined && body.eventType !== 'fee') {
        ledger.skippedEvent();
        return;
      }
      for (const fee of body.feeLst) {
        const read = callFromFee(fee);
        if (!read.ok) {
          ledger.cdrRecord('rejected');
          rejected.push({ source, line: index + 1, code: read.code });
          continue;
        }
        const first = keptByKey.get(read.call.key);
        if (first === undefined) {
          keptByKey.set(read.call.key, { call: read.call, rating: null });
          ledger.cdrRecord('kept');
        } else if (isSameRecord(first.call.fee, fee)) {
          ledger.cdrRecord('duplicate');
        } else {
          ledger.conflict(first.call);
        }
      }
    });
  }
  const kept = [...keptByKey.values()];
  for (const entry of kept) entry.rating = rateCall(tariff, entry.call);
  const [allowanceUse] = consumeAllowances(tariff, kept);
  for (const entry of kept) ledger.keptCall(entry.rating);
  const tagOf = new Map(calls.map((c) => [c.sessionId, c.tag]));

  // -- The bill: our rating, then the provider's mistakes ------------------------------
  const taken = new Set(conflictTargets.map((c) => c.sessionId));
  const choose = (count, predicate) => {
    const pool = shuffle(
      billRng,
      kept.filter((e) => !taken.has(e.call.sessionId) && predicate(e)),
    );
    if (pool.length < count)
      throw new Error(`sample: only ${pool.length} calls fit, ${count} needed`);
    const chosen = pool.slice(0, count);
    for (const e of chosen) taken.add(e.call.sessionId);
    return chosen;
  };
  // Every in-period rated call with something to bill gets a line; errors are injected
  // into ordinary calls only (no scenario tag).
  const billable = (e) => e.rating.inPeriod && e.rating.rate !== null && e.rating.billedSeconds > 0;
  const ordinary = (e) => billable(e) && tagOf.get(e.call.sessionId) === undefined;
  const paid = (e) => ordinary(e) && e.rating.packageSeconds === 0 && e.rating.amountMicro > 0;
  const hasSubCent = (e) => {
    const numerator = e.rating.billedSeconds * e.rating.rate.priceMicro * 100;
    return numerator % (60 * MICRO) >= 30 * MICRO;
  };

  const masked = kept.find((e) => tagOf.get(e.call.sessionId) === 'masked');
  taken.add(masked.call.sessionId);
  const plan = SAMPLE_PLAN;
  const dropped = choose(plan.dropped, ordinary);
  const [unreadable] = choose(1, paid);
  const duplicated = choose(plan.duplicated, ordinary);
  const duration = choose(plan.duration, paid);
  // Whole minutes rounded up where half-up rounding would not reach them (SPEC §4.2 rule 5
  // compares at the precision the bill writes: 80.5 minutes stated as 81 agrees).
  const minutes = choose(
    plan.minutes,
    (e) => paid(e) && e.rating.billedSeconds % 60 > 0 && e.rating.billedSeconds % 60 < 30,
  );
  const rate = choose(plan.rate, (e) => paid(e) && e.rating.rate.id === 'x138-from-oct16');
  const pkg = choose(
    plan.package,
    (e) => ordinary(e) && e.rating.packageSeconds === e.rating.billedSeconds,
  );
  const amount = choose(plan.amount, (e) => paid(e) && hasSubCent(e));
  const composite = [...choose(plan.composite - 1, ordinary), masked];
  const byIcid = choose(plan.byIcid, ordinary);
  const september = choose(
    plan.periodSeptember,
    (e) =>
      tagOf.get(e.call.sessionId) === 'september' &&
      !e.rating.inPeriod &&
      e.rating.billedSeconds > 0,
  );
  const november = kept.filter((e) => tagOf.get(e.call.sessionId) === 'crosses-into-november');
  const unanswered = choose(
    plan.unansweredBilled + 1,
    (e) => e.rating.inPeriod && !e.rating.answered && tagOf.get(e.call.sessionId) === undefined,
  );
  const noTariff = kept.filter((e) => tagOf.get(e.call.sessionId) === 'no-tariff');
  const old138 = tariff.rates.find((r) => r.id === 'x138-until-oct16');

  /** @type {{ cells: Record<string, string>, at: number }[]} */
  const lines = [];
  const emit = (cells, at) => lines.push({ cells: { ...cells, billMonth: PERIOD }, at });
  const skip = new Set(
    [...dropped, unreadable, ...composite, ...september, ...unanswered].map(
      (e) => e.call.sessionId,
    ),
  );
  const decimals = tariff.decimals;
  for (const e of kept) {
    const { call, rating } = e;
    if (skip.has(call.sessionId) || !billable(e)) continue;
    let cells = callCells(call, viewOf(rating), decimals);
    if (duration.includes(e)) {
      // The provider measured a longer call.
      const extra =
        duration.indexOf(e) === 0 ? 61 - (rating.seconds % 60) : 1 + duration.indexOf(e);
      cells = callCells(call, providerView(tariff, rating.rate, rating.seconds + extra), decimals);
      cells.endTime = formatUtc(call.endSec + extra);
    } else if (minutes.includes(e)) {
      // Right seconds, but billed in whole minutes on a 6-second range.
      const whole = { ...rating.rate, nextIncrementSeconds: 60 };
      const theirs = providerView(tariff, whole, rating.seconds);
      cells = {
        ...cells,
        billedMinutes: formatMinutes(theirs.billedSeconds),
        amount: formatMicro(theirs.amountMicro, decimals),
      };
    } else if (rate.includes(e)) {
      // The price cut of 16 October not applied.
      cells = callCells(call, providerView(tariff, old138, rating.seconds), decimals);
    } else if (pkg.includes(e)) {
      // Charged in full although the package covered it.
      cells = callCells(call, providerView(tariff, rating.rate, rating.seconds, 0), decimals);
    } else if (amount.includes(e)) {
      // Rounded down instead of half-up.
      cells.amount = formatMicro(rating.amountMicro - 10_000, decimals);
    } else if (byIcid.includes(e)) {
      cells.callId = call.icid;
    }
    emit(cells, call.answerSec);
    if (duplicated.includes(e)) emit(cells, call.answerSec + billRng.int(3600, 86400));
  }
  // Found by caller, virtual number and answer time; one with masked numbers.
  composite.forEach((e, index) => {
    const shift = [1, -2, 0][index % 3];
    const cells = callCells(e.call, viewOf(e.rating), decimals);
    cells.callId = '';
    cells.answerTime = formatUtc(e.call.answerSec + shift);
    cells.endTime = formatUtc(e.call.endSec + shift);
    if (e === masked) {
      cells.callerNum = maskNumber(e.call.callerNum);
      cells.calleeNum = maskNumber(e.call.fwdDstNum);
    }
    emit(cells, e.call.answerSec);
  });
  // A line the product cannot read: a decimal comma.
  {
    const cells = callCells(unreadable.call, viewOf(unreadable.rating), decimals);
    cells.amount = cells.amount.replace('.', ',');
    emit(cells, unreadable.call.answerSec);
  }
  // Calls of another month on this month's bill.
  for (const e of [...september, ...november]) {
    emit(callCells(e.call, viewOf(e.rating), decimals), e.call.answerSec);
  }
  // Unanswered calls billed from the moment the phone rang; one billed at zero (clean).
  unanswered.forEach((e, index) => {
    const { call } = e;
    const at = call.alertSec;
    const rateThen = chooseRate(tariff, call, at);
    if (index === plan.unansweredBilled) {
      const cells = callCells(
        call,
        {
          seconds: 0,
          billedSeconds: 0,
          packageSeconds: 0,
          amountMicro: 0,
          priceText: rateThen.priceText,
        },
        decimals,
      );
      emit(cells, call.endSec);
      return;
    }
    const cells = callCells(call, providerView(tariff, rateThen, call.endSec - at), decimals);
    cells.answerTime = formatUtc(at);
    emit(cells, at);
  });
  // Calls on a number no rate covers, billed at the provider's list price.
  noTariff.slice(0, plan.noTariffBilled).forEach((e) => {
    emit(
      callCells(e.call, providerView(tariff, old138, e.rating.seconds), decimals),
      e.call.answerSec,
    );
  });
  // Calls the CDRs never saw.
  for (let i = 0; i < plan.phantoms; i++) {
    const callIn = PERIOD_FROM + billRng.int(1, 29) * 86400 + billRng.int(2 * 3600, 12 * 3600);
    const phantom = buildCall(billRng, { ...context, unansweredRate: 0 }, 90_000 + i, callIn, {
      callerNum: mobileNumber(billRng, PHANTOM_PREFIX),
    });
    const theirs = providerView(
      tariff,
      chooseRate(tariff, phantom, phantom.answerSec),
      phantom.endSec - phantom.answerSec,
    );
    emit(callCells(phantom, theirs, decimals), phantom.answerSec);
  }
  lines.sort((a, b) => a.at - b.at || compareBytes(a.cells.callId, b.cells.callId));
  // Non-call lines at the end, written from what we owe (SPEC §4.5): the rent of every
  // number in the console's list, the SMS parts sent from each number, the package. Two are
  // wrong: one number's rent at the list price, and the rent of the number released in
  // September, which owes none.
  const charges = compileCharges(SAMPLE_TARIFF);
  const wrongRentMicro = 15 * MICRO;
  const other = (item, privateNum, micro) =>
    lines.push({
      cells: {
        ...(privateNum === undefined ? {} : { privateNum }),
        amount: formatMicro(micro, decimals),
        currency: CURRENCY,
        item,
        billMonth: PERIOD,
      },
      at: Infinity,
    });
  for (const { number } of numbers.rows) {
    other('rent', number, number === wrongRentNumber ? wrongRentMicro : charges.rentMicro);
  }
  const smsParts = new Map();
  for (const message of sms) {
    if (message.sendResult !== 0 || message.sec < PERIOD_FROM || message.sec >= PERIOD_TO) continue;
    smsParts.set(message.number, (smsParts.get(message.number) ?? 0) + message.parts);
  }
  const smsOwedMicro =
    [...smsParts.values()].reduce((sum, parts) => sum + parts, 0) * charges.smsMicro;
  for (const [number, parts] of [...smsParts].sort(([a], [b]) => compareBytes(a, b))) {
    other('sms', number, parts * charges.smsMicro);
  }
  for (const entry of charges.packages) {
    if (entry.billedIn === PERIOD) other('package', undefined, entry.priceMicro);
  }
  const heldCount = numbers.rows.filter(
    ({ orderedAt, releasedAt }) =>
      orderedAt < PERIOD_TO && (releasedAt === null || releasedAt > PERIOD_FROM),
  ).length;

  const header = SAMPLE_BILL_COLUMNS.map(([, label]) => label).join(',');
  const body = lines.map(({ cells }) =>
    SAMPLE_BILL_COLUMNS.map(([name]) => csvCell(cells[name] ?? '')).join(','),
  );
  // Exported on Windows: CRLF line ends.
  const billFile = await writeWholeFile(out, 'bill.csv', `${[header, ...body].join('\r\n')}\r\n`);
  billFile.rows = body.length;
  const rows = lines.map(({ cells }) => readBillCells(cells, CURRENCY));
  rows.forEach((row, index) => {
    if (row.type === 'rejected')
      rejected.push({ source: 'bill.csv', line: index + 2, code: row.code });
  });

  const tariffText = json(SAMPLE_TARIFF);
  const tariffFile = await writeWholeFile(out, 'tariff.json', tariffText);
  const numbersCsv = numbersText(numbers.rows);
  const numbersFile = await writeWholeFile(out, 'numbers.csv', numbersCsv);
  numbersFile.rows = numbers.rows.length;

  reconcileInMemory(ledger, kept, rows);
  // SPEC §4.5 from the text written: the tariff's prices, the numbers file, the SMS pushes.
  checkCharges(
    ledger,
    compileCharges(JSON.parse(tariffText)),
    readHeldNumbers(numbersCsv),
    smsRead,
  );
  const expected = ledger.result();

  // -- What was injected must be exactly what the expected result finds ----------------
  const intended = {
    MISSING_IN_BILL: plan.dropped + 1,
    MISSING_IN_CDRS: plan.phantoms,
    DUPLICATE_IN_BILL: plan.duplicated,
    PERIOD_MISMATCH: plan.periodSeptember + plan.periodNovember,
    UNANSWERED_BILLED: plan.unansweredBilled,
    NO_TARIFF: plan.noTariffBilled + plan.noTariffUnbilled,
    DURATION_MISMATCH: plan.duration,
    MINUTES_MISMATCH: plan.minutes,
    RATE_MISMATCH: plan.rate,
    PACKAGE_MISMATCH: plan.package,
    AMOUNT_MISMATCH: plan.amount,
    CONFLICTING_CDR: plan.conflicts,
    CHARGE_MISMATCH: 1,
    UNEXPECTED_CHARGE: 1,
  };
  for (const kind of KINDS)
    assertEqual(kind, expected.discrepancies[kind].count, intended[kind] ?? 0);
  assertEqual('composite matches', expected.matched.byComposite, plan.composite);
  assertEqual('skipped events', expected.cdrs.skippedEvents, 1);
  assertEqual('rejected bill rows', expected.bill.rejected, 1);
  assertEqual('rejected records', expected.cdrs.rejected, 1);
  const smsLines = sms.length + sms.filter((m) => m.repushed).length;
  assertEqual('SMS notifications', expected.cdrs.smsRecords, smsLines);
  const money = (micro) => formatMicro(micro, decimals);
  assertEqual(
    'CHARGE_MISMATCH impact',
    expected.discrepancies.CHARGE_MISMATCH.impact,
    money(wrongRentMicro - charges.rentMicro),
  );
  assertEqual(
    'UNEXPECTED_CHARGE impact',
    expected.discrepancies.UNEXPECTED_CHARGE.impact,
    money(charges.rentMicro),
  );
  assertEqual(
    'rent owed',
    expected.charges.byItem.rent?.ours,
    money(heldCount * charges.rentMicro),
  );
  assertEqual('SMS owed', expected.charges.byItem.sms?.ours, money(smsOwedMicro));
  assertEqual('SMS billed', expected.charges.byItem.sms?.theirs, money(smsOwedMicro));

  const inPeriodAnswered = kept.filter((e) => e.rating.inPeriod && e.rating.answered);
  return {
    files: { cdrs: cdrFiles, bill: [billFile], tariff: tariffFile, numbers: numbersFile },
    injected: {
      ...plan,
      unreadableAmount: 1,
      unansweredBilledAtZero: 1,
      skippedEvents: 1,
      brokenLines: 1,
      numbers: numbers.rows.length,
      numbersHeld: heldCount,
      smsNotifications: sms.length,
      smsRepushed: sms.filter((m) => m.repushed).length,
      smsFailed: sms.filter((m) => m.sendResult !== 0).length,
      smsInParts: sms.filter((m) => m.parts > 1).length,
      smsOutsidePeriod: sms.filter((m) => m.sec < PERIOD_FROM || m.sec >= PERIOD_TO).length,
      wrongRent: 1,
      rentOfReleasedNumber: 1,
    },
    expected,
    expectedRejected: rejected,
    expectedDiscrepancies: ledger.details
      .map(({ kind, callId, matchedBy, impactMicro, item, number }) => ({
        kind,
        callId,
        matchedBy,
        impact: formatMicro(impactMicro, decimals),
        ...(item === undefined ? {} : { item }),
        ...(number === undefined ? {} : { number }),
      }))
      .sort(
        (a, b) =>
          compareBytes(a.kind, b.kind) ||
          compareBytes(a.callId, b.callId) ||
          compareBytes(a.number ?? '', b.number ?? ''),
      ),
    notes: {
      allowance: {
        id: allowanceUse.id,
        ranOutAt: allowanceUse.ranOut === null ? null : formatLocal(allowanceUse.ranOut.at),
        ranOutOnCall: allowanceUse.ranOut?.callId ?? null,
        remainingSeconds: allowanceUse.remainingSeconds,
      },
      callsInPeriodAnswered: inPeriodAnswered.length,
      callsOutsidePeriod: kept.filter((e) => !e.rating.inPeriod).length,
      callsAtOldPrice: inPeriodAnswered.filter((e) => e.rating.rate?.id === 'x138-until-oct16')
        .length,
      callsAtNewPrice: inPeriodAnswered.filter((e) => e.rating.rate?.id === 'x138-from-oct16')
        .length,
      callsOn139: inPeriodAnswered.filter((e) => e.rating.rate?.id === 'x139').length,
      numbers: {
        orderedMidMonth: {
          number: numbers.orderedMid.number,
          orderedAt: formatLocal(numbers.orderedMid.orderedAt),
        },
        releasedEarly: {
          number: numbers.releasedEarly.number,
          releasedAt: formatLocal(numbers.releasedEarly.releasedAt),
        },
        releasedBeforePeriod: {
          number: numbers.releasedBefore.number,
          releasedAt: formatLocal(numbers.releasedBefore.releasedAt),
        },
        wrongRent: { number: wrongRentNumber, amount: money(wrongRentMicro) },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// Entry points

/**
 * Generates a month into `options.out` and returns its manifest (also written there as
 * `manifest.json`). Deterministic: the same options give byte-identical files.
 *
 * @param {import('./generate.d.mts').GenerateOptions} options
 * @returns {Promise<import('./generate.d.mts').Manifest>}
 * @example
 * await generateMonth({ profile: 'bench', calls: '1m', out: 'bench/data/1m', seed: 1 });
 */
export async function generateMonth(options) {
  const o = normalizeOptions(options);
  await mkdir(o.out, { recursive: true });
  const started = performance.now();
  const made = o.profile === 'bench' ? await generateBench(o) : await generateSample(o);
  const manifest = {
    manifestVersion: 1,
    generatorVersion: GENERATOR_VERSION,
    profile: o.profile,
    seed: o.seed,
    calls: o.calls,
    ...(o.profile === 'bench' ? { discrepancyRate: o.discrepancyRate } : {}),
    period: PERIOD,
    timezone: TIMEZONE,
    periodUtc: { from: formatUtc(PERIOD_FROM), to: formatUtc(PERIOD_TO) },
    currency: CURRENCY,
    ...(made.pricePerMinute === undefined ? {} : { pricePerMinute: made.pricePerMinute }),
    command: [
      'reconcile',
      '--cdrs',
      'cdrs',
      '--bill',
      'bill.csv',
      '--tariff',
      'tariff.json',
      '--period',
      PERIOD,
      ...(made.files.numbers === undefined ? [] : ['--numbers', made.files.numbers.path]),
    ],
    files: made.files,
    injected: made.injected,
    expected: made.expected,
    ...(made.expectedRejected === undefined ? {} : { expectedRejected: made.expectedRejected }),
    ...(made.expectedDiscrepancies === undefined
      ? {}
      : { expectedDiscrepancies: made.expectedDiscrepancies }),
    ...(made.notes === undefined ? {} : { notes: made.notes }),
  };
  await writeFile(path.join(o.out, 'manifest.json'), json(manifest));
  if (o.profile === 'sample')
    await writeFile(path.join(o.out, 'README.md'), sampleReadme(manifest));
  o.log(
    `${o.profile}: ${o.calls} calls → ${o.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return manifest;
}

function sampleReadme(m) {
  const e = m.expected;
  const d = e.discrepancies;
  const i = m.injected;
  const n = m.notes.numbers;
  const tariffCharges = SAMPLE_TARIFF.charges;
  const chargeItems = Object.entries(e.charges.byItem)
    .map(
      ([item, sums]) =>
        `${item} ${sums.theirs} billed in ${sums.rows} row${sums.rows === 1 ? '' : 's'}, ${sums.ours} owed`,
    )
    .join('; ');
  const row = (kind, why) => `| \`${kind}\` | ${d[kind].count} | ${d[kind].impact} | ${why} |`;
  return `# The sample month: October 2026

A realistic month of a privacy-number service in Asia/Shanghai, made by
\`node bench/generate.mjs --profile sample --out fixtures/2026-10 --seed ${m.seed}\`
(do not edit by hand: change the generator and regenerate; a test checks that the
committed files are what the generator makes). \`manifest.json\` holds the expected result,
computed by the generator from the text it wrote, independently of the product.

Run it: \`npm start\` (the README's main command) or

    callrecon reconcile --cdrs fixtures/2026-10/cdrs --bill fixtures/2026-10/bill.csv \\
      --tariff fixtures/2026-10/tariff.json --period 2026-10 \\
      --numbers fixtures/2026-10/numbers.csv

## What is in it

- \`cdrs/\` — ${m.files.cdrs.length} NDJSON files of fee pushes, one per Shanghai week (named
  by its Monday), each line a push of 1–50 records: ${m.calls} calls, about 20 % unanswered.
  - Re-pushes, as the platform sends them when the receiver does not answer in time: whole
    pushes sent again a few lines later, and single records re-sent inside later pushes
    (${e.cdrs.duplicates} duplicate records in all).
  - ${d.CONFLICTING_CDR.count} conflicting records: a sessionId seen again later with another
    \`callEndTime\`; the first is kept (SPEC §3.6).
  - One \`callin\` status event (skipped and counted) and one push cut short mid-line (the
    receiver crashed while writing it; the platform re-sent it whole on the next line), which
    is rejected as \`INVALID_JSON\`.
  - Calls around both month boundaries: on 30 Sep local time (September: outside the period),
    on 30 Sep 16:xx UTC (already 1 Oct in Shanghai: inside), on 31 Oct 16:00–23:59 UTC and
    later on 1 Nov local (November: outside); one call answered at 23:59:20 on 30 Sep that
    ends in October (inside, but answered before the package starts), and one that starts on
    31 Oct and ends on 1 Nov (outside: the period goes by \`callEndTime\`).
  - A call answered on 15 Oct at 23:58:40 that ends after the price cut: rated at the old
    price, as the rate is chosen at \`fwdAnswerTime\` (SPEC §3.3).
  - An answered call of 0 seconds (nothing to bill), and calls on \`+86137…\`, a range no
    rate covers.
  - ${i.smsNotifications} SMS notifications (\`smsEvent\`, one a line, as Huawei pushes them in
    Notify mode; counted in \`cdrs.smsRecords\`, ${e.cdrs.smsRecords} with the re-push):
    ${i.smsInParts} long ones sent in parts (\`extInfo.extParas\` \`splitNum\` 2 or 3),
    ${i.smsFailed} that failed (\`sendResult\` 1: owes nothing), ${i.smsRepushed} pushed twice
    (owed once), and ${i.smsOutsidePeriod} sent on 30 Sep local time (September's).
- \`numbers.csv\` — the console's export of the ${i.numbers} virtual numbers (\`number\`,
  \`orderedAt\`, \`releasedAt\`, UTC): the ${i.numbers - 3} the calls use, held all month;
  \`${n.orderedMidMonth.number}\` ordered on ${n.orderedMidMonth.orderedAt} and
  \`${n.releasedEarly.number}\` released on ${n.releasedEarly.releasedAt} (each owes a whole
  month's rent, SPEC §4.5); and \`${n.releasedBeforePeriod.number}\`, released on
  ${n.releasedBeforePeriod.releasedAt}, which owes nothing this month. ${i.numbersHeld} numbers
  are held in October.
- \`tariff.json\` — CNY, Asia/Shanghai, half-up to 2 decimals:
  - \`+86138…\` at 0.12 a minute until 16 Oct 00:00 local, then 0.10 (two rates with the same
    \`when\` and adjacent validity), 60/60-second increments;
  - \`+86139…\` at 0.15 a minute, a first increment of 60 s then 6 s (so minutes such as
    \`2.3\` and amounts that need rounding);
  - a package of 5,000 minutes from 1 Oct, consumed in order of \`callEndTime\` then
    sessionId (SPEC §3.5). It runs out at ${m.notes.allowance.ranOutAt ?? 'no point this month'}.
  - \`charges\` (SPEC §4.5): rent ${tariffCharges.rentPerNumber} a number a month, SMS
    ${tariffCharges.smsPerMessage} a part, and the package at ${tariffCharges.packages[0].price}, billed in
    ${tariffCharges.packages[0].billedIn}.
- \`bill.csv\` — the provider's export (CRLF line ends; headers mostly canonical, a few spelt
  \`caller_num\` / \`Answer Time\`, and an extra \`billMonth\` column). It starts from the exact
  rating of SPEC §3, with package minutes, then carries the provider's mistakes below, plus
  ${e.bill.otherRows} non-call lines written from what we owe — the rent of every number in
  \`numbers.csv\`, the SMS parts sent from each number, the package fee — two of them wrong:
  the rent of \`${n.wrongRent.number}\` at ${n.wrongRent.amount}, and the rent of the number
  released in September; and one call line whose amount has a decimal comma (rejected as \`INVALID_AMOUNT\`; its call is therefore
  missing from the bill). Most lines name the call by \`sessionId\`, ${m.injected.byIcid} by
  \`icid\`, and ${m.injected.composite} have no id and match by caller, virtual number and
  answer time within 2 s — one of them with masked numbers (\`+86138****0021\`).

## Expected result (from \`manifest.json\`)

| kind | count | impact (CNY) | how it arises |
|---|---:|---:|---|
${row('MISSING_IN_BILL', 'calls left out of the bill, and the call whose line is unreadable')}
${row('MISSING_IN_CDRS', 'bill lines for calls whose pushes never arrived')}
${row('DUPLICATE_IN_BILL', 'a line exported twice')}
${row('PERIOD_MISMATCH', 'calls of 30 Sep and 1 Nov (local) on the October bill')}
${row('UNANSWERED_BILLED', 'unanswered calls billed from the ringing time (one more is billed at 0.00: clean)')}
${row('NO_TARIFF', 'answered calls on `+86137…`; two billed, two not')}
${row('DURATION_MISMATCH', 'the provider measured a longer call')}
${row('MINUTES_MISMATCH', 'right seconds, whole minutes billed on the 6-second range')}
${row('RATE_MISMATCH', 'the old price after the 16 Oct cut')}
${row('PACKAGE_MISMATCH', 'calls the package covered, charged in full')}
${row('AMOUNT_MISMATCH', 'amounts rounded down instead of half-up')}
${row('CONFLICTING_CDR', 'the conflicting records')}
${row('CHARGE_MISMATCH', `the rent of one number billed at ${n.wrongRent.amount}`)}
${row('UNEXPECTED_CHARGE', 'the rent of a number released in September')}

- Calls (CNY): ours ${e.totals.ours}, theirs ${e.totals.theirs};
  difference ${e.totals.difference} = explained ${e.totals.explained}, unexplained ${e.totals.unexplained}.
- Other charges (CNY): ours ${e.charges.ours}, theirs ${e.charges.theirs}
  (${chargeItems}); difference ${e.charges.difference} = explained ${e.charges.explained},
  unexplained ${e.charges.unexplained}.
- The whole invoice (CNY): ours ${e.invoice.ours}, theirs ${e.invoice.theirs}, difference
  ${e.invoice.difference}; to claim back ${e.totals.claimable}, under-billed ${e.totals.underBilled}.
- Minutes: ours ${e.minutes.ours}, theirs ${e.minutes.theirs}.
- CDRs: ${e.cdrs.records} records read = ${e.cdrs.kept} kept + ${e.cdrs.duplicates} duplicates + ${e.cdrs.conflicts} conflicts + ${e.cdrs.rejected} rejected;
  ${e.cdrs.skippedEvents} skipped event and ${e.cdrs.smsRecords} SMS notifications besides; ${e.cdrs.inPeriod} kept calls in the period, ${e.cdrs.answeredInPeriod} of them answered.
- Bill: ${e.bill.rows} rows = ${e.bill.callRows} call rows + ${e.bill.otherRows} other rows + ${e.bill.rejected} rejected.
- Matched: ${e.matched.byId} by id, ${e.matched.byComposite} by composite key; ${e.matched.clean} clean.
- \`rejected.csv\`: ${m.expectedRejected.length} rows, the cut-short push line and the line with the decimal comma.

\`expectedDiscrepancies\` in the manifest lists every discrepancy with its call.
`;
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i += 1;
    if (flag === '--profile') options.profile = value;
    else if (flag === '--calls') options.calls = value;
    else if (flag === '--out') options.out = value;
    else if (flag === '--seed') options.seed = Number(value);
    else if (flag === '--discrepancy-rate') options.discrepancyRate = Number(value);
    else if (flag === '--price') options.pricePerMinute = value;
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const options = parseArgs(process.argv.slice(2));
    options.out ??= path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      'data',
      callCountLabel(parseCallCount(options.calls ?? '100k')),
    );
    await generateMonth({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
