/**
 * 汇收银/联富通 connector (付款码支付, docs/providers/huishouyin.md: the cashier scans the payer's code). Each call
 * goes through the same steps in the same order: transform (pure) → sign → send → verify → parse
 * (exact JSON: amounts keep their text) → map status.
 *
 * Trust — how far an answer is believed, and why:
 * - Our requests are signed (signature.ts, assumed rule) and go to the configured BASE_URL, which
 *   must be https outside loopback (module.ts).
 * - The seed's answers carry NO `sign`. A synchronous answer to our own request is exactly as
 *   trustworthy as the channel it came over: TLS to the configured host authenticates it, the
 *   way an unsigned JSON API over TLS is authenticated. So an unsigned answer is believed —
 *   after checking it is about our order_id — and a `1000` with order_status 1 settles the
 *   micropay at once (asking pay/check over the same channel would add latency at the till,
 *   not proof). Should an answer carry a `sign`, it is verified; a wrong one is never believed.
 * - The webhook is different: unsolicited, unsigned, from anyone who can reach our notify URL.
 *   It is only ever a hint (`trust: 'hint'`): PayQR queries pay/check before any state change.
 *
 * Unknown outcomes (timeout, network error, HTTP 5xx, 1002, order_status 0 / -10, unlisted codes)
 * are queried on `querySchedule`; at the deadline PayQR calls `reversePayment` (pay/cancel, which
 * refunds when it was paid after all) — docs/providers/README.md "Micropay (cashier) state machine".
 */
import { maskCode } from '../../core/log';
import { createResultWithoutAnswer, postForAnswer, statusWithoutAnswer, type ExchangeFailure } from '../exchange';
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
import { parseExactJson, scalarText, stringifyExactJson, type ExactJson } from '../../core/strict-json';
import { huishouyinSign, verifyHuishouyinAnswer, type HuishouyinAnswerSignature, type HuishouyinFields } from './signature';
import { huishouyinCode, huishouyinOrderStatus } from './status';
import { fromNotification, fromPayAnswer, statusFromAnswer, toOrderParams, toPayParams, type HuishouyinMerchant } from './transform';
import { HUISHOUYIN_CONTENT_TYPE, HUISHOUYIN_PATHS, readHuishouyinAnswer, type HuishouyinAnswer, type HuishouyinOperation } from './wire';

export interface HuishouyinConnectorOptions {
  merchant: HuishouyinMerchant;
  /** app secret (the `app_sercet` of the assumed sign rule) */
  appSecret: string;
  /** e.g. https://api.huishouyin.cn or http://127.0.0.1:3000/sandbox/huishouyin */
  baseUrl: string;
  /** per request, wall-clock; default 10 000 */
  timeoutMs?: number;
}

/** Answers larger than this are not an answer from 汇收银. */
const MAX_ANSWER_CHARS = 1_000_000;

type Exchange = { ok: true; answer: HuishouyinAnswer; signature: HuishouyinAnswerSignature } | ExchangeFailure;

