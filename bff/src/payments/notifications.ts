/**
 * POST /api/notify/{provider}: a provider tells us about a payment.
 *
 * raw bytes → verify the signature (the connector, on exactly what was received) → find the
 * attempt by provider order number → match amount, currency and merchant → conditional
 * transition → the provider's exact ack. Every notification is recorded for operators.
 *   - missing / bad signature, malformed: not acknowledged, nothing changes
 *   - valid but not matching our ledger (amount, merchant): never paid; recorded; not acked
 *   - duplicates: acknowledged, nothing changes
 *   - unsigned hints (huishouyin): only trigger a query
 */
import type { ProviderId } from '../core/domain';
import { notFound } from '../core/errors';
import type { NotificationOutcome } from '../ledger/schema';
import type { RawNotification } from '../providers/types';
import { applyProviderStatus } from './apply';
import type { PaymentContext } from './context';
import { syncAttempt } from './sync';

export async function handleNotification(ctx: PaymentContext, provider: ProviderId, raw: RawNotification): Promise<Response> {
  const connector = ctx.connectors.get(provider);
  if (!connector) throw notFound('provider');
  const log = ctx.log.child(provider).child('notify');
  const bodyText = Buffer.from(raw.body).toString('utf8');
  // when it arrived, not when its outcome was written (after applying it): the timeline's order
  const receivedAt = ctx.clock.now();
  const record = (outcome: NotificationOutcome, fields: { outTradeNo?: string | undefined; attemptId?: string; orderId?: string; detail?: string }) =>
    ctx.ledger.notifications.record({ provider, outcome, body: bodyText, receivedAt, ...fields });

  const verdict = await connector.verifyNotification(raw);
  if (!verdict.ok) {
    log.warn('rejected notification', { reason: verdict.reason, detail: verdict.detail, outTradeNo: verdict.outTradeNo });
    // File it under the order it claims to be about, so an operator sees forgeries there too.
    const claimed = verdict.outTradeNo ? await ctx.ledger.attempts.findByTradeNo(provider, verdict.outTradeNo) : undefined;
    await record(verdict.reason, {
      outTradeNo: verdict.outTradeNo,
      detail: verdict.detail,
      ...(claimed ? { attemptId: claimed.id, orderId: claimed.order_id } : {}),
    });
    return connector.notificationAck('rejected', { outTradeNo: verdict.outTradeNo });
  }

  const status = verdict.status;
  const attempt = await ctx.ledger.attempts.findByTradeNo(provider, status.outTradeNo);
  if (!attempt) {
    log.warn('notification for an order number we never issued', { outTradeNo: status.outTradeNo });
    await record('unknown_order', { outTradeNo: status.outTradeNo, detail: `state ${status.state}` });
    return connector.notificationAck('rejected', { outTradeNo: status.outTradeNo });
  }
  const ids = { outTradeNo: attempt.out_trade_no, attemptId: attempt.id, orderId: attempt.order_id };

  if (verdict.trust === 'hint') {
    // Unsigned: never trusted. Ask the provider ourselves (its answer is signed or authenticated).
    await record('hint', { ...ids, detail: `says ${status.state}` });
    await syncAttempt(ctx, attempt);
    return connector.notificationAck('accepted', { outTradeNo: attempt.out_trade_no });
  }

  await ctx.ledger.attempts.noteNotified(attempt.id);
  const outcome = await applyProviderStatus(ctx, connector, attempt, status, 'notification');
  switch (outcome.kind) {
    case 'mismatch':
      await record(outcome.outcome, { ...ids, detail: outcome.detail });
      return connector.notificationAck('rejected', { outTradeNo: attempt.out_trade_no });
    case 'paid': {
      const applied = outcome.settle === 'settled' || outcome.settle === 'duplicate_payment';
      await record(applied ? 'applied' : 'duplicate', { ...ids, detail: outcome.settle });
      if (outcome.settle === 'not_payable') log.error('paid notification for a failed attempt', ids);
      return connector.notificationAck('accepted', { outTradeNo: attempt.out_trade_no });
    }
    case 'failed':
    case 'closed':
      await record(outcome.changed ? 'applied' : 'duplicate', { ...ids, detail: outcome.kind });
      return connector.notificationAck('accepted', { outTradeNo: attempt.out_trade_no });
    case 'still_pending':
      await record('not_final', { ...ids, detail: status.state });
      return connector.notificationAck('accepted', { outTradeNo: attempt.out_trade_no });
  }
}
