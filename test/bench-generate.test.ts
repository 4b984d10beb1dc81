import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import {
  INJECTED_KINDS,
  KINDS,
  callCountLabel,
  generateMonth,
  parseCallCount,
  type BenchManifest,
  type Manifest,
  type SampleManifest,
} from '../bench/generate.mjs';

const fixtures = fileURLToPath(new URL('../fixtures/2026-10', import.meta.url));
const made: string[] = [];

afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'callrecon-generate-'));
  made.push(dir);
  return dir;
}

/** Every file below `dir`, relative, with POSIX separators, sorted. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .map((file) => file.split(sep).join('/'))
    .sort();
}

async function expectSameBytes(a: string, b: string): Promise<void> {
  const files = await filesBelow(a);
  expect(await filesBelow(b)).toEqual(files);
  for (const file of files) {
    const left = await readFile(join(a, file));
    const right = await readFile(join(b, file));
    expect(left.equals(right), `${file} differs`).toBe(true);
  }
}

async function expectFilesAsListed(dir: string, manifest: Manifest): Promise<void> {
  const listed = [
    ...manifest.files.cdrs,
    ...manifest.files.bill,
    manifest.files.tariff,
    ...(manifest.files.numbers === undefined ? [] : [manifest.files.numbers]),
  ];
  for (const file of listed) {
    const bytes = await readFile(join(dir, file.path));
    expect(bytes.length, file.path).toBe(file.bytes);
    expect(createHash('sha256').update(bytes).digest('hex'), file.path).toBe(file.sha256);
  }
  const cdrFiles = (await filesBelow(dir)).filter((file) => file.startsWith('cdrs/'));
  expect(cdrFiles).toEqual(manifest.files.cdrs.map((file) => file.path));
}

/** The exact-decimal sum of 2-decimal amounts, via integer cents. */
function sumCents(amounts: readonly string[]): bigint {
  return amounts.reduce((sum, amount) => sum + BigInt(amount.replace('.', '')), 0n);
}

function cents(amount: string): bigint {
  return sumCents([amount]);
}

describe('call counts', () => {
  it('reads 100k, 1m and 10m, and labels them back', () => {
    expect(parseCallCount('100k')).toBe(100_000);
    expect(parseCallCount('1m')).toBe(1_000_000);
    expect(parseCallCount('10M')).toBe(10_000_000);
    expect(parseCallCount('2.5m')).toBe(2_500_000);
    expect(parseCallCount(3000)).toBe(3000);
    expect(callCountLabel(10_000_000)).toBe('10m');
    expect(callCountLabel(100_000)).toBe('100k');
    expect(callCountLabel(3001)).toBe('3001');
  });

  it('refuses what is not a count', () => {
    expect(() => parseCallCount('ten')).toThrow(/not a call count/);
    expect(() => parseCallCount(0)).toThrow(/positive/);
  });
});

