/** Use-cases on orders: create (idempotent), read (with the 5 s status-sync rule), cancel. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { conflict, describeZodIssues, invalidRequest, notFound, orderNotPayable } from '../core/errors';
import { currencySchema, minorAmountSchema } from '../core/money';
import { randomString } from '../core/random';
import { providerText } from '../core/text';
import type { OrderRow } from '../ledger/schema';
import { closeAttemptEverywhere } from './close';
import type { PaymentContext } from './context';
import { availability } from './routing';
import { maybeSyncOnPoll } from './sync';
import { tradeNoBase } from './trade-no';
import { orderView, type OrderView } from './views';

export const createOrderSchema = z
  .object({
    merchantOrderId: z
      .string({ message: 'required: your own order number, e.g. "A10001"' })
      .min(1, 'required: your own order number')
      .max(64, 'at most 64 characters')
      .regex(/^[A-Za-z0-9_\-.:]+$/, 'letters, digits and _ - . : only'),
    amount: minorAmountSchema,
    currency: currencySchema.default('CNY'),
    // shown in the wallet and sent to the provider (超赢 body, UMF goodsInfo, scanforpay orderTitle)
    subject: providerText(
      z
        .string({ message: 'required: what the payer buys, shown in the wallet' })
        .trim()
        .min(1, 'required: what the payer buys')
        .max(128, 'at most 128 characters'),
    ),
    expiresInSeconds: z.number().int('whole seconds').min(60, 'at least 60').max(7 * 24 * 3600, 'at most 7 days').optional(),
    /** how long one QR / attempt stays payable before the widget offers "regenerate" */
    attemptTtlSeconds: z.number().int('whole seconds').min(5, 'at least 5').max(24 * 3600, 'at most 1 day').optional(),
    notifyUrl: z.url({ protocol: /^https?$/, message: 'an absolute http(s) URL' }).optional(),
    metadata: z
      .record(z.string().max(40), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
      .refine((m) => Object.keys(m).length <= 20, 'at most 20 keys')
      .optional(),
  })
  .strict();

export type CreateOrderInput = z.infer<typeof createOrderSchema>;

export interface CreatedOrder {
  order: OrderView & { clientSecret: string };
  created: boolean;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Canonical JSON (sorted keys) of the validated body: the idempotency fingerprint. */
function fingerprint(input: CreateOrderInput): string {
  const canon = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])]))
      : v;
  return createHash('sha256').update(JSON.stringify(canon(input))).digest('hex');
}

export async function createOrder(ctx: PaymentContext, body: unknown): Promise<CreatedOrder> {
  const parsed = createOrderSchema.safeParse(body);
  if (!parsed.success) throw invalidRequest(describeZodIssues(parsed.error.issues));
  const input = parsed.data;
  if (!Object.values(availability(ctx, input.currency)).some((list) => list && list.length > 0)) {
    throw invalidRequest(`currency: no configured provider charges ${input.currency}`);
  }
  const now = ctx.clock.now();
  const expiresAt = now + (input.expiresInSeconds ?? ctx.config.orderTtlSeconds) * 1000;
  const attemptTtlMs = (input.attemptTtlSeconds ?? ctx.config.attemptTtlSeconds) * 1000;
  // ≥ 128 random bits (32 base-62 characters ≈ 190 bits); only its hash is stored.
  const clientSecret = `cs_${randomString(ctx.random, 32)}`;
  const fp = fingerprint(input);
  const { order, created } = await ctx.ledger.orders.create({
    merchantOrderId: input.merchantOrderId,
    tradeNoBase: tradeNoBase(input.merchantOrderId),
    amount: input.amount,
    currency: input.currency,
    subject: input.subject,
    expiresAt,
    attemptTtlMs,
    clientSecretHash: hashSecret(clientSecret),
    notifyUrl: input.notifyUrl ?? null,
    metadata: input.metadata ? JSON.stringify(input.metadata) : null,
    requestFingerprint: fp,
  });
  if (!created) {
    if (order.request_fingerprint !== fp) {
      throw conflict(`merchantOrderId ${input.merchantOrderId} already exists with a different request body`, {
        orderId: order.id,
      });
    }
    // The shop server retried (e.g. it lost our answer): same order, a fresh secret for it.
    await ctx.ledger.orders.addClientSecretHash(order.id, hashSecret(clientSecret));
  }
  const attempt = await ctx.ledger.attempts.current(order);
  return {
    order: { ...viewOf(ctx, order, attempt, true), clientSecret },
    created,
  };
}

