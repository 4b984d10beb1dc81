/**
 * The labels of the human-readable reports (`report.md`, `report.html`), in every language
 * they are written in (SPEC §5.5 `--lang`). One table: a language is complete or it does not
 * compile, and a test checks that both have every key with the same placeholders.
 */
import {
  KIND_ACTIONS,
  KIND_DESCRIPTIONS,
  type BridgeStepName,
  type DiscrepancyAction,
  type DiscrepancyKind,
} from '../../core/reconcile/index.js';
import { KINDS_ZH } from './strings-zh.js';

/**
 * The languages reports are written in.
 *
 * @example
 * REPORT_LANGS.includes('zh-CN'); // true
 */
export const REPORT_LANGS = ['en', 'zh-CN'] as const;

/** A language of the reports: `en` (the default) or `zh-CN`. */
export type ReportLang = (typeof REPORT_LANGS)[number];

const EN = {
  title: 'Bill reconciliation {period}',
  periodLine: 'Period {period} in {zone}; amounts in {currency}.',
  claimBack: 'claim back {money} ({items})',
  nothingToClaim: 'nothing to claim back',
  underBilled: 'under-billed {money} ({n})',
  item_one: '{n} item',
  item_other: '{n} items',
  note_one: '{n} note',
  note_other: '{n} notes',
  discrepancy_one: '{n} discrepancy',
  discrepancy_other: '{n} discrepancies',
  warnings: 'Warnings',
  warningsIntro: 'Check these before acting on this report:',
  totals: 'Totals',
  amount: 'amount',
  ours: "Our rating of the month's calls",
  theirs: "The bill's call charges",
  difference: 'Difference (bill − ours)',
  explained: 'explained by the discrepancies',
  withinTolerance: 'within the amount tolerance',
  unexplained: 'unexplained',
  otherCharges: 'Other charges on the bill (rent, SMS, packages)',
  invoiceTheirs: 'Invoice total, the bill',
  invoiceOurs: 'Invoice total, ours',
  claimable: 'To claim back',
  underBilledTotal: 'Under-billed',
  balanced: 'The books balance: difference = explained + within tolerance, to the cent.',
  notBalanced:
    'The books do not balance: {amount} {currency} is unexplained. This is a defect of callrecon; please report it with this folder.',
  minutesBoth: "Minutes: ours {ours}, the bill's stated {theirs}.",
  minutesOurs: 'Minutes: ours {ours}; the bill states no minutes.',
  bridge: 'From our rating to the bill',
  bridgeStart: 'ours',
  bridgeEnd: 'the bill',
  byKind: 'Discrepancies by kind',
  kind: 'kind',
  meaning: 'what it means',
  count: 'count',
  impact: 'impact',
  action: 'action',
  whatToDo: 'what to do',
  charges: 'Other charges by item',
  item: 'item',
  bill: 'bill',
  oursShort: 'ours',
  rows: 'rows',
  chargesUnchecked:
    'Not checked: the tariff prices none of these items and no list of numbers was given.',
  largest: 'Largest discrepancies',
  largestOf: 'Largest discrepancies ({shown} of {total})',
  largestNote: 'Every discrepancy is in discrepancies.csv.',
  noDiscrepancies: 'No discrepancies.',
  call: 'call',
  matchedBy: 'matched by',
  caller: 'caller',
  privateNum: 'private number',
  callee: 'callee',
  answered: 'answered',
  cdrRow: 'CDR row',
  billRow: 'bill row',
  detail: 'detail',
  countsTitle: 'Counts',
  countsCdrs:
    'Call records read: {records}; kept {kept}, re-pushes {duplicates}, conflicting {conflicts}, rejected {rejected}; non-fee events skipped: {skipped}.',
  countsPeriod: 'In the period: {inPeriod} calls, {answered} answered, {unrated} with no rate.',
  countsBill: 'Bill rows read: {rows}; calls {calls}, other charges {other}, rejected {rejected}.',
  countsMatched:
    'Matched pairs: {byId} by id, {byComposite} by caller, number and time; {clean} clean.',
  rejectedTitle: 'Rejected records and rows',
  rejectedNote: 'Each is listed with its file, line and reason in rejected.csv.',
  rejectedAmount: 'Rejected bill rows carried {money} that is in no total above.',
  code: 'code',
  source: 'source',
  line: 'line',
  reason: 'reason',
  rejectedShown: 'The first {shown} of {total}; all are in rejected.csv.',
  inferred: "The provider's policy, inferred from the bill",
  inputs: 'Inputs',
  role: 'role',
  file: 'file',
  records: 'records',
  rejected: 'rejected',
  chartBridge: 'From our rating to the bill, step by step',
  chartKinds: 'Impact by kind',
  chartDays: 'Impact and count by day',
  chartCharges: 'Other charges by item',
  chartNoData: 'Nothing to show.',
  day: 'day',
  table: 'Every discrepancy',
  allKinds: 'every kind',
  allActions: 'every action',
  search: 'Search',
  searchHint: 'call, number, file, detail…',
  showing: 'Showing {shown} of {total}.',
  truncated:
    'This page holds the {shown} largest of {total} discrepancies; all are in discrepancies.csv and report.xlsx.',
  sortHint: 'Click a column heading to sort.',
} as const;

