import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReconcileResult } from '../../core/reconcile/index.js';
import { billRow, fee, reconcileRows } from '../../../test/helpers/report-month.js';
import { unzip } from '../../../test/helpers/zip.js';
import { currencyFormat, writeXlsxReport, XLSX_SHEETS } from './xlsx.js';

const dir = mkdtempSync(join(tmpdir(), 'callrecon-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HYPERLINK = '=HYPERLINK("http://example.invalid","x")';

async function month(): Promise<ReconcileResult> {
  return reconcileRows(
    [fee('a', 65), fee('b', 30, 5)],
    [
      billRow('a', 65, '0.24'),
      billRow('12345678901234567890', 40, '0.12', 30),
      billRow(HYPERLINK, 40, '0.12', 40),
      billRow('0042', 61, '0.24', 50),
      { amount: '10.00', item: 'rent' },
    ],
  );
}

async function written(): Promise<{ result: ReconcileResult; path: string }> {
  const result = await month();
  const path = join(dir, `report-${Math.random().toString(36).slice(2)}.xlsx`);
  await writeXlsxReport(path, result.summary, result, {});
  return { result, path };
}

describe('report.xlsx, read back with exceljs', () => {
  it('has the sheets Summary, Discrepancies, Rejected and Charges, in that order', async () => {
    const { path } = await written();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([...XLSX_SHEETS]);
  });

  it('holds every discrepancy in order: ids and numbers as text, amounts as numbers in yuan', async () => {
    const { result, path } = await written();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const sheet = book.getWorksheet('Discrepancies');
    expect(sheet).toBeDefined();
    if (sheet === undefined) return;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string): number => header.indexOf(name) + 1;
    expect(sheet.actualRowCount).toBe(result.discrepancies.length + 1);
    result.discrepancies.forEach((d, i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(col('kind')).value).toBe(d.kind);
      expect(row.getCell(col('callId')).value).toBe(d.callId);
      expect(row.getCell(col('callId')).type).toBe(ExcelJS.ValueType.String);
      expect(row.getCell(col('callerNum')).type).toBe(ExcelJS.ValueType.String);
      expect(row.getCell(col('callerNum')).value).toMatch(/^\+86\d{3}\*{4}\d{4}$/);
      const impact = row.getCell(col('impact'));
      expect(impact.type).toBe(ExcelJS.ValueType.Number);
      expect(impact.value).toBe(Number(d.impact));
      expect(impact.numFmt).toBe(currencyFormat('CNY', 2));
    });
    const ids = result.discrepancies.map((d) => d.callId);
    expect(ids).toContain('12345678901234567890');
    expect(ids).toContain('0042');
    expect(ids).toContain(HYPERLINK);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('lists the other charges by item with amounts as numbers', async () => {
    const { path } = await written();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const charges = book.getWorksheet('Charges');
    expect(charges?.getRow(2).getCell(1).value).toBe('rent');
    expect(charges?.getRow(2).getCell(2).value).toBe(10);
    const summary = book.getWorksheet('Summary');
    const values = new Map<string, unknown>();
    summary?.eachRow((row) => values.set(row.getCell(1).text, row.getCell(2).value));
    expect(values.get('headline')).toMatch(/^claim back CNY /);
  });
});

describe('report.xlsx, read back as XML', () => {
  it('stores ids as strings, never as numbers or formulas, and has frozen headers with filters', async () => {
    const { result, path } = await written();
    const entries = unzip(readFileSync(path));
    const workbook = entries.get('xl/workbook.xml')?.toString('utf8') ?? '';
    expect([...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1])).toEqual([
      ...XLSX_SHEETS,
    ]);
    const sheet = entries.get('xl/worksheets/sheet2.xml')?.toString('utf8') ?? '';
    expect(sheet).not.toContain('<f>');
    expect(sheet).toMatch(/<autoFilter ref="A1:[A-Z]+1"\/>/);
    expect(sheet).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    const rows = [...sheet.matchAll(/<row [^>]*r="(\d+)"/g)];
    expect(rows).toHaveLength(result.discrepancies.length + 1);
    // The long numeric id is a string cell holding all its digits.
    expect(sheet).toMatch(/t="str"><v>12345678901234567890<\/v>/);
    expect(sheet).toMatch(/t="str"><v>0042<\/v>/);
    expect(sheet).toContain('t="str"><v>=HYPERLINK(&quot;http://example.invalid&quot;');
  });
});
