/**
 * 联动优势 魔方 connector: activescan "用户主扫", status sync "2.6订单状态同步" and the
 * "3.1交易结果通知" notification (docs/providers/umf-mofun.md). Each call goes through the same
 * steps in the same order: transform (pure) → sign (merchant key, k=v) → send (form field
 * `context`) → verify (platform certificate, `|` form, on the raw JSON map) → parse (zod) →
 * map status.
 *
 * Trust: every answer is verified before any field is believed; timeouts, network errors,
 * HTTP 5xx, "processing" and unverifiable answers are `unknown`, and the caller queries on
 * `querySchedule` (every 3 s, capped).
 *
 * UMF has no close API (the seed documents none): an unpaid order lapses by itself after
 * expairTime. `closePayment` therefore never closes anything; it queries and reports what is
 * true — paid (settle it), final at UMF, lapsed by time, or not yet (the sweeper asks again).
 */
import type { KeyObject } from 'node:crypto';
import { isJsonObject, parseJson } from '../../core/strict-json';
import { createResultWithoutAnswer } from '../exchange';
import { signedFields, stringFields, verifySignedNotification } from '../notification';
import type {
  CloseResult,
  Connector,
  CreatePaymentInput,
  CreatePaymentResult,
  NotificationVerdict,
  ProviderDeps,
  ProviderPaymentStatus,
  QueryRef,
  RawNotification,
} from '../types';
import { umfExchanger } from '../umf/exchange';
import { UMF_MOFUN_FORMS, umfMofunSign, verifyUmfMofunSignature } from './signature';
import {
  fromActivescanResponse,
  fromApisyncResponse,
  fromNotification,
  toActivescanParams,
  toApisyncParams,
  toNotifyAck,
  umfMofunOrderDates,
  umfMofunOrderLapsed,
  UMF_MOFUN_CAPABILITIES,
  type UmfMofunMerchant,
} from './transform';
import {
  encodeUmfMofunContext,
  UMF_MOFUN_ACTIVESCAN_PATH,
  UMF_MOFUN_APISYNC_PATH,
  umfMofunActivescanResponseSchema,
  umfMofunApisyncResponseSchema,
} from './wire';

export interface UmfMofunConnectorOptions {
  merchant: UmfMofunMerchant;
  /** the merchant's RSA private key (signs requests and our notification replies) */
  merchantKey: KeyObject;
  /** UMF's platform public key, from its certificate (verifies answers and notifications) */
  platformKey: KeyObject;
  /** e.g. https://mofunapi.umfintech.com or http://host:3000/sandbox/umf-mofun */
  baseUrl: string;
  /** per request, wall-clock; default 10 000 */
  timeoutMs?: number;
}

/** How many notifications' order dates we remember for the reply (see `notificationAck`). */
const ORDER_DATE_MEMORY = 1024;

