/**
 * Apply what a provider says about an attempt (a verified notification or a signed query
 * answer) to the ledger. A provider's word is matched against our own record first: the
 * order number picked the attempt, and the amount, currency and merchant must agree before
 * anything can become paid (超赢 seed: "一定要对…订单号out_trade_no和订单金额total_fee…做校验").
 */
import type { AttemptRow, NotificationOutcome } from '../ledger/schema';
import type { Connector, ProviderPaymentStatus } from '../providers/types';
import type { PaymentContext } from './context';

export type ApplyOutcome =
  | { kind: 'paid'; settle: 'settled' | 'duplicate_payment' | 'already_paid' | 'not_payable' }
  | { kind: 'failed'; changed: boolean }
  | { kind: 'closed'; changed: boolean }
  | { kind: 'still_pending' }
  | { kind: 'mismatch'; outcome: Extract<NotificationOutcome, 'amount_mismatch' | 'merchant_mismatch' | 'currency_mismatch'>; detail: string };

export function checkMatch(
  connector: Connector,
  attempt: AttemptRow,
  status: ProviderPaymentStatus,
): Extract<ApplyOutcome, { kind: 'mismatch' }> | undefined {
  if (status.merchantId !== undefined && status.merchantId !== connector.merchantId) {
    return { kind: 'mismatch', outcome: 'merchant_mismatch', detail: `merchant ${status.merchantId} ≠ ours ${connector.merchantId}` };
  }
  if (status.currency !== undefined && status.currency !== attempt.currency) {
    return { kind: 'mismatch', outcome: 'currency_mismatch', detail: `currency ${status.currency} ≠ ${attempt.currency}` };
  }
  if (status.state === 'paid' && status.amount === undefined) {
    return { kind: 'mismatch', outcome: 'amount_mismatch', detail: 'paid without an amount: cannot be matched' };
  }
  if (status.amount !== undefined && status.amount !== attempt.amount) {
    return { kind: 'mismatch', outcome: 'amount_mismatch', detail: `amount ${status.amount} ≠ expected ${attempt.amount} ${attempt.currency}` };
  }
  return undefined;
}

export async function applyProviderStatus(
  ctx: PaymentContext,
  connector: Connector,
  attempt: AttemptRow,
  status: ProviderPaymentStatus,
  source: 'notification' | 'query' | 'close' | 'create',
): Promise<ApplyOutcome> {
  const log = ctx.log.child(connector.id).child(source);
  const mismatch = checkMatch(connector, attempt, status);
  if (mismatch) {
    log.error('provider status does not match the ledger; not applied', {
      order: attempt.order_id,
      attempt: attempt.id,
      outTradeNo: attempt.out_trade_no,
      detail: mismatch.detail,
    });
    return mismatch;
  }
  switch (status.state) {
    case 'paid': {
      const r = await ctx.ledger.attempts.settlePaid(attempt.id, {
        providerTradeNo: status.providerTradeNo,
        paidAt: status.paidAt,
        extra: status.extra,
      });
      if (r.kind === 'settled') log.info('order paid', { order: attempt.order_id, attempt: attempt.id });
      if (r.kind === 'duplicate_payment') {
        log.warn('attempt paid after the order was settled: duplicate payment (shop must refund)', {
          order: attempt.order_id,
          attempt: attempt.id,
        });
      }
      return { kind: 'paid', settle: r.kind };
    }
    case 'failed':
    case 'refunded': {
      const changed = await ctx.ledger.attempts.fail(
        attempt.id,
        status.providerCode ?? (status.state === 'refunded' ? 'REFUNDED' : 'FAILED'),
        status.providerMessage ?? `provider reports ${status.state}`,
      );
      return { kind: 'failed', changed: changed !== undefined };
    }
    case 'closed': {
      const changed = await ctx.ledger.attempts.close(attempt.id, true, status.providerCode ?? 'CLOSED_AT_PROVIDER');
      return { kind: 'closed', changed: changed !== undefined };
    }
    case 'pending':
      // Micropay: keep what the payer is doing current for the till (password entry …).
      if (status.progress && attempt.scene === 'micropay') await ctx.ledger.attempts.mergeExtra(attempt.id, { progress: status.progress });
      return { kind: 'still_pending' };
    case 'unknown':
    case 'not_found':
      return { kind: 'still_pending' };
  }
}
