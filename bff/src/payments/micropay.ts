/**
 * POST /api/orders/{id}/micropay: the cashier scanned the payer's code (付款码).
 *
 * The state machine (providers.md, "Micropay"):
 *   pay call → paid | failed | unknown (paying / password entry / timeout)
 *   unknown → wait 5 s, query every 3–5 s until paid/failed or the provider's deadline (60 s)
 *   deadline → reverse (refunds if it was paid after all), retried idempotently
 * Querying and the deadline are the sweeper's and the poller's work (conditional claims in the
 * ledger), so the machine survives a restart. This call answers the final result if it comes
 * within a few seconds, else `pending` with the attempt, and the cashier polls the order.
 *
 * A cashier retrying the same scan (same order, same code) gets the same attempt back, never a
 * second charge: the code's hash — never the code — is kept on the attempt.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { detectAuthCodeChannel } from '../core/auth-code';
import { channelUnavailable, describeZodIssues, invalidRequest, orderNotPayable } from '../core/errors';
import { maskCode } from '../core/log';
import type { AttemptRow, OrderRow } from '../ledger/schema';
import type { PayerProgress } from '../providers/types';
import { applyProviderStatus } from './apply';
import { closeAttemptEverywhere } from './close';
import type { PaymentContext } from './context';
import { providersFor } from './routing';
import { outTradeNo } from './trade-no';
import { attemptView, type AttemptView } from './views';

export const micropaySchema = z
  .object({
    authCode: z.string({ message: 'required: the code scanned from the payer\'s wallet' }).trim().min(1, 'required'),
  })
  .strict();

/** How long the HTTP call waits for a final result before answering `pending`. */
export const MICROPAY_HOLD_MS = 5_000;

export interface MicropayResult {
  status: 'paid' | 'failed' | 'pending';
  attempt: AttemptView;
  /** what the payer is doing while pending (shown at the till: 用户输入密码中…) */
  progress?: PayerProgress;
}

const codeHash = (code: string) => createHash('sha256').update(`payqr-authcode:${code}`).digest('hex');

export async function micropay(ctx: PaymentContext, order: OrderRow, body: unknown, opts: { holdMs?: number } = {}): Promise<MicropayResult> {
  const parsed = micropaySchema.safeParse(body ?? {});
  if (!parsed.success) throw invalidRequest(describeZodIssues(parsed.error.issues));
  const authCode = parsed.data.authCode;
  const detected = detectAuthCodeChannel(authCode);
  if (!detected.ok) throw invalidRequest(detected.message);
  const channel = detected.channel;
  const hash = codeHash(authCode);

  // The same scan again (a retried request): answer with that attempt.
  const previous = (await ctx.ledger.attempts.list(order.id)).find((a) => a.scene === 'micropay' && extraOf(a).authCodeHash === hash);
  if (previous && previous.status !== 'failed') return settleOrWait(ctx, previous, opts.holdMs);

  if (order.status !== 'open') throw orderNotPayable(`The order is ${order.status}; it cannot be paid again.`, { status: order.status });
  if (order.expires_at <= ctx.clock.now()) throw orderNotPayable('The order has expired.', { status: 'expired' });

  const candidates = providersFor(ctx, channel, 'micropay', order.currency);
  const connector = candidates[0];
  if (!connector) {
    throw channelUnavailable(`No provider serves ${channel} × micropay for ${order.currency}.`, {
      channel,
      scene: 'micropay',
      routing: ctx.config.routing[`${channel}:micropay`] ?? [],
    });
  }
  const log = ctx.log.child(connector.id).child('micropay');
  const now = ctx.clock.now();
  const reserved = await ctx.ledger.attempts.reserve({
    orderId: order.id,
    provider: connector.id,
    channel,
    scene: 'micropay',
    expiresAt: now + order.attempt_ttl_ms,
    outTradeNo: (base, seq) => outTradeNo(base, seq, connector.outTradeNoRule),
    extra: { authCodeHash: hash, authCode: maskCode(authCode) },
  });
  if ('refused' in reserved) throw orderNotPayable(`The order is ${reserved.refused?.status ?? 'gone'}; it cannot be paid.`, { status: reserved.refused?.status });
  const { attempt } = reserved;
  // A cashier never has two live scans for one order: an earlier pending one is reversed.
  for (const old of reserved.superseded) await closeAttemptEverywhere(ctx, old, 'SUPERSEDED');

  let result;
  try {
    result = await connector.createPayment({
      attemptId: attempt.id,
      outTradeNo: attempt.out_trade_no,
      money: { amount: attempt.amount, currency: attempt.currency },
      subject: order.subject,
      channel,
      scene: 'micropay',
      expiresAt: attempt.expires_at,
      createdAt: attempt.created_at,
      notifyUrl: `${ctx.config.publicUrl}/api/notify/${connector.id}`,
      authCode,
    });
  } catch (err) {
    result = { outcome: 'unknown' as const, reason: `connector error: ${String(err)}` };
  }

  switch (result.outcome) {
    case 'paid':
      await applyProviderStatus(ctx, connector, attempt, result.status, 'create');
      break;
    case 'failed':
      await ctx.ledger.attempts.fail(attempt.id, result.code, result.message);
      log.info('payer code refused', { order: order.id, attempt: attempt.id, code: result.code });
      break;
    case 'created':
      // Not a micropay answer: a provider must say paid, failed or unknown. Treat as unknown.
      await ctx.ledger.attempts.markUnknown(attempt.id, now + connector.querySchedule.firstDelayMs, now + connector.querySchedule.deadlineMs, 'created');
      break;
    case 'unknown': {
      const s = connector.querySchedule;
      await ctx.ledger.attempts.markUnknown(attempt.id, now + s.firstDelayMs, now + s.deadlineMs, result.reason);
      if (result.progress) await ctx.ledger.attempts.mergeExtra(attempt.id, { progress: result.progress });
      log.info('result not final; querying', { order: order.id, attempt: attempt.id, progress: result.progress ?? 'paying' });
      break;
    }
  }
  const fresh = (await ctx.ledger.attempts.get(attempt.id)) as AttemptRow;
  if (fresh.status === 'failed' && result.outcome === 'failed') {
    // A definite refusal is the answer, but the HTTP call still succeeded: 200 with failed.
    return { status: 'failed', attempt: attemptView(fresh) };
  }
  return settleOrWait(ctx, fresh, opts.holdMs);
}

/** Answer at once if final; otherwise wait up to `holdMs` for the machine to finish. */
async function settleOrWait(ctx: PaymentContext, attempt: AttemptRow, holdMs = MICROPAY_HOLD_MS): Promise<MicropayResult> {
  const deadline = ctx.clock.now() + holdMs;
  let current = attempt;
  while (current.status === 'pending') {
    const remaining = deadline - ctx.clock.now();
    if (remaining <= 0) break;
    await ctx.ledger.feed.next(current.order_id, Math.min(remaining, 500));
    current = (await ctx.ledger.attempts.get(current.id)) ?? current;
  }
  const view = attemptView(current);
  if (current.status === 'paid') return { status: 'paid', attempt: view };
  if (current.status === 'pending') {
    return { status: 'pending', attempt: view, ...(view.progress ? { progress: view.progress } : {}) };
  }
  return { status: 'failed', attempt: view };
}

function extraOf(a: AttemptRow): { authCodeHash?: string; progress?: PayerProgress } {
  return a.extra ? (JSON.parse(a.extra) as { authCodeHash?: string; progress?: PayerProgress }) : {};
}
