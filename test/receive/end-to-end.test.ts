import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../src/io/receive/server.js';
import { readPush } from '../../src/io/receive/shape.js';
import { CREDENTIALS, post, pushFiles, rejectedFiles } from './helpers.js';
import { runCli } from './process.js';

const month = fileURLToPath(new URL('../../fixtures/2026-10/', import.meta.url));
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'callrecon-e2e-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The push bodies of the sample month, in reading order, that are pushes at all. */
function samplePushes(): { pushes: string[]; notPushes: number } {
  const cdrs = join(month, 'cdrs');
  const pushes: string[] = [];
  let notPushes = 0;
  for (const name of readdirSync(cdrs).sort()) {
    for (const line of readFileSync(join(cdrs, name), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      if (readPush(Buffer.from(line)).ok) pushes.push(line);
      else notPushes++;
    }
  }
  // A bare SMS notification, which reconcile counts in cdrs.smsRecords (SPEC §4.5).
  pushes.push(JSON.stringify({ smsEvent: { smsIdentifier: 'm-1', calling: '+8613800000021' } }));
  return { pushes, notPushes };
}

async function reconcile(cdrs: string, out: string): Promise<Record<string, unknown>> {
  const run = await runCli([
    'reconcile',
    '--cdrs',
    cdrs,
    '--bill',
    join(month, 'bill.csv'),
    '--tariff',
    join(month, 'tariff.json'),
    '--period',
    '2026-10',
    '--out',
    out,
    '--quiet',
  ]);
  expect(run.stderr).toBe('');
  expect([0, 1]).toContain(run.code);
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
}

describe('pushes received, then reconciled', () => {
  it('give the same summary.json as the same pushes written as files', async () => {
    const { pushes, notPushes } = samplePushes();
    const direct = join(root, 'direct');
    mkdirSync(direct);
    writeFileSync(join(direct, 'pushes.ndjson'), pushes.map((p) => `${p}\n`).join(''));

    const dir = join(root, 'received');
    const receiver = await startReceiver({ dir, port: 0, credentials: CREDENTIALS });
    try {
      for (const push of pushes) expect((await post(receiver.port, push)).status).toBe(200);
      // A body that is not a push is kept aside, where reconcile does not look.
      expect((await post(receiver.port, '{"eventType":"fee","feeLst":[')).status).toBe(400);
    } finally {
      await receiver.close();
    }
    expect(rejectedFiles(dir)).toHaveLength(1);
    // A line a crash tore, as the next start moves it aside: never read as a record.
    const [file] = pushFiles(dir);
    writeFileSync(`${file as string}.torn-0`, '{"eventType":"fee","feeLst":[{"sess');

    const fromFiles = await reconcile(direct, join(root, 'out-direct'));
    const fromPushes = await reconcile(dir, join(root, 'out-received'));
    const { inputs: inputsA, ...a } = fromFiles;
    const { inputs: inputsB, ...b } = fromPushes;
    expect(b).toEqual(a);
    // Only the push file is read: not the lock, not rejected/, not the torn line.
    expect(
      (inputsB as { role: string; path: string }[]).filter((i) => i.role === 'cdrs'),
    ).toHaveLength(1);
    expect((inputsA as unknown[]).length).toBe((inputsB as unknown[]).length);
    const cdrs = fromPushes['cdrs'] as {
      records: number;
      rejected: number;
      skippedEvents: number;
      smsRecords: number;
    };
    expect(cdrs.rejected).toBe(0);
    expect(cdrs.skippedEvents).toBe(1);
    // The sample month's own SMS notifications, and the bare one added above.
    const sample = JSON.parse(readFileSync(join(month, 'manifest.json'), 'utf8')) as {
      expected: { cdrs: { smsRecords: number } };
    };
    expect(sample.expected.cdrs.smsRecords).toBeGreaterThan(0);
    expect(cdrs.smsRecords).toBe(sample.expected.cdrs.smsRecords + 1);
    expect(cdrs.records).toBeGreaterThan(3000);
    expect(notPushes).toBe(1);
  });
});
