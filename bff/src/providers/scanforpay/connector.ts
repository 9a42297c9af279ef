/**
 * scanforpay connector (Transaction QRcode payment, docs/providers/scanforpay.md). Each call goes
 * through the same steps in the same order: transform (pure) → serialise once → sign → send →
 * verify (the exact received `"response"` text) → parse (zod) → map status.
 *
 * Trust: an answer's SHA-256 is checked on the substring received before any field is believed;
 * timeouts, network errors, HTTP 5xx, code 21 (结果未知) and unverifiable answers are `unknown`,
 * and the caller queries on `querySchedule` — first after 5 s, then every 5 s, up to 120 s (our
 * choice: the seed gives no schedule; the same as chaoying's documented one).
 *
 * Close: the seed documents no close endpoint. `closePayment` queries; paid → `alreadyPaid`;
 * failed / refunded / never seen → closed; unpaid → closed only once the QR's own window has
 * lapsed at the provider (it can no longer be paid), else `closed: false` so the sweeper retries.
 */
import { beijingIso } from '../../core/clock';
import { describeZodIssues } from '../../core/errors';
import { createResultWithoutAnswer, postForAnswer, statusWithoutAnswer, type ExchangeFailure } from '../exchange';
import { signatureRejected, signedButUnusable } from '../notification';
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
import { openEnvelope, sealEnvelope, verifyEnvelope } from './envelope';
import { expiryFor, MINUTE_MS } from './expiry';
import type { ScanforpaySignatureCheck } from './signature';
import {
  fromCreateResponse,
  fromNotification,
  fromQueryResponse,
  SCANFORPAY_OUT_TRADE_NO_RULE,
  toCreateRequest,
  toQueryRequest,
  uuidV4,
  type ScanforpayMerchant,
} from './transform';
import { SCANFORPAY_CREATE_PATH, SCANFORPAY_QUERY_PATH, scanforpayNotificationSchema, scanforpayResponseSchema, type ScanforpayResponse } from './wire';

export interface ScanforpayConnectorOptions {
  merchant: ScanforpayMerchant;
  /** the partner's SHA-256 signing key */
  signKey: string;
  /** e.g. https://pay.scanforpay.com or http://host:3000/sandbox/scanforpay */
  baseUrl: string;
  /** per request, wall-clock; default 10 000 */
  timeoutMs?: number;
  /**
   * The longest attempt lifetime the product creates (PAYQR_ATTEMPT_TTL_SECONDS allows 24 h).
   * Only used to bound when an unpaid QR lapses if neither this process created it nor the
   * caller says when it expires; default 24 h.
   */
  maxAttemptLifetimeMs?: number;
}

/**
 * What `closePayment` may be told besides the QueryRef fields: the attempt's own expiry. Not
 * (yet) part of QueryRef; read when present, so the lapse is exact on every instance.
 */
export type ScanforpayQueryRef = QueryRef & { expiresAt?: number };

/** Margin after the computed lapse: provider clock skew and the delay before our create call. */
export const SCANFORPAY_LAPSE_GRACE_MS = 2 * MINUTE_MS;
/** Remembered QR lapses (this process's creates); the oldest are forgotten beyond this. */
const MAX_REMEMBERED_LAPSES = 10_000;

type Exchange = { ok: true; response: ScanforpayResponse; signature: ScanforpaySignatureCheck } | ExchangeFailure;

