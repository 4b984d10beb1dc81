#!/usr/bin/env node
/**
 * The baseline: the bench month's reconciliation written as SQL in DuckDB, to measure
 * callrecon against a good columnar engine doing comparable work on the same files.
 *
 * What the SQL does (the bench month's rules; SPEC §3–§4 where they apply):
 * - reads the NDJSON pushes (`read_json`, `unnest(feeLst)`), skips non-fee events, keeps
 *   the first record per sessionId in input order (file, line, position in the push) and
 *   counts re-pushes; a sessionId seen with different fields counts as conflicting;
 * - rates with one per-minute price and 60/60 increments, no packages:
 *   `seconds = ceil(ms / 1000)`, `minutes = ceil(ms / 60000)`, `amount = minutes · price`
 *   in exact DECIMAL arithmetic, rounded half-up to 2 decimals;
 * - the period is `[first day, next month)` of `period` in `timezone`, by callEndTime;
 * - reads the bill CSV; a call row whose amount is not a plain decimal is rejected;
 * - matches by id only (`callId` = sessionId): the first row per callId in file order is
 *   the pair, later ones duplicates; no composite matching, no icid (the bench bill has
 *   an id on every row);
 * - classifies each pair with SPEC §4.2's rules in order (amount tolerance 0).
 *
 * Two queries (`--query faithful|lean`, default faithful):
 * - faithful: as above, reading the eight fields callrecon keeps, detecting conflicting
 *   re-pushes by a hash of those fields, and matching later bill rows in a second join;
 * - lean: the least work that still gives the same discrepancies on the bench month —
 *   `read_json` with an explicit `columns` struct naming only the six fee fields needed
 *   (sessionId, the three numbers, the two times), `unnest(feeLst)`, a keyed dedupe
 *   (`arg_min` by input position), one full outer join on the id, and the `COPY` of the
 *   discrepancies. It skips conflict detection: `cdrs.conflictingSessions` is null.
 *
 * The classes carry the names of SPEC §4.3's kinds they reproduce: MISSING_IN_BILL,
 * MISSING_IN_CDRS, DUPLICATE_IN_BILL, PERIOD_MISMATCH, UNANSWERED_BILLED,
 * DURATION_MISMATCH (billedSeconds ≠ ours), MINUTES_MISMATCH (billedMinutes ≠ ours),
 * RATE_MISMATCH (unitPrice ≠ the price), AMOUNT_MISMATCH (amount ≠ ours). With one rate
 * and no packages, NO_TARIFF and PACKAGE_MISMATCH cannot arise; CONFLICTING_CDR is
 * reported as a count of conflicting sessionIds.
 *
 * Usage (prints a JSON result on stdout, or writes it to --result):
 *   node bench/duckdb.mjs --cdrs bench/data/1m/cdrs --bill bench/data/1m/bill.csv \
 *     --price 0.12 --period 2026-10 --timezone Asia/Shanghai --out /tmp/d.csv --threads 2
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { DuckDBInstance } from '@duckdb/node-api';

/**
 * @typedef {object} DuckDBResult
 * @property {'duckdb'} engine
 * @property {number} threads
 * @property {string[]} cdrFiles the files read, in input order
 * @property {string[]} billFiles
 * @property {string} outCsv
 * @property {{ records: number, kept: number, duplicates: number, conflictingSessions: number,
 *   inPeriod: number, answeredInPeriod: number }} cdrs
 * @property {{ rows: number, callRows: number, otherRows: number, rejected: number }} bill
 * @property {Record<string, { count: number, impact: string }>} discrepancies by class
 * @property {{ ours: string, theirs: string, otherCharges: string, unexplained: string }} totals
 * @property {{ ours: string, theirs: string }} minutes
 * @property {Record<string, number>} timings seconds per step, and `total`
 */

/** The classes the SQL reports, in the order results list them. */
export const DUCKDB_CLASSES = Object.freeze([
  'MISSING_IN_BILL',
  'MISSING_IN_CDRS',
  'DUPLICATE_IN_BILL',
  'PERIOD_MISMATCH',
  'UNANSWERED_BILLED',
  'DURATION_MISMATCH',
  'MINUTES_MISMATCH',
  'RATE_MISMATCH',
  'AMOUNT_MISMATCH',
]);

