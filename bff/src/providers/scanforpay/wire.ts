/**
 * scanforpay wire fields, verbatim from its document ("Transaction QRcode payment": 订单创建 —
 * 业务请求数据, 响应数据, 请求示例, 响应示例) and docs/providers/scanforpay.md for what the page does
 * not print (payQuery, the notification). JSON envelopes; field names are case-sensitive.
 *
 * Request schemas are strict: the simulator uses them to hold what PayQR sends to the seed's
 * rules (types, lengths, enumerations); unknown fields are refused so that our own typos show
 * up in tests. Answer and notification schemas are loose (unknown fields kept): they are read
 * only after the signature was verified on the exact received text, which covers every field.
 */
import { z } from 'zod';

/** 请求地址: `POST https://pay.scanforpay.com/api/offline/create` */
export const SCANFORPAY_CREATE_PATH = '/api/offline/create';
/** `POST {base}/api/common/payQuery` (`storeNo`, `partnerOrderNo`): docs/providers/scanforpay.md, not in the page's text. */
export const SCANFORPAY_QUERY_PATH = '/api/common/payQuery';

/** header.version */
export const SCANFORPAY_VERSION = '1.0';

/** 支付钱包 wallet String(10): Wechat: 微信支付, Alipay: 支付宝 */
export const SCANFORPAY_WALLETS = ['Wechat', 'Alipay'] as const;
export type ScanforpayWallet = (typeof SCANFORPAY_WALLETS)[number];

/** 交易金额 orderAmount `int`: a 32-bit integer of the store currency's minor unit (assumed: Java int). */
export const SCANFORPAY_MAX_ORDER_AMOUNT = 2_147_483_647;

/** 商户订单号 partnerOrderNo String(32). The seed names no character set; we send letters and digits only. */
export const SCANFORPAY_PARTNER_ORDER_NO_MAX = 32;
/** 门店编号 storeNo String(15), 由scanforpay分配 */
export const SCANFORPAY_STORE_NO_MAX = 15;
/** 交易说明 orderTitle String(100) */
export const SCANFORPAY_ORDER_TITLE_MAX = 100;
/** 操作员 operatorId / 终端编号 terminalNo String(20) */
export const SCANFORPAY_OPERATOR_MAX = 20;
/** 支付成功通知地址 notifyUrl String(200) */
export const SCANFORPAY_NOTIFY_URL_MAX = 200;
/** partnerNo: the seed shows "10001" and gives no length (assumed ≤ 32). */
export const SCANFORPAY_PARTNER_NO_MAX = 32;

/** requestTime: ISO 8601 in Beijing time, e.g. 2018-07-25T17:53:52+08:00 (seed 请求示例). */
export const SCANFORPAY_REQUEST_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
/** reqMsgId: a UUID, e.g. 615c1195-0cd0-421c-b612-538bf03eabc7 */
export const SCANFORPAY_REQ_MSG_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const text = (max: number) => z.string().min(1).max(max);

export const scanforpayRequestHeaderSchema = z
  .object({
    requestTime: z.string().regex(SCANFORPAY_REQUEST_TIME, 'ISO 8601 with +08:00, e.g. 2018-07-25T17:53:52+08:00'),
    partnerNo: text(SCANFORPAY_PARTNER_NO_MAX),
    signType: z.literal('SHA256'),
    version: z.literal(SCANFORPAY_VERSION),
    reqMsgId: z.string().regex(SCANFORPAY_REQ_MSG_ID, 'a UUID'),
  })
  .strict();
export type ScanforpayRequestHeader = z.infer<typeof scanforpayRequestHeaderSchema>;