/**
 * A key of the labels table.
 *
 * @example
 * const key: LabelKey = 'totals';
 */
export type LabelKey = keyof typeof EN;

const ZH: Readonly<Record<LabelKey, string>> = {
  title: '账单对账 {period}',
  periodLine: '账期 {period}（时区 {zone}），金额单位 {currency}。',
  claimBack: '可追回 {money}（{items}）',
  nothingToClaim: '无可追回款项',
  underBilled: '少收 {money}（{n} 项）',
  item_one: '{n} 项',
  item_other: '{n} 项',
  note_one: '{n} 项备注',
  note_other: '{n} 项备注',
  discrepancy_one: '{n} 项差异',
  discrepancy_other: '{n} 项差异',
  warnings: '警告',
  warningsIntro: '依据本报告行动之前，请先核对：',
  totals: '合计',
  amount: '金额',
  ours: '我方对本月通话的计费',
  theirs: '账单的通话费用',
  difference: '差额（账单 − 我方）',
  explained: '由差异解释',
  withinTolerance: '在金额容差之内',
  unexplained: '未解释',
  otherCharges: '账单的其他费用（月租、短信、套餐）',
  invoiceTheirs: '发票合计（账单）',
  invoiceOurs: '发票合计（我方）',
  claimable: '可追回',
  underBilledTotal: '少收',
  balanced: '账目平衡：差额 = 已解释 + 容差之内，精确到分。',
  notBalanced:
    '账目不平衡：{amount} {currency} 无法解释。这是 callrecon 的缺陷，请附上此文件夹报告。',
  minutesBoth: '分钟数：我方 {ours}，账单所列 {theirs}。',
  minutesOurs: '分钟数：我方 {ours}；账单未列分钟数。',
  bridge: '从我方计费到账单',
  bridgeStart: '我方',
  bridgeEnd: '账单',
  byKind: '按类型的差异',
  kind: '类型',
  meaning: '含义',
  count: '数量',
  impact: '影响',
  action: '处理',
  whatToDo: '怎么做',
  charges: '按项目的其他费用',
  item: '项目',
  bill: '账单',
  oursShort: '我方',
  rows: '行数',
  chargesUnchecked: '未核对：资费未对这些项目定价，也未提供号码清单。',
  largest: '最大的差异',
  largestOf: '最大的差异（{total} 项中的 {shown} 项）',
  largestNote: '全部差异见 discrepancies.csv。',
  noDiscrepancies: '没有差异。',
  call: '通话',
  matchedBy: '匹配方式',
  caller: '主叫',
  privateNum: '隐私号',
  callee: '被叫',
  answered: '接通时间',
  cdrRow: '话单行',
  billRow: '账单行',
  detail: '说明',
  countsTitle: '计数',
  countsCdrs:
    '读取话单记录：{records}；保留 {kept}，重复推送 {duplicates}，冲突 {conflicts}，拒收 {rejected}；跳过的非计费事件：{skipped}。',
  countsPeriod: '账期内：{inPeriod} 通通话，{answered} 通接通，{unrated} 通无资费。',
  countsBill: '读取账单行：{rows}；通话 {calls}，其他费用 {other}，拒收 {rejected}。',
  countsMatched: '匹配对：按 ID {byId}，按主叫、号码和时间 {byComposite}；无差异 {clean}。',
  rejectedTitle: '拒收的记录和行',
  rejectedNote: '每一条的文件、行号和原因见 rejected.csv。',
  rejectedAmount: '拒收的账单行金额共 {money}，未计入上述任何合计。',
  code: '代码',
  source: '来源',
  line: '行号',
  reason: '原因',
  rejectedShown: '前 {shown} 条，共 {total} 条；全部见 rejected.csv。',
  inferred: '从账单推断的运营商计费规则',
  inputs: '输入',
  role: '角色',
  file: '文件',
  records: '记录',
  rejected: '拒收',
  chartBridge: '从我方计费到账单，逐步分解',
  chartKinds: '按类型的影响',
  chartDays: '按日的影响和数量',
  chartCharges: '按项目的其他费用',
  chartNoData: '无数据。',
  day: '日期',
  table: '全部差异',
  allKinds: '全部类型',
  allActions: '全部处理',
  search: '搜索',
  searchHint: '通话、号码、文件、说明…',
  showing: '显示 {total} 项中的 {shown} 项。',
  truncated:
    '本页包含 {total} 项差异中最大的 {shown} 项；全部见 discrepancies.csv 和 report.xlsx。',
  sortHint: '点击列标题排序。',
};

