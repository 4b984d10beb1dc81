/**
 * The Chinese (zh-CN) names of actions, bridge steps and kinds for the reports.
 */
import type { KindStrings } from './strings.js';

/**
 * Actions, steps and kinds in Chinese.
 *
 * @example
 * KINDS_ZH.actions.claim; // '追回'
 */
export const KINDS_ZH: KindStrings = {
  actions: {
    claim: '追回',
    'check-period': '核对账期',
    'fix-tariff': '修正资费',
    'check-records': '核对话单',
    note: '备注',
  },
  steps: {
    missing: '账单漏计',
    billedNotOurs: '账单多出',
    duration: '时长',
    increments: '计费步长',
    rate: '单价',
    package: '套餐',
    rounding: '舍入',
    withinTolerance: '容差之内',
    charges: '其他费用',
  },
  descriptions: {
    MISSING_IN_BILL: '我方已计费、账单未收费的通话',
    MISSING_IN_CDRS: '账单收费、我方无记录的通话',
    DUPLICATE_IN_BILL: '同一通话被重复收费',
    NEAR_DUPLICATE_IN_BILL: '同一通话以两个 ID 收费两次',
    PERIOD_MISMATCH: '其他月份的通话计入本月账单',
    UNANSWERED_BILLED: '未接通的通话被收费',
    NO_TARIFF: '资费中没有适用费率的接通通话',
    DURATION_MISMATCH: '账单所列时长不同',
    MINUTES_MISMATCH: '账单计费分钟数不同',
    RATE_MISMATCH: '账单每分钟单价不同',
    PACKAGE_MISMATCH: '账单套餐抵扣的分钟数不同',
    AMOUNT_MISMATCH: '账单金额不同',
    CONFLICTING_CDR: '同一通话的两条记录不一致，采用第一条',
    CHARGE_MISMATCH: '月租、短信或套餐的收费金额不同',
    UNEXPECTED_CHARGE: '我方无需支付的费用',
    MISSING_CHARGE: '我方应付、账单未收的费用',
  },
  kindActions: {
    MISSING_IN_BILL: '无需追回；记录备查（运营商可能稍后补收）',
    MISSING_IN_CDRS: '查看当天推送接收的日志；若通话未发生则追回',
    DUPLICATE_IN_BILL: '追回重复的一行',
    NEAR_DUPLICATE_IN_BILL: '追回第二行：同一通话、同一接通时间',
    PERIOD_MISMATCH: '追回，除非该通话未出现在其所属月份的账单中',
    UNANSWERED_BILLED: '追回',
    NO_TARIFF: '修正资费文件，或询问适用的价格',
    DURATION_MISMATCH: '账单较高时追回差额；比对秒数',
    MINUTES_MISMATCH: '账单较高时追回差额；比对分钟数',
    RATE_MISMATCH: '账单较高时追回差额；核对合同价格',
    PACKAGE_MISMATCH: '核对套餐的大小、日期和已用量；较高时追回',
    AMOUNT_MISMATCH: '通常是舍入：较高时追回，或考虑 --amount-tolerance',
    CONFLICTING_CDR: '检查推送接收：同一通话的两条记录不一致',
    CHARGE_MISMATCH: '账单较高时追回差额',
    UNEXPECTED_CHARGE: '追回，或将该项目加入资费',
    MISSING_CHARGE: '无需追回；记录备查（运营商可能稍后补收）',
  },
};