export function createUmfMofunConnector(opts: UmfMofunConnectorOptions, deps: ProviderDeps): Connector {
  // The app hands every provider a logger already tagged with its id (`[umf-mofun]`); the
  // connector adds the step: `[umf-mofun][create]`, `[umf-mofun][notify]` …
  const log = deps.log;
  const { merchant, merchantKey, platformKey } = opts;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  /** partnerOrderId → orderDate of the last verified notification, for the reply */
  const notifiedOrderDates = new Map<string, string>();

  /** sign (`k=v`) → send (form field `context`) → verify (`|`, on the raw JSON map) → parse */
  const exchange = umfExchanger({
    fetch: deps.fetch,
    baseUrl: opts.baseUrl,
    timeoutMs,
    merchantKey,
    platformKey,
    forms: { request: UMF_MOFUN_FORMS.kv, response: UMF_MOFUN_FORMS.pipe },
    encode: (fields) => ({ contentType: 'application/x-www-form-urlencoded; charset=UTF-8', body: encodeUmfMofunContext(fields) }),
    codeField: 'retCode',
  });

  async function createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult> {
    const clog = log.child('create');
    const ctx = { attempt: input.attemptId, outTradeNo: input.outTradeNo, channel: input.channel, scene: input.scene };
    const params = toActivescanParams(input, merchant, deps.clock.now());
    const x = await exchange(UMF_MOFUN_ACTIVESCAN_PATH, params, umfMofunActivescanResponseSchema);
    if (!x.ok) return createResultWithoutAnswer(x, clog, ctx);
    const result = fromActivescanResponse(x.response, x.signature, {
      outTradeNo: input.outTradeNo,
      amount: input.money.amount,
      payType: params.payType,
      scene: input.scene,
    });
    switch (result.outcome) {
      case 'created':
        clog.info('created', { ...ctx, tradeNo: result.providerTradeNo, expairTime: params.expairTime });
        break;
      case 'unknown':
        clog.warn('unknown outcome, will query', { ...ctx, reason: result.reason });
        break;
      case 'failed':
        if (result.code === '00001002') clog.error('UMF rejected our signature: check PAYQR_UMF_MOFUN_PRIVATE_KEY*', { ...ctx, msg: result.message });
        else if (result.code === '00001003') clog.error('UMF does not know this merchant: check PAYQR_UMF_MOFUN_SUB_MER_ID / PROXY_ID', { ...ctx, msg: result.message });
        else clog.warn('failed', { ...ctx, code: result.code, msg: result.message });
        break;
      case 'paid':
        // activescan never settles synchronously (the payer has not scanned yet)
        break;
    }
    return result;
  }

  async function syncOnce(ref: QueryRef, orderDate: string): Promise<ProviderPaymentStatus> {
    const x = await exchange(UMF_MOFUN_APISYNC_PATH, toApisyncParams(ref, merchant, orderDate), umfMofunApisyncResponseSchema);
    if (!x.ok) return { state: 'unknown', outTradeNo: ref.outTradeNo, providerMessage: x.reason };
    if (x.signature !== 'valid') log.child('query').warn('unverified answer ignored', { outTradeNo: ref.outTradeNo, signature: x.signature });
    return fromApisyncResponse(x.response, x.signature, ref);
  }

  async function queryPayment(ref: QueryRef): Promise<ProviderPaymentStatus> {
    const qlog = log.child('query');
    let status: ProviderPaymentStatus | undefined;
    // Normally one date; two for an attempt created just before Beijing midnight.
    for (const orderDate of umfMofunOrderDates(ref.createdAt)) {
      status = await syncOnce(ref, orderDate);
      if (status.state !== 'not_found') break;
    }
    if (!status) throw new Error('unreachable: at least one order date');
    qlog.info('status', { outTradeNo: ref.outTradeNo, state: status.state, code: status.providerCode });
    return status;
  }

  /**
   * No close API in the seed: "query before declaring", so a late payment is never lost.
   * - paid → `alreadyPaid` (the caller settles it);
   * - a final unpaid state at UMF (closed, failed) or an order UMF never had → closed;
   * - still payable by UMF's word (or no verified answer): closed only once the order has
   *   lapsed by time (expairTime, see `umfMofunOrderLapsed`) *and* UMF answered; otherwise not
   *   closed — the sweeper retries until it lapses.
   */
  async function closePayment(ref: QueryRef): Promise<CloseResult> {
    const clog = log.child('close');
    const status = await queryPayment(ref);
    const lapsed = umfMofunOrderLapsed(ref.createdAt, deps.clock.now());
    switch (status.state) {
      case 'paid':
        clog.warn('paid before it could be closed', { outTradeNo: ref.outTradeNo });
        return { closed: false, alreadyPaid: status, detail: 'umf-mofun has no close API; the order was paid' };
      case 'closed':
      case 'failed':
      case 'not_found':
        return { closed: true, detail: `umf-mofun has no close API; apisync says ${status.state} (${status.providerCode ?? ''})` };
      case 'pending':
        if (lapsed) {
          clog.info('lapsed at UMF (expairTime passed)', { outTradeNo: ref.outTradeNo });
          return { closed: true, detail: 'umf-mofun has no close API; the order lapsed after expairTime' };
        }
        return { closed: false, detail: 'umf-mofun has no close API; the order lapses after expairTime' };
      case 'refunded':
      case 'unknown':
        clog.warn('not closed: no definite answer', { outTradeNo: ref.outTradeNo, state: status.state, detail: status.providerMessage });
        return { closed: false, detail: `umf-mofun has no close API; query: ${status.state}${status.providerMessage ? ` (${status.providerMessage})` : ''}` };
    }
  }

  async function verifyNotification(raw: RawNotification): Promise<NotificationVerdict> {
    return verifySignedNotification(raw, log.child('notify'), {
      parse: parseNotificationBody,
      claimedOrder: (p) => (typeof p.raw.partnerOrderId === 'string' ? p.raw.partnerOrderId : undefined),
      // The k=v form over every field received (not the `|` form of the answers), on the raw map.
      verify: (p) => verifyUmfMofunSignature(p.raw, 'kv', platformKey),
      read(p) {
        const result = fromNotification(p.fields);
        if (!('malformed' in result) && p.fields.orderDate) rememberOrderDate(result.status.outTradeNo, p.fields.orderDate);
        return result;
      },
    });
  }

  /** The order date of the last verified notification for an order, kept (bounded) for the reply. */
  function rememberOrderDate(outTradeNo: string, orderDate: string): void {
    notifiedOrderDates.delete(outTradeNo);
    notifiedOrderDates.set(outTradeNo, orderDate);
    if (notifiedOrderDates.size > ORDER_DATE_MEMORY) {
      const oldest = notifiedOrderDates.keys().next().value;
      if (oldest !== undefined) notifiedOrderDates.delete(oldest);
    }
  }

  /**
   * Our reply to 3.1, signed by the merchant key over the `|` form. The accepted reply echoes
   * the `orderDate` of the notification just verified for that order (remembered in memory:
   * the reply is produced in the same request right after verification).
   */
  function notificationAck(kind: 'accepted' | 'rejected', context?: { outTradeNo?: string }): Response {
    const outTradeNo = context?.outTradeNo;
    const fields = toNotifyAck(kind, { outTradeNo, orderDate: outTradeNo ? notifiedOrderDates.get(outTradeNo) : undefined, now: deps.clock.now() });
    const body = { ...fields, sign: umfMofunSign(fields, 'pipe', merchantKey) };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
  }

  return {
    id: 'umf-mofun',
    capabilities: UMF_MOFUN_CAPABILITIES,
    outTradeNoRule: { minLength: 1, maxLength: 32, pattern: /^[A-Za-z0-9]+$/ },
    // docs/providers/umf-mofun.md "2.6订单状态同步": query every 3 s with a cap.
    querySchedule: { firstDelayMs: 3_000, intervalMs: 3_000, deadlineMs: 120_000 },
    merchantId: merchant.subMerId,
    supportsCurrency: (currency) => currency === 'CNY',
    createPayment,
    queryPayment,
    closePayment,
    verifyNotification,
    notificationAck,
  };
}

/**
 * The 3.1 body: a JSON object (docs/providers/umf-mofun.md: "JSON POST"). `raw` is the parsed
 * object exactly as received — the signature is checked on it, numbers and all — and `fields` its
 * string view for reading (a JSON number becomes its text). Anything else is malformed.
 */
export function parseNotificationBody(text: string): { raw: Record<string, unknown>; fields: Record<string, string> } | { malformed: string } {
  const trimmed = text.trim();
  if (!trimmed) return { malformed: 'empty body' };
  let raw;
  try {
    raw = parseJson(trimmed);
  } catch (e) {
    return { malformed: `body is not JSON: ${(e as Error).message}` };
  }
  if (!isJsonObject(raw)) return { malformed: 'JSON body is not an object' };
  // what the k=v signature covers: empty values are not signed, so never read either
  const fields = signedFields(stringFields(raw));
  if (!Object.keys(fields).length) return { malformed: 'no fields' };
  return { raw, fields };
}
