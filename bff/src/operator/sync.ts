/**
 * 补单: ask the provider now about every attempt of an order that is not final, apply the
 * verified answer by the usual rules (payments/sync.ts → apply.ts: matched against amount,
 * currency and merchant, conditional transitions), and answer what changed.
 *
 * Not final: pending; closed here but the provider has not confirmed the close (the payer may
 * have paid first); a micropay reverse the provider has not confirmed. Each is claimed with the
 * ledger's conditional update (at most one query per attempt per second across every request,
 * poller and instance), so two syncs at once query once and settle once; the second answers
 * `skipped` for what the first is asking about. An operator never marks anything paid: only
 * the provider's answer can.
 */
import { notFound } from '../core/errors';
import type { AttemptRow, OrderRow } from '../ledger/schema';
import type { ApplyOutcome } from '../payments/apply';
import { applyProviderStatus } from '../payments/apply';
import { finishReverse, queryRef } from '../payments/close';
import { nextSweepQuery, syncAttempt } from '../payments/sync';
import type { ProviderPaymentStatus } from '../providers/types';
import type { OperatorCall, OperatorContext } from './context';
import { syncable } from './orders';

/** An operator's sync may ask again this soon after any other query of the attempt. */
export const OPERATOR_SYNC_GAP_MS = 1000;

export type AttemptSyncResult =
  /** the provider's answer settled the order */
  | 'settled'
  /** the attempt was paid after the order had been paid by another: order.duplicate_payment */
  | 'duplicate_payment'
  | 'already_paid'
  | 'failed'
  | 'closed'
  | 'still_pending'
  /** the answer did not match our ledger (amount, currency, merchant): not applied */
  | 'mismatch'
  /** the reverse the provider had not confirmed is confirmed now */
  | 'reversed'
  /** the provider could not be asked (timeout, outage): nothing changed */
  | 'error'
  /** another request asked the provider about it within the last second */
  | 'skipped';

export interface AttemptSync {
  id: string;
  provider: string;
  outTradeNo: string;
  before: AttemptRow['status'];
  after: AttemptRow['status'];
  queried: boolean;
  /** what the provider said, when it was asked */
  answer: { state: ProviderPaymentStatus['state']; code: string | null; message: string | null } | null;
  result: AttemptSyncResult;
  detail: string | null;
}

export interface SyncResult {
  orderId: string;
  order: { before: OrderRow['status']; after: OrderRow['status'] };
  /** did anything of the order or its attempts change */
  changed: boolean;
  attempts: AttemptSync[];
  /** the audit entry of this sync */
  auditId: number;
}

export async function syncOrder(ctx: OperatorContext, orderId: string, call: OperatorCall): Promise<SyncResult> {
  const p = ctx.payments;
  const order = await p.ledger.orders.get(orderId);
  if (!order) throw notFound();
  const candidates = (await p.ledger.attempts.list(order.id)).filter(syncable);
  const results = await Promise.all(candidates.map((a) => syncOne(ctx, a)));
  const after = (await p.ledger.orders.get(order.id)) ?? order;
  const attemptsAfter = new Map((await p.ledger.attempts.list(order.id)).map((a) => [a.id, a]));
  const attempts: AttemptSync[] = candidates.map((a, i) => ({
    id: a.id,
    provider: a.provider,
    outTradeNo: a.out_trade_no,
    before: a.status,
    after: attemptsAfter.get(a.id)?.status ?? a.status,
    ...results[i]!,
  }));
  const changed = after.status !== order.status || attempts.some((a) => a.before !== a.after || a.result === 'reversed');
  const audit = await p.ledger.audit.append({
    actor: call.actor,
    action: 'order.sync',
    targetType: 'order',
    targetId: order.id,
    orderId: order.id,
    before: { status: order.status, attempts: Object.fromEntries(attempts.map((a) => [a.id, a.before])) },
    after: { status: after.status, attempts: Object.fromEntries(attempts.map((a) => [a.id, a.after])) },
    note: attempts.length === 0 ? 'nothing to ask: every attempt is final' : attempts.map((a) => `${a.outTradeNo}@${a.provider}: ${a.result}`).join('; '),
    requestId: call.requestId,
  });
  p.log.child('operator').info('sync', { order: order.id, before: order.status, after: after.status, attempts: attempts.map((a) => a.result) });
  return { orderId: order.id, order: { before: order.status, after: after.status }, changed, attempts, auditId: audit.id };
}

type Outcome = Pick<AttemptSync, 'queried' | 'answer' | 'result' | 'detail'>;

async function syncOne(ctx: OperatorContext, attempt: AttemptRow): Promise<Outcome> {
  const p = ctx.payments;
  const connector = p.connectors.get(attempt.provider);
  if (!connector) return { queried: false, answer: null, result: 'error', detail: `${attempt.provider} is not configured` };
  const claimed = await p.ledger.attempts.claimQuery(attempt.id, {
    minGapMs: OPERATOR_SYNC_GAP_MS,
    nextQueryAt: nextSweepQuery(attempt, p.clock.now(), connector.querySchedule.intervalMs),
    statuses: [attempt.status],
  });
  if (!claimed) return { queried: false, answer: null, result: 'skipped', detail: 'asked by another request within the last second' };

  if (attempt.status === 'failed') {
    // a micropay reverse not confirmed yet: ask again (idempotent at the provider)
    const r = await finishReverse(p, attempt);
    return { queried: true, answer: null, result: r === 'paid' ? 'settled' : r === 'reversed' ? 'reversed' : 'error', detail: r === 'reverse_pending' ? 'the provider has not confirmed the reverse yet' : null };
  }

  if (attempt.status === 'closed') {
    // closed here, the close not confirmed: the payer may have paid before it took effect
    let status: ProviderPaymentStatus;
    try {
      status = await connector.queryPayment(queryRef(attempt));
    } catch (err) {
      return { queried: true, answer: null, result: 'error', detail: err instanceof Error ? err.message : String(err) };
    }
    const applied = await applyProviderStatus(p, connector, attempt, status, 'query');
    if (status.state === 'closed' || status.state === 'not_found' || status.state === 'failed') await p.ledger.attempts.markProviderClosed(attempt.id);
    return { queried: true, answer: answerOf(status), ...resultOf(applied) };
  }

  const outcome = await syncAttempt(p, attempt);
  switch (outcome.kind) {
    case 'no_connector':
      return { queried: false, answer: null, result: 'error', detail: `${attempt.provider} is not configured` };
    case 'query_failed':
      return { queried: true, answer: null, result: 'error', detail: outcome.error };
    case 'answered': {
      const r = resultOf(outcome.applied);
      return { queried: true, answer: answerOf(outcome.status), ...(outcome.closedAtDeadline ? { result: 'closed', detail: 'no final answer within the query window: closed' } : r) };
    }
  }
}

function answerOf(s: ProviderPaymentStatus): AttemptSync['answer'] {
  return { state: s.state, code: s.providerCode ?? null, message: s.providerMessage ?? null };
}

function resultOf(a: ApplyOutcome): Pick<AttemptSync, 'result' | 'detail'> {
  switch (a.kind) {
    case 'paid':
      return { result: a.settle === 'not_payable' ? 'error' : a.settle, detail: a.settle === 'not_payable' ? 'the provider says paid, but the attempt had failed here: look at it' : null };
    case 'failed':
      return { result: 'failed', detail: null };
    case 'closed':
      return { result: 'closed', detail: null };
    case 'still_pending':
      return { result: 'still_pending', detail: null };
    case 'mismatch':
      return { result: 'mismatch', detail: a.detail };
  }
}
