/**
 * Create an attempt: pick the provider for channel × scene, reserve the attempt in the ledger
 * (before calling anyone), close the order's previous pending attempt (one live QR per order),
 * ask the provider, and keep what the payer needs.
 */
import { z } from 'zod';
import type { Scene } from '../core/domain';
import { CHANNELS, PROVIDER_IDS } from '../core/domain';
import { providerText } from '../core/text';
import {
  channelUnavailable,
  describeZodIssues,
  invalidRequest,
  orderNotPayable,
  providerError,
  providerUnavailable,
} from '../core/errors';
import type { AttemptRow, OrderRow } from '../ledger/schema';
import type { Connector, CreatePaymentInput, PayerAction } from '../providers/types';
import { applyProviderStatus } from './apply';
import { closeAttemptEverywhere } from './close';
import type { PaymentContext } from './context';
import { providersFor } from './routing';
import { outTradeNo } from './trade-no';
import { attemptView, type AttemptView } from './views';

export const createAttemptSchema = z
  .object({
    channel: z.enum(CHANNELS, { message: `one of ${CHANNELS.join(', ')}` }),
    scene: z.enum(['qr', 'jsapi', 'h5'], { message: 'one of qr, jsapi, h5 (micropay has its own endpoint)' }).default('qr'),
    openid: z.string().min(1).max(128).regex(/^[A-Za-z0-9_\-]+$/, 'a WeChat openid').optional(),
    // sent to the provider as sub_appid / buyer_id / buyer_logon_id
    appId: providerText(z.string().min(1).max(64)).optional(),
    buyerId: providerText(z.string().min(1).max(64)).optional(),
    buyerLogonId: providerText(z.string().min(1).max(100)).optional(),
    /** pick the provider (sandbox: any that can; live: one the routing lists for channel × scene) */
    provider: z.enum(PROVIDER_IDS, { message: `one of ${PROVIDER_IDS.join(', ')}` }).optional(),
  })
  .strict();

export interface CreateAttemptOptions {
  clientIp?: string | undefined;
}

export async function createAttempt(
  ctx: PaymentContext,
  order: OrderRow,
  body: unknown,
  opts: CreateAttemptOptions = {},
): Promise<AttemptView> {
  const parsed = createAttemptSchema.safeParse(body ?? {});
  if (!parsed.success) throw invalidRequest(describeZodIssues(parsed.error.issues));
  const input = parsed.data;
  assertPayable(ctx, order);
  if (input.scene === 'jsapi' && input.channel === 'wechat' && !input.openid) {
    throw invalidRequest('openid: required for WeChat in-app payment (get it with /api/wechat/oauth)');
  }
  if (input.scene === 'jsapi' && input.channel === 'alipay' && !input.buyerId && !input.buyerLogonId) {
    throw invalidRequest('buyerId: required for Alipay in-app payment (the payer\'s Alipay user id)');
  }
  const candidates = providersFor(ctx, input.channel, input.scene, order.currency, input.provider);
  if (candidates.length === 0) {
    throw channelUnavailable(`No provider serves ${input.channel} × ${input.scene} for ${order.currency}${input.provider ? ` through ${input.provider}` : ''}.`, {
      channel: input.channel,
      scene: input.scene,
      routing: ctx.config.routing[`${input.channel}:${input.scene}`] ?? [],
    });
  }

  let lastError: Error | undefined;
  for (const connector of candidates) {
    const result = await tryProvider(ctx, connector, order, input.scene, {
      channel: input.channel,
      payer: {
        ...(input.openid ? { openid: input.openid } : {}),
        ...(input.appId ? { appId: input.appId } : {}),
        ...(input.buyerId ? { buyerId: input.buyerId } : {}),
        ...(input.buyerLogonId ? { buyerLogonId: input.buyerLogonId } : {}),
      },
      clientIp: opts.clientIp,
    });
    if (result.ok) return attemptView(result.attempt);
    lastError = result.error;
    // Only an unreachable provider is worth trying the next one for: the payer never saw
    // that attempt's QR, so it cannot be paid (it is still queried and closed in the background).
    if (!result.tryNext) break;
  }
  throw lastError ?? providerUnavailable('No provider answered.');
}

function assertPayable(ctx: PaymentContext, order: OrderRow) {
  if (order.status !== 'open') {
    throw orderNotPayable(`The order is ${order.status}; it cannot be paid again.`, { status: order.status });
  }
  if (order.expires_at <= ctx.clock.now()) {
    throw orderNotPayable('The order has expired.', { status: 'expired' });
  }
}

