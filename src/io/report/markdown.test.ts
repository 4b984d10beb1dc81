import { describe, expect, it } from 'vitest';
import type { DiscrepancyRow, ReconcileResult } from '../../core/reconcile/index.js';
import { billRow, fee, reconcileRows, smallMonth } from '../../../test/helpers/report-month.js';
import { renderMarkdownReport } from './markdown.js';
import { actionLine } from './model.js';
import { stringsFor } from './strings.js';

function md(result: ReconcileResult, lang: 'en' | 'zh-CN' = 'en'): string {
  return renderMarkdownReport(result.summary, result, { lang });
}

describe('report.md', () => {
  it('leads with what to claim back, what is under-billed, and what is left to note', async () => {
    const result = await smallMonth();
    const text = md(result);
    const firstBold = text.split('\n').find((line) => line.startsWith('**'));
    expect(firstBold).toBe(
      `**claim back CNY ${result.summary.totals.claimable} (2 items); under-billed CNY 0.12 (1)**`,
    );
    expect(text.indexOf('claim back')).toBeLessThan(text.indexOf('## Totals'));
  });

  it('says "1 discrepancy", not "1 discrepancies"', async () => {
    const result = await reconcileRows([fee('a', 65), fee('b', 30, 5)], [billRow('a', 65, '0.24')]);
    expect(result.discrepancies).toHaveLength(1);
    expect(md(result)).toContain('- 1 discrepancy\n');
    expect(md(result)).not.toContain('1 discrepancies');
  });

  it('names no stated minutes when the bill has no minutes column', async () => {
    const text = md(await smallMonth());
    expect(text).toContain('the bill states no minutes');
    expect(text).not.toContain("the bill's stated 0");
  });

  it('lists the largest 20 and says of how many, counting every discrepancy', async () => {
    const records = Array.from({ length: 37 }, (_, i) => fee(`c${i}`, 30 + i, i));
    const result = await reconcileRows(records, []);
    const text = md(result);
    expect(text).toContain('## Largest discrepancies (20 of 37)');
    const table = text.split('## Largest discrepancies')[1] ?? '';
    expect(table.split('\n').filter((line) => line.startsWith('| -0.'))).toHaveLength(20);
  });

  it('gives the action of each kind and the meaning of each', async () => {
    const text = md(await smallMonth());
    expect(text).toMatch(
      /\| MISSING_IN_CDRS \| a billed call we have no record of \| 2 \| 0\.24 \| check the push receiver/,
    );
    expect(text).toMatch(/\| MISSING_IN_BILL \| .* \| nothing to claim; note it/);
  });

  it('writes hostile cells as text, not markup', async () => {
    const text = md(await smallMonth());
    expect(text).not.toContain('<script>');
    expect(text).toContain('\\<script\\>alert(1)\\</script\\>');
  });

  it('lists the other charges by item, and says they were not checked', async () => {
    const text = md(await smallMonth());
    expect(text).toContain('| rent | 10.00 | 10.00 | 1 |');
    expect(text).toContain('Not checked');
  });

  it('is written in Chinese with --lang zh-CN', async () => {
    const result = await smallMonth();
    const text = md(result, 'zh-CN');
    expect(text).toContain('# 账单对账 2026-10');
    expect(text).toContain('## 合计');
    expect(text).toContain('可追回 CNY');
    expect(text).not.toContain('## Totals');
  });
});

describe('the action line', () => {
  const row = (action: DiscrepancyRow['action'], impact: string): DiscrepancyRow =>
    ({ action, impact }) as DiscrepancyRow;

  it('says there is nothing to claim back when nothing is to be claimed', async () => {
    const result = await reconcileRows([fee('a', 65)], [billRow('a', 65, '0.24')]);
    expect(actionLine(result.summary, [], stringsFor('en'))).toBe('nothing to claim back');
  });

  it('counts claims, under-billed rows, and notes of the rest', async () => {
    const { summary } = await smallMonth();
    const rows = [
      row('claim', '1.00'),
      row('note', '-0.50'),
      row('note', '0.00'),
      row('fix-tariff', '0.20'),
    ];
    expect(actionLine(summary, rows, stringsFor('en'))).toBe(
      `claim back CNY ${summary.totals.claimable} (1 item); under-billed CNY ${summary.totals.underBilled} (1); 2 notes`,
    );
  });
});
