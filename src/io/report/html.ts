/**
 * `report.html` (SPEC §5.5): one self-contained page — the content of `report.md`, the
 * charts drawn as SVG, and every discrepancy (up to `HTML_ROWS`) in a table that sorts,
 * filters and searches. Written line by line, so a large month never becomes one string.
 */
import {
  DISCREPANCY_ACTIONS,
  DISCREPANCY_KINDS,
  type DiscrepancyRow,
  type ReconcileResult,
  type Summary,
} from '../../core/reconcile/index.js';
import { dailyChart, escapeHtml as esc, horizontalBarChart, waterfallChart } from './charts.js';
import { REPORT_CSP, REPORT_CSS, REPORT_SCRIPT } from './html-assets.js';
import { LineWriter } from './line-writer.js';
import {
  actionLine,
  bridgeOf,
  decimalsOf,
  fromMinor,
  impactByDay,
  shownCell,
  toMinor,
} from './model.js';
import { stringsFor, type LabelKey, type Strings } from './strings.js';
import type { ReportOptions } from './write-report.js';

/**
 * The most discrepancies the page holds: the largest, as SPEC §5.5 says.
 *
 * @example
 * rows.slice(0, HTML_ROWS); // what the page shows
 */
export const HTML_ROWS = 50_000;

/**
 * The most rejected rows the page lists (all are in `rejected.csv`).
 *
 * @example
 * result.rejected.slice(0, HTML_REJECTED_ROWS);
 */
export const HTML_REJECTED_ROWS = 1_000;

/**
 * The columns of the page's table: the row's column, its label, and whether it is a number.
 *
 * @example
 * HTML_COLUMNS[0]; // { column: 'impact', label: 'impact', numeric: true }
 */
export const HTML_COLUMNS: readonly {
  readonly column: keyof DiscrepancyRow;
  readonly label: LabelKey;
  readonly numeric: boolean;
}[] = [
  { column: 'impact', label: 'impact', numeric: true },
  { column: 'kind', label: 'kind', numeric: false },
  { column: 'action', label: 'action', numeric: false },
  { column: 'callId', label: 'call', numeric: false },
  { column: 'matchedBy', label: 'matchedBy', numeric: false },
  { column: 'amountOurs', label: 'oursShort', numeric: true },
  { column: 'amountTheirs', label: 'bill', numeric: true },
  { column: 'callerNum', label: 'caller', numeric: false },
  { column: 'privateNum', label: 'privateNum', numeric: false },
  { column: 'answerTime', label: 'answered', numeric: false },
  { column: 'cdrSource', label: 'cdrRow', numeric: false },
  { column: 'billSource', label: 'billRow', numeric: false },
  { column: 'detail', label: 'detail', numeric: false },
];

const CELL_CLASS: Partial<Record<keyof DiscrepancyRow, string>> = {
  detail: ' class="detail"',
  callId: ' class="id"',
  cdrSource: ' class="id"',
  billSource: ' class="id"',
  kind: ' class="nowrap"',
  callerNum: ' class="nowrap"',
  privateNum: ' class="nowrap"',
  answerTime: ' class="nowrap"',
};

function card(id: string, label: string, value: string, key = false): string {
  return `<div${key ? ' class="key"' : ''}><dt>${esc(label)}</dt><dd id="${id}">${esc(value)}</dd></div>`;
}

function stepLabel(step: string, s: Strings): string {
  return (s.kinds.steps as Readonly<Record<string, string>>)[step] ?? step;
}

