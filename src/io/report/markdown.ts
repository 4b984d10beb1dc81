import {
  DISCREPANCY_KINDS,
  type DiscrepancyRow,
  type ReconcileResult,
  type Summary,
} from '../../core/reconcile/index.js';
import type { Issue } from '../../core/issues.js';
import { actionLine, bridgeOf, decimalsOf, shownCell, toMinor } from './model.js';
import { stringsFor, type Strings } from './strings.js';
import type { ReportOptions } from './write-report.js';

/**
 * How many of the largest discrepancies `report.md` lists.
 *
 * @example
 * rows.slice(0, LARGEST_SHOWN); // the rows report.md lists
 */
export const LARGEST_SHOWN = 20;

/** Text from an input, safe in a Markdown table cell: no markup, no line break. */
function cell(text: string): string {
  return text.replace(/[\\|<>*_[\]`#]/g, '\\$&').replace(/[\r\n]+/g, ' ');
}

/** The name of a bridge bar: a step's label, or a kind as it is. */
function stepLabel(step: string, s: Strings): string {
  return (s.kinds.steps as Readonly<Record<string, string>>)[step] ?? step;
}

/**
 * The report for a person (SPEC §5.4): the warnings, then what to claim and what is
 * under-billed, the totals and the balance check, the bridge, counts and impact by kind with
 * the action for each, the other charges by item, the largest discrepancies, what was
 * rejected, the inputs. Labels in `options.lang` (default `en`).
 *
 * @param summary - the summary as written to `summary.json`
 * @param result - the reconciliation, for the discrepancies and rejected rows
 * @param options - masking of phone numbers, language
 * @returns Markdown text
 * @example
 * const md = renderMarkdownReport(result.summary, result, { lang: 'zh-CN' });
 */
export function renderMarkdownReport(
  summary: Summary,
  result: ReconcileResult,
  options: ReportOptions,
): string {
  const s = stringsFor(options.lang);
  const lines: string[] = [];
  const push = (...more: string[]): void => {
    lines.push(...more);
  };
  push(
    `# ${cell(s.t('title', { period: summary.period }))}`,
    '',
    s.t('periodLine', {
      period: summary.period,
      zone: summary.timezone,
      currency: summary.currency,
    }),
    '',
  );
  pushWarnings(push, summary, s);
  push(`**${actionLine(summary, result.discrepancies, s)}**`, '');
  pushTotals(push, summary, s);
  pushBridge(push, summary, s);
  pushKinds(push, summary, s);
  pushCharges(push, summary, s);
  pushLargest(push, result.discrepancies, options, s);
  pushCounts(push, summary, s);
  pushRejected(push, summary, result.rejected, s);
  if (summary.inferred.findings.length > 0) {
    push(`## ${s.t('inferred')}`, '');
    for (const finding of summary.inferred.findings) push(`- ${cell(finding)}`);
    push('');
  }
  push(
    `## ${s.t('inputs')}`,
    '',
    `| ${s.t('role')} | ${s.t('file')} | ${s.t('records')} | ${s.t('rejected')} | sha256 |`,
    '|---|---|---:|---:|---|',
  );
  for (const input of summary.inputs) {
    push(
      `| ${input.role} | ${cell(input.path)} | ${s.count(input.records)} | ${s.count(input.rejected)} | ${input.sha256 ?? ''} |`,
    );
  }
  push('');
  return lines.join('\n');
}

type Push = (...lines: string[]) => void;

function pushWarnings(push: Push, summary: Summary, s: Strings): void {
  if (summary.warnings.length === 0) return;
  push(`> **${s.t('warnings')}** — ${s.t('warningsIntro')}`, '>');
  for (const warning of summary.warnings) {
    const source = warning.source === undefined ? '' : ` (${cell(warning.source)})`;
    push(`> - \`${warning.code}\` ${cell(warning.message)}${source}`);
  }
  push('');
}

function pushTotals(push: Push, summary: Summary, s: Strings): void {
  const { totals, currency } = summary;
  const balanced = toMinor(totals.unexplained, decimalsOf(summary)) === 0n;
  push(
    `## ${s.t('totals')}`,
    '',
    `| | ${s.t('amount')} |`,
    '|---|---:|',
    `| **${s.t('claimable')}** | **${totals.claimable}** |`,
    `| ${s.t('underBilledTotal')} | ${totals.underBilled} |`,
    `| ${s.t('ours')} | ${totals.ours} |`,
    `| ${s.t('theirs')} | ${totals.theirs} |`,
    `| **${s.t('difference')}** | **${totals.difference}** |`,
    `| ${s.t('explained')} | ${totals.explained} |`,
    `| ${s.t('withinTolerance')} | ${totals.withinTolerance} |`,
    `| ${s.t('unexplained')} | ${totals.unexplained} |`,
    `| ${s.t('otherCharges')} | ${totals.otherCharges} |`,
    `| ${s.t('invoiceOurs')} | ${summary.invoice.ours} |`,
    `| ${s.t('invoiceTheirs')} | ${summary.invoice.theirs} |`,
    '',
    balanced
      ? s.t('balanced')
      : `**${s.t('notBalanced', { amount: totals.unexplained, currency })}**`,
    '',
  );
  // A bill without a minutes column states none: say so, not "the bill's stated 0".
  const statesMinutes = summary.minutes.theirs !== '0' || summary.bill.callRows === 0;
  push(
    statesMinutes
      ? s.t('minutesBoth', { ours: summary.minutes.ours, theirs: summary.minutes.theirs })
      : s.t('minutesOurs', { ours: summary.minutes.ours }),
    '',
  );
}

function pushBridge(push: Push, summary: Summary, s: Strings): void {
  const bridge = bridgeOf(summary);
  if (bridge.bars.length === 0) return;
  push(
    `## ${s.t('bridge')}`,
    '',
    `| | ${s.t('amount')} | ${s.t('count')} |`,
    '|---|---:|---:|',
    `| **${s.t('bridgeStart')}** | **${bridge.start}** | |`,
  );
  for (const bar of bridge.bars) {
    const sign = bar.amount.startsWith('-') ? '' : '+';
    push(`| ${stepLabel(bar.step, s)} | ${sign}${bar.amount} | ${s.count(bar.count)} |`);
  }
  push(`| **${s.t('bridgeEnd')}** | **${bridge.end}** | |`, '');
}

function pushKinds(push: Push, summary: Summary, s: Strings): void {
  const kinds = DISCREPANCY_KINDS.filter((kind) => summary.discrepancies[kind].count > 0);
  push(`## ${s.t('byKind')}`, '');
  if (kinds.length === 0) {
    push(s.t('noDiscrepancies'), '');
    return;
  }
  push(
    `| ${s.t('kind')} | ${s.t('meaning')} | ${s.t('count')} | ${s.t('impact')} | ${s.t('whatToDo')} |`,
    '|---|---|---:|---:|---|',
  );
  for (const kind of kinds) {
    const entry = summary.discrepancies[kind];
    push(
      `| ${kind} | ${s.kinds.descriptions[kind]} | ${s.count(entry.count)} | ${entry.impact} | ${s.kinds.kindActions[kind]} |`,
    );
  }
  push('');
}

function pushCharges(push: Push, summary: Summary, s: Strings): void {
  const items = Object.entries(summary.charges.byItem);
  if (items.length === 0) return;
  push(
    `## ${s.t('charges')}`,
    '',
    `| ${s.t('item')} | ${s.t('bill')} | ${s.t('oursShort')} | ${s.t('rows')} |`,
    '|---|---:|---:|---:|',
  );
  for (const [item, entry] of items) {
    push(`| ${cell(item)} | ${entry.theirs} | ${entry.ours} | ${s.count(entry.rows)} |`);
  }
  push('');
  if (!summary.charges.checked) push(s.t('chargesUnchecked'), '');
}

function pushLargest(
  push: Push,
  rows: readonly DiscrepancyRow[],
  options: ReportOptions,
  s: Strings,
): void {
  if (rows.length === 0) return;
  const shown = rows.slice(0, LARGEST_SHOWN);
  const title =
    rows.length > shown.length
      ? s.t('largestOf', { shown: shown.length, total: rows.length })
      : s.t('largest');
  push(
    `## ${title}`,
    '',
    `| ${s.t('impact')} | ${s.t('kind')} | ${s.t('action')} | ${s.t('call')} | ${s.t('caller')} | ${s.t('privateNum')} | ${s.t('answered')} | ${s.t('billRow')} | ${s.t('detail')} |`,
    '|---:|---|---|---|---|---|---|---|---|',
  );
  const show = options.showNumbers === true;
  for (const row of shown) {
    push(
      `| ${row.impact} | ${row.kind} | ${s.kinds.actions[row.action]} | ${cell(row.callId)} | ${cell(shownCell(row, 'callerNum', show))} | ${cell(shownCell(row, 'privateNum', show))} | ${row.answerTime} | ${cell(row.billSource)} | ${cell(shownCell(row, 'detail', show))} |`,
    );
  }
  push('', s.t('largestNote'), '');
}

function pushCounts(push: Push, summary: Summary, s: Strings): void {
  const { cdrs, bill, matched } = summary;
  push(
    `## ${s.t('countsTitle')}`,
    '',
    `- ${s.t('countsCdrs', { records: cdrs.records, kept: cdrs.kept, duplicates: cdrs.duplicates, conflicts: cdrs.conflicts, rejected: cdrs.rejected, skipped: cdrs.skippedEvents })}`,
    `- ${s.t('countsPeriod', { inPeriod: cdrs.inPeriod, answered: cdrs.answeredInPeriod, unrated: cdrs.unrated })}`,
    `- ${s.t('countsBill', { rows: bill.rows, calls: bill.callRows, other: bill.otherRows, rejected: bill.rejected })}`,
    `- ${s.t('countsMatched', { byId: matched.byId, byComposite: matched.byComposite, clean: matched.clean })}`,
    `- ${s.plural(
      'discrepancy',
      DISCREPANCY_KINDS.reduce((n, kind) => n + summary.discrepancies[kind].count, 0),
    )}`,
    '',
  );
}

function pushRejected(push: Push, summary: Summary, rejected: readonly Issue[], s: Strings): void {
  if (rejected.length === 0) return;
  const byCode = new Map<string, number>();
  for (const issue of rejected) byCode.set(issue.code, (byCode.get(issue.code) ?? 0) + 1);
  push(`## ${s.t('rejectedTitle')}`, '', `| ${s.t('code')} | ${s.t('count')} |`, '|---|---:|');
  for (const [code, n] of [...byCode].sort()) push(`| ${code} | ${s.count(n)} |`);
  push('', s.t('rejectedNote'));
  if (toMinor(summary.bill.rejectedAmount, decimalsOf(summary)) !== 0n) {
    push(
      '',
      s.t('rejectedAmount', { money: s.money(summary.currency, summary.bill.rejectedAmount) }),
    );
  }
  push('');
}
