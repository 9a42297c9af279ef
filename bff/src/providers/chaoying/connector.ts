/**
 * 超赢 connector (主扫预下单v2, docs/providers/chaoying.md). Each call goes through the same steps in the same
 * order: transform (pure) → sign → send → verify (raw JSON map) → parse (zod) → map status.
 *
 * Trust: every answer's MD5 is checked on the map exactly as received before any field is
 * believed; timeouts, network errors, HTTP 5xx, NEED_QUERY and unverifiable answers are
 * `unknown`, and the caller queries on `querySchedule` (seed: wait 5 s, query every 5 s, give
 * up after 60–180 s).
 */
import { createResultWithoutAnswer, jsonObjectAnswer, postForAnswer, presentFields, statusWithoutAnswer, type ExchangeFailure } from '../exchange';
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
import { randomString } from '../../core/random';
import { chaoyingSign, verifyChaoyingSignature, type ChaoyingSignatureCheck } from './signature';
import { CHAOYING_STATE_OK, chaoyingCode, chaoyingTradeState } from './status';
import {
  fromNotification,
  fromPreOrderResponse,
  fromQueryResponse,
  toCloseParams,
  toPreOrderParams,
  toQueryParams,
  type ChaoyingMerchant,
} from './transform';
import { CHAOYING_GATEWAY_PATH, chaoyingResponseSchema, type ChaoyingResponse } from './wire';

export interface ChaoyingConnectorOptions {
  merchant: ChaoyingMerchant;
  /** 商户密钥 (the v2 gateway signs with the merchant key; the older per-channel endpoints used the agent key) */
  key: string;
  /** e.g. https://pay.storepos.cn or http://host:3000/sandbox/chaoying */
  baseUrl: string;
  /** per request, wall-clock; default 10 000 */
  timeoutMs?: number;
}

type Exchange = { ok: true; raw: Record<string, unknown>; response: ChaoyingResponse; signature: ChaoyingSignatureCheck } | ExchangeFailure;