/** What each action is called, and what each kind means and asks for, in one language. */
export interface KindStrings {
  readonly actions: Readonly<Record<DiscrepancyAction, string>>;
  readonly steps: Readonly<Record<BridgeStepName, string>>;
  readonly descriptions: Readonly<Record<DiscrepancyKind, string>>;
  readonly kindActions: Readonly<Record<DiscrepancyKind, string>>;
}

const KINDS_EN: KindStrings = {
  actions: {
    claim: 'claim back',
    'check-period': 'check the period',
    'fix-tariff': 'fix the tariff',
    'check-records': 'check the records',
    note: 'note',
  },
  steps: {
    missing: 'missing from the bill',
    billedNotOurs: 'billed, not ours',
    duration: 'duration',
    increments: 'increments',
    rate: 'rate',
    package: 'package',
    rounding: 'rounding',
    withinTolerance: 'within tolerance',
    charges: 'other charges',
  },
  descriptions: KIND_DESCRIPTIONS,
  kindActions: KIND_ACTIONS,
};

/**
 * Every label, by language.
 *
 * @example
 * REPORT_STRINGS['zh-CN'].labels.totals; // '合计'
 */
export const REPORT_STRINGS: Readonly<
  Record<ReportLang, { labels: Readonly<Record<LabelKey, string>>; kinds: KindStrings }>
> = {
  en: { labels: EN, kinds: KINDS_EN },
  'zh-CN': { labels: ZH, kinds: KINDS_ZH },
};

/** The labels of one language, with `{name}` placeholders filled in. */
export interface Strings {
  readonly lang: ReportLang;
  /** A label, placeholders filled from `values`. */
  t(key: LabelKey, values?: Readonly<Record<string, string | number>>): string;
  /** A count with its noun: `1 discrepancy`, `37 discrepancies`. */
  plural(key: 'item' | 'note' | 'discrepancy', n: number): string;
  /** A whole number with the language's grouping: `2,971`. */
  count(n: number): string;
  /** An amount with its currency: `CNY 6.16`. */
  money(currency: string, amount: string): string;
  readonly kinds: KindStrings;
}

/**
 * The labels of a language, ready to use.
 *
 * @param lang - `en` or `zh-CN`
 * @returns the labels
 * @example
 * stringsFor('en').plural('discrepancy', 1); // '1 discrepancy'
 */
export function stringsFor(lang: ReportLang = 'en'): Strings {
  const table = REPORT_STRINGS[lang];
  const count = (n: number): string => n.toLocaleString('en-US');
  const t = (key: LabelKey, values: Readonly<Record<string, string | number>> = {}): string =>
    table.labels[key].replace(/\{(\w+)\}/g, (all, name: string) => {
      const value = values[name];
      return value === undefined ? all : typeof value === 'number' ? count(value) : value;
    });
  return {
    lang,
    t,
    plural: (key, n) => t(`${key}_${n === 1 ? 'one' : 'other'}`, { n }),
    count,
    money: (currency, amount) => `${currency} ${amount}`,
    kinds: table.kinds,
  };
}
