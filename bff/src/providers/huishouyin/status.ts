/**
 * 汇收银 status tables (响应参数 / 异常响应; docs/providers/huishouyin.md "Status codes"). Exhaustive:
 * every value the seed lists is here with what it means for us, plus the few codes we had to
 * assume (marked). Anything unlisted is `unknown` — never success, never a definite failure.
 */
import type { PayerProgress, ProviderPaymentState } from '../types';

export type HuishouyinCodeMeaning = 'ok' | 'waiting_for_payer' | 'already_paid' | 'sign_error' | 'app_id_error' | 'not_found' | 'param_error';

/**
 * `code` (the seed's tables call it `status`) → meaning.
 * - `finalForCreate`: a pay call answered with this code certainly took no money (the request was
 *   refused before any wallet saw it), so the attempt is `failed`. Only the two documented
 *   refusals qualify; for a cashier payment anything less certain must be queried and, at the
 *   deadline, cancelled (docs/providers/README.md "Micropay (cashier) state machine") — being
 *   wrong there costs money.
 */
export const HUISHOUYIN_CODES = {
  /** 成功: the call worked; the trade's state is `data.order_status` */
  '1000': { meaning: 'ok', finalForCreate: false },
  /**
   * "1002 waiting for payment → query". Read as the wallet waiting for the payer
   * (WeChat's USERPAYING: 需要用户输入支付密码), so progress `password_entry`.
   */
  '1002': { meaning: 'waiting_for_payer', finalForCreate: false },
  /** 订单已支付: this order_id was paid before (a repeated pay call); pay/check has the details */
  '1003': { meaning: 'already_paid', finalForCreate: false },
  /** 签名错误 */
  '2000': { meaning: 'sign_error', finalForCreate: true },
  /** APPID错误 */
  '3000': { meaning: 'app_id_error', finalForCreate: true },
  /** assumed (not in the seed): 订单不存在, for pay/check, pay/cancel and pay/close of an unknown order_id */
  '4000': { meaning: 'not_found', finalForCreate: false },
  /**
   * assumed (not in the seed): 参数错误. Not final for a create: the code is our guess, and a
   * guess must never fail a cashier payment that might have gone through.
   */
  '4001': { meaning: 'param_error', finalForCreate: false },
} as const satisfies Record<string, { meaning: HuishouyinCodeMeaning; finalForCreate: boolean }>;
export type HuishouyinCode = keyof typeof HUISHOUYIN_CODES;

export const HUISHOUYIN_OK: HuishouyinCode = '1000';
export const HUISHOUYIN_NOT_FOUND: HuishouyinCode = '4000';
export const HUISHOUYIN_PARAM_ERROR: HuishouyinCode = '4001';

export function huishouyinCode(code: string | undefined): (typeof HUISHOUYIN_CODES)[HuishouyinCode] | undefined {
  return code !== undefined && Object.hasOwn(HUISHOUYIN_CODES, code) ? HUISHOUYIN_CODES[code as HuishouyinCode] : undefined;
}

/**
 * `data.order_status` (seed: 订单状态 `1` 已支付 `2` 全部退款 `3` 部分退款 `4` 已关闭 `5` 已撤销
 * `0` 支付中 `-1` 支付失败 `-2` 退款失败 `-3` 退款中 `-10` 未知) → our state.
 */
export const HUISHOUYIN_ORDER_STATUS = {
  '1': { state: 'paid', label: '已支付' },
  '2': { state: 'refunded', label: '全部退款' },
  '3': { state: 'refunded', label: '部分退款' },
  '4': { state: 'closed', label: '已关闭' },
  /** 已撤销: cancelled (pay/cancel); if it had been paid the cancel refunds and the order reads 2 */
  '5': { state: 'closed', label: '已撤销' },
  '0': { state: 'pending', label: '支付中' },
  '-1': { state: 'failed', label: '支付失败' },
  /** 退款失败: a refund was tried and failed, so the money is still the merchant's: paid */
  '-2': { state: 'paid', label: '退款失败' },
  /** 退款中: it was paid and is being refunded */
  '-3': { state: 'refunded', label: '退款中' },
  '-10': { state: 'unknown', label: '未知' },
} as const satisfies Record<string, { state: ProviderPaymentState; label: string }>;
export type HuishouyinOrderStatus = keyof typeof HUISHOUYIN_ORDER_STATUS;

export function huishouyinOrderStatus(v: string | undefined): (typeof HUISHOUYIN_ORDER_STATUS)[HuishouyinOrderStatus] | undefined {
  return v !== undefined && Object.hasOwn(HUISHOUYIN_ORDER_STATUS, v) ? HUISHOUYIN_ORDER_STATUS[v as HuishouyinOrderStatus] : undefined;
}

/** What the payer is doing while `order_status` is 0: `1002` = waiting for the payer (password), else paying. */
export function huishouyinProgress(code: string | undefined): PayerProgress {
  return huishouyinCode(code)?.meaning === 'waiting_for_payer' ? 'password_entry' : 'paying';
}

/** `pay_type`: `0` 微信 `1` 支付宝 (no UnionPay at 汇收银). */
export const HUISHOUYIN_PAY_TYPES = { '0': 'wechat', '1': 'alipay' } as const;
export type HuishouyinPayType = keyof typeof HUISHOUYIN_PAY_TYPES;

export function huishouyinPayType(v: string | undefined): (typeof HUISHOUYIN_PAY_TYPES)[HuishouyinPayType] | undefined {
  return v !== undefined && Object.hasOwn(HUISHOUYIN_PAY_TYPES, v) ? HUISHOUYIN_PAY_TYPES[v as HuishouyinPayType] : undefined;
}