export function createChaoyingConnector(opts: ChaoyingConnectorOptions, deps: ProviderDeps): Connector {
  // The app hands every provider a logger already tagged with its id (`[chaoying]`); the
  // connector adds the step: `[chaoying][create]`, `[chaoying][notify]` …
  const log = deps.log;
  const { merchant, key } = opts;
  const gateway = `${opts.baseUrl.replace(/\/+$/, '')}${CHAOYING_GATEWAY_PATH}`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const nonce = () => randomString(deps.random, 32);

  const capabilities: Capability[] = [
    { channel: 'wechat', scene: 'qr' },
    { channel: 'alipay', scene: 'qr' },
    { channel: 'ecny', scene: 'qr' },
    { channel: 'alipay', scene: 'jsapi' },
    { channel: 'alipay', scene: 'h5' },
    { channel: 'ecny', scene: 'h5' },
    // WeChat JSPAY needs sub_appid: only offered when an AppId is configured.
    ...(merchant.subAppId ? [{ channel: 'wechat', scene: 'jsapi' } as const] : []),
  ];

  /** sign → send → verify → parse */
  async function exchange(params: Record<string, string | undefined>): Promise<Exchange> {
    const fields = presentFields(params);
    fields.sign = chaoyingSign(fields, key);
    const sent = await postForAnswer(
      deps.fetch,
      gateway,
      { contentType: 'application/x-www-form-urlencoded; charset=UTF-8', body: new URLSearchParams(fields).toString() },
      timeoutMs,
    );
    if (!sent.ok) return sent;
    const answer = jsonObjectAnswer(sent.text);
    if (!answer.ok) return answer;
    // Verify on the raw map (every field but `sign`), before parsing anything.
    const signature = verifyChaoyingSignature(answer.map, key);
    const parsed = chaoyingResponseSchema.safeParse(answer.map);
    if (!parsed.success) return { ok: false, transient: true, reason: `answer without a usable state: ${sent.text.slice(0, 200)}` };
    return { ok: true, raw: answer.map, response: parsed.data, signature };
  }

  async function createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult> {
    const clog = log.child('create');
    const ctx = { attempt: input.attemptId, outTradeNo: input.outTradeNo, channel: input.channel, scene: input.scene };
    const params = toPreOrderParams(input, merchant, nonce());
    const x = await exchange(params);
    if (!x.ok) return createResultWithoutAnswer(x, clog, ctx);
    const result = fromPreOrderResponse(x.response, x.signature, { outTradeNo: input.outTradeNo, merchantId: merchant.mchId, scene: input.scene });
    if (result.outcome === 'created') clog.info('created', ctx);
    else if (result.outcome === 'unknown') clog.warn('unknown outcome, will query', { ...ctx, reason: result.reason });
    else if (result.outcome === 'failed' && result.code === '20002') clog.error('chaoying rejected our signature: check PAYQR_CHAOYING_KEY and MCH_ID', { ...ctx, msg: result.message });
    else if (result.outcome === 'failed') clog.warn('failed', { ...ctx, code: result.code, msg: result.message });
    return result;
  }

  async function queryPayment(ref: QueryRef): Promise<ProviderPaymentStatus> {
    const qlog = log.child('query');
    const x = await exchange(toQueryParams(ref, merchant, nonce()));
    if (!x.ok) return statusWithoutAnswer(x, ref, qlog);
    const status = fromQueryResponse(x.response, x.signature, ref);
    if (x.signature !== 'valid') qlog.warn('unverified answer ignored', { outTradeNo: ref.outTradeNo, signature: x.signature });
    qlog.info('status', { outTradeNo: ref.outTradeNo, state: status.state, code: status.providerCode });
    return status;
  }

  async function closePayment(ref: QueryRef): Promise<CloseResult> {
    const clog = log.child('close');
    const x = await exchange(toCloseParams(ref, merchant, nonce()));
    if (x.ok && x.signature === 'valid' && x.response.state === CHAOYING_STATE_OK) {
      const meaning = chaoyingCode(x.response.code)?.meaning;
      const tradeState = chaoyingTradeState(x.response.trade_state);
      if ((tradeState === undefined || tradeState === 'success') && (meaning === 'ok' || meaning === 'closed' || meaning === 'revoked')) {
        clog.info('closed', { outTradeNo: ref.outTradeNo, code: x.response.code });
        return { closed: true, detail: x.response.msg ?? `code ${x.response.code ?? ''}` };
      }
    }
    // Not a confirmed close (paid meanwhile, failed, unknown order, error, no answer):
    // the order's real state decides.
    const status = await queryPayment(ref);
    const why = x.ok ? `close answered ${x.response.code ?? x.response.state}${x.response.msg ? ` ${x.response.msg}` : ''}` : x.reason;
    switch (status.state) {
      case 'paid':
        clog.warn('paid before it could be closed', { outTradeNo: ref.outTradeNo });
        return { closed: false, alreadyPaid: status, detail: why };
      case 'closed':
      case 'failed':
      case 'not_found':
        return { closed: true, detail: `${why}; query: ${status.state}` };
      case 'refunded':
      case 'pending':
      case 'unknown':
        clog.warn('not closed', { outTradeNo: ref.outTradeNo, state: status.state, why });
        return { closed: false, detail: `${why}; query: ${status.state}` };
    }
  }

  async function verifyNotification(raw: RawNotification): Promise<NotificationVerdict> {
    return verifySignedNotification(raw, log.child('notify'), {
      parse: parseNotificationBody,
      claimedOrder: (f) => f.map.out_trade_no,
      verify: (f) => verifyChaoyingSignature(f.map, key),
      read: (f) => fromNotification(signedFields(f.map)),
    });
  }

  return {
    id: 'chaoying',
    capabilities,
    outTradeNoRule: { minLength: 5, maxLength: 32, pattern: /^[A-Za-z0-9]+$/ },
    querySchedule: { firstDelayMs: 5_000, intervalMs: 5_000, deadlineMs: 120_000 },
    merchantId: merchant.mchId,
    supportsCurrency: (currency) => currency === 'CNY',
    createPayment,
    queryPayment,
    closePayment,
    verifyNotification,
    notificationAck(kind) {
      // seed 后台通知结果反馈: the plain string "success" stops the retries; "fail" or anything else → retried.
      return new Response(kind === 'accepted' ? 'success' : 'fail', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    },
  };
}
