/**
 * report.html opened from disk in headless Chromium (Debian's package, never a download):
 * it loads nothing, logs no error, shows the summary's figures, sorts and filters by
 * clicking, and shows hostile cells as text. Saves the README's screenshot, docs/report.png.
 *
 * Chromium is found at CHROMIUM_PATH or /usr/bin/chromium; without it the test fails
 * (`.ci/run` installs it).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../src/index.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'dist', 'cli', 'main.js');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const HOSTILE_IMG = '<img src=x onerror=window.__pwned=1>';
const HOSTILE_SCRIPT = '<script>window.__pwned=2</script>';
const HOSTILE_FORMULA = '=HYPERLINK("http://example.invalid/x","click")';
const HOSTILE_CDR = '<b>cdr</b><script>window.__pwned=3</script>';

let browser: Browser;
let work: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  work = mkdtempSync(join(tmpdir(), 'callrecon-html-'));
});

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Reconciles the sample month copied into `dir` (after `change`), returns the out folder. */
function reconcileSample(dir: string, change: (month: string) => void = () => {}): string {
  const month = join(dir, 'month');
  cpSync(join(root, 'fixtures', '2026-10'), month, { recursive: true });
  change(month);
  const out = join(dir, 'out');
  const result = spawnSync(
    process.execPath,
    [
      bin,
      'reconcile',
      '--cdrs',
      'month/cdrs',
      '--bill',
      'month/bill.csv',
      '--tariff',
      'month/tariff.json',
      '--numbers',
      'month/numbers.csv',
      '--period',
      '2026-10',
      '--out',
      'out',
      '--quiet',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  expect(result.stderr).toBe('');
  expect(result.status).toBe(1);
  return out;
}

interface Opened {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
  readonly dialogs: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const opened: Opened = { page, errors: [], requests: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') opened.errors.push(message.text());
  });
  page.on('pageerror', (error) => opened.errors.push(error.message));
  page.on('request', (request) => opened.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return opened;
}

/** The little of the DOM these checks read (the project compiles without the DOM's types). */
interface DomRow {
  getAttribute(name: string): string | null;
  readonly cells: ArrayLike<{ readonly textContent: string | null }>;
}

async function visibleCells(page: Page, column: string): Promise<string[]> {
  const index = await page.$$eval(
    '#rows thead th',
    (heads: DomRow[], name: string) => heads.findIndex((h) => h.getAttribute('data-col') === name),
    column,
  );
  return page.$$eval(
    '#rows tbody tr:not([hidden])',
    (rows: DomRow[], i: number) => rows.map((row) => row.cells[i]?.textContent ?? ''),
    index,
  );
}

describe('report.html of the sample month, in Chromium', () => {
  let out: string;
  let summary: Summary;
  let opened: Opened;

  beforeAll(async () => {
    out = reconcileSample(join(work, 'sample'));
    summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    opened = await open(join(out, 'report.html'));
  });

  it('loads nothing but the file itself and logs no error', () => {
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([pathToFileURL(join(out, 'report.html')).href]);
  });

  it("shows the summary's totals, what to claim back and what is under-billed", async () => {
    const { page } = opened;
    const t = summary.totals;
    for (const [id, value] of [
      ['total-ours', t.ours],
      ['total-theirs', t.theirs],
      ['total-difference', t.difference],
      ['total-claimable', t.claimable],
      ['total-underBilled', t.underBilled],
      ['total-otherCharges', t.otherCharges],
    ] as const) {
      expect(await page.textContent(`#${id}`)).toBe(value);
    }
    expect(await page.textContent('#headline')).toContain(`claim back CNY ${t.claimable}`);
  });

  it('lists every discrepancy in the table', async () => {
    const csvRows =
      readFileSync(join(out, 'discrepancies.csv'), 'utf8').trim().split('\n').length - 1;
    expect(await opened.page.locator('#rows tbody tr').count()).toBe(csvRows);
    expect(await opened.page.textContent('#shown')).toContain(`${csvRows} of ${csvRows}`);
  });

  it('sorts by impact when its heading is clicked, then the other way', async () => {
    const { page } = opened;
    await page.click('#rows th[data-col="impact"] button');
    const down = (await visibleCells(page, 'impact')).map(Number);
    expect(down).toEqual([...down].sort((a, b) => b - a));
    await page.click('#rows th[data-col="impact"] button');
    const up = (await visibleCells(page, 'impact')).map(Number);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(up).not.toEqual(down);
  });

  it('filters by kind and by action, and searches', async () => {
    const { page } = opened;
    await page.selectOption('#filter-kind', 'MISSING_IN_BILL');
    const kinds = await visibleCells(page, 'kind');
    expect(kinds).toHaveLength(summary.discrepancies.MISSING_IN_BILL.count);
    expect(new Set(kinds)).toEqual(new Set(['MISSING_IN_BILL']));
    await page.selectOption('#filter-kind', '');
    await page.selectOption('#filter-action', 'claim');
    const claims = await page.$$eval('#rows tbody tr:not([hidden])', (rows: DomRow[]) =>
      rows.map((row) => row.getAttribute('data-action')),
    );
    expect(claims.length).toBeGreaterThan(0);
    expect(new Set(claims)).toEqual(new Set(['claim']));
    await page.selectOption('#filter-action', '');
    const id = (await visibleCells(page, 'callId')).find((cell) => cell.length > 8) ?? '';
    await page.fill('#search', id);
    const found = await visibleCells(page, 'callId');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((cell) => cell === id)).toBe(true);
    await page.fill('#search', '');
  });

  it('saves the screenshot of the report for the README', async () => {
    const { page } = opened;
    await page.click('#rows th[data-col="impact"] button'); // back to the largest first
    // `npm run screenshot` renews the README's picture; a test run writes beside its report.
    const folder = process.env['CALLRECON_SCREENSHOT'] === 'docs' ? join(root, 'docs') : work;
    mkdirSync(folder, { recursive: true });
    const png = await page.screenshot({ path: join(folder, 'report.png'), fullPage: true });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});

describe('report.html with hostile cells in the bill and the CDRs', () => {
  let opened: Opened;

  beforeAll(async () => {
    const out = reconcileSample(join(work, 'hostile'), (month) => {
      const csvCell = (text: string): string => `"${text.replaceAll('"', '""')}"`;
      const row = (id: string, minute: number): string =>
        `${csvCell(id)},+8613800000001,+8613872110973,+8615786681765,2026-10-10 08:${minute}:00,2026-10-10 08:${minute}:50,50,1,0,0.12,0.12,CNY,call,2026-10`;
      appendFileSync(
        join(month, 'bill.csv'),
        [row(HOSTILE_IMG, 10), row(HOSTILE_SCRIPT, 20), row(HOSTILE_FORMULA, 30)].join('\n') + '\n',
      );
      const fee = {
        direction: 0,
        sessionId: HOSTILE_CDR,
        icid: 'hostile-icid',
        bindNum: '+8613872110973',
        callerNum: '+8613800000002',
        calleeNum: '+8613872110973',
        fwdDstNum: '+8615786681765',
        fwdAnswerTime: '2026-10-11 02:00:00',
        callEndTime: '2026-10-11 02:01:00',
      };
      writeFileSync(
        join(month, 'cdrs', '2026-10-31.ndjson'),
        `${JSON.stringify({ eventType: 'fee', feeLst: [fee] })}\n`,
      );
    });
    opened = await open(join(out, 'report.html'));
  });

  it('shows each hostile cell as its text, and runs none of it', async () => {
    const { page } = opened;
    const ids = await visibleCells(page, 'callId');
    for (const hostile of [HOSTILE_IMG, HOSTILE_SCRIPT, HOSTILE_FORMULA, HOSTILE_CDR]) {
      expect(ids).toContain(hostile);
    }
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#rows img, #rows script, #rows b').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(opened.dialogs).toEqual([]);
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toHaveLength(1);
  });
});