const CDR_EXTENSIONS = ['.ndjson', '.jsonl'];

/** SQL text literal. */
function text(value) {
  return `'${String(value).replace(/'/g, "''")}'`;
}

function list(values) {
  return `[${values.map(text).join(', ')}]`;
}

/** Files below a path with one of the extensions, in byte order of their paths. */
async function expand(paths, extensions) {
  const found = [];
  const walk = async (p) => {
    const info = await stat(p);
    if (info.isDirectory()) {
      for (const name of await readdir(p)) await walk(path.join(p, name));
    } else if (extensions.some((ext) => p.endsWith(ext))) {
      found.push(p);
    }
  };
  for (const p of paths) {
    const info = await stat(p);
    if (info.isDirectory()) await walk(p);
    else found.push(p);
  }
  return found.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/**
 * Reconciles the bench month in DuckDB and writes the discrepancies as CSV.
 *
 * @param {object} options
 * @param {string[]} options.cdrFiles NDJSON push files or folders of them
 * @param {string[]} options.billFiles bill CSV files
 * @param {string} options.pricePerMinute the single rate, a decimal string (e.g. `'0.12'`)
 * @param {string} options.outCsv where the discrepancies go
 * @param {number} [options.threads] DuckDB threads (default 2)
 * @param {string} [options.period] `YYYY-MM`; without it every call is in the period
 * @param {string} [options.timezone] the period's zone (default `UTC`)
 * @param {string} [options.memoryLimit] DuckDB's memory_limit, e.g. `'2GB'` (default: DuckDB's)
 * @param {'faithful' | 'lean'} [options.query] which query (default faithful; see above)
 * @returns {Promise<DuckDBResult>}
 * @example
 * const result = await reconcileWithDuckDB({
 *   cdrFiles: ['bench/data/1m/cdrs'], billFiles: ['bench/data/1m/bill.csv'],
 *   pricePerMinute: '0.12', outCsv: '/tmp/discrepancies.csv', period: '2026-10',
 *   timezone: 'Asia/Shanghai',
 * });
 */
export async function reconcileWithDuckDB({
  cdrFiles,
  billFiles,
  pricePerMinute,
  outCsv,
  threads = 2,
  period,
  timezone = 'UTC',
  memoryLimit,
  query = 'faithful',
}) {
  if (query !== 'faithful' && query !== 'lean') {
    throw new Error(`query must be faithful or lean, not '${query}'`);
  }
  const lean = query === 'lean';
  if (!/^\d+(\.\d+)?$/.test(String(pricePerMinute))) {
    throw new Error(`pricePerMinute must be a plain decimal string, not '${pricePerMinute}'`);
  }
  if (period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) {
    throw new Error(`period must be YYYY-MM, not '${period}'`);
  }
  const cdrs = await expand(cdrFiles, CDR_EXTENSIONS);
  const bills = await expand(billFiles, ['.csv']);
  if (cdrs.length === 0) throw new Error('no CDR files (.ndjson, .jsonl) found');
  if (bills.length === 0) throw new Error('no bill files (.csv) found');

  const timings = {};
  const started = performance.now();
  let mark = started;
  const lap = (name) => {
    const now = performance.now();
    timings[name] = Number(((now - mark) / 1000).toFixed(3));
    mark = now;
  };

  const config = { threads: String(threads) };
  if (memoryLimit !== undefined) config.memory_limit = memoryLimit;
  const instance = await DuckDBInstance.create(':memory:', config);
  const db = await instance.connect();
  const rows = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson();
  lap('open');

  const price = `CAST(${text(pricePerMinute)} AS DECIMAL(18, 6))`;
  let periodFrom = "TIMESTAMP '-infinity'";
  let periodTo = "TIMESTAMP 'infinity'";
  if (period !== undefined) {
    const [year, month] = period.split('-').map(Number);
    const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
    // The zone's midnight as a UTC wall time, like the files' times.
    const utc = (day) =>
      `((TIMESTAMP '${day}-01 00:00:00' AT TIME ZONE ${text(timezone)}) AT TIME ZONE 'UTC')`;
    periodFrom = utc(period);
    periodTo = utc(next);
  }

  // CDRs: one row per kept call, with our rating.
  await db.run(`
    CREATE TEMP TABLE ours AS
    ${lean ? leanKept(list(cdrs)) : faithfulKept(list(cdrs))},
    timed AS (
      SELECT sessionId, copies, conflicting, f.callerNum, f.bindNum, f.fwdDstNum,
        TRY_CAST(NULLIF(f.fwdAnswerTime, '') AS TIMESTAMP) AS answerTime,
        TRY_CAST(NULLIF(f.callEndTime, '') AS TIMESTAMP) AS endTime
      FROM kept
    ),
    measured AS (
      SELECT *, CASE WHEN answerTime IS NULL THEN 0
          ELSE epoch_ms(endTime) - epoch_ms(answerTime) END AS ms
      FROM timed
    )
    SELECT sessionId, copies, conflicting, callerNum, bindNum, fwdDstNum, answerTime, endTime,
      answerTime IS NOT NULL AS answered,
      endTime >= ${periodFrom} AND endTime < ${periodTo} AS inPeriod,
      (ms + 999) // 1000 AS seconds,
      (ms + 59999) // 60000 AS minutes,
      ROUND(CAST((ms + 59999) // 60000 AS DECIMAL(18, 0)) * ${price}, 2) AS amount
    FROM measured
  `);
  lap('loadCdrs');

  // The bill: every data row, with its line for "first in file order".
  await db.run(
    lean
      ? leanBill(list(bills))
      : `
    CREATE TEMP TABLE bill AS
    SELECT ordinality + 1 AS line,
      NULLIF(callId, '') AS callId, callerNum, privateNum, calleeNum,
      TRY_CAST(NULLIF(answerTime, '') AS TIMESTAMP) AS answerTime,
      TRY_CAST(NULLIF(endTime, '') AS TIMESTAMP) AS endTime,
      TRY_CAST(NULLIF(billedSeconds, '') AS BIGINT) AS seconds,
      TRY_CAST(NULLIF(billedMinutes, '') AS DECIMAL(18, 6)) AS minutes,
      TRY_CAST(NULLIF(unitPrice, '') AS DECIMAL(18, 6)) AS unitPrice,
      CASE WHEN regexp_full_match(amount, '-?[0-9]+(\\.[0-9]+)?')
        THEN CAST(amount AS DECIMAL(18, 6)) END AS amount,
      COALESCE(NULLIF(item, ''), 'call') AS item
    FROM read_csv(${list(bills)}, header = true, all_varchar = true) WITH ORDINALITY
  `,
  );
  lap('loadBill');

  const faithfulDiscrepancies = `
    CREATE TEMP TABLE disc AS
    WITH calls AS (
      SELECT *, row_number() OVER (PARTITION BY callId ORDER BY line) AS k
      FROM bill WHERE item = 'call' AND amount IS NOT NULL
    ),
    pairs AS (
      SELECT b.line, b.callId, b.amount AS amountTheirs,
        COALESCE(b.seconds, CAST(epoch(b.endTime - b.answerTime) AS BIGINT)) AS secondsTheirs,
        b.minutes AS minutesTheirs, b.unitPrice AS unitPriceTheirs,
        c.sessionId, c.answered, c.inPeriod, c.seconds AS secondsOurs,
        c.minutes AS minutesOurs, c.amount AS amountOurs,
        COALESCE(c.callerNum, b.callerNum) AS callerNum,
        COALESCE(c.bindNum, b.privateNum) AS privateNum,
        COALESCE(c.fwdDstNum, b.calleeNum) AS calleeNum,
        COALESCE(c.answerTime, b.answerTime) AS answerTime,
        COALESCE(c.endTime, b.endTime) AS endTime
      FROM (SELECT * FROM calls WHERE k = 1) b
      FULL OUTER JOIN ours c ON b.callId = c.sessionId
    ),
    classified AS (
      SELECT *, CASE
          WHEN sessionId IS NULL THEN 'MISSING_IN_CDRS'
          WHEN line IS NULL THEN CASE
            WHEN inPeriod AND answered AND secondsOurs > 0 THEN 'MISSING_IN_BILL' END
          WHEN NOT inPeriod THEN 'PERIOD_MISMATCH'
          WHEN NOT answered THEN CASE
            WHEN amountTheirs > 0 OR COALESCE(minutesTheirs, 0) > 0 THEN 'UNANSWERED_BILLED' END
          WHEN secondsTheirs <> secondsOurs THEN 'DURATION_MISMATCH'
          WHEN minutesTheirs <> minutesOurs THEN 'MINUTES_MISMATCH'
          WHEN unitPriceTheirs <> ${price} THEN 'RATE_MISMATCH'
          WHEN amountTheirs <> amountOurs THEN 'AMOUNT_MISMATCH'
        END AS kind
      FROM pairs
    ),
    later AS (
      SELECT CASE WHEN c.sessionId IS NULL THEN 'MISSING_IN_CDRS' ELSE 'DUPLICATE_IN_BILL' END
          AS kind,
        COALESCE(c.sessionId, b.callId) AS callId, b.line, b.amount AS amountTheirs,
        COALESCE(b.seconds, CAST(epoch(b.endTime - b.answerTime) AS BIGINT)) AS secondsTheirs,
        b.minutes AS minutesTheirs, b.unitPrice AS unitPriceTheirs,
        c.seconds AS secondsOurs, c.minutes AS minutesOurs, c.amount AS amountOurs,
        COALESCE(c.callerNum, b.callerNum) AS callerNum,
        COALESCE(c.bindNum, b.privateNum) AS privateNum,
        COALESCE(c.fwdDstNum, b.calleeNum) AS calleeNum,
        COALESCE(c.answerTime, b.answerTime) AS answerTime,
        COALESCE(c.endTime, b.endTime) AS endTime
      FROM (SELECT * FROM calls WHERE k > 1) b
      LEFT JOIN ours c ON b.callId = c.sessionId
    )
    SELECT kind, COALESCE(sessionId, callId) AS callId, line,
      CASE
        WHEN kind = 'MISSING_IN_BILL' THEN -amountOurs
        WHEN kind IN ('MISSING_IN_CDRS', 'PERIOD_MISMATCH', 'UNANSWERED_BILLED') THEN amountTheirs
        ELSE amountTheirs - amountOurs
      END AS impact,
      amountOurs, amountTheirs, secondsOurs, secondsTheirs, minutesOurs, minutesTheirs,
      CASE WHEN sessionId IS NOT NULL THEN ${price} END AS unitPriceOurs, unitPriceTheirs,
      callerNum, privateNum, calleeNum, answerTime, endTime
    FROM classified WHERE kind IS NOT NULL
    UNION ALL
    SELECT kind, callId, line, amountTheirs AS impact,
      amountOurs, amountTheirs, secondsOurs, secondsTheirs, minutesOurs, minutesTheirs,
      CASE WHEN secondsOurs IS NOT NULL THEN ${price} END AS unitPriceOurs, unitPriceTheirs,
      callerNum, privateNum, calleeNum, answerTime, endTime
    FROM later
  `;
  await db.run(lean ? leanDiscrepancies(price) : faithfulDiscrepancies);
  lap('classify');

  await db.run(`
    COPY (
      SELECT kind, callId,
        CASE WHEN kind IN ('MISSING_IN_BILL', 'MISSING_IN_CDRS') THEN '' ELSE 'id' END AS matchedBy,
        CAST(ROUND(impact, 2) AS DECIMAL(18, 2)) AS impact,
        CAST(ROUND(amountOurs, 2) AS DECIMAL(18, 2)) AS amountOurs,
        CAST(ROUND(amountTheirs, 2) AS DECIMAL(18, 2)) AS amountTheirs,
        secondsOurs, secondsTheirs, minutesOurs, minutesTheirs, unitPriceOurs, unitPriceTheirs,
        callerNum, privateNum, calleeNum, answerTime, endTime, line AS billLine
      FROM disc
      ORDER BY abs(impact) DESC, kind, callId, line
    ) TO ${text(outCsv)} (HEADER, DELIMITER ',')
  `);
  lap('writeCsv');

  const [cdrStats] = await rows(`
    SELECT sum(copies)::BIGINT AS records, count(*)::BIGINT AS kept,
      (sum(copies) - count(*))::BIGINT AS duplicates,
      count(*) FILTER (WHERE conflicting)::BIGINT AS conflictingSessions,
      count(*) FILTER (WHERE inPeriod)::BIGINT AS inPeriod,
      count(*) FILTER (WHERE inPeriod AND answered)::BIGINT AS answeredInPeriod,
      COALESCE(sum(amount) FILTER (WHERE inPeriod AND answered), 0)::VARCHAR AS ours,
      COALESCE(sum(minutes) FILTER (WHERE inPeriod AND answered), 0)::VARCHAR AS minutesOurs
    FROM ours
  `);
  const [billStats] = await rows(`
    SELECT count(*)::BIGINT AS rows,
      count(*) FILTER (WHERE item = 'call' AND amount IS NOT NULL)::BIGINT AS callRows,
      count(*) FILTER (WHERE item <> 'call' AND amount IS NOT NULL)::BIGINT AS otherRows,
      count(*) FILTER (WHERE amount IS NULL)::BIGINT AS rejected,
      COALESCE(sum(amount) FILTER (WHERE item = 'call'), 0)::VARCHAR AS theirs,
      COALESCE(sum(amount) FILTER (WHERE item <> 'call'), 0)::VARCHAR AS otherCharges,
      COALESCE(sum(minutes) FILTER (WHERE item = 'call' AND amount IS NOT NULL), 0)::VARCHAR
        AS minutesTheirs
    FROM bill
  `);
  const byKind = await rows(`
    SELECT kind, count(*)::BIGINT AS count, sum(impact)::VARCHAR AS impact
    FROM disc GROUP BY kind
  `);
  const [balance] = await rows(`
    SELECT ((SELECT COALESCE(sum(amount) FILTER (WHERE item = 'call'), 0) FROM bill)
      - (SELECT COALESCE(sum(amount) FILTER (WHERE inPeriod AND answered), 0) FROM ours)
      - (SELECT COALESCE(sum(impact), 0) FROM disc))::VARCHAR AS unexplained
  `);
  lap('totals');
  db.closeSync();
  instance.closeSync();

  const discrepancies = Object.fromEntries(
    DUCKDB_CLASSES.map((kind) => [kind, { count: 0, impact: '0.00' }]),
  );
  for (const { kind, count, impact } of byKind) {
    discrepancies[kind] = { count: Number(count), impact: money(impact) };
  }
  return {
    engine: 'duckdb',
    query,
    threads,
    cdrFiles: cdrs,
    billFiles: bills,
    outCsv,
    cdrs: {
      records: Number(cdrStats.records),
      kept: Number(cdrStats.kept),
      duplicates: Number(cdrStats.duplicates),
      conflictingSessions: lean ? null : Number(cdrStats.conflictingSessions),
      inPeriod: Number(cdrStats.inPeriod),
      answeredInPeriod: Number(cdrStats.answeredInPeriod),
    },
    bill: {
      rows: Number(billStats.rows),
      callRows: Number(billStats.callRows),
      otherRows: Number(billStats.otherRows),
      rejected: Number(billStats.rejected),
    },
    discrepancies,
    totals: {
      ours: money(cdrStats.ours),
      theirs: money(billStats.theirs),
      otherCharges: money(billStats.otherCharges),
      unexplained: money(balance.unexplained),
    },
    minutes: {
      ours: trimZeros(cdrStats.minutesOurs),
      theirs: trimZeros(billStats.minutesTheirs),
    },
    timings: { ...timings, total: Number(((performance.now() - started) / 1000).toFixed(3)) },
  };
}

/**
 * The lean query's discrepancies: every bill call row numbered within its id, one full
 * outer join on the id, each pair classified by SPEC §4.2's rules in order; a later row
 * of an id is a DUPLICATE_IN_BILL (or MISSING_IN_CDRS when no call has the id).
 */
function leanDiscrepancies(price) {
  return `
    CREATE TEMP TABLE disc AS
    WITH calls AS (
      SELECT *, row_number() OVER (PARTITION BY callId ORDER BY line) AS k
      FROM bill WHERE item = 'call' AND amount IS NOT NULL
    ),
    pairs AS (
      SELECT b.k, b.line, b.callId, b.amount AS amountTheirs,
        COALESCE(b.seconds, CAST(epoch(b.endTime - b.answerTime) AS BIGINT)) AS secondsTheirs,
        b.minutes AS minutesTheirs, b.unitPrice AS unitPriceTheirs,
        c.sessionId, c.answered, c.inPeriod, c.seconds AS secondsOurs,
        c.minutes AS minutesOurs, c.amount AS amountOurs,
        COALESCE(c.callerNum, b.callerNum) AS callerNum,
        COALESCE(c.bindNum, b.privateNum) AS privateNum,
        COALESCE(c.fwdDstNum, b.calleeNum) AS calleeNum,
        COALESCE(c.answerTime, b.answerTime) AS answerTime,
        COALESCE(c.endTime, b.endTime) AS endTime
      FROM calls b
      FULL OUTER JOIN ours c ON b.callId = c.sessionId
    ),
    classified AS (
      SELECT *, CASE
          WHEN sessionId IS NULL THEN 'MISSING_IN_CDRS'
          WHEN line IS NULL THEN CASE
            WHEN inPeriod AND answered AND secondsOurs > 0 THEN 'MISSING_IN_BILL' END
          WHEN k > 1 THEN 'DUPLICATE_IN_BILL'
          WHEN NOT inPeriod THEN 'PERIOD_MISMATCH'
          WHEN NOT answered THEN CASE
            WHEN amountTheirs > 0 OR COALESCE(minutesTheirs, 0) > 0 THEN 'UNANSWERED_BILLED' END
          WHEN secondsTheirs <> secondsOurs THEN 'DURATION_MISMATCH'
          WHEN minutesTheirs <> minutesOurs THEN 'MINUTES_MISMATCH'
          WHEN unitPriceTheirs <> ${price} THEN 'RATE_MISMATCH'
          WHEN amountTheirs <> amountOurs THEN 'AMOUNT_MISMATCH'
        END AS kind
      FROM pairs
    )
    SELECT kind, COALESCE(sessionId, callId) AS callId, line,
      CASE
        WHEN kind = 'MISSING_IN_BILL' THEN -amountOurs
        WHEN kind IN ('MISSING_IN_CDRS', 'PERIOD_MISMATCH', 'UNANSWERED_BILLED',
          'DUPLICATE_IN_BILL') THEN amountTheirs
        ELSE amountTheirs - amountOurs
      END AS impact,
      amountOurs, amountTheirs, secondsOurs, secondsTheirs, minutesOurs, minutesTheirs,
      CASE WHEN sessionId IS NOT NULL THEN ${price} END AS unitPriceOurs, unitPriceTheirs,
      callerNum, privateNum, calleeNum, answerTime, endTime
    FROM classified WHERE kind IS NOT NULL
  `;
}

/**
 * The faithful query's kept calls: the first record of each sessionId in input order (file,
 * line, position in the push), its copies, and whether they differ (conflicting).
 */
function faithfulKept(files) {
  return `
    WITH fee AS (
      SELECT ordinality AS line, unnest(feeLst) AS f, generate_subscripts(feeLst, 1) AS pos
      FROM read_json(${files}, format = 'newline_delimited',
        columns = {eventType: 'VARCHAR', feeLst: 'STRUCT(sessionId VARCHAR, callerNum VARCHAR,
          bindNum VARCHAR, fwdDstNum VARCHAR, fwdAnswerTime VARCHAR, callEndTime VARCHAR,
          serviceType VARCHAR, direction VARCHAR)[]'}) WITH ORDINALITY
      WHERE eventType = 'fee'
    ),
    kept AS (
      SELECT f.sessionId AS sessionId,
        arg_min(f, line * 1048576 + pos) AS f,
        count(*) AS copies,
        min(hash(f.fwdAnswerTime, f.callEndTime, f.callerNum, f.bindNum, f.fwdDstNum,
          f.serviceType, f.direction))
          <> max(hash(f.fwdAnswerTime, f.callEndTime, f.callerNum, f.bindNum, f.fwdDstNum,
          f.serviceType, f.direction)) AS conflicting
      FROM fee
      GROUP BY f.sessionId
    )`;
}

/**
 * The lean query's kept calls: six fields read, one row per sessionId with its copies. No
 * conflict detection, so every copy of a sessionId is taken as the same record: any of them
 * stands for the first.
 */
function leanKept(files) {
  return `
    WITH fee AS (
      SELECT unnest(feeLst, recursive := true)
      FROM read_json(${files}, format = 'newline_delimited',
        columns = {eventType: 'VARCHAR', feeLst: 'STRUCT(sessionId VARCHAR, callerNum VARCHAR,
          bindNum VARCHAR, fwdDstNum VARCHAR, fwdAnswerTime VARCHAR, callEndTime VARCHAR)[]'})
      WHERE eventType = 'fee'
    ),
    kept AS (
      SELECT sessionId, count(*) AS copies, NULL::BOOLEAN AS conflicting,
        struct_pack(callerNum := any_value(callerNum), bindNum := any_value(bindNum),
          fwdDstNum := any_value(fwdDstNum), fwdAnswerTime := any_value(fwdAnswerTime),
          callEndTime := any_value(callEndTime)) AS f
      FROM fee
      GROUP BY sessionId
    )`;
}

/**
 * The lean query's bill: typed columns read as such (a well-formed bill is assumed: a cell
 * that is not of its type fails the run instead of rejecting the row).
 */
function leanBill(files) {
  return `
    CREATE TEMP TABLE bill AS
    SELECT ordinality + 1 AS line, NULLIF(callId, '') AS callId, callerNum, privateNum,
      calleeNum, answerTime, endTime, billedSeconds AS seconds, billedMinutes AS minutes,
      unitPrice, amount, COALESCE(NULLIF(item, ''), 'call') AS item
    FROM read_csv(${files}, header = true, columns = {callId: 'VARCHAR', callerNum: 'VARCHAR',
      privateNum: 'VARCHAR', calleeNum: 'VARCHAR', answerTime: 'TIMESTAMP',
      endTime: 'TIMESTAMP', billedSeconds: 'BIGINT', billedMinutes: 'DECIMAL(18, 6)',
      unitPrice: 'DECIMAL(18, 6)', amount: 'DECIMAL(18, 6)', currency: 'VARCHAR',
      item: 'VARCHAR'}) WITH ORDINALITY
  `;
}

/** A DECIMAL's text with exactly 2 decimals (the bench amounts never have more). */
function money(value) {
  const [whole, fraction = ''] = String(value).split('.');
  if (/[1-9]/.test(fraction.slice(2))) throw new Error(`${value} has more than 2 decimals`);
  return `${whole}.${fraction.slice(0, 2).padEnd(2, '0')}`;
}

function trimZeros(value) {
  const s = String(value);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

function parseArgs(argv) {
  const options = { cdrFiles: [], billFiles: [] };
  let target = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      if (target === null) throw new Error(`unexpected argument ${arg}`);
      options[target].push(arg);
      continue;
    }
    target = null;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--cdrs') target = 'cdrFiles';
    else if (arg === '--bill') target = 'billFiles';
    else if (arg === '--price') options.pricePerMinute = value();
    else if (arg === '--out') options.outCsv = value();
    else if (arg === '--threads') options.threads = Number(value());
    else if (arg === '--period') options.period = value();
    else if (arg === '--timezone') options.timezone = value();
    else if (arg === '--memory-limit') options.memoryLimit = value();
    else if (arg === '--query') options.query = value();
    else if (arg === '--result') options.result = value();
    else throw new Error(`unknown option ${arg}`);
  }
  if (options.pricePerMinute === undefined || options.outCsv === undefined) {
    throw new Error('--price and --out are required');
  }
  return options;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { result: resultFile, ...options } = parseArgs(process.argv.slice(2));
    const result = await reconcileWithDuckDB(options);
    const body = `${JSON.stringify(result, null, 2)}\n`;
    if (resultFile === undefined) process.stdout.write(body);
    else await writeFile(resultFile, body);
  } catch (error) {
    process.stderr.write(`duckdb: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
