/**
 * 联动优势 服务商平台 (umf-sp) wire fields, verbatim from its document's "服务商平台-刷卡支付-用户被扫"
 * (`pay/micropay`) and docs/providers/umf-sp.md for its sibling calls (queryOrder, cancelOrder,
 * closeOrder, the backUrl notification). Everything on this wire is a string: requests and answers
 * are flat JSON objects of strings, the notification is a form.
 *
 * The schemas serve two masters: the connector (typed views of what it parses after the signature
 * has been verified on the raw map) and the simulator (the seed's field rules — required fields,
 * lengths, enumerations — enforced on what we send). Everything the seed does not show is marked
 * **assumed** where it is defined, here or in status.ts.
 */
import { z } from 'zod';
import { AUTH_CODE_RULES } from '../../core/auth-code';
import type { Channel } from '../../core/domain';
import { umfCallbackUrlProblem } from '../umf/wire';

/** 请求URL: `{交易服务根地址}/pay/micropay`; the others per docs/providers/umf-sp.md. */
export const UMF_SP_PATHS = {
  micropay: '/pay/micropay',
  /** the seed's "3.4订单状态同步" */
  query: '/pay/queryOrder',
  /** 撤销: same-day micropay only; refunds when it was paid */
  cancel: '/pay/cancelOrder',
  close: '/pay/closeOrder',
} as const;
export type UmfSpCall = keyof typeof UMF_SP_PATHS;

/** seed orderType: alipay-支付宝, wechat-微信支付, unionpay-银联二维码 */
export const UMF_SP_ORDER_TYPES = ['alipay', 'wechat', 'unionpay'] as const;
export type UmfSpOrderType = (typeof UMF_SP_ORDER_TYPES)[number];

export const UMF_SP_ORDER_TYPE_BY_CHANNEL: Record<Channel, UmfSpOrderType | undefined> = {
  wechat: 'wechat',
  alipay: 'alipay',
  unionpay: 'unionpay',
  ecny: undefined,
};

/**
 * seed authCode (32): "05:微信刷卡：以10~15开头的长度18位的数字 / 06:支付宝条码：以25~30开头的长度为16~24位的数字 /
 * 09:银联二维码：以62开头长度19位数字" — the same rules as core/auth-code, per orderType.
 */
export function umfSpAuthCodeRule(orderType: UmfSpOrderType): { pattern: RegExp; rule: string } {
  const r = AUTH_CODE_RULES.find((x) => x.channel === orderType);
  if (!r) throw new Error(`no auth-code rule for ${orderType}`);
  return r;
}

/** seed orderTime: yyyyMMddHHmmss (GMT+8; the table says length 16, the format has 14 digits) */
export const UMF_SP_TIME = /^\d{14}$/;
/** seed txnAmt: 13, 单位:分 — a positive integer of fen, no leading zeros. */
export const UMF_SP_AMOUNT = /^[1-9]\d{0,12}$/;
/**
 * seed orderNo: 64, no character set given. Letters, digits, `-` and `_` (assumed: what order
 * numbers of Chinese gateways accept everywhere); our own numbers are 5–32 alphanumerics.
 */
export const UMF_SP_ORDER_NO = /^[A-Za-z0-9_-]{1,64}$/;
/** Our order numbers (Connector.outTradeNoRule): 5–32 letters and digits, inside every reading. */
export const UMF_SP_OUR_ORDER_NO = /^[A-Za-z0-9]{5,32}$/;
/** seed goodsInfo: 128 (no unit given: we stay within 128 UTF-8 bytes, which satisfies any reading) */
export const UMF_SP_GOODS_INFO_MAX = 128;
/** seed goodsId: 16 */
export const UMF_SP_GOODS_ID_MAX = 16;
/** seed signature: 256 (SHA1withRSA with UMF's RSA-1024 keys is 172 Base64 characters) */
export const UMF_SP_SIGNATURE_MAX = 256;
/** seed backUrl: 256 */
export const UMF_SP_BACK_URL_MAX = 256;

/**
 * seed backUrl: "结果通知地址. 必须以 http://开始,支持大小写字母,数字,'/','&','%','?','='.
 * 暂不支持通知地址中包含其他字符,包含url编码后的结果 如%3C %3E等" — read as umf/wire.ts says (the
 * same rule as 魔方's notifyUrl). `https://` is accepted too (assumed: the seed names http:// as
 * the scheme family; a live PAYQR_PUBLIC_URL is https). Returns why a URL breaks it, or undefined.
 */
export const umfSpBackUrlProblem = (url: string): string | undefined => umfCallbackUrlProblem(url, UMF_SP_BACK_URL_MAX);