describe('bench profile', () => {
  // 1 % of calls per kind, so that every kind is there at a small size.
  const options = { profile: 'bench', calls: 4000, seed: 7, discrepancyRate: 0.08 } as const;
  let first: { dir: string; manifest: BenchManifest } | undefined;
  const month = async (): Promise<{ dir: string; manifest: BenchManifest }> => {
    if (first === undefined) {
      const dir = await tempDir();
      first = { dir, manifest: await generateMonth({ ...options, out: dir }) };
    }
    return first;
  };

  it('writes byte-identical files for the same seed', async () => {
    const { dir } = await month();
    const again = await tempDir();
    await generateMonth({ ...options, out: again });
    await expectSameBytes(dir, again);
  });

  it('writes another month for another seed', async () => {
    const { dir, manifest } = await month();
    const other = await tempDir();
    const changed = await generateMonth({ ...options, seed: 8, out: other });
    expect(changed.files.bill[0]?.sha256).not.toBe(manifest.files.bill[0]?.sha256);
    expect(await filesBelow(other)).toEqual(await filesBelow(dir));
  });

  it('lists every file with its size and hash', async () => {
    const { dir, manifest } = await month();
    await expectFilesAsListed(dir, manifest);
    expect(manifest.files.cdrs.length).toBeGreaterThan(1);
    const manifestOnDisk = JSON.parse(
      await readFile(join(dir, 'manifest.json'), 'utf8'),
    ) as BenchManifest;
    expect(manifestOnDisk).toEqual(manifest);
  });

  it('bill call rows = billed answered calls − dropped + added + duplicated + unanswered billed', async () => {
    const { manifest } = await month();
    const i = manifest.injected;
    expect(manifest.expected.bill.callRows).toBe(
      i.billedAnsweredCalls -
        i.droppedFromBill +
        i.addedNotInCdrs +
        i.duplicatedInBill +
        i.unansweredBilled,
    );
    expect(manifest.files.bill[0]?.rows).toBe(manifest.expected.bill.rows);
    expect(manifest.expected.bill.rows).toBe(
      manifest.expected.bill.callRows + manifest.expected.bill.otherRows,
    );
  });

  it('CDR records = calls + re-pushed records, every call kept once', async () => {
    const { manifest } = await month();
    const { cdrs } = manifest.expected;
    expect(cdrs.kept).toBe(options.calls);
    expect(cdrs.records).toBe(options.calls + manifest.injected.repushedRecords);
    expect(cdrs.duplicates).toBe(manifest.injected.repushedRecords);
    expect(manifest.injected.billedAnsweredCalls + manifest.injected.unansweredCalls).toBe(
      options.calls,
    );
    const records = manifest.files.cdrs.reduce((sum, file) => sum + (file.records ?? 0), 0);
    expect(records).toBe(cdrs.records);
  });

  it('each injected error is found exactly once, in its own kind', async () => {
    const { manifest } = await month();
    const { discrepancies: d } = manifest.expected;
    const i = manifest.injected;
    expect(d.MISSING_IN_BILL.count).toBe(i.droppedFromBill);
    expect(d.MISSING_IN_CDRS.count).toBe(i.addedNotInCdrs);
    expect(d.DUPLICATE_IN_BILL.count).toBe(i.duplicatedInBill);
    expect(d.UNANSWERED_BILLED.count).toBe(i.unansweredBilled);
    expect(d.DURATION_MISMATCH.count).toBe(i.durationChanged);
    expect(d.MINUTES_MISMATCH.count).toBe(i.minutesChanged);
    expect(d.RATE_MISMATCH.count).toBe(i.priceChanged);
    expect(d.AMOUNT_MISMATCH.count).toBe(i.amountChanged);
    for (const kind of [
      'PERIOD_MISMATCH',
      'NO_TARIFF',
      'PACKAGE_MISMATCH',
      'CONFLICTING_CDR',
    ] as const) {
      expect(d[kind].count, kind).toBe(0);
    }
    for (const kind of INJECTED_KINDS) {
      if (!['PERIOD_MISMATCH', 'NO_TARIFF', 'PACKAGE_MISMATCH', 'CONFLICTING_CDR'].includes(kind)) {
        expect(d[kind].count, kind).toBeGreaterThan(0);
      }
    }
    const found = KINDS.reduce((sum, kind) => sum + d[kind].count, 0);
    expect(manifest.expected.matched.clean).toBe(
      manifest.expected.matched.byId -
        (found - d.MISSING_IN_BILL.count - d.MISSING_IN_CDRS.count - d.DUPLICATE_IN_BILL.count),
    );
  });

  it('balances the books: difference = Σ impacts, unexplained 0', async () => {
    const { manifest } = await month();
    const { totals, discrepancies } = manifest.expected;
    const explained = sumCents(KINDS.map((kind) => discrepancies[kind].impact));
    expect(cents(totals.explained)).toBe(explained);
    expect(cents(totals.difference)).toBe(cents(totals.theirs) - cents(totals.ours));
    expect(cents(totals.difference)).toBe(explained + cents(totals.withinTolerance));
    expect(totals.unexplained).toBe('0.00');
  });
});

