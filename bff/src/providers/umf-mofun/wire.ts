/**
 * 联动优势 魔方 (umf-mofun) wire fields, verbatim from its document's "用户主扫" (activescan) and the
 * sections it names (docs/providers/umf-mofun.md: "2.6订单状态同步",
 * "3.1交易结果通知"). Everything on this wire is a string: the request is one form field
 * `context` holding a JSON object of strings, the answers and notifications are flat JSON objects.
 *
 * The schemas serve two masters: the connector (typed views of what it parses after the
 * signature has been verified on the raw map) and the simulator (the seed's field rules —
 * required fields, lengths, enumerations — enforced on what we send). Where the seed gives no
 * length (shopNo, operator, posSN) we allow 64 characters (assumed; the simulator is there to
 * catch our mistakes, not to be stricter than the real gateway).
 */
import { z } from 'zod';
import { parseForm } from '../../core/form';
import { isJsonObject, parseJson } from '../../core/strict-json';
import { umfCallbackUrlProblem } from '../umf/wire';

/** 请求URL: `https://mofunapi.umfintech.com/in-pay-client/api/activescan` */
export const UMF_MOFUN_ACTIVESCAN_PATH = '/in-pay-client/api/activescan';
/** "2.6订单状态同步" (docs/providers/umf-mofun.md): `POST {base}/in-pay-client/api/apisync` */
export const UMF_MOFUN_APISYNC_PATH = '/in-pay-client/api/apisync';

/** seed: apiVersion 定值:1.0 */
export const UMF_MOFUN_API_VERSION = '1.0';

/** seed payType: WX 微信, AL 支付宝, YL 银联二维码 */
export const UMF_MOFUN_PAY_TYPES = ['WX', 'AL', 'YL'] as const;
export type UmfMofunPayType = (typeof UMF_MOFUN_PAY_TYPES)[number];

/** "3.1交易结果通知": funCode of the notification and of our reply. */
export const UMF_MOFUN_NOTIFY_FUN_CODE = 'PayResultNotify';

/**
 * seed expairTime: "当传递小于300秒或大于1800秒或不传递时系统默认为300秒" — out-of-range or absent
 * values silently become 300 s at the provider.
 */
export const UMF_MOFUN_EXPAIR_MIN_S = 300;
export const UMF_MOFUN_EXPAIR_MAX_S = 1800;
export const UMF_MOFUN_EXPAIR_DEFAULT_S = 300;

/**
 * seed partnerOrderId: 长度 32, no character set given. Letters and digits (as in the seed's
 * example `HSAPI1520909695265`) are safe for every reading (assumed).
 */
export const UMF_MOFUN_PARTNER_ORDER_ID = /^[A-Za-z0-9]{1,32}$/;
/** seed amount: 13, 以分为单位 — a positive integer of fen, no leading zeros. */
export const UMF_MOFUN_AMOUNT = /^[1-9]\d{0,12}$/;
/** seed reqDate yyyyMMdd / reqTime HHmmss (GMT+8) */
export const UMF_MOFUN_DATE = /^\d{8}$/;
export const UMF_MOFUN_TIME = /^\d{6}$/;
/** seed goodsInfo: 128 (no unit given: we stay within 128 UTF-8 bytes, which satisfies any reading) */
export const UMF_MOFUN_GOODS_INFO_MAX = 128;
/** seed sign: 256 (RSA-1024 Base64 is 172 characters) */
export const UMF_MOFUN_SIGN_MAX = 256;
export const UMF_MOFUN_NOTIFY_URL_MAX = 256;

/**
 * seed notifyUrl: "必须以 http:// 或 https:// 开始, 支持大小写字母,数字,'/','&','%','?','=' .
 * 暂不支持通知地址中包含其他字符,包含url编码后的结果 如%3C %3E等" — read as umf/wire.ts says (the
 * same rule as umf-sp's backUrl). Returns why a URL breaks it, or undefined.
 */
export const umfMofunNotifyUrlProblem = (url: string): string | undefined => umfCallbackUrlProblem(url, UMF_MOFUN_NOTIFY_URL_MAX);

const str = (max: number) => z.string().min(1).max(max);

/** 请求报文参数 of activescan, exactly the seed's table (strict: an unknown field is our mistake). */
export const umfMofunActivescanRequestSchema = z.strictObject({
  partnerOrderId: z.string().regex(UMF_MOFUN_PARTNER_ORDER_ID, '1–32 letters and digits'),
  subMerId: str(8),
  amount: z.string().regex(UMF_MOFUN_AMOUNT, 'a positive integer number of fen (at most 13 digits)'),
  payType: z.enum(UMF_MOFUN_PAY_TYPES),
  proxyId: str(4),
  apiVersion: z.literal(UMF_MOFUN_API_VERSION),
  reqDate: z.string().regex(UMF_MOFUN_DATE, 'yyyyMMdd'),
  reqTime: z.string().regex(UMF_MOFUN_TIME, 'HHmmss'),
  sign: str(UMF_MOFUN_SIGN_MAX),
  goodsInfo: str(UMF_MOFUN_GOODS_INFO_MAX).optional(),
  shopNo: str(64).optional(),
  operator: str(64).optional(),
  expairTime: z.string().regex(/^\d{1,6}$/, 'a number of seconds').optional(),
  posSN: str(64).optional(),
  notifyUrl: str(UMF_MOFUN_NOTIFY_URL_MAX).optional(),
});
export type UmfMofunActivescanRequest = z.infer<typeof umfMofunActivescanRequestSchema>;

