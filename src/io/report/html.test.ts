import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiscrepancyRow } from '../../core/reconcile/index.js';
import { smallMonth } from '../../../test/helpers/report-month.js';
import { escapeHtml } from './charts.js';
import { REPORT_CSP, REPORT_CSS, REPORT_SCRIPT } from './html-assets.js';
import { HTML_ROWS, writeHtmlReport } from './html.js';

const dir = mkdtempSync(join(tmpdir(), 'callrecon-html-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hash = (text: string): string =>
  `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('report.html', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      '&#60;img src=x onerror=&#34;a(&#39;b&#39;)&#34;&#62;&#38;',
    );
  });

  it('allows its own style and script by hash and nothing else', () => {
    expect(REPORT_CSP).toContain("default-src 'none'");
    expect(REPORT_CSP).toContain(`script-src ${hash(REPORT_SCRIPT)}`);
    expect(REPORT_CSP).toContain(`style-src ${hash(REPORT_CSS)}`);
    expect(REPORT_CSP).not.toMatch(/unsafe|https?:|\*/);
  });

  it('writes the script and style exactly as hashed, and the policy in a meta tag', async () => {
    const result = await smallMonth();
    const path = join(dir, 'small.html');
    await writeHtmlReport(path, result.summary, result, {});
    const html = readFileSync(path, 'utf8');
    expect(html).toContain(`<script>${REPORT_SCRIPT}</script>`);
    expect(html).toContain(`<style>${REPORT_CSS}</style>`);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CSP)}">`,
    );
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('id="headline">claim back CNY');
  });

  it('is written in Chinese with lang zh-CN', async () => {
    const result = await smallMonth();
    const path = join(dir, 'zh.html');
    await writeHtmlReport(path, result.summary, result, { lang: 'zh-CN' });
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('全部差异');
    expect(html).toContain('可追回 CNY');
  });

  it(`holds the ${HTML_ROWS.toLocaleString('en-US')} largest of a bigger month and says so`, async () => {
    const result = await smallMonth();
    const first = result.discrepancies[0] as DiscrepancyRow;
    const many = Array.from({ length: HTML_ROWS + 5 }, (_, i) => ({ ...first, callId: `c${i}` }));
    const path = join(dir, 'many.html');
    await writeHtmlReport(path, result.summary, { ...result, discrepancies: many }, {});
    const html = readFileSync(path, 'utf8');
    expect(html.match(/<tr data-kind=/g)).toHaveLength(HTML_ROWS);
    expect(html).toContain('This page holds the 50,000 largest of 50,005 discrepancies');
    expect(html).toContain('>c49999<');
    expect(html).not.toContain('>c50000<');
  });
});