function viewOf(ctx: PaymentContext, order: OrderRow, attempt: Awaited<ReturnType<PaymentContext['ledger']['attempts']['current']>>, shop: boolean) {
  return orderView(order, attempt, availability(ctx, order.currency), ctx.clock.now(), { includeMetadata: shop });
}

/** Who is asking about an order. */
export type Caller = { kind: 'shop' } | { kind: 'client'; secret: string };

/**
 * Load an order for a caller. A wrong secret and a missing order give the same error, and
 * the comparison runs even when the order does not exist, so neither reveals which.
 */
export async function loadOrderFor(ctx: PaymentContext, orderId: string, caller: Caller): Promise<OrderRow> {
  const order = /^ord_[a-z0-9]{24}$/.test(orderId) ? await ctx.ledger.orders.get(orderId) : undefined;
  if (caller.kind === 'shop') {
    if (!order) throw notFound();
    return order;
  }
  const presented = Buffer.from(hashSecret(caller.secret), 'hex');
  const stored = order ? order.client_secret_hashes.split(' ') : ['0'.repeat(64)];
  let ok = false;
  for (const h of stored) {
    const candidate = Buffer.from(h.padEnd(64, '0').slice(0, 64), 'hex');
    if (timingSafeEqual(presented, candidate)) ok = true;
  }
  if (!order || !ok) throw notFound();
  return order;
}

export async function getOrder(
  ctx: PaymentContext,
  orderId: string,
  caller: Caller,
  opts: { waitSeconds?: number; since?: number; signal?: AbortSignal } = {},
): Promise<OrderView> {
  let order = await loadOrderFor(ctx, orderId, caller);
  const deadline = ctx.clock.now() + Math.min(30, Math.max(0, opts.waitSeconds ?? 0)) * 1000;
  const startVersion = opts.since ?? order.version;
  for (;;) {
    // A shopper is watching: if no notification came for ≥ 5 s, ask the provider (≤ once / 5 s).
    await maybeSyncOnPoll(ctx, order);
    order = (await ctx.ledger.orders.get(order.id)) ?? order;
    const remaining = deadline - ctx.clock.now();
    if (order.status !== 'open' || order.version !== startVersion || remaining <= 0 || opts.signal?.aborted) break;
    // Wake on a change, or re-check at least every 2.5 s (the 5 s sync rule, other instances).
    await ctx.ledger.feed.next(order.id, Math.min(remaining, 2500), opts.signal);
  }
  const attempt = await ctx.ledger.attempts.current(order);
  return viewOf(ctx, order, attempt, caller.kind === 'shop');
}

/** Shop cancels: pending attempts are closed (at the provider too), order → canceled. */
export async function cancelOrder(ctx: PaymentContext, orderId: string): Promise<OrderView> {
  const order = await loadOrderFor(ctx, orderId, { kind: 'shop' });
  if (order.status === 'paid') throw orderNotPayable('The order is already paid; refund it instead of canceling.', { status: order.status });
  if (order.status === 'open') {
    for (const attempt of await ctx.ledger.attempts.pendingOf(order.id)) {
      await closeAttemptEverywhere(ctx, attempt, 'ORDER_CANCELED');
    }
    await ctx.ledger.orders.cancel(order.id);
  }
  const after = (await ctx.ledger.orders.get(order.id)) ?? order;
  if (after.status === 'paid') {
    // Closing revealed the payer had already paid: the order is paid, not canceled.
    throw orderNotPayable('The payer paid before the cancel took effect; the order is paid.', { status: after.status });
  }
  return viewOf(ctx, after, await ctx.ledger.attempts.current(after), true);
}
