/**
 * 超赢 (chaoying) wire fields, verbatim from its document's "主扫预下单v2（微信/支付宝/数字人民币）" and its
 * notification sections (docs/providers/chaoying.md). Everything on this wire is a string: the
 * request is a form, the response a flat JSON object of strings, the notification a form.
 *
 * The schemas serve two masters: the connector (typed views of what it parses after the
 * signature has been verified on the raw map) and the simulator (the seed's field rules —
 * required fields, lengths, enumerations — enforced on what we send). Where the seed gives no
 * length we use WeChat Pay v2's limits, which aggregators like 超赢 pass through (assumed; the
 * simulator is there to catch our mistakes, not to be stricter than the real gateway).
 */
import { z } from 'zod';

/** `POST {base}/v2/UnifiedPay/Gateway` (接口详情). */
export const CHAOYING_GATEWAY_PATH = '/v2/UnifiedPay/Gateway';

export const CHAOYING_PREORDER_METHODS = ['PreOrder_WECHAT', 'PreOrder_ALIPAY', 'PreOrder_ECNY'] as const;
export type ChaoyingPreOrderMethod = (typeof CHAOYING_PREORDER_METHODS)[number];

/**
 * `orderquery` and `close` go to the same gateway with the same common parameters
 * (assumed, docs/providers/chaoying.md "What we assumed"): the document links 订单查询 but
 * does not include it. Kept in this one constant so a corrected name is a one-line change.
 */
export const CHAOYING_QUERY_METHOD = 'orderquery';
export const CHAOYING_CLOSE_METHOD = 'close';
export type ChaoyingMethod = ChaoyingPreOrderMethod | typeof CHAOYING_QUERY_METHOD | typeof CHAOYING_CLOSE_METHOD;

/** JSPAY-服务窗支付、NATIVE-原生扫码支付、APP-APP支付，APP_BANK-APP支付银行模式 */
export const CHAOYING_TRADE_TYPES = ['NATIVE', 'JSPAY', 'APP', 'APP_BANK'] as const;
export type ChaoyingTradeType = (typeof CHAOYING_TRADE_TYPES)[number];

/** seed: 5到32个字符、只能包含字母数字，区分大小写 */
export const CHAOYING_OUT_TRADE_NO = /^[A-Za-z0-9]{5,32}$/;
/** seed: yyyyMMddHHmmss, GMT+8 */
export const CHAOYING_TIME = /^\d{14}$/;

const str = (max: number) => z.string().min(1).max(max);

/** 公共请求参数 */
export const chaoyingCommonRequestSchema = z.object({
  method: z.string().min(1),
  agent_id: str(32),
  pid: str(32),
  version: z.literal('1.0'),
  nonce_str: z.string().max(32).optional(),
  sign: z.string().regex(/^[0-9A-Fa-f]{32}$/, '32 hex characters (MD5)'),
  /** not in the document's table; when present it is part of the signed string (docs/providers/chaoying.md "Signing") */
  sign_type: z.literal('MD5').optional(),
});

/** 请求参数 of the pre-order (all three PreOrder_* methods share them). */
export const chaoyingPreOrderRequestSchema = chaoyingCommonRequestSchema.extend({
  method: z.enum(CHAOYING_PREORDER_METHODS),
  mch_id: str(32),
  sub_appid: str(32).optional(),
  is_minipg: z.enum(['0', '1']).optional(),
  buyer_id: str(128).optional(),
  buyer_logon_id: str(100).optional(),
  device_info: str(32).optional(),
  body: str(128),
  attach: str(127).optional(),
  out_trade_no: z.string().regex(CHAOYING_OUT_TRADE_NO, '5–32 letters and digits'),
  total_fee: z.string().regex(/^[1-9]\d{0,9}$/, 'a positive integer number of fen'),
  mch_create_ip: str(64).optional(),
  time_start: z.string().regex(CHAOYING_TIME, 'yyyyMMddHHmmss').optional(),
  time_expire: z.string().regex(CHAOYING_TIME, 'yyyyMMddHHmmss').optional(),
  notify_url: str(255).optional(),
  op_shop_id: str(32).optional(),
  op_user_id: str(32).optional(),
  limit_pay: z.string().regex(/^no_credit$/i, 'NO_CREDIT').optional(),
  trade_type: z.enum(CHAOYING_TRADE_TYPES),
  product_id: str(32).optional(),
  goods_tag: str(32).optional(),
  goods_detail: z.string().max(6000).optional(),
  profit_sharing: z.enum(['Y', 'N']).optional(),
  profit_sharing_receiver: z.string().max(2000).optional(),
});
export type ChaoyingPreOrderRequest = z.infer<typeof chaoyingPreOrderRequestSchema>;