export function createScanforpayConnector(opts: ScanforpayConnectorOptions, deps: ProviderDeps): Connector {
  // The app hands every provider a logger already tagged with its id (`[scanforpay]`); the
  // connector adds the step: `[scanforpay][create]`, `[scanforpay][notify]` …
  const log = deps.log;
  const { merchant, signKey } = opts;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxLifetimeMs = opts.maxAttemptLifetimeMs ?? 24 * 3600_000;
  const lapses = new Map<string, number>();

  const capabilities: Capability[] = [
    { channel: 'wechat', scene: 'qr' },
    { channel: 'alipay', scene: 'qr' },
  ];

  /** serialise once → sign → send → verify the exact `"response"` text → parse */
  async function exchange(path: string, request: object): Promise<Exchange> {
    const sealed = sealEnvelope('request', request, signKey);
    const sent = await postForAnswer(deps.fetch, `${base}${path}`, { contentType: 'application/json; charset=utf-8', body: sealed.text }, timeoutMs);
    if (!sent.ok) return sent;
    const { text } = sent;
    const opened = openEnvelope(text, 'response');
    if (!opened.ok) return { ok: false, transient: true, reason: `unreadable answer (${opened.reason}): ${JSON.stringify(text.slice(0, 120))}` };
    const signature = verifyEnvelope(opened, signKey);
    const parsed = scanforpayResponseSchema.safeParse(opened.value);
    if (!parsed.success) return { ok: false, transient: true, reason: `answer without a usable header/body.code: ${describeZodIssues(parsed.error.issues)}` };
    return { ok: true, response: parsed.data, signature };
  }

  function remember(outTradeNo: string, lapsesAt: number): void {
    lapses.delete(outTradeNo);
    lapses.set(outTradeNo, lapsesAt);
    if (lapses.size > MAX_REMEMBERED_LAPSES) {
      const oldest = lapses.keys().next().value;
      if (oldest !== undefined) lapses.delete(oldest);
    }
  }

  /**
   * When the QR can no longer be paid at scanforpay: exact when this process created it or the
   * caller passes the attempt's expiry; otherwise bounded by the longest lifetime we create
   * (an `it_b_pay` window may start at our expiry — expiry.ts).
   */
  function lapseOf(ref: ScanforpayQueryRef): { at: number; how: string } {
    const remembered = lapses.get(ref.outTradeNo);
    if (remembered !== undefined) return { at: remembered, how: 'as created' };
    if (typeof ref.expiresAt === 'number' && ref.expiresAt > ref.createdAt) return { at: expiryFor(ref.createdAt, ref.expiresAt).lapsesAt, how: 'from the attempt expiry' };
    return { at: ref.createdAt + 2 * maxLifetimeMs, how: 'upper bound (expiry unknown)' };
  }

  async function createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult> {
    const clog = log.child('create');
    const ctx = { attempt: input.attemptId, outTradeNo: input.outTradeNo, channel: input.channel, scene: input.scene };
    const { request, expiry } = toCreateRequest(input, merchant, { now: deps.clock.now(), reqMsgId: uuidV4(deps.random) });
    // From here on the order may exist at scanforpay, whatever the answer: remember its lapse.
    remember(input.outTradeNo, expiry.lapsesAt);
    const x = await exchange(SCANFORPAY_CREATE_PATH, request);
    if (!x.ok) return createResultWithoutAnswer(x, clog, ctx);
    const result = fromCreateResponse(x.response, x.signature, { outTradeNo: input.outTradeNo, partnerNo: merchant.partnerNo });
    if (result.outcome === 'created') clog.info('created', { ...ctx, [expiry.field]: expiry.value, orderNo: result.providerTradeNo });
    else if (result.outcome === 'unknown') clog.warn('unknown outcome, will query', { ...ctx, reason: result.reason });
    else if (result.outcome === 'failed' && result.code === '8') clog.error('scanforpay rejected our signature: check PAYQR_SCANFORPAY_SIGN_KEY and PARTNER_NO', { ...ctx, msg: result.message });
    else if (result.outcome === 'failed') clog.warn('failed', { ...ctx, code: result.code, msg: result.message });
    return result;
  }

  async function queryPayment(ref: QueryRef): Promise<ProviderPaymentStatus> {
    const qlog = log.child('query');
    const x = await exchange(SCANFORPAY_QUERY_PATH, toQueryRequest(ref, merchant, { now: deps.clock.now(), reqMsgId: uuidV4(deps.random) }));
    if (!x.ok) return statusWithoutAnswer(x, ref, qlog);
    if (x.signature !== 'valid') qlog.warn('unverified answer ignored', { outTradeNo: ref.outTradeNo, verdict: x.signature });
    const status = fromQueryResponse(x.response, x.signature, ref, merchant);
    qlog.info('status', { outTradeNo: ref.outTradeNo, state: status.state, code: status.providerCode });
    return status;
  }

  async function closePayment(ref: ScanforpayQueryRef): Promise<CloseResult> {
    const clog = log.child('close');
    const status = await queryPayment(ref);
    switch (status.state) {
      case 'paid':
        clog.warn('paid before it could be closed', { outTradeNo: ref.outTradeNo });
        return { closed: false, alreadyPaid: status, detail: 'paid at scanforpay' };
      case 'failed':
      case 'closed':
      case 'not_found':
        return { closed: true, detail: `no close endpoint at scanforpay; query: ${status.state}` };
      case 'refunded':
        clog.warn('refunded at the provider (it was paid, then refunded): nothing left to close', { outTradeNo: ref.outTradeNo });
        return { closed: true, detail: 'no close endpoint at scanforpay; query: refunded (paid, then refunded)' };
      case 'pending': {
        const lapse = lapseOf(ref);
        const when = beijingIso(lapse.at + SCANFORPAY_LAPSE_GRACE_MS);
        if (deps.clock.now() >= lapse.at + SCANFORPAY_LAPSE_GRACE_MS) {
          clog.info('closed: the QR has lapsed at the provider', { outTradeNo: ref.outTradeNo, lapsed: when });
          return { closed: true, detail: `no close endpoint at scanforpay; unpaid and the QR lapsed (${lapse.how}) by ${when}` };
        }
        clog.info('not closed yet: the QR is still payable at the provider', { outTradeNo: ref.outTradeNo, until: when, how: lapse.how });
        return { closed: false, detail: `scanforpay has no close endpoint (docs/providers/scanforpay.md "Close"): the unpaid QR stays payable until ${when} (${lapse.how}); retry then` };
      }
      case 'unknown':
        clog.warn('not closed: status unknown', { outTradeNo: ref.outTradeNo, detail: status.providerMessage });
        return { closed: false, detail: `query: unknown (${status.providerMessage ?? status.providerCode ?? 'no detail'})` };
    }
  }

  async function verifyNotification(raw: RawNotification): Promise<NotificationVerdict> {
    const nlog = log.child('notify');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw.body);
    } catch {
      return { ok: false, reason: 'malformed', detail: 'body is not UTF-8' };
    }
    const opened = openEnvelope(text, 'response');
    if (!opened.ok) return { ok: false, reason: 'malformed', detail: opened.reason };
    // Unverified, only to file a rejection under the order it claims.
    const claimed = claimedOutTradeNo(opened.value);
    const signature = verifyEnvelope(opened, signKey);
    if (signature !== 'valid') {
      nlog.warn('rejected', { outTradeNo: claimed, verdict: signature });
      return signatureRejected(signature, claimed, { missing: 'no signature member', invalid: 'signature does not match the "response" text received' });
    }
    const parsed = scanforpayNotificationSchema.safeParse(opened.value);
    if (!parsed.success) {
      const detail = `signed but unusable: ${describeZodIssues(parsed.error.issues)}`;
      nlog.warn('signed but unusable', { outTradeNo: claimed, detail });
      return signedButUnusable(detail, claimed);
    }
    const r = fromNotification(parsed.data, merchant);
    if ('malformed' in r) {
      nlog.warn('signed but unusable', { outTradeNo: claimed, detail: r.malformed });
      return signedButUnusable(r.malformed, claimed);
    }
    nlog.info('verified', { outTradeNo: r.status.outTradeNo, state: r.status.state });
    return { ok: true, trust: 'signed', status: r.status };
  }

  return {
    id: 'scanforpay',
    capabilities,
    outTradeNoRule: SCANFORPAY_OUT_TRADE_NO_RULE,
    querySchedule: { firstDelayMs: 5_000, intervalMs: 5_000, deadlineMs: 120_000 },
    merchantId: merchant.storeNo,
    // orderAmount is in the store currency's minor unit: nothing else can be charged.
    supportsCurrency: (currency) => currency === merchant.currency,
    createPayment,
    queryPayment,
    closePayment,
    verifyNotification,
    notificationAck(kind) {
      // docs/providers/scanforpay.md: reply the plain body `success`; anything else is retried.
      return new Response(kind === 'accepted' ? 'success' : 'fail', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    },
  };
}

function claimedOutTradeNo(value: unknown): string | undefined {
  const body = (value as { body?: { partnerOrderNo?: unknown } } | null)?.body;
  return typeof body?.partnerOrderNo === 'string' && body.partnerOrderNo ? body.partnerOrderNo : undefined;
}
