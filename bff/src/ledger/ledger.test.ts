import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ledger } from './ledger';
import { DIALECTS, openTestLedger, orderInput, tradeNo, type TestLedger } from './testing';

const MIN = 60_000;

async function openOrderWithAttempt(ledger: Ledger, now: number) {
  const { order } = await ledger.orders.create(orderInput({}, now));
  const r = await ledger.attempts.reserve({
    orderId: order.id,
    provider: 'chaoying',
    channel: 'wechat',
    scene: 'qr',
    expiresAt: now + 10 * MIN,
    outTradeNo: tradeNo,
  });
  if ('refused' in r) throw new Error('refused');
  return r;
}

describe.each(DIALECTS)('ledger on %s', (dialect) => {
  let t: TestLedger;
  beforeEach(async () => {
    t = await openTestLedger(dialect, { defaultWebhookUrl: 'https://shop.example/hooks' });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates an order once per merchantOrderId and returns the same row again', async () => {
    const a = await t.ledger.orders.create(orderInput({}, t.clock.now()));
    const b = await t.ledger.orders.create(orderInput({ requestFingerprint: 'x'.repeat(64) }, t.clock.now()));
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.order.id).toBe(a.order.id);
    expect(b.order.request_fingerprint).toBe('f'.repeat(64));
    expect(a.order.amount).toBe(1999);
    expect(typeof a.order.expires_at).toBe('number');
  });

  it('gives attempts increasing sequences and out_trade_no from the base, listing the superseded one', async () => {
    const first = await openOrderWithAttempt(t.ledger, t.clock.now());
    expect(first.attempt.out_trade_no).toBe('A1000101');
    expect(first.attempt.status).toBe('pending');
    const second = await t.ledger.attempts.reserve({
      orderId: first.order.id,
      provider: 'chaoying',
      channel: 'alipay',
      scene: 'qr',
      expiresAt: t.clock.now() + MIN,
      outTradeNo: tradeNo,
    });
    if ('refused' in second) throw new Error('refused');
    expect(second.attempt.seq).toBe(2);
    expect(second.attempt.out_trade_no).toBe('A1000102');
    expect(second.superseded.map((a) => a.id)).toEqual([first.attempt.id]);
  });

  it('skips an out_trade_no another order already spells (A1+01 = A10+1)', async () => {
    const now = t.clock.now();
    const { order: o1 } = await t.ledger.orders.create(orderInput({ merchantOrderId: 'm1', tradeNoBase: 'A1' }, now));
    const { order: o2 } = await t.ledger.orders.create(orderInput({ merchantOrderId: 'm2', tradeNoBase: 'A10' }, now));
    const plain = (base: string, seq: number) => `${base}${seq}`;
    const r2 = await t.ledger.attempts.reserve({ orderId: o2.id, provider: 'chaoying', channel: 'wechat', scene: 'qr', expiresAt: now + MIN, outTradeNo: plain });
    if ('refused' in r2) throw new Error('refused');
    expect(r2.attempt.out_trade_no).toBe('A101');
    // o1's first number, A1 + "01", is already A10 + "1": it must move on to A102
    const padded = (base: string, seq: number) => `${base}${String(seq).padStart(2, '0')}`;
    const r1 = await t.ledger.attempts.reserve({ orderId: o1.id, provider: 'chaoying', channel: 'wechat', scene: 'qr', expiresAt: now + MIN, outTradeNo: padded });
    if ('refused' in r1) throw new Error('refused');
    expect(r1.attempt.out_trade_no).toBe('A102');
    expect(r1.attempt.seq).toBe(2);
  });

  it('refuses an attempt on an expired or paid order', async () => {
    const { order } = await t.ledger.orders.create(orderInput({}, t.clock.now()));
    await t.clock.advance(16 * MIN);
    const r = await t.ledger.attempts.reserve({ orderId: order.id, provider: 'chaoying', channel: 'wechat', scene: 'qr', expiresAt: t.clock.now() + MIN, outTradeNo: tradeNo });
    expect('refused' in r && r.refused?.id).toBe(order.id);
  });

  it('50 concurrent "mark paid" calls for one attempt: exactly one transition and one event', async () => {
    const { attempt, order } = await openOrderWithAttempt(t.ledger, t.clock.now());
    const results = await Promise.all(
      Array.from({ length: 50 }, () => t.ledger.attempts.settlePaid(attempt.id, { providerTradeNo: 'T1', paidAt: t.clock.now() })),
    );
    const kinds = results.map((r) => r.kind);
    expect(kinds.filter((k) => k === 'settled')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'already_paid')).toHaveLength(49);
    const events = await t.ledger.events.list(order.id);
    expect(events.map((e) => e.type)).toEqual(['order.paid']);
    expect(events[0]?.target_url).toBe('https://shop.example/hooks');
    expect(events[0]?.delivery_status).toBe('pending');
    const after = await t.ledger.orders.get(order.id);
    expect(after?.status).toBe('paid');
    expect(after?.paid_attempt_id).toBe(attempt.id);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ id: order.id, status: 'paid', amount: 1999, attempt: { id: attempt.id, providerTradeNo: 'T1' } });
  });

  it('a second attempt paid after the order is paid records a duplicate payment event', async () => {
    const first = await openOrderWithAttempt(t.ledger, t.clock.now());
    const second = await t.ledger.attempts.reserve({ orderId: first.order.id, provider: 'chaoying', channel: 'alipay', scene: 'qr', expiresAt: t.clock.now() + MIN, outTradeNo: tradeNo });
    if ('refused' in second) throw new Error('refused');
    await t.ledger.attempts.close(first.attempt.id, false);
    expect((await t.ledger.attempts.settlePaid(second.attempt.id, {})).kind).toBe('settled');
    // the closed first attempt was paid after all (provider-side close had not taken effect)
    const late = await t.ledger.attempts.settlePaid(first.attempt.id, {});
    expect(late.kind).toBe('duplicate_payment');
    expect((await t.ledger.events.list(first.order.id)).map((e) => e.type)).toEqual(['order.paid', 'order.duplicate_payment']);
    expect((await t.ledger.orders.get(first.order.id))?.paid_attempt_id).toBe(second.attempt.id);
  });

  it('a failed attempt never becomes paid', async () => {
    const { attempt, order } = await openOrderWithAttempt(t.ledger, t.clock.now());
    await t.ledger.attempts.fail(attempt.id, 'DECLINED', 'payer declined');
    const r = await t.ledger.attempts.settlePaid(attempt.id, {});
    expect(r.kind).toBe('not_payable');
    expect((await t.ledger.orders.get(order.id))?.status).toBe('open');
    expect(await t.ledger.events.list(order.id)).toEqual([]);
  });

  it('expires an order only once its time has come, once', async () => {
    const { order } = await t.ledger.orders.create(orderInput({}, t.clock.now()));
    expect(await t.ledger.orders.expire(order.id)).toBeUndefined();
    await t.clock.advance(15 * MIN);
    const expired = await Promise.all([t.ledger.orders.expire(order.id), t.ledger.orders.expire(order.id)]);
    expect(expired.filter(Boolean)).toHaveLength(1);
    expect((await t.ledger.events.list(order.id)).map((e) => e.type)).toEqual(['order.expired']);
  });

  it('a payment reported after expiry is honoured: expired → paid', async () => {
    const { attempt, order } = await openOrderWithAttempt(t.ledger, t.clock.now());
    await t.clock.advance(16 * MIN);
    await t.ledger.orders.expire(order.id);
    const r = await t.ledger.attempts.settlePaid(attempt.id, {});
    expect(r.kind).toBe('settled');
    expect((await t.ledger.events.list(order.id)).map((e) => e.type)).toEqual(['order.expired', 'order.paid']);
  });

  it('cancels an open order but never a paid one', async () => {
    const a = await openOrderWithAttempt(t.ledger, t.clock.now());
    await t.ledger.attempts.settlePaid(a.attempt.id, {});
    expect(await t.ledger.orders.cancel(a.order.id)).toBeUndefined();
    const { order } = await t.ledger.orders.create(orderInput({ merchantOrderId: 'B2' }, t.clock.now()));
    expect((await t.ledger.orders.cancel(order.id))?.status).toBe('canceled');
  });

  it('lets one claim per attempt per 5 s query the provider, among many concurrent pollers', async () => {
    const { attempt } = await openOrderWithAttempt(t.ledger, t.clock.now());
    const claim = () => t.ledger.attempts.claimQuery(attempt.id, { minGapMs: 5000, nextQueryAt: t.clock.now() + 5000 });
    const first = await Promise.all(Array.from({ length: 20 }, claim));
    expect(first.filter(Boolean)).toHaveLength(1);
    await t.clock.advance(4999);
    expect(await claim()).toBe(false);
    await t.clock.advance(1);
    expect(await claim()).toBe(true);
  });

  it('records events without a target as no_target when no webhook URL is known', async () => {
    const bare = await openTestLedger(dialect);
    try {
      const { attempt, order } = await openOrderWithAttempt(bare.ledger, bare.clock.now());
      await bare.ledger.attempts.settlePaid(attempt.id, {});
      const [event] = await bare.ledger.events.list(order.id);
      expect(event?.delivery_status).toBe('no_target');
    } finally {
      await bare.cleanup();
    }
  });

  it('wakes a waiter when the order changes', async () => {
    const { attempt, order } = await openOrderWithAttempt(t.ledger, t.clock.now());
    const waiting = t.ledger.feed.next(order.id, 5000);
    await t.ledger.attempts.settlePaid(attempt.id, {});
    expect(await waiting).toBe('changed');
  });
});