/** 订单创建 业务请求数据 */
export const scanforpayCreateBodySchema = z
  .object({
    storeNo: text(SCANFORPAY_STORE_NO_MAX),
    partnerOrderNo: text(SCANFORPAY_PARTNER_ORDER_NO_MAX),
    wallet: z.enum(SCANFORPAY_WALLETS),
    orderAmount: z.number().int('an integer of the store currency minor unit').positive().max(SCANFORPAY_MAX_ORDER_AMOUNT),
    orderTitle: z.string().max(SCANFORPAY_ORDER_TITLE_MAX).optional(),
    operatorId: z.string().max(SCANFORPAY_OPERATOR_MAX).optional(),
    terminalNo: z.string().max(SCANFORPAY_OPERATOR_MAX).optional(),
    notifyUrl: z.string().max(SCANFORPAY_NOTIFY_URL_MAX).optional(),
    // format and range: expiry.ts parseExpiry (the simulator checks them with the seed's messages)
    it_b_pay: z.string().optional(),
    qr_code_it_b_pay: z.string().optional(),
  })
  .strict();
export type ScanforpayCreateBody = z.infer<typeof scanforpayCreateBodySchema>;

/** payQuery request body (docs/providers/scanforpay.md). */
export const scanforpayQueryBodySchema = z
  .object({
    storeNo: text(SCANFORPAY_STORE_NO_MAX),
    partnerOrderNo: text(SCANFORPAY_PARTNER_ORDER_NO_MAX),
  })
  .strict();
export type ScanforpayQueryBody = z.infer<typeof scanforpayQueryBodySchema>;

export interface ScanforpayRequest<B> {
  header: ScanforpayRequestHeader;
  body: B;
}

/** The seed's `int` fields: a JSON integer; a string of digits is read as its number (tolerance). */
const wireInt = z.union([z.number().int(), z.string().regex(/^-?\d{1,15}$/).transform(Number)]);
/** Amounts: non-negative safe integers, number or digit string. */
const wireAmount = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z.string().regex(/^\d{1,15}$/).transform(Number),
]);
/** Text fields: a JSON number is read as its text. */
const wireText = z.union([z.string(), z.number().transform((n) => String(n))]);

export const scanforpayResponseHeaderSchema = z.looseObject({
  partnerNo: wireText.optional(),
  respTime: wireText.optional(),
  signType: wireText.optional(),
  version: wireText.optional(),
  reqMsgId: wireText.optional(),
});

/**
 * 响应数据 of create, and of payQuery (whose body fields — storeNo, status, orderAmount,
 * currency, payTime — are assumed to be the notification's; docs/providers/scanforpay.md).
 */
export const scanforpayResponseSchema = z.object({
  header: scanforpayResponseHeaderSchema,
  body: z.looseObject({
    /** 响应码 int(5): 1 成功，其他为交易失败 */
    code: wireInt,
    msg: wireText.optional(),
    qrcode: wireText.optional(),
    orderNo: wireText.optional(),
    partnerOrderNo: wireText.optional(),
    qrcodeImageS: wireText.optional(),
    qrcodeImageM: wireText.optional(),
    qrcodeImageL: wireText.optional(),
    // payQuery (assumed, as the notification)
    storeNo: wireText.optional(),
    wallet: wireText.optional(),
    status: wireInt.optional(),
    orderAmount: wireAmount.optional(),
    currency: wireText.optional(),
    payTime: wireText.optional(),
  }),
});
export type ScanforpayResponse = z.infer<typeof scanforpayResponseSchema>;

/**
 * The notification: the response envelope POSTed to notifyUrl (docs/providers/scanforpay.md). Body fields
 * `partnerOrderNo`, `orderAmount`, `currency`, `status`, `payTime` are the documented ones;
 * `storeNo`, `orderNo` and `wallet` are assumed (mirroring the create request and answer).
 */
export const scanforpayNotificationSchema = z.object({
  header: scanforpayResponseHeaderSchema,
  body: z.looseObject({
    partnerOrderNo: wireText,
    status: wireInt,
    orderAmount: wireAmount.optional(),
    currency: wireText.optional(),
    payTime: wireText.optional(),
    storeNo: wireText.optional(),
    orderNo: wireText.optional(),
    wallet: wireText.optional(),
  }),
});
export type ScanforpayNotification = z.infer<typeof scanforpayNotificationSchema>;