function head(summary: Summary, result: ReconcileResult, s: Strings): string {
  const t = summary.totals;
  const warnings =
    summary.warnings.length === 0
      ? ''
      : `<div class="banner" role="alert" id="warnings"><strong>${esc(s.t('warnings'))}</strong> — ${esc(s.t('warningsIntro'))}<ul>${summary.warnings
          .map(
            (w) =>
              `<li><code>${esc(w.code)}</code> ${esc(w.message)}${w.source === undefined ? '' : ` <span class="muted">(${esc(w.source)})</span>`}</li>`,
          )
          .join('')}</ul></div>`;
  const balanced = toMinor(t.unexplained, decimalsOf(summary)) === 0n;
  const statesMinutes = summary.minutes.theirs !== '0' || summary.bill.callRows === 0;
  return [
    '<!DOCTYPE html>',
    `<html lang="${s.lang}"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(s.t('title', { period: summary.period }))}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    `<header><h1>${esc(s.t('title', { period: summary.period }))}</h1><p class="muted">${esc(s.t('periodLine', { period: summary.period, zone: summary.timezone, currency: summary.currency }))}</p></header>`,
    warnings,
    `<p class="headline" id="headline">${esc(actionLine(summary, result.discrepancies, s))}</p>`,
    '<dl class="cards">',
    card('total-claimable', s.t('claimable'), t.claimable, true),
    card('total-underBilled', s.t('underBilledTotal'), t.underBilled),
    card('total-ours', s.t('ours'), t.ours),
    card('total-theirs', s.t('theirs'), t.theirs),
    card('total-difference', s.t('difference'), t.difference),
    card('total-explained', s.t('explained'), t.explained),
    card('total-withinTolerance', s.t('withinTolerance'), t.withinTolerance),
    card('total-unexplained', s.t('unexplained'), t.unexplained),
    card('total-otherCharges', s.t('otherCharges'), t.otherCharges),
    card('invoice-theirs', s.t('invoiceTheirs'), summary.invoice.theirs),
    '</dl>',
    `<p id="balance"${balanced ? '' : ' class="bad"'}>${esc(balanced ? s.t('balanced') : s.t('notBalanced', { amount: t.unexplained, currency: summary.currency }))}</p>`,
    `<p>${esc(statesMinutes ? s.t('minutesBoth', { ours: summary.minutes.ours, theirs: summary.minutes.theirs }) : s.t('minutesOurs', { ours: summary.minutes.ours }))}</p>`,
  ].join('\n');
}

function charts(summary: Summary, result: ReconcileResult, s: Strings): string {
  const decimals = decimalsOf(summary);
  const noData = s.t('chartNoData');
  const bridge = waterfallChart(
    bridgeOf(summary),
    { start: s.t('bridgeStart'), end: s.t('bridgeEnd'), step: (step) => stepLabel(step, s) },
    s.t('chartBridge'),
    noData,
  );
  const kinds = horizontalBarChart(
    DISCREPANCY_KINDS.filter((kind) => summary.discrepancies[kind].count > 0).map((kind) => ({
      label: kind,
      value: summary.discrepancies[kind].impact,
      note: String(summary.discrepancies[kind].count),
    })),
    s.t('chartKinds'),
    noData,
  );
  const days = dailyChart(
    impactByDay(result.discrepancies, decimals),
    fromMinor(0n, decimals),
    { impact: s.t('impact'), count: s.t('count') },
    s.t('chartDays'),
    noData,
  );
  const items = Object.entries(summary.charges.byItem).flatMap(([item, entry]) => [
    {
      label: `${item} · ${s.t('bill')}`,
      value: entry.theirs,
      note: String(entry.rows),
      fill: '#4a6fa5',
    },
    { label: `${item} · ${s.t('oursShort')}`, value: entry.ours, fill: '#9bb3d6' },
  ]);
  const charges = horizontalBarChart(items, s.t('chartCharges'), noData);
  const figure = (id: string, title: LabelKey, chart: string): string =>
    `<figure id="${id}"><figcaption>${esc(s.t(title))}</figcaption>${chart}</figure>`;
  return [
    `<h2>${esc(s.t('bridge'))}</h2>`,
    figure('chart-bridge', 'chartBridge', bridge),
    '<div class="charts">',
    figure('chart-kinds', 'chartKinds', kinds),
    figure('chart-days', 'chartDays', days),
    '</div>',
    `<h2>${esc(s.t('byKind'))}</h2>`,
    kindTable(summary, s),
    `<h2>${esc(s.t('charges'))}</h2>`,
    `<figure id="chart-charges" aria-label="${esc(s.t('chartCharges'))}">${charges}</figure>`,
    summary.charges.checked || items.length === 0
      ? ''
      : `<p class="muted">${esc(s.t('chargesUnchecked'))}</p>`,
  ].join('\n');
}

function kindTable(summary: Summary, s: Strings): string {
  const kinds = DISCREPANCY_KINDS.filter((kind) => summary.discrepancies[kind].count > 0);
  if (kinds.length === 0) return `<p>${esc(s.t('noDiscrepancies'))}</p>`;
  const rows = kinds.map((kind) => {
    const entry = summary.discrepancies[kind];
    return `<tr><td><code>${kind}</code></td><td>${esc(s.kinds.descriptions[kind])}</td><td class="num">${esc(s.count(entry.count))}</td><td class="num">${esc(entry.impact)}</td><td>${esc(s.kinds.kindActions[kind])}</td></tr>`;
  });
  return `<table id="kinds"><thead><tr><th>${esc(s.t('kind'))}</th><th>${esc(s.t('meaning'))}</th><th class="num">${esc(s.t('count'))}</th><th class="num">${esc(s.t('impact'))}</th><th>${esc(s.t('whatToDo'))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function tableHead(summary: Summary, rows: readonly DiscrepancyRow[], s: Strings): string {
  const shown = Math.min(rows.length, HTML_ROWS);
  const kinds = DISCREPANCY_KINDS.filter((kind) => summary.discrepancies[kind].count > 0);
  const actions = DISCREPANCY_ACTIONS.filter((action) => rows.some((row) => row.action === action));
  const option = (value: string, label: string): string =>
    `<option value="${esc(value)}">${esc(label)}</option>`;
  return [
    `<h2>${esc(s.t('table'))}</h2>`,
    rows.length > shown
      ? `<p class="banner" id="truncated">${esc(s.t('truncated', { shown, total: rows.length }))}</p>`
      : '',
    '<div class="controls">',
    `<label>${esc(s.t('kind'))} <select id="filter-kind">${option('', s.t('allKinds'))}${kinds.map((k) => option(k, k)).join('')}</select></label>`,
    `<label>${esc(s.t('action'))} <select id="filter-action">${option('', s.t('allActions'))}${actions.map((a) => option(a, s.kinds.actions[a])).join('')}</select></label>`,
    `<label>${esc(s.t('search'))} <input id="search" type="search" placeholder="${esc(s.t('searchHint'))}"></label>`,
    `<span id="shown" data-template="${esc(s.t('showing', { shown: '{shown}', total: '{total}' }))}">${esc(s.t('showing', { shown, total: shown }))}</span>`,
    `<span class="muted">${esc(s.t('sortHint'))}</span>`,
    '</div>',
    '<div class="scroll"><table id="rows"><thead><tr>',
    HTML_COLUMNS.map(
      (c) =>
        `<th data-col="${c.column}"${c.numeric ? ' data-type="num" class="num"' : ''}><button type="button">${esc(s.t(c.label))}</button></th>`,
    ).join(''),
    '</tr></thead><tbody>',
  ].join('\n');
}

/**
 * One discrepancy as a row of the page's table, every cell escaped.
 *
 * @param row - the discrepancy
 * @param s - the labels (for the action's name)
 * @param showNumbers - whether phone numbers are shown in full
 * @returns a `<tr>` line
 * @example
 * htmlRow(result.discrepancies[0], stringsFor('en'), false); // '<tr data-kind="MISSING_IN_CDRS" …'
 */
export function htmlRow(row: DiscrepancyRow, s: Strings, showNumbers: boolean): string {
  let cells = '';
  for (const c of HTML_COLUMNS) {
    const value =
      c.column === 'action' ? s.kinds.actions[row.action] : shownCell(row, c.column, showNumbers);
    cells += `<td${CELL_CLASS[c.column] ?? (c.numeric ? ' class="num"' : '')}>${esc(value)}</td>`;
  }
  return `<tr data-kind="${row.kind}" data-action="${row.action}">${cells}</tr>\n`;
}

function tail(summary: Summary, result: ReconcileResult, s: Strings): string {
  const { cdrs, bill, matched } = summary;
  const parts = [
    '</tbody></table></div>',
    `<h2>${esc(s.t('countsTitle'))}</h2><ul>`,
    `<li>${esc(s.t('countsCdrs', { records: cdrs.records, kept: cdrs.kept, duplicates: cdrs.duplicates, conflicts: cdrs.conflicts, rejected: cdrs.rejected, skipped: cdrs.skippedEvents }))}</li>`,
    `<li>${esc(s.t('countsPeriod', { inPeriod: cdrs.inPeriod, answered: cdrs.answeredInPeriod, unrated: cdrs.unrated }))}</li>`,
    `<li>${esc(s.t('countsBill', { rows: bill.rows, calls: bill.callRows, other: bill.otherRows, rejected: bill.rejected }))}</li>`,
    `<li>${esc(s.t('countsMatched', { byId: matched.byId, byComposite: matched.byComposite, clean: matched.clean }))}</li>`,
    `<li>${esc(s.plural('discrepancy', result.discrepancies.length))}</li></ul>`,
  ];
  if (result.rejected.length > 0) {
    const shown = result.rejected.slice(0, HTML_REJECTED_ROWS);
    parts.push(
      `<h2>${esc(s.t('rejectedTitle'))}</h2>`,
      result.rejected.length > shown.length
        ? `<p>${esc(s.t('rejectedShown', { shown: shown.length, total: result.rejected.length }))}</p>`
        : `<p class="muted">${esc(s.t('rejectedNote'))}</p>`,
      toMinor(summary.bill.rejectedAmount, decimalsOf(summary)) === 0n
        ? ''
        : `<p>${esc(s.t('rejectedAmount', { money: s.money(summary.currency, summary.bill.rejectedAmount) }))}</p>`,
      `<table id="rejected"><thead><tr><th>${esc(s.t('source'))}</th><th class="num">${esc(s.t('line'))}</th><th>${esc(s.t('code'))}</th><th>${esc(s.t('reason'))}</th></tr></thead><tbody>`,
      ...shown.map(
        (i) =>
          `<tr><td>${esc(i.source)}</td><td class="num">${i.line}</td><td><code>${esc(i.code)}</code></td><td>${esc(i.reason)}</td></tr>`,
      ),
      '</tbody></table>',
    );
  }
  if (summary.inferred.findings.length > 0) {
    parts.push(
      `<h2>${esc(s.t('inferred'))}</h2><ul>`,
      ...summary.inferred.findings.map((f) => `<li>${esc(f)}</li>`),
      '</ul>',
    );
  }
  parts.push(
    `<h2>${esc(s.t('inputs'))}</h2><table id="inputs"><thead><tr><th>${esc(s.t('role'))}</th><th>${esc(s.t('file'))}</th><th class="num">${esc(s.t('records'))}</th><th class="num">${esc(s.t('rejected'))}</th><th>sha256</th></tr></thead><tbody>`,
    ...summary.inputs.map(
      (i) =>
        `<tr><td>${i.role}</td><td>${esc(i.path)}</td><td class="num">${esc(s.count(i.records))}</td><td class="num">${esc(s.count(i.rejected))}</td><td><code>${esc(i.sha256 ?? '')}</code></td></tr>`,
    ),
    '</tbody></table>',
    `<script>${REPORT_SCRIPT}</script>`,
    '</body></html>',
    '',
  );
  return parts.join('\n');
}

/**
 * Writes `report.html` (SPEC §5.5): warnings as a banner, the headline action, the totals,
 * the charts (the bridge as a waterfall, impact by kind and by day, other charges by item),
 * the table of discrepancies (the `HTML_ROWS` largest), the rejected rows, the inputs.
 * Every text from an input is escaped; the page loads nothing and runs only its own script.
 *
 * @param path - the file to write
 * @param summary - the run's summary
 * @param result - the discrepancies (sorted as `discrepancies.csv`) and rejected rows
 * @param options - masking of phone numbers, language
 * @example
 * await writeHtmlReport('out/report.html', result.summary, result, { lang: 'en' });
 */
export async function writeHtmlReport(
  path: string,
  summary: Summary,
  result: ReconcileResult,
  options: ReportOptions = {},
): Promise<void> {
  const s = stringsFor(options.lang);
  const show = options.showNumbers === true;
  const out = new LineWriter(path);
  out.write(head(summary, result, s));
  out.write(charts(summary, result, s));
  out.write(tableHead(summary, result.discrepancies, s));
  const rows = result.discrepancies;
  const n = Math.min(rows.length, HTML_ROWS);
  for (let i = 0; i < n; i++) {
    if (i % 1024 === 0) await out.drain();
    out.write(htmlRow(rows[i] as DiscrepancyRow, s, show));
  }
  out.write(tail(summary, result, s));
  await out.close();
}