/** "2.6订单状态同步": subMerId, proxyId, partnerOrderId, orderDate, apiVersion, sign. */
export const umfMofunApisyncRequestSchema = z.strictObject({
  subMerId: str(8),
  proxyId: str(4),
  partnerOrderId: z.string().regex(UMF_MOFUN_PARTNER_ORDER_ID, '1–32 letters and digits'),
  orderDate: z.string().regex(UMF_MOFUN_DATE, 'yyyyMMdd'),
  apiVersion: z.literal(UMF_MOFUN_API_VERSION),
  sign: str(UMF_MOFUN_SIGN_MAX),
});
export type UmfMofunApisyncRequest = z.infer<typeof umfMofunApisyncRequestSchema>;

/** A JSON string field: the seed shows strings; tolerate a JSON number and read it as its text. */
const wireText = z.union([z.string(), z.number().transform((n) => String(n))]);

/**
 * 返回参数 of activescan: retCode, Memo, tradeNo, platDate, amount, payType, feeUrl,
 * partnerOrderId, sign. Loose: unknown fields are kept (and were covered by the signature,
 * which is checked on the raw map first).
 */
export const umfMofunActivescanResponseSchema = z.looseObject({
  retCode: wireText,
  Memo: wireText.optional(),
  /** not in the activescan table; the refund query's answers call the message retMsg */
  retMsg: wireText.optional(),
  tradeNo: wireText.optional(),
  platDate: wireText.optional(),
  amount: wireText.optional(),
  payType: wireText.optional(),
  feeUrl: wireText.optional(),
  partnerOrderId: wireText.optional(),
  sign: wireText.optional(),
});
export type UmfMofunActivescanResponse = z.infer<typeof umfMofunActivescanResponseSchema>;

/**
 * The apisync answer. The document gives `retCode` only; the other fields are assumed to be
 * those of the order (as in the activescan answer and the 3.1 notification): subMerId,
 * partnerOrderId, orderDate, amount, payType, tradeNo, platDate, and when paid payDate/payTime.
 */
export const umfMofunApisyncResponseSchema = z.looseObject({
  retCode: wireText,
  retMsg: wireText.optional(),
  Memo: wireText.optional(),
  subMerId: wireText.optional(),
  proxyId: wireText.optional(),
  partnerOrderId: wireText.optional(),
  orderDate: wireText.optional(),
  amount: wireText.optional(),
  payType: wireText.optional(),
  tradeNo: wireText.optional(),
  platDate: wireText.optional(),
  payDate: wireText.optional(),
  payTime: wireText.optional(),
  sign: wireText.optional(),
});
export type UmfMofunApisyncResponse = z.infer<typeof umfMofunApisyncResponseSchema>;

/**
 * The body of every call to UMF: one form field `context` whose value is the JSON object of
 * the request fields, URL-encoded on the wire. Assumed from the seed's example
 * `context={"amount": "99999", …}` (the example shows the field, not the encoding). Kept in this
 * one function so that a corrected reading (e.g. a raw JSON body) is a one-line change.
 */
export function encodeUmfMofunContext(fields: Readonly<Record<string, string>>): string {
  return new URLSearchParams({ context: JSON.stringify(fields) }).toString();
}

/** The simulator's side of {@link encodeUmfMofunContext}: the raw JSON object, or why not. */
export function decodeUmfMofunContext(body: string): { fields: Record<string, unknown> } | { problem: string } {
  const form = parseForm(body);
  if (!form.ok) return { problem: `参数重复 ${form.reason}` };
  const context = form.fields.context;
  if (context === undefined) return { problem: '缺少 context 参数 (the body must be the form field context={…})' };
  const extra = Object.keys(form.fields).filter((k) => k !== 'context');
  if (extra.length) return { problem: `未知参数 ${extra.join(', ')} (everything goes inside context)` };
  let parsed;
  try {
    parsed = parseJson(context);
  } catch (e) {
    return { problem: `context 不是有效的 JSON: ${(e as Error).message}` };
  }
  if (!isJsonObject(parsed)) return { problem: 'context 必须是 JSON 对象' };
  return { fields: parsed };
}

/**
 * "3.1交易结果通知" (docs/providers/umf-mofun.md): a JSON POST to notifyUrl. `funCode`, `partnerOrderId`,
 * `amount`, `tradeState` and `sign` are documented; the order fields beside them (subMerId,
 * proxyId, orderDate, payType, tradeNo, platDate, payDate, payTime) are assumed to mirror the
 * apisync answer. The signature covers whatever was received, so the connector never needs
 * this list to verify — only to read.
 */
export type UmfMofunNotification = {
  funCode: typeof UMF_MOFUN_NOTIFY_FUN_CODE;
  subMerId: string;
  proxyId?: string;
  partnerOrderId: string;
  orderDate?: string;
  amount: string;
  payType?: string;
  tradeState: string;
  tradeNo?: string;
  platDate?: string;
  payDate?: string;
  payTime?: string;
  sign: string;
};

/**
 * Our reply to 3.1 (doc): JSON `{funCode, reqDate, reqTime, partnerOrderId, orderDate, retCode,
 * retMsg, sign}`, signed by the merchant over the `|`-joined values. `retCode` 0000 = received;
 * anything else makes UMF retry.
 */
export type UmfMofunNotifyAck = {
  funCode: typeof UMF_MOFUN_NOTIFY_FUN_CODE;
  reqDate?: string;
  reqTime?: string;
  partnerOrderId?: string;
  orderDate?: string;
  retCode: string;
  retMsg: string;
  sign: string;
};