/** goods_detail: JSON Array of these (seed "goods_detail为JSON数组类型结构如下"). */
export const chaoyingGoodsDetailSchema = z
  .array(
    z.object({
      goods_id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, '半角的大小写字母、数字、中划线、下划线'),
      pay_goods_id: z.string().max(32).optional(),
      goods_name: z.string().max(256).optional(),
      quantity: z.number().int().positive(),
      price: z.number().int().min(0),
    }),
  )
  .min(1);

export const chaoyingQueryRequestSchema = chaoyingCommonRequestSchema.extend({
  method: z.literal(CHAOYING_QUERY_METHOD),
  mch_id: str(32),
  out_trade_no: z.string().regex(CHAOYING_OUT_TRADE_NO, '5–32 letters and digits'),
});
export type ChaoyingQueryRequest = z.infer<typeof chaoyingQueryRequestSchema>;

export const chaoyingCloseRequestSchema = chaoyingQueryRequestSchema.extend({ method: z.literal(CHAOYING_CLOSE_METHOD) });
export type ChaoyingCloseRequest = z.infer<typeof chaoyingCloseRequestSchema>;

/** A JSON string field: the seed shows strings, tolerate a JSON number and read it as its text. */
const wireText = z.union([z.string(), z.number().transform((n) => String(n))]);

/**
 * 响应结果. `state` is the communication status, `code` the status code, `trade_state` the
 * trade status; the rest only when state and trade_state are SUCCESS. Loose: unknown fields
 * are kept (and were covered by the signature, which is checked on the raw map first).
 */
export const chaoyingResponseSchema = z.looseObject({
  state: wireText,
  code: wireText.optional(),
  msg: wireText.optional(),
  trade_state: wireText.optional(),
  mch_id: wireText.optional(),
  appid: wireText.optional(),
  sub_openid: wireText.optional(),
  out_trade_no: wireText.optional(),
  token_id: wireText.optional(),
  pay_info: wireText.optional(),
  pay_url: wireText.optional(),
  code_img_url: wireText.optional(),
  code_url: wireText.optional(),
  services: wireText.optional(),
  nonce_str: wireText.optional(),
  wx_mch_id: wireText.optional(),
  wx_sub_mch_id: wireText.optional(),
  sign: wireText.optional(),
  // orderquery / close (assumed: the query answers "pay_status plus the fields of a notification")
  pay_status: wireText.optional(),
  transaction_id: wireText.optional(),
  out_transaction_id: wireText.optional(),
  total_fee: wireText.optional(),
  fee_type: wireText.optional(),
  time_end: wireText.optional(),
  trade_type: wireText.optional(),
});
export type ChaoyingResponse = z.infer<typeof chaoyingResponseSchema>;

/** 通知参数 (微信/支付宝主扫下单结果通知), form fields. */
export const chaoyingNotificationSchema = z.looseObject({
  state: z.string(),
  result_code: z.string(),
  sign: z.string(),
  mch_id: z.string().optional(),
  device_info: z.string().optional(),
  pay_result: z.string().optional(),
  out_trade_no: z.string().optional(),
  out_transaction_id: z.string().optional(),
  transaction_id: z.string().optional(),
  fee_type: z.string().optional(),
  total_fee: z.string().optional(),
  coupon_fee: z.string().optional(),
  invoice_amount: z.string().optional(),
  time_end: z.string().optional(),
  bank_type: z.string().optional(),
  trade_type: z.string().optional(),
  sub_appid: z.string().optional(),
  sub_openid: z.string().optional(),
  buyer_user_id: z.string().optional(),
  buyer_logon_id: z.string().optional(),
  fund_bill_list: z.string().optional(),
  nonce_str: z.string().optional(),
  promotion_detail: z.string().optional(),
  wx_mch_id: z.string().optional(),
  wx_sub_mch_id: z.string().optional(),
});
export type ChaoyingNotification = z.infer<typeof chaoyingNotificationSchema>;

/**
 * Notification `trade_type` values. The seed names `pay.weixin.native` (example),
 * `pay.alipay.native` and `pay.alipay.jspay`; `pay.weixin.jspay` follows the same pattern and the
 * e-CNY names are assumed.
 */
export const CHAOYING_NOTIFY_TRADE_TYPES = {
  PreOrder_WECHAT: { NATIVE: 'pay.weixin.native', JSPAY: 'pay.weixin.jspay' },
  PreOrder_ALIPAY: { NATIVE: 'pay.alipay.native', JSPAY: 'pay.alipay.jspay' },
  PreOrder_ECNY: { NATIVE: 'pay.ecny.native', JSPAY: 'pay.ecny.jspay' },
} as const satisfies Record<ChaoyingPreOrderMethod, Record<'NATIVE' | 'JSPAY', string>>;
