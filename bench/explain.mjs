#!/usr/bin/env node
/**
 * What explaining the difference costs (SPEC §4.6, §4.7): the bridge's steps of every
 * mismatched pair (`pairSteps`), the inference's evidence of every matched pair
 * (`PolicyEvidence.add`) and the finding at the end (`inferPolicy`), against the whole
 * in-memory reconciliation of the same month.
 *
 *   npm run bench:explain                       # 1m calls, 1 % mismatched, 3 rates
 *   npm run bench:explain -- --calls 200000 --repeat 5
 *
 * The month is built in memory (no files): matched call/bill-row pairs, the bill rated as
 * the tariff says except about 1 % of rows (a minute more, another price, a cent more).
 * Each figure is the median of `--repeat` runs (default 3). The explanation's share is its
 * time over the same pairs, run alone, as a ratio of the whole `reconcile` of the month.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;
if (!existsSync(path.join(root, 'dist', 'index.js'))) {
  console.error('bench/explain: build first (npm run build)');
  process.exit(2);
}
const lib = await import(dist('index.js'));
const { pairSteps } = await import(dist('core/reconcile/steps.js'));
const { PolicyEvidence } = await import(dist('core/reconcile/infer.js'));
const { inferPolicy } = await import(dist('core/reconcile/infer-policy.js'));
const { readBillRow } = await import(dist('core/reconcile/bill.js'));
const { planRun } = await import(dist('core/reconcile/plan.js'));

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1];
}

function count(text) {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text);
  if (match === null) throw new Error(`--calls ${text}: give a number like 1m, 200k or 50000`);
  const scale = { '': 1, k: 1e3, m: 1e6 }[match[2].toLowerCase()];
  return Math.round(Number(match[1]) * scale);
}

const calls = count(option('calls', '1m'));
const repeat = Number(option('repeat', '3'));

const TARIFF = {
  currency: 'CNY',
  timezone: 'Asia/Shanghai',
  rates: [
    { id: 'x138', pricePerMinute: '0.12', when: { privateNumPrefix: '+86138' } },
    { id: 'x139', pricePerMinute: '0.15', when: { privateNumPrefix: '+86139' } },
    {
      id: 'x137',
      pricePerMinute: '0.1',
      when: { privateNumPrefix: '+86137' },
      firstIncrementSeconds: 60,
      nextIncrementSeconds: 6,
    },
  ],
};
const PREFIXES = ['+86138', '+86139', '+86137'];
const CENTS_PER_MINUTE = [12, 15, 10];
const MONTH_START_MS = Date.UTC(2026, 8, 30, 16); // 2026-10-01 00:00 in Shanghai
const MONTH_MS = 31 * 86_400_000;

function huaweiTime(ms) {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function billedSeconds(seconds, rate) {
  if (seconds === 0) return 0;
  const [first, next] = rate === 2 ? [60, 6] : [60, 60];
  return seconds <= first ? first : first + Math.ceil((seconds - first) / next) * next;
}

/** The month: fee records and bill rows as reader items, and which rows are mismatched. */
function buildMonth(n) {
  const next = createRng(1, 'explain').float;
  const cdrs = new Array(n);
  const bill = new Array(n);
  let mismatched = 0;
  for (let i = 0; i < n; i++) {
    const rate = i % 3;
    const answer = MONTH_START_MS + Math.floor(next() * (MONTH_MS - 3_600_000));
    // Lengths recur (a few hundred values), as a month's calls do.
    const seconds = 1 + Math.floor(next() ** 2 * 900);
    const id = `s-${String(i).padStart(8, '0')}@callenabler.example`;
    const bindNum = `${PREFIXES[rate]}${String(10_000_000 + (i % 5000)).slice(1)}`;
    cdrs[i] = {
      type: 'fee',
      source: 'cdrs.ndjson',
      line: i + 1,
      record: {
        sessionId: id,
        callerNum: `+86135${String(10_000_000 + (i % 20_000)).slice(1)}`,
        bindNum,
        fwdDstNum: '+8613900001000',
        fwdAnswerTime: huaweiTime(answer),
        callEndTime: huaweiTime(answer + seconds * 1000),
        direction: '0',
        serviceType: '004',
      },
    };
    let billed = billedSeconds(seconds, rate);
    let cents = CENTS_PER_MINUTE[rate];
    let extraCents = 0;
    const change = next();
    if (change < 0.01) {
      mismatched++;
      if (change < 0.004) billed += 60;
      else if (change < 0.007) cents += 1;
      else extraCents = 1;
    }
    // micros = billed × cents / 60 × 10^4, rounded half-up to cents
    const amountCents = Math.floor((billed * cents + 30) / 60) + extraCents;
    const minutes = billed % 6 === 0 ? String(billed / 60) : (billed / 60).toFixed(6);
    bill[i] = {
      type: 'row',
      source: 'bill.csv',
      line: i + 2,
      row: {
        callId: id,
        billedSeconds: String(seconds),
        billedMinutes: minutes,
        unitPrice: (cents / 100).toString(),
        amount: (amountCents / 100).toFixed(2),
      },
    };
  }
  return { cdrs, bill, mismatched };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const tariff = lib.parseTariff(TARIFF);
const options = { tariff, period: '2026-10' };
console.log(`building ${calls.toLocaleString('en')} matched pairs in memory…`);
const month = buildMonth(calls);

// The pairs as the core holds them: our rated calls and the parsed bill rows.
const first = await lib.reconcile({ cdrs: month.cdrs, bill: month.bill }, options);
const plan = planRun(options);
const context = { currency: tariff.currency, billZone: plan.billZone, items: plan.items };
const callOf = new Map(first.ratedCalls.map((call) => [call.callId, call]));
const pairs = month.bill.map((item, i) => {
  const read = readBillRow(item.row, i, item.source, item.line, context);
  if (!read.ok) throw new Error(`row ${item.line}: ${read.issue.reason}`);
  return [callOf.get(item.row.callId), read.value];
});
const mismatchedIds = new Set(
  first.discrepancies.filter((row) => row.stepDuration !== '').map((row) => row.callId),
);
const mismatchedPairs = pairs.filter(([call]) => mismatchedIds.has(call.callId));
callOf.clear();

const whole = [];
const explain = [];
const parts = { evidence: [], steps: [], infer: [] };
let summary;
for (let run = 0; run < repeat; run++) {
  globalThis.gc?.();
  let started = performance.now();
  const result = await lib.reconcile({ cdrs: month.cdrs, bill: month.bill }, options);
  whole.push(performance.now() - started);
  summary = result.summary;

  globalThis.gc?.();
  started = performance.now();
  const evidence = new PolicyEvidence();
  for (const [call, bill] of pairs) evidence.add(call, bill, tariff);
  const afterEvidence = performance.now();
  for (const [call, bill] of mismatchedPairs) pairSteps(call, bill, tariff);
  const afterSteps = performance.now();
  const policy = inferPolicy({
    evidence: evidence.toData(),
    tariff,
    reportZone: plan.reportZone,
    period: plan.period,
    discrepancies: [],
    offset: undefined,
  });
  const done = performance.now();
  explain.push(done - started);
  parts.evidence.push(afterEvidence - started);
  parts.steps.push(afterSteps - afterEvidence);
  parts.infer.push(done - afterSteps);
  if (JSON.stringify(policy) !== JSON.stringify(result.summary.inferred)) {
    console.error('bench/explain: the policy inferred alone differs from the run’s');
    process.exit(1);
  }
}

const ms = (value) => `${value.toFixed(0).padStart(7)} ms`;
const baseline = median(whole);
const explanation = median(explain);
console.log(
  `${calls.toLocaleString('en')} pairs, ${mismatchedPairs.length.toLocaleString('en')} mismatched ` +
    `(${month.mismatched.toLocaleString('en')} changed rows), median of ${repeat}, node ${process.version}`,
);
console.log(`reconcile (whole, in memory)      ${ms(baseline)}`);
console.log(`explanation alone                 ${ms(explanation)}`);
console.log(
  `  PolicyEvidence.add × ${String(pairs.length).padEnd(10)} ${ms(median(parts.evidence))}`,
);
console.log(
  `  pairSteps × ${String(mismatchedPairs.length).padEnd(19)} ${ms(median(parts.steps))}`,
);
console.log(`  inferPolicy                     ${ms(median(parts.infer))}`);
console.log(`share of the reconcile            ${(explanation / baseline).toFixed(3)}`);
console.log(
  `inferred policy sha256 ${createHash('sha256').update(JSON.stringify(summary.inferred)).digest('hex').slice(0, 16)}`,
);
console.log(
  `check: unexplained ${summary.totals.unexplained}, bridge steps moving: ${summary.explanation.bridge
    .filter((step) => step.count > 0)
    .map((step) => `${step.step} ${step.amount}`)
    .join(', ')}`,
);