describe('sample profile', () => {
  let first: { dir: string; manifest: SampleManifest } | undefined;
  const month = async (): Promise<{ dir: string; manifest: SampleManifest }> => {
    if (first === undefined) {
      const dir = await tempDir();
      first = { dir, manifest: await generateMonth({ profile: 'sample', seed: 2026, out: dir }) };
    }
    return first;
  };

  it('the committed fixtures/2026-10 is what the generator makes with seed 2026', async () => {
    const { dir } = await month();
    await expectSameBytes(dir, fixtures);
  });

  it('writes byte-identical files for the same seed', async () => {
    const { dir } = await month();
    const again = await tempDir();
    await generateMonth({ profile: 'sample', seed: 2026, out: again });
    await expectSameBytes(dir, again);
  });

  it('carries 2 to 5 of every kind of SPEC §4.3', async () => {
    const { manifest } = await month();
    for (const kind of INJECTED_KINDS) {
      const { count } = manifest.expected.discrepancies[kind];
      expect(count, kind).toBeGreaterThanOrEqual(2);
      expect(count, kind).toBeLessThanOrEqual(5);
    }
  });

  it('lists each discrepancy with its call, adding up to the counts and impacts', async () => {
    const { manifest } = await month();
    for (const kind of KINDS) {
      const listed = manifest.expectedDiscrepancies.filter((d) => d.kind === kind);
      expect(listed.length, kind).toBe(manifest.expected.discrepancies[kind].count);
      expect(sumCents(listed.map((d) => d.impact)), kind).toBe(
        cents(manifest.expected.discrepancies[kind].impact),
      );
    }
  });

  it('has its edge cases: composite matches, a skipped event, one bad line per input', async () => {
    const { dir, manifest } = await month();
    const e = manifest.expected;
    expect(e.matched.byComposite).toBe(3);
    expect(e.cdrs.skippedEvents).toBe(1);
    expect(e.cdrs.records).toBe(
      e.cdrs.kept + e.cdrs.duplicates + e.cdrs.conflicts + e.cdrs.rejected,
    );
    expect(e.bill.rows).toBe(e.bill.callRows + e.bill.otherRows + e.bill.rejected);
    expect(manifest.expectedRejected.map((r) => r.code)).toEqual([
      'INVALID_JSON',
      'INVALID_AMOUNT',
    ]);
    expect(manifest.notes.allowance.ranOutAt).toMatch(/^2026-10-(0[5-9]|1\d|2[0-5]) /);
    const bill = await readFile(join(dir, 'bill.csv'), 'utf8');
    expect(bill).toContain('+86138****0021');
    expect(bill.split('\r\n')[0]).toContain('Answer Time');
    await expectFilesAsListed(dir, manifest);
  });

  it('balances the books', async () => {
    const { manifest } = await month();
    const { totals } = manifest.expected;
    expect(cents(totals.difference)).toBe(cents(totals.explained) + cents(totals.withinTolerance));
    expect(totals.unexplained).toBe('0.00');
  });

  it('ties out the whole invoice: one rent line at another amount, the rent of a number released in September', async () => {
    const { manifest } = await month();
    const { charges, invoice, totals, discrepancies: d } = manifest.expected;
    expect([d.CHARGE_MISMATCH.count, d.UNEXPECTED_CHARGE.count, d.MISSING_CHARGE.count]).toEqual([
      1, 1, 0,
    ]);
    const listed = manifest.expectedDiscrepancies.filter((x) => x.item !== undefined);
    expect(listed.map((x) => [x.kind, x.item, x.number])).toEqual([
      ['CHARGE_MISMATCH', 'rent', manifest.notes.numbers.wrongRent.number],
      ['UNEXPECTED_CHARGE', 'rent', manifest.notes.numbers.releasedBeforePeriod.number],
    ]);
    expect(charges.checked).toBe(true);
    expect(charges.unexplained).toBe('0.00');
    expect(charges.theirs).toBe(totals.otherCharges);
    expect(cents(charges.difference)).toBe(cents(charges.theirs) - cents(charges.ours));
    expect(cents(charges.explained)).toBe(
      sumCents([d.CHARGE_MISMATCH.impact, d.UNEXPECTED_CHARGE.impact, d.MISSING_CHARGE.impact]),
    );
    expect(cents(charges.ours)).toBe(
      sumCents(Object.values(charges.byItem).map((item) => item.ours)),
    );
    expect(Object.keys(charges.byItem)).toEqual(['package', 'rent', 'sms']);
    // Rent: every row of numbers.csv billed, a whole month for each number held.
    expect(charges.byItem['rent']?.rows).toBe(manifest.injected.numbers);
    expect(cents(charges.byItem['rent']?.ours ?? '')).toBe(
      BigInt(manifest.injected.numbersHeld) * 1000n,
    );
    expect(charges.byItem['sms']?.theirs).toBe(charges.byItem['sms']?.ours);
    expect(cents(invoice.theirs)).toBe(cents(totals.theirs) + cents(charges.theirs));
    expect(cents(invoice.ours)).toBe(cents(totals.ours) + cents(charges.ours));
    expect(cents(invoice.difference)).toBe(cents(totals.difference) + cents(charges.difference));
  });

  it('has SMS notifications as Huawei pushes them: in parts, failed, re-pushed, one of September', async () => {
    const { dir, manifest } = await month();
    const i = manifest.injected;
    expect(i.smsNotifications).toBeGreaterThanOrEqual(24);
    expect(i.smsNotifications).toBeLessThanOrEqual(60);
    expect([i.smsInParts, i.smsFailed, i.smsRepushed, i.smsOutsidePeriod]).toEqual([3, 1, 1, 1]);
    expect(manifest.expected.cdrs.smsRecords).toBe(i.smsNotifications + i.smsRepushed);
    const lines = (
      await Promise.all(manifest.files.cdrs.map((file) => readFile(join(dir, file.path), 'utf8')))
    )
      .join('')
      .split('\n')
      .filter((line) => line.includes('"smsEvent"'));
    expect(lines).toHaveLength(manifest.expected.cdrs.smsRecords);
    const events = lines.map(
      (line) =>
        (JSON.parse(line) as { smsEvent: Record<string, unknown> & { extInfo: unknown } }).smsEvent,
    );
    for (const event of events) {
      expect(Object.keys(event)).toEqual(
        expect.arrayContaining([
          'smsIdentifier',
          'virtualNumber',
          'timeStamp',
          'sendResult',
          'extInfo',
        ]),
      );
      expect(event['timeStamp']).toMatch(/^2026-(09|10)-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(new Set(events.map((e) => e['smsIdentifier'])).size).toBe(i.smsNotifications);
  });

  it('writes the numbers held as the console exports them, with numbers that come and go', async () => {
    const { dir, manifest } = await month();
    const text = await readFile(join(dir, 'numbers.csv'), 'utf8');
    const [header, ...rows] = text.trimEnd().split('\r\n');
    expect(header).toBe('number,orderedAt,releasedAt');
    expect(rows).toHaveLength(manifest.injected.numbers);
    const n = manifest.notes.numbers;
    const row = (number: string): string => rows.find((r) => r.startsWith(number)) ?? '';
    expect(row(n.orderedMidMonth.number)).toMatch(/^\+86\d{11},2026-10-20 /);
    expect(row(n.releasedEarly.number)).toMatch(/,2026-10-03 \d\d:\d\d:\d\d$/);
    expect(row(n.releasedBeforePeriod.number)).toMatch(/,2026-09-\d\d \d\d:\d\d:\d\d$/);
    expect(manifest.command).toEqual(expect.arrayContaining(['--numbers', 'numbers.csv']));
  });
});
