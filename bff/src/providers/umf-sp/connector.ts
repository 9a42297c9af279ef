/**
 * 联动优势 服务商平台 connector: micropay (用户被扫, docs/providers/umf-sp.md), the cashier scans the payer's code.
 * Each call goes through the same steps in the same order: transform (pure) → sign (SHA1withRSA,
 * merchant key, `k=v&`) → send (JSON) → verify (the raw answer's `|`-joined values, platform key)
 * → parse (zod) → map status.
 *
 * Trust: no field of an answer is believed before its signature verified on the map exactly as
 * received. Timeouts, network errors, HTTP 5xx and unverifiable answers are `unknown`; the caller
 * then follows the micropay state machine (docs/providers/README.md) on `querySchedule` (wait 5 s,
 * query every 3 s, reverse at 60 s). The payer's code is validated before anything is sent and
 * never logged whole.
 */
import type { KeyObject } from 'node:crypto';
import { maskCode } from '../../core/log';
import { createResultWithoutAnswer, statusWithoutAnswer } from '../exchange';
import { parseNotificationBody, signedFields, verifySignedNotification } from '../notification';
import type {
  Capability,
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
import { describeRsaKey } from '../umf/keys';
import { UMF_SP_FORMS, umfSpSign, verifyUmfSpSignature } from './signature';
import { UMF_SP_RESP_OK, umfSpRespCode } from './status';
import {
  authCodeProblem,
  fromChangeResponse,
  fromMicropayResponse,
  fromNotification,
  fromQueryResponse,
  refundedPaymentOf,
  toMicropayParams,
  toOrderRefParams,
  type UmfSpMerchant,
} from './transform';
import { UMF_SP_PATHS, UMF_SP_SIGNATURE_MAX, umfSpResponseSchema, type UmfSpCall } from './wire';

export interface UmfSpConnectorOptions {
  merchant: UmfSpMerchant;
  /** the merchant's RSA private key (signs requests and our notification replies) */
  merchantKey: KeyObject;
  /** UMF's platform public key (pinned; verifies answers and notifications) */
  platformKey: KeyObject;
  /** 交易服务根地址, e.g. https://…umfintech.com/… or http://host:3000/sandbox/umf-sp */
  baseUrl: string;
  /** per request, wall-clock; default 10 000 */
  timeoutMs?: number;
}

/** docs/providers/README.md "Micropay (cashier) state machine": wait 5 s, query every 3–5 s, give up at 30–60 s. */
export const UMF_SP_QUERY_SCHEDULE = { firstDelayMs: 5_000, intervalMs: 3_000, deadlineMs: 60_000 } as const;

export function createUmfSpConnector(opts: UmfSpConnectorOptions, deps: ProviderDeps): Connector {
  // The app hands every provider a logger already tagged with its id (`[umf-sp]`); the connector
  // adds the step: `[umf-sp][create]`, `[umf-sp][notify]` …
  const log = deps.log;
  const { merchant, merchantKey, platformKey } = opts;

  const bits = merchantKey.asymmetricKeyDetails?.modulusLength ?? 1024;
  if (Math.ceil(bits / 8 / 3) * 4 > UMF_SP_SIGNATURE_MAX) {
    log.warn(`the merchant key is ${describeRsaKey(merchantKey)}: its signatures exceed the seed's ${UMF_SP_SIGNATURE_MAX}-character signature field (UMF issues RSA-1024 keys)`);
  }

  const capabilities: Capability[] = [
    { channel: 'wechat', scene: 'micropay' },
    { channel: 'alipay', scene: 'micropay' },
    { channel: 'unionpay', scene: 'micropay' },
  ];

  const signedExchange = umfExchanger({
    fetch: deps.fetch,
    baseUrl: opts.baseUrl,
    timeoutMs: opts.timeoutMs ?? 10_000,
    merchantKey,
    platformKey,
    forms: { request: UMF_SP_FORMS.request, response: UMF_SP_FORMS.response },
    encode: (fields) => ({ contentType: 'application/json; charset=UTF-8', body: JSON.stringify(fields) }),
    codeField: 'respCode',
  });

  /** sign (`k=v&`) → send (JSON) → verify (`|`, on the raw map) → parse */
  async function exchange(call: UmfSpCall, params: Record<string, string | undefined>) {
    const x = await signedExchange(UMF_SP_PATHS[call], params, umfSpResponseSchema);
    if (x.ok && x.signature !== 'valid') log.warn(`answer to ${call} failed verification (${x.signature}): check PAYQR_UMF_SP_PLATFORM_CERT`, { respCode: x.response.respCode });
    return x;
  }

  async function createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult> {
    const clog = log.child('create');
    const authCode = input.authCode ?? '';
    const ctx = { attempt: input.attemptId, outTradeNo: input.outTradeNo, channel: input.channel, authCode: maskCode(authCode) };
    // Never send a malformed code (or one of another wallet): refused here, nothing reaches UMF.
    const problem = authCodeProblem(input.authCode, input.channel);
    if (problem) {
      clog.warn('payer code refused before sending', { ...ctx, problem });
      return { outcome: 'failed', code: 'invalid_auth_code', message: problem };
    }
    const { params, backUrlDropped } = toMicropayParams(input, merchant);
    if (backUrlDropped) clog.warn('notify URL not accepted by UMF’s rule; sent without backUrl, the query establishes the result', { ...ctx, problem: backUrlDropped });
    const x = await exchange('micropay', params);
    if (!x.ok) return createResultWithoutAnswer(x, clog, ctx);
    const result = fromMicropayResponse(x.response, x.signature, { outTradeNo: input.outTradeNo, receivedAt: deps.clock.now() });
    if (result.outcome === 'unknown' && x.signature === 'valid' && umfSpRespCode(x.response.respCode).meaning === 'duplicate_order') {
      // The number is known to UMF ("订单已支付" / 重复交易): its state is the answer — ask at once
      // rather than leave the cashier waiting for the first scheduled query.
      const status = await queryPayment({ outTradeNo: input.outTradeNo, createdAt: input.createdAt, channel: input.channel, scene: input.scene });
      clog.info('duplicate order number; queried', { ...ctx, state: status.state });
      if (status.state === 'paid') return { outcome: 'paid', status };
      return { outcome: 'unknown', reason: `${result.reason}; query: ${status.state}`, ...(status.progress ? { progress: status.progress } : {}) };
    }
    switch (result.outcome) {
      case 'paid':
        clog.info('paid', { ...ctx, providerTradeNo: result.status.providerTradeNo });
        break;
      case 'unknown':
        clog.info('result not final, will query', { ...ctx, reason: result.reason, progress: result.progress });
        break;
      case 'failed':
        if (umfSpRespCode(result.code).meaning === 'sign_error') clog.error('UMF rejected our signature: check PAYQR_UMF_SP_PRIVATE_KEY and ACQ_MER_ID', { ...ctx, msg: result.message });
        else clog.info('failed', { ...ctx, code: result.code, msg: result.message });
        break;
      case 'created':
        break;
    }
    return result;
  }

  async function queryPayment(ref: QueryRef): Promise<ProviderPaymentStatus> {
    const qlog = log.child('query');
    const x = await exchange('query', toOrderRefParams(ref, merchant));
    if (!x.ok) return statusWithoutAnswer(x, ref, qlog);
    const status = fromQueryResponse(x.response, x.signature, ref, merchant);
    qlog.info('status', { outTradeNo: ref.outTradeNo, state: status.state, code: status.providerCode });
    return status;
  }

  /**
   * An unconfirmed reverse or close: the order's real state decides. Paid → the caller must
   * settle (`alreadyPaid`, not closed); closed / failed / unknown to UMF → nothing can be paid.
   */
  async function settleByQuery(ref: QueryRef, why: string, step: 'reverse' | 'close'): Promise<CloseResult> {
    const status = await queryPayment(ref);
    switch (status.state) {
      case 'paid':
        log.child(step).warn(`paid, and UMF did not ${step} it`, { outTradeNo: ref.outTradeNo, why });
        return { closed: false, alreadyPaid: status, detail: `${why}; query: paid` };
      case 'closed':
      case 'failed':
      case 'not_found':
        return { closed: true, detail: `${why}; query: ${status.state}` };
      case 'refunded':
      case 'pending':
      case 'unknown':
        log.child(step).warn(`not ${step === 'reverse' ? 'reversed' : 'closed'}`, { outTradeNo: ref.outTradeNo, state: status.state, why });
        return { closed: false, detail: `${why}; query: ${status.state}` };
    }
  }

  /**
   * 撤销 (`pay/cancelOrder`, same-day micropay only; refunds when it was paid). Idempotent: a reverse
   * of a reversed order is confirmed again. When UMF says the order had been paid, the result is
   * `closed: true` **with** `alreadyPaid` (the payment the reverse refunded) and says so in
   * `detail`; `closed: false` with `alreadyPaid` means UMF kept the money (e.g. past the day).
   */
  async function reversePayment(ref: QueryRef): Promise<CloseResult> {
    const rlog = log.child('reverse');
    const x = await exchange('cancel', toOrderRefParams(ref, merchant));
    if (x.ok) {
      const a = fromChangeResponse(x.response, x.signature, ref);
      if (a.kind === 'confirmed') {
        if (a.wasPaid) {
          rlog.warn('reversed a paid order: the payment was refunded', { outTradeNo: ref.outTradeNo });
          return { closed: true, alreadyPaid: refundedPaymentOf(x.response, ref), detail: `reversed: it had been paid and UMF refunded it (${a.detail})` };
        }
        rlog.info('reversed', { outTradeNo: ref.outTradeNo, detail: a.detail });
        return { closed: true, detail: `reversed (${a.detail})` };
      }
      if (a.kind === 'not_found') {
        // Nothing reached UMF under this number: nothing can be paid under it.
        rlog.info('nothing to reverse', { outTradeNo: ref.outTradeNo });
        return { closed: true, detail: `UMF has no such order (${a.detail})` };
      }
      return settleByQuery(ref, `cancelOrder answered ${a.detail}`, 'reverse');
    }
    return settleByQuery(ref, `cancelOrder: ${x.reason}`, 'reverse');
  }

  /** 关单 (`pay/closeOrder`): an unpaid order can no longer be paid. */
  async function closePayment(ref: QueryRef): Promise<CloseResult> {
    const clog = log.child('close');
    const x = await exchange('close', toOrderRefParams(ref, merchant));
    if (x.ok) {
      const a = fromChangeResponse(x.response, x.signature, ref);
      if (a.kind === 'confirmed' && !a.wasPaid) {
        clog.info('closed', { outTradeNo: ref.outTradeNo, detail: a.detail });
        return { closed: true, detail: `closed (${a.detail})` };
      }
      return settleByQuery(ref, `closeOrder answered ${a.detail}`, 'close');
    }
    return settleByQuery(ref, `closeOrder: ${x.reason}`, 'close');
  }

  async function verifyNotification(raw: RawNotification): Promise<NotificationVerdict> {
    return verifySignedNotification(raw, log.child('notify'), {
      parse: parseNotificationBody,
      claimedOrder: (f) => f.map.orderNo,
      verify: (f) => verifyUmfSpSignature(f.map, 'notify', platformKey),
      read: (f) => fromNotification(signedFields(f.map)),
    });
  }

  return {
    id: 'umf-sp',
    capabilities,
    // seed orderNo allows 64 characters; 5–32 alphanumerics fit every reading and our numbering.
    outTradeNoRule: { minLength: 5, maxLength: 32, pattern: /^[A-Za-z0-9]+$/ },
    querySchedule: UMF_SP_QUERY_SCHEDULE,
    merchantId: merchant.acqMerId,
    supportsCurrency: (currency) => currency === 'CNY',
    createPayment,
    queryPayment,
    closePayment,
    reversePayment,
    verifyNotification,
    notificationAck(kind, context) {
      return new Response(JSON.stringify(umfSpAck(kind, merchantKey, context?.outTradeNo)), {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
    },
  };
}

/**
 * Our reply to a notification (docs/providers/umf-sp.md: JSON `{"respCode":"00",…}`): `00` accepted (stops
 * UMF's retries), `01` rejected (retried). Signed by the merchant over the `|`-joined values,
 * field `signature` — see signature.ts for why (assumed).
 */
export function umfSpAck(kind: 'accepted' | 'rejected', merchantKey: KeyObject, orderNo?: string): Record<string, string> {
  const fields: Record<string, string> = kind === 'accepted' ? { respCode: UMF_SP_RESP_OK, respMsg: '成功' } : { respCode: '01', respMsg: '失败' };
  if (orderNo) fields.orderNo = orderNo;
  return { ...fields, signature: umfSpSign(fields, 'ack', merchantKey) };
}
