import {
  DISCREPANCY_KINDS,
  KIND_DESCRIPTIONS,
  type ReconcileResult,
  type Summary,
} from '../../core/reconcile/index.js';
import { maskPhone } from '../../core/phone.js';
import type { ReportOptions } from './write-report.js';

const LARGEST = 20;

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * The report for a person (SPEC §5.4): totals, the balance check, counts and impact by kind,
 * the largest discrepancies, what was rejected.
 *
 * @param summary - the summary as written to `summary.json`
 * @param result - the reconciliation, for the largest discrepancies and rejected rows
 * @param options - masking of phone numbers
 * @returns Markdown text
 */
export function renderMarkdownReport(
  summary: Summary,
  result: ReconcileResult,
  options: ReportOptions,
): string {
  const { totals, currency } = summary;
  const lines: string[] = [];
  const push = (...more: string[]): void => {
    lines.push(...more);
  };
  const balanced = /^-?0(\.0+)?$/.test(totals.unexplained);
  push(
    `# Bill reconciliation ${summary.period}`,
    '',
    `Period ${summary.period} in ${summary.timezone}; amounts in ${currency}.`,
    '',
    '## Totals',
    '',
    '| | amount |',
    '|---|---:|',
    `| Our rating of the month's calls | ${totals.ours} |`,
    `| The bill's call charges | ${totals.theirs} |`,
    `| **Difference (bill − ours)** | **${totals.difference}** |`,
    `| explained by the discrepancies below | ${totals.explained} |`,
    `| within the amount tolerance | ${totals.withinTolerance} |`,
    `| unexplained | ${totals.unexplained} |`,
    `| Other charges on the bill (rent, SMS, packages) | ${totals.otherCharges} |`,
    '',
    balanced
      ? 'The books balance: difference = explained + within tolerance, to the cent.'
      : `**The books do not balance: ${totals.unexplained} ${currency} is unexplained. This is a defect of callrecon; please report it with this folder.**`,
    '',
    `Minutes: ours ${summary.minutes.ours}, the bill's stated ${summary.minutes.theirs}.`,
    '',
    '## Discrepancies by kind',
    '',
    '| kind | what it means | count | impact |',
    '|---|---|---:|---:|',
  );
  for (const kind of DISCREPANCY_KINDS) {
    const entry = summary.discrepancies[kind];
    push(`| ${kind} | ${KIND_DESCRIPTIONS[kind]} | ${count(entry.count)} | ${entry.impact} |`);
  }
  const { cdrs, bill, matched } = summary;
  push(
    '',
    '## Counts',
    '',
    `- Call records read: ${count(cdrs.records)} — kept ${count(cdrs.kept)}, re-pushes ${count(cdrs.duplicates)}, conflicting ${count(cdrs.conflicts)}, rejected ${count(cdrs.rejected)}; non-fee events skipped: ${count(cdrs.skippedEvents)}.`,
    `- In the period: ${count(cdrs.inPeriod)} calls, ${count(cdrs.answeredInPeriod)} answered, ${count(cdrs.unrated)} with no rate.`,
    `- Bill rows read: ${count(bill.rows)} — calls ${count(bill.callRows)}, other charges ${count(bill.otherRows)}, rejected ${count(bill.rejected)}.`,
    `- Matched pairs: ${count(matched.byId)} by id, ${count(matched.byComposite)} by caller, number and time; ${count(matched.clean)} clean.`,
  );
  const largest = result.discrepancies.filter(
    (row) => row.impact !== '' && !/^-?0(\.0+)?$/.test(row.impact),
  );
  if (largest.length > 0) {
    push(
      '',
      `## Largest discrepancies${largest.length > LARGEST ? ` (${LARGEST} of ${count(largest.length)}; all in discrepancies.csv)` : ''}`,
      '',
      '| impact | kind | call | caller | private number | answered | bill row | detail |',
      '|---:|---|---|---|---|---|---|---|',
    );
    for (const row of largest.slice(0, LARGEST)) {
      const phone = (n: string): string => (options.showNumbers ? n : maskPhone(n));
      push(
        `| ${row.impact} | ${row.kind} | ${cell(row.callId)} | ${phone(row.callerNum)} | ${phone(row.privateNum)} | ${row.answerTime} | ${cell(row.billSource)} | ${cell(row.detail)} |`,
      );
    }
  }
  if (result.rejected.length > 0) {
    const byCode = new Map<string, number>();
    for (const issue of result.rejected) byCode.set(issue.code, (byCode.get(issue.code) ?? 0) + 1);
    push('', '## Rejected records and rows', '', '| code | count |', '|---|---:|');
    for (const [code, n] of [...byCode].sort()) push(`| ${code} | ${count(n)} |`);
    push('', 'Each is listed with its file, line and reason in rejected.csv.');
  }
  push(
    '',
    '## Inputs',
    '',
    '| role | file | records | rejected | sha256 |',
    '|---|---|---:|---:|---|',
  );
  for (const input of summary.inputs) {
    push(
      `| ${input.role} | ${cell(input.path)} | ${count(input.records)} | ${count(input.rejected)} | ${input.sha256 ?? ''} |`,
    );
  }
  push('');
  return lines.join('\n');
}
