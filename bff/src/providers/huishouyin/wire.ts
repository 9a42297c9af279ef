/**
 * 汇收银/联富通 wire fields, verbatim from its document's "付款码支付" (`pay/qrcode`) and
 * docs/providers/huishouyin.md (`pay/check`, `pay/cancel`, `pay/close`, whose own pages the seed
 * does not include: they are assumed to take the same common fields plus `order_id`).
 *
 * The schemas serve the simulator (the seed's field rules enforced on what PayQR sends); the
 * types serve the connector. Values are exact JSON (core/strict-json.ts): a number is its literal text.
 */
import { z } from 'zod';
import { yuanToFen, YUAN_TEXT } from './amount';
import { isJsonObject, JsonNumberText, scalarText, type ExactJson, type ExactJsonObject } from '../../core/strict-json';

export const HUISHOUYIN_PATHS = {
  /** 付款码支付: the cashier scans the payer's code */
  pay: '/pay/qrcode',
  /** 订单查询 */
  check: '/pay/check',
  /** 撤销: for a timed-out / unknown payment; refunds when it was paid */
  cancel: '/pay/cancel',
  /** 关闭 */
  close: '/pay/close',
} as const;
export type HuishouyinOperation = keyof typeof HUISHOUYIN_PATHS;

/**
 * ASSUMED content type. The seed says `POST` and prints the request as a JSON object (with a
 * nested `store_info` object and a `goods_list` array, which a form cannot carry without
 * another convention), but never names a content type. PayQR sends `application/json`.
 */
export const HUISHOUYIN_CONTENT_TYPE = 'application/json; charset=utf-8';

/** seed: sign_type `MD5` `RSA`; PayQR signs with MD5 (the RSA variant's keys are not described). */
export const HUISHOUYIN_SIGN_TYPES = ['MD5', 'RSA'] as const;

/** store_info 结构 (店铺信息预留域): all optional strings. (A type, not an interface: it is signed as a JSON value.) */
export type HuishouyinStoreInfo = {
  store_id?: string;
  cashier_id?: string;
  waiter1_id?: string;
  waiter2_id?: string;
  terminal_id?: string;
};

/** 请求参数 of pay/qrcode as PayQR sends them (before `sign`). */
export interface HuishouyinPayParams {
  app_id: string;
  sign_type: 'MD5';
  /** 业务单号: the attempt's out_trade_no */
  order_id: string;
  /** 微信或支付宝付款码 */
  pay_code: string;
  /** 订单总金额, yuan: the table says String, so "11.00" as a string (exact, no double involved) */
  total_amount: string;
  store_info?: HuishouyinStoreInfo;
}

/** pay/check, pay/cancel, pay/close (assumed: common fields + order_id). */
export interface HuishouyinOrderParams {
  app_id: string;
  sign_type: 'MD5';
  order_id: string;
}

// ---- answers ------------------------------------------------------------------------------

/**
 * An answer `{code, msg, data}` (seed 响应事例; its tables call the code `status`, which is
 * accepted when `code` is absent). `data` is `{}` when absent, `null` or `[]` (PHP's empty array).
 */
export interface HuishouyinAnswer {
  code: string;
  msg?: string;
  data: ExactJsonObject;
  /** the whole answer as received (for signature verification and logs) */
  raw: ExactJsonObject;
}

export function readHuishouyinAnswer(raw: ExactJson): HuishouyinAnswer | { malformed: string } {
  if (!isJsonObject(raw)) return { malformed: 'the answer is not a JSON object' };
  const code = scalarText(raw.code) ?? scalarText(raw.status);
  if (code === undefined || code === '') return { malformed: 'the answer has no code' };
  const d = raw.data;
  let data: ExactJsonObject;
  if (d === undefined || d === null || (Array.isArray(d) && d.length === 0)) data = {};
  else if (isJsonObject(d)) data = d;
  else return { malformed: 'data is not an object' };
  const msg = scalarText(raw.msg);
  return { code, ...(msg !== undefined ? { msg } : {}), data, raw };
}

// ---- the simulator's field rules ------------------------------------------------------------

const jsonNumber = z.instanceof(JsonNumberText, { message: 'a number' });
const textOf = (v: string | JsonNumberText) => (typeof v === 'string' ? v : v.text);

/** 订单总金额: a positive yuan decimal with at most two decimals, as a string (table) or a JSON number (example). */
export const huishouyinYuanSchema = z
  .union([z.string(), jsonNumber])
  .refine((v) => YUAN_TEXT.test(textOf(v)), { message: 'a yuan amount with at most 2 decimals, e.g. "11.00"' })
  .refine((v) => (yuanToFen(v) ?? 0) > 0, { message: 'greater than zero and at most 99999999999.99' });

const optionalText = (max?: number) => (max ? z.string().max(max) : z.string()).optional();

export const huishouyinStoreInfoSchema = z.strictObject({
  store_id: optionalText(),
  cashier_id: optionalText(),
  waiter1_id: optionalText(),
  waiter2_id: optionalText(),
  terminal_id: optionalText(),
});

export const huishouyinGoodsSchema = z.strictObject({
  barcode: optionalText(32),
  title: optionalText(256),
  /** int, 最大长度 32 */
  num: jsonNumber.refine((n) => /^\d{1,32}$/.test(n.text), { message: 'a non-negative integer' }).optional(),
  /** double (单价) */
  price: z
    .union([z.string(), jsonNumber])
    .refine((v) => YUAN_TEXT.test(textOf(v)), { message: 'a yuan amount with at most 2 decimals' })
    .optional(),
});

const common = {
  app_id: z.string().min(1).max(32),
  sign: z.string().min(1).max(32),
  sign_type: z.enum(HUISHOUYIN_SIGN_TYPES),
};

/** 请求参数 of pay/qrcode, strict: an unknown field is refused. */
export const huishouyinPayRequestSchema = z.strictObject({
  ...common,
  order_id: z.string().min(1).max(128),
  pay_code: z.string().min(1),
  total_amount: huishouyinYuanSchema,
  store_info: huishouyinStoreInfoSchema.optional(),
  goods_list: z.array(huishouyinGoodsSchema).optional(),
});
export type HuishouyinPayRequest = z.infer<typeof huishouyinPayRequestSchema>;

/** pay/check, pay/cancel, pay/close (assumed). */
export const huishouyinOrderRequestSchema = z.strictObject({
  ...common,
  order_id: z.string().min(1).max(128),
});
export type HuishouyinOrderRequest = z.infer<typeof huishouyinOrderRequestSchema>;