export function createHuishouyinConnector(opts: HuishouyinConnectorOptions, deps: ProviderDeps): Connector {
  const log = deps.log;
  const { merchant, appSecret } = opts;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;

  const capabilities: Capability[] = [
    { channel: 'wechat', scene: 'micropay' },
    { channel: 'alipay', scene: 'micropay' },
  ];

  /** sign → send (JSON) → parse (exact) → verify */
  async function exchange(op: HuishouyinOperation, params: HuishouyinFields): Promise<Exchange> {
    const body = stringifyExactJson({ ...params, sign: huishouyinSign(params, appSecret) });
    const sent = await postForAnswer(deps.fetch, `${base}${HUISHOUYIN_PATHS[op]}`, { contentType: HUISHOUYIN_CONTENT_TYPE, body }, timeoutMs);
    if (!sent.ok) return sent;
    const { text } = sent;
    if (text.length > MAX_ANSWER_CHARS) return { ok: false, transient: true, reason: `answer of ${text.length} characters refused` };
    let raw: ExactJson;
    try {
      raw = parseExactJson(text.trim());
    } catch (e) {
      return { ok: false, transient: true, reason: `answer is not JSON (${(e as Error).message}): ${JSON.stringify(text.slice(0, 120))}` };
    }
    const answer = readHuishouyinAnswer(raw);
    if ('malformed' in answer) return { ok: false, transient: true, reason: `${answer.malformed}: ${text.slice(0, 200)}` };
    // Verify on the answer exactly as received (numbers as their literal text), before reading it.
    return { ok: true, answer, signature: verifyHuishouyinAnswer(answer.raw, appSecret) };
  }

  async function createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult> {
    const clog = log.child('create');
    const params = toPayParams(input, merchant);
    const ctx = { attempt: input.attemptId, outTradeNo: input.outTradeNo, channel: input.channel, payCode: maskCode(params.pay_code) };
    const x = await exchange('pay', { ...params });
    // No answer → unknown (query); a 4xx from the gateway (wrong path, refused request): nothing was processed → failed.
    if (!x.ok) return createResultWithoutAnswer(x, clog, ctx);
    if (x.signature === 'invalid') clog.error('answer with a wrong sign: not believed', { ...ctx, code: x.answer.code });
    const reading = fromPayAnswer(x.answer, x.signature, { outTradeNo: input.outTradeNo });
    if (reading.outcome === 'already_paid') {
      // 1003 订单已支付: our order_id was paid by an earlier call (e.g. a retry after a lost answer).
      // The answer need not carry the order (the seed's error example has `data: {}`), so the
      // amount comes from pay/check before anything settles.
      const status = await queryPayment({ outTradeNo: input.outTradeNo, createdAt: input.createdAt, channel: input.channel, scene: input.scene });
      if (status.state === 'paid') {
        clog.info('already paid, confirmed by pay/check', ctx);
        return { outcome: 'paid', status };
      }
      clog.warn('1003 already paid, but pay/check does not confirm it yet', { ...ctx, state: status.state });
      return { outcome: 'unknown', reason: `1003 ${reading.message}; pay/check: ${status.state}` };
    }
    switch (reading.outcome) {
      case 'paid':
        clog.info('paid', { ...ctx, amount: reading.status.amount });
        break;
      case 'unknown':
        clog.info('not final, will query', { ...ctx, reason: reading.reason, progress: reading.progress });
        break;
      case 'failed':
        if (reading.code === '2000') clog.error('汇收银 rejected our signature: check PAYQR_HUISHOUYIN_APP_SECRET (and the assumed sign rule)', { ...ctx, msg: reading.message });
        else if (reading.code === '3000') clog.error('汇收银 does not know our app_id: check PAYQR_HUISHOUYIN_APP_ID', { ...ctx, msg: reading.message });
        else clog.warn('failed', { ...ctx, code: reading.code, msg: reading.message });
        break;
      case 'created':
        break;
    }
    return reading;
  }

  async function queryPayment(ref: QueryRef): Promise<ProviderPaymentStatus> {
    const qlog = log.child('query');
    const x = await exchange('check', { ...toOrderParams(ref, merchant) });
    if (!x.ok) return statusWithoutAnswer(x, ref, qlog);
    const status = statusFromAnswer(x.answer, x.signature, ref);
    if (x.signature === 'invalid') qlog.error('answer with a wrong sign ignored', { outTradeNo: ref.outTradeNo });
    qlog.info('status', { outTradeNo: ref.outTradeNo, state: status.state, code: status.providerCode });
    return status;
  }

  /**
   * pay/cancel or pay/close, then — unless the answer itself confirms the order can no longer be
   * paid — pay/check decides (paid meanwhile → `alreadyPaid`: the caller settles).
   */
  async function endOrder(op: 'cancel' | 'close', ref: QueryRef): Promise<CloseResult> {
    const elog = log.child(op);
    const x = await exchange(op, { ...toOrderParams(ref, merchant) });
    let why: string;
    if (x.ok) {
      const answered = statusFromAnswer(x.answer, x.signature, ref);
      const orderStatus = huishouyinOrderStatus(scalarText(x.answer.data.order_status));
      why = `${op} answered code=${x.answer.code}${x.answer.msg ? ` ${x.answer.msg}` : ''}`;
      if (huishouyinCode(x.answer.code)?.meaning === 'ok' && x.signature !== 'invalid') {
        const detail = `${why} (${answered.providerCode}${orderStatus ? ` ${orderStatus.label}` : ''})`;
        // Revoked (5), closed (4), failed (-1): it can no longer be paid.
        if (answered.state === 'closed' || answered.state === 'failed') {
          elog.info(op === 'cancel' ? 'reversed' : 'closed', { outTradeNo: ref.outTradeNo, orderStatus: orderStatus?.label });
          return { closed: true, detail };
        }
        // Cancel of an order that had been paid refunds it (docs/providers/huishouyin.md; order_status 2/3/-3):
        // nothing can be paid any more, and the refunded payment is reported with its amounts
        // (as umf-sp does: `closed` with `alreadyPaid`), its state saying `refunded`.
        if (op === 'cancel' && answered.state === 'refunded') {
          elog.warn('reversed a paid order: the payment was refunded', { outTradeNo: ref.outTradeNo, orderStatus: orderStatus?.label });
          return { closed: true, alreadyPaid: answered, detail: `${detail}: it had been paid and the cancel refunded it` };
        }
      }
    } else {
      why = `${op}: ${x.reason}`;
    }
    const status = await queryPayment(ref);
    switch (status.state) {
      case 'paid':
        elog.warn('paid, not reversed', { outTradeNo: ref.outTradeNo, why });
        return { closed: false, alreadyPaid: status, detail: why };
      case 'closed':
      case 'failed':
      case 'not_found':
        return { closed: true, detail: `${why}; pay/check: ${status.state}` };
      case 'refunded':
        if (op === 'cancel') return { closed: true, alreadyPaid: status, detail: `${why}; pay/check: refunded` };
        elog.warn('not closed', { outTradeNo: ref.outTradeNo, state: status.state, why });
        return { closed: false, detail: `${why}; pay/check: ${status.state}` };
      case 'pending':
      case 'unknown':
        elog.warn(`not ${op === 'cancel' ? 'reversed' : 'closed'} yet`, { outTradeNo: ref.outTradeNo, state: status.state, why });
        return { closed: false, detail: `${why}; pay/check: ${status.state}` };
    }
  }

  async function verifyNotification(raw: RawNotification): Promise<NotificationVerdict> {
    const nlog = log.child('notify');
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(raw.body);
      const parsed = fromNotification(text);
      if ('malformed' in parsed) {
        nlog.warn('unusable webhook', { detail: parsed.malformed });
        return { ok: false, reason: 'malformed', detail: parsed.malformed };
      }
      // No signature exists to check (docs/providers/huishouyin.md "Trust"): whatever it says, it is a reason to query.
      nlog.info('webhook (unsigned hint)', { outTradeNo: parsed.status.outTradeNo, says: parsed.status.state });
      return { ok: true, trust: 'hint', status: parsed.status };
    } catch (e) {
      return { ok: false, reason: 'malformed', detail: `unreadable webhook: ${(e as Error).message}` };
    }
  }

  return {
    id: 'huishouyin',
    capabilities,
    outTradeNoRule: { minLength: 5, maxLength: 32, pattern: /^[A-Za-z0-9]+$/ },
    // docs/providers/README.md "Micropay (cashier) state machine": wait 5 s, query every 3–5 s, 30–60 s deadline.
    querySchedule: { firstDelayMs: 5_000, intervalMs: 3_000, deadlineMs: 60_000 },
    merchantId: merchant.appId,
    supportsCurrency: (currency) => currency === 'CNY',
    createPayment,
    queryPayment,
    closePayment: (ref) => endOrder('close', ref),
    reversePayment: (ref) => endOrder('cancel', ref),
    verifyNotification,
    notificationAck(kind) {
      // ASSUMED (the seed does not describe the webhook): the plain body `success` stops the
      // retries, as with most Chinese aggregators; anything else (`fail`) asks for a retry.
      // Every hint is accepted once PayQR has queried (payments/notifications.ts).
      return new Response(kind === 'accepted' ? 'success' : 'fail', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    },
  };
}