const str = (max: number) => z.string().min(1).max(max);
const orderNo = z.string().regex(UMF_SP_ORDER_NO, '1–64 letters, digits, - or _');
const orderTime = z.string().regex(UMF_SP_TIME, 'yyyyMMddHHmmss');

/** 请求参数 of `pay/micropay`, exactly the seed's table (strict: an unknown field is our mistake). */
export const umfSpMicropayRequestSchema = z.strictObject({
  orderTime,
  acqSpId: str(10),
  acqMerId: str(8),
  orderNo,
  txnAmt: z.string().regex(UMF_SP_AMOUNT, 'a positive integer number of fen (at most 13 digits)'),
  orderType: z.enum(UMF_SP_ORDER_TYPES),
  authCode: z.string().regex(/^\d{1,32}$/, 'at most 32 digits'),
  goodsId: str(UMF_SP_GOODS_ID_MAX),
  goodsInfo: z
    .string()
    .min(1)
    .refine((v) => Buffer.byteLength(v, 'utf8') <= UMF_SP_GOODS_INFO_MAX, `at most ${UMF_SP_GOODS_INFO_MAX} bytes`),
  backUrl: str(UMF_SP_BACK_URL_MAX).optional(),
  merPriv: str(128).optional(),
  faceFlag: z.literal('1').optional(),
  ledgerAccountFlag: z.literal('1').optional(),
  signature: str(UMF_SP_SIGNATURE_MAX),
});
export type UmfSpMicropayRequest = z.infer<typeof umfSpMicropayRequestSchema>;

/**
 * queryOrder / cancelOrder / closeOrder: docs/providers/umf-sp.md names `acqSpId`, `acqMerId`, `orderNo`.
 * `orderTime` (the original order's time, as sent to micropay) is **assumed**: UMF keys its
 * orders by number *and* date on its other products (魔方 apisync's `orderDate`), so we always send
 * it; the simulator accepts its absence and, when present, requires the original order's date.
 */
export const umfSpOrderRefRequestSchema = z.strictObject({
  acqSpId: str(10),
  acqMerId: str(8),
  orderNo,
  orderTime: orderTime.optional(),
  signature: str(UMF_SP_SIGNATURE_MAX),
});
export type UmfSpOrderRefRequest = z.infer<typeof umfSpOrderRefRequestSchema>;

/** A JSON string field: the seed shows strings; tolerate a JSON number and read it as its text. */
const wireText = z.union([z.string(), z.number().transform((n) => String(n))]);

/**
 * 返回参数: respCode, respMsg, platDate, orderNo, transactionId, paySeq, txnAmt, depBankSeq, payerInfo,
 * signature — plus, on queryOrder / cancelOrder / closeOrder (docs/providers/umf-sp.md; the fields
 * beyond `origRespCode` are **assumed**): origRespCode, origRespMsg, acqSpId, acqMerId, orderType,
 * orderTime, payTime (yyyyMMddHHmmss GMT+8, when paid). Loose: unknown fields are kept (and were
 * covered by the signature, which is checked on the raw map first).
 */
export const umfSpResponseSchema = z.looseObject({
  respCode: wireText,
  respMsg: wireText.optional(),
  platDate: wireText.optional(),
  orderNo: wireText.optional(),
  transactionId: wireText.optional(),
  paySeq: wireText.optional(),
  txnAmt: wireText.optional(),
  depBankSeq: wireText.optional(),
  payerInfo: z.unknown().optional(),
  signature: wireText.optional(),
  origRespCode: wireText.optional(),
  origRespMsg: wireText.optional(),
  acqSpId: wireText.optional(),
  acqMerId: wireText.optional(),
  orderType: wireText.optional(),
  orderTime: wireText.optional(),
  payTime: wireText.optional(),
});
export type UmfSpResponse = z.infer<typeof umfSpResponseSchema>;

/**
 * The result notification to `backUrl` (docs/providers/umf-sp.md: a form POST whose signature field
 * is `sign`). The seed shows no field list; these are **assumed** to be the order's fields as the
 * answers carry them: acqSpId, acqMerId, orderNo, orderTime, orderType, txnAmt, transactionId,
 * paySeq, depBankSeq, respCode (the payment's result, micropay's table), respMsg, payTime, sign.
 */
export const umfSpNotificationSchema = z.looseObject({
  orderNo: z.string().min(1),
  respCode: z.string().min(1),
  respMsg: z.string().optional(),
  acqSpId: z.string().optional(),
  acqMerId: z.string().optional(),
  orderTime: z.string().optional(),
  orderType: z.string().optional(),
  txnAmt: z.string().optional(),
  transactionId: z.string().optional(),
  paySeq: z.string().optional(),
  depBankSeq: z.string().optional(),
  payTime: z.string().optional(),
  sign: z.string().optional(),
});
export type UmfSpNotification = z.infer<typeof umfSpNotificationSchema>;
