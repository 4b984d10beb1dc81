/**
 * The three views of the discrepancies — report.html's table, report.xlsx's sheet and
 * discrepancies.csv — hold the same rows in the same order, for any generated month.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { createTimeZone, parseTariff, reconcile, type BillRow } from '../src/index.js';
import { guardFormula, writeReport } from '../src/io/index.js';
import { HTML_COLUMNS } from '../src/io/report/html.js';
import { billItemsOf, huaweiTime, monthArb } from './arbitraries/month.js';
import { fc } from './helpers/fast-check.js';
import { unzip } from './helpers/zip.js';

const dir = mkdtempSync(join(tmpdir(), 'callrecon-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OCTOBER_START_MS = Date.UTC(2026, 8, 30, 16);

/** Text a bill cell may hold: plain, hostile markup, formulas, Chinese, quotes and commas. */
const cellText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '<script>x()</script>',
    '<img src=x onerror=y()>',
    '=HYPERLINK("a","b")',
    '话单,"引号"',
    '&amp;',
  ),
);

/** A bill row: a generated call's id (billed right or wrong) or a call of nobody's. */
function billRowArb(ids: readonly string[]): fc.Arbitrary<BillRow> {
  return fc.record({
    callId: ids.length > 0 ? fc.oneof(fc.constantFrom(...ids), cellText) : cellText,
    callerNum: fc.constantFrom('+8613800000001', '+8613800000002'),
    privateNum: fc.constantFrom('+8613800000003', '+8613900000004'),
    answerTime: fc
      .integer({ min: 0, max: 31 * 86_400 - 1 })
      .map((s) => huaweiTime(OCTOBER_START_MS + s * 1000)),
    billedSeconds: fc.integer({ min: 1, max: 600 }).map(String),
    unitPrice: fc.constant('0.12'),
    amount: fc.integer({ min: 0, max: 500 }).map((n) => (n / 100).toFixed(2)),
    item: fc.constant('call'),
  });
}

const NUMERIC = new Set(['impact', 'amountOurs', 'amountTheirs']);

function htmlText(cell: string): string {
  return cell.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** The table's rows as [kind, callId, billSource, impact], in the page's order. */
function htmlRows(html: string): string[][] {
  const body = html.slice(
    html.indexOf('<table id="rows">'),
    html.indexOf('</tbody></table></div>'),
  );
  const col = (name: string): number => HTML_COLUMNS.findIndex((c) => c.column === name);
  return [...body.matchAll(/<tr data-kind="[^"]*" data-action="[^"]*">(.*?)<\/tr>/g)].map((m) => {
    const cells = [...(m[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) =>
      htmlText(c[1] ?? ''),
    );
    return ['kind', 'callId', 'billSource', 'impact'].map((name) => {
      const value = cells[col(name)] ?? '';
      return NUMERIC.has(name) ? value : guardFormula(value);
    });
  });
}

function xmlText(text: string): string {
  const named: Readonly<Record<string, string>> = {
    lt: '<',
    gt: '>',
    amp: '&',
    quot: '"',
    apos: "'",
  };
  return text.replace(/&(#?\w+);/g, (all, name: string) =>
    name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : (named[name] ?? all),
  );
}

/**
 * The Discrepancies sheet's rows as [kind, callId, billSource, impact], read from the XML
 * (exceljs's own reader decodes entities twice: `&amp;` comes back as `&`).
 */
function xlsxRows(path: string): string[][] {
  const xml = unzip(readFileSync(path)).get('xl/worksheets/sheet2.xml')?.toString('utf8') ?? '';
  const rows = [...xml.matchAll(/<row [^>]*>(.*?)<\/row>/g)].map((row) => {
    const cells = new Map<string, string>();
    for (const c of (row[1] ?? '').matchAll(
      /<c r="([A-Z]+)\d+"[^>]*?(?:\/>|>(?:<v>(.*?)<\/v>)?<\/c>)/g,
    )) {
      cells.set(c[1] ?? '', xmlText(c[2] ?? ''));
    }
    return cells;
  });
  const header = rows[0] ?? new Map<string, string>();
  const letter = (name: string): string => [...header].find(([, v]) => v === name)?.[0] ?? '';
  return rows.slice(1).map((cells) =>
    ['kind', 'callId', 'billSource', 'impact'].map((name) => {
      const value = cells.get(letter(name)) ?? '';
      return name === 'impact'
        ? value === ''
          ? ''
          : Number(value).toFixed(2)
        : guardFormula(value);
    }),
  );
}

describe('properties', () => {
  it('the HTML table, the xlsx sheet and the CSV hold the same discrepancies in the same order', async () => {
    const arb = monthArb(['+86138', '+86139'], 25).chain((month) => {
      const ids = month.cdrs.map((item) =>
        item.type === 'fee' ? (item.record.sessionId ?? '') : '',
      );
      return fc.tuple(fc.constant(month), fc.array(billRowArb(ids), { maxLength: 25 }));
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(arb, async ([month, rows]) => {
        const tariff = parseTariff(month.tariff);
        const result = await reconcile(
          { cdrs: month.cdrs, bill: billItemsOf(rows) },
          { tariff, period: '2026-10' },
        );
        const out = join(dir, `out-${run++}`);
        await writeReport(
          out,
          result,
          result.summary,
          { tariff, zone: createTimeZone('Asia/Shanghai') },
          {},
        );
        const csv = parse<Record<string, string>>(readFileSync(join(out, 'discrepancies.csv')), {
          columns: true,
          bom: true,
        });
        const fromCsv = csv.map((r) => [
          r['kind'] ?? '',
          r['callId'] ?? '',
          r['billSource'] ?? '',
          r['impact'] ?? '',
        ]);
        expect(fromCsv).toHaveLength(result.discrepancies.length);
        expect(htmlRows(readFileSync(join(out, 'report.html'), 'utf8'))).toEqual(fromCsv);
        expect(xlsxRows(join(out, 'report.xlsx'))).toEqual(fromCsv);
        rmSync(out, { recursive: true, force: true });
      }),
      { numRuns: 25 },
    );
  });
});