type TryResult = { ok: true; attempt: AttemptRow } | { ok: false; error: Error; tryNext: boolean };

async function tryProvider(
  ctx: PaymentContext,
  connector: Connector,
  order: OrderRow,
  scene: Scene,
  input: Pick<CreatePaymentInput, 'channel' | 'payer'> & { clientIp?: string | undefined },
): Promise<TryResult> {
  const now = ctx.clock.now();
  const log = ctx.log.child(connector.id).child('create');
  const reserved = await ctx.ledger.attempts.reserve({
    orderId: order.id,
    provider: connector.id,
    channel: input.channel,
    scene,
    expiresAt: now + order.attempt_ttl_ms,
    outTradeNo: (base, seq) => outTradeNo(base, seq, connector.outTradeNoRule),
  });
  if ('refused' in reserved) {
    const current = reserved.refused;
    return {
      ok: false,
      tryNext: false,
      error: orderNotPayable(`The order is ${current?.status === 'open' ? 'expired' : current?.status ?? 'gone'}; it cannot be paid.`, {
        status: current?.status,
      }),
    };
  }
  const { attempt } = reserved;
  // One live QR per order: the previous one is closed (best effort, at the provider too)
  // while the new one is created.
  const closing = Promise.all(reserved.superseded.map((old) => closeAttemptEverywhere(ctx, old, 'SUPERSEDED')));

  let result;
  try {
    result = await connector.createPayment({
      attemptId: attempt.id,
      outTradeNo: attempt.out_trade_no,
      money: { amount: attempt.amount, currency: attempt.currency },
      subject: order.subject,
      channel: attempt.channel,
      scene: attempt.scene,
      expiresAt: attempt.expires_at,
      createdAt: attempt.created_at,
      notifyUrl: `${ctx.config.publicUrl}/api/notify/${connector.id}`,
      ...(input.clientIp ? { clientIp: input.clientIp } : {}),
      ...(input.payer && Object.keys(input.payer).length ? { payer: input.payer } : {}),
    });
  } catch (err) {
    result = { outcome: 'unknown' as const, reason: `connector error: ${String(err)}` };
  }
  await closing;

  switch (result.outcome) {
    case 'created': {
      const row = await ctx.ledger.attempts.recordAction(attempt.id, actionRecord(result.action), result.providerTradeNo);
      log.info('attempt created', { order: order.id, attempt: attempt.id, outTradeNo: attempt.out_trade_no });
      return { ok: true, attempt: row ?? ((await ctx.ledger.attempts.get(attempt.id)) as AttemptRow) };
    }
    case 'paid': {
      await applyProviderStatus(ctx, connector, attempt, result.status, 'create');
      return { ok: true, attempt: (await ctx.ledger.attempts.get(attempt.id)) as AttemptRow };
    }
    case 'failed': {
      await ctx.ledger.attempts.fail(attempt.id, result.code, result.message);
      log.warn('provider refused the attempt', { order: order.id, attempt: attempt.id, code: result.code, message: result.message });
      return { ok: false, tryNext: false, error: providerError(`${connector.id} refused the payment: ${result.message} (${result.code})`, { attemptId: attempt.id, code: result.code }) };
    }
    case 'unknown': {
      const s = connector.querySchedule;
      await ctx.ledger.attempts.markUnknown(attempt.id, now + s.firstDelayMs, now + s.deadlineMs, result.reason);
      if (result.action) {
        const row = await ctx.ledger.attempts.recordAction(attempt.id, actionRecord(result.action));
        return { ok: true, attempt: row ?? ((await ctx.ledger.attempts.get(attempt.id)) as AttemptRow) };
      }
      log.warn('provider outcome unknown; querying on its schedule', { order: order.id, attempt: attempt.id, reason: result.reason });
      return {
        ok: false,
        tryNext: true,
        error: providerUnavailable(`${connector.id} did not give an answer (${result.reason}); please try again.`, { attemptId: attempt.id }),
      };
    }
  }
}

function actionRecord(action: PayerAction): { kind: AttemptRow['action_kind'] & string; payload: unknown } {
  switch (action.kind) {
    case 'qr':
      return { kind: 'qr', payload: { content: action.content } };
    case 'jsapi':
      return { kind: 'jsapi', payload: action.params };
    case 'h5':
      return { kind: 'h5', payload: { url: action.url } };
    case 'none':
      return { kind: 'none', payload: {} };
  }
}
