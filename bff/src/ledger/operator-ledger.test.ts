/**
 * What the operator console reads and writes in the ledger (migration 0002): the order list
 * (keyset pages, filters, search), the order's current provider/channel, attempt finish times,
 * provider calls, the append-only audit log, resolutions and the overview's figures.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ledger } from './ledger';
import type { Keyset } from './keyset';
import type { OrderRow } from './schema';
import { DIALECTS, openTestLedger, orderInput, tradeNo, type TestLedger } from './testing';

const MIN = 60_000;

async function reserve(ledger: Ledger, orderId: string, over: { provider?: 'chaoying' | 'umf-mofun'; channel?: 'wechat' | 'alipay' } = {}) {
  const r = await ledger.attempts.reserve({
    orderId,
    provider: over.provider ?? 'chaoying',
    channel: over.channel ?? 'wechat',
    scene: 'qr',
    expiresAt: Date.UTC(2100, 0, 1),
    outTradeNo: tradeNo,
  });
  if ('refused' in r) throw new Error('refused');
  return r.attempt;
}

describe.each(DIALECTS)('operator ledger on %s', (dialect) => {
  let t: TestLedger;
  let n = 0;
  const newOrder = async (over: Parameters<typeof orderInput>[0] = {}) => {
    const id = `M${++n}`;
    return (await t.ledger.orders.create(orderInput({ merchantOrderId: id, tradeNoBase: id, ...over }, t.clock.now()))).order;
  };
  /** every page of a listing, following cursors; `between` runs after each page */
  const allPages = async (limit: number, between?: () => Promise<void>, filter: Partial<Parameters<Ledger['orders']['page']>[0]> = {}) => {
    const seen: OrderRow[] = [];
    let cursor: Keyset | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await t.ledger.orders.page({ ...filter, limit, cursor });
      seen.push(...page.rows);
      if (!page.next) return seen;
      cursor = page.next;
      await between?.();
    }
    throw new Error('too many pages');
  };

  beforeEach(async () => {
    t = await openTestLedger(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('lists newest first in keyset pages that neither skip nor repeat while orders keep arriving', async () => {
    // 3 orders per millisecond: ties on created_at are broken by id
    const existing: OrderRow[] = [];
    for (let i = 0; i < 45; i++) {
      existing.push(await newOrder());
      if (i % 3 === 2) await t.clock.advance(1);
    }
    const expected = [...existing].sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1)).map((o) => o.id);
    // between every page, 5 more orders arrive (some at the same millisecond as the newest)
    const arrived: string[] = [];
    const seen = await allPages(7, async () => {
      for (let i = 0; i < 5; i++) arrived.push((await newOrder()).id);
      await t.clock.advance(1);
    });
    expect(seen.map((o) => o.id)).toEqual(expected);
    expect(arrived.length).toBeGreaterThan(0);
    // and concurrently: pages read while inserts run at the same time
    const reading = allPages(4);
    const writing = Promise.all(Array.from({ length: 20 }, () => newOrder()));
    const [concurrent, written] = await Promise.all([reading, writing]);
    const ids = concurrent.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    const before = [...existing.map((o) => o.id), ...arrived];
    for (const id of before) expect(ids).toContain(id);
    expect(ids.length).toBeLessThanOrEqual(before.length + written.length);
  });

  it('filters by status, the current attempt’s provider and channel, and a time range', async () => {
    const a = await newOrder();
    await reserve(t.ledger, a.id, { provider: 'chaoying', channel: 'wechat' });
    const attemptB = await reserve(t.ledger, a.id, { provider: 'umf-mofun', channel: 'alipay' });
    await t.clock.advance(MIN);
    const b = await newOrder();
    const paying = await reserve(t.ledger, b.id, { provider: 'chaoying', channel: 'wechat' });
    await reserve(t.ledger, b.id, { provider: 'umf-mofun', channel: 'alipay' });
    // the first attempt pays after the second was created: the paying one is the order's now
    await t.ledger.attempts.settlePaid(paying.id, {});
    await t.clock.advance(1);
    const c = await newOrder();

    expect((await t.ledger.orders.get(a.id))).toMatchObject({ provider: 'umf-mofun', channel: 'alipay' });
    expect((await t.ledger.orders.get(b.id))).toMatchObject({ provider: 'chaoying', channel: 'wechat', status: 'paid' });
    expect((await t.ledger.orders.get(c.id))).toMatchObject({ provider: null, channel: null });
    const ids = async (f: Partial<Parameters<Ledger['orders']['page']>[0]>) => (await t.ledger.orders.page({ limit: 10, ...f })).rows.map((o) => o.id);
    expect(await ids({ provider: 'umf-mofun' })).toEqual([a.id]);
    expect(await ids({ channel: 'wechat' })).toEqual([b.id]);
    expect(await ids({ status: 'paid' })).toEqual([b.id]);
    expect(await ids({ status: 'open' })).toEqual([c.id, a.id]);
    expect(await ids({ from: b.created_at })).toEqual([c.id, b.id]);
    expect(await ids({ to: b.created_at })).toEqual([a.id]);
    expect(attemptB.finished_at).toBeNull();
    const finished = await t.ledger.attempts.get(paying.id);
    expect(finished?.finished_at).toBe(t.clock.now() - 1);
  });

  it('finds an order by its id, merchant order id, provider order number or provider transaction id — exactly', async () => {
    const a = await newOrder({ merchantOrderId: 'SHOP-7731', tradeNoBase: 'SHOP7731' });
    const attempt = await reserve(t.ledger, a.id);
    await t.ledger.attempts.settlePaid(attempt.id, { providerTradeNo: '4200001234202611220001' });
    const other = await newOrder({ merchantOrderId: 'SHOP-77310', tradeNoBase: 'SHOP77310' });
    const q = async (text: string) => (await t.ledger.orders.page({ limit: 10, q: text })).rows.map((o) => o.id);
    expect(await q('SHOP-7731')).toEqual([a.id]);
    expect(await q(a.id)).toEqual([a.id]);
    expect(await q(attempt.out_trade_no)).toEqual([a.id]);
    expect(await q('4200001234202611220001')).toEqual([a.id]);
    expect(await q('SHOP-77310')).toEqual([other.id]);
    expect(await q('SHOP-773')).toEqual([]);
    expect(await q('shop-7731')).toEqual([]);
    expect(await t.ledger.orders.page({ limit: 10, q: 'SHOP-7731', status: 'open' })).toMatchObject({ rows: [] });
  });

  it('keeps the audit log append-only: the database refuses to change or delete an entry', async () => {
    const entry = await t.ledger.audit.append({
      actor: { type: 'console', name: 'Li Wei', session: 'abcdef0123456789ffff' },
      action: 'order.sync',
      targetType: 'order',
      targetId: 'ord_x',
      orderId: 'ord_x',
      before: { status: 'open' },
      after: { status: 'paid' },
      note: 'customer called',
    });
    expect(entry).toMatchObject({ actor_type: 'console', actor_name: 'Li Wei', actor_session: 'abcdef0123456789', before: '{"status":"open"}', after: '{"status":"paid"}' });
    await expect(t.ledger.db.updateTable('audit_log').set({ note: 'rewritten' }).where('id', '=', entry.id).execute()).rejects.toThrow(/append-only/);
    await expect(t.ledger.db.deleteFrom('audit_log').where('id', '=', entry.id).execute()).rejects.toThrow(/append-only/);
    expect((await t.ledger.audit.forOrder('ord_x')).map((e) => e.note)).toEqual(['customer called']);
  });

  it('pages the audit log newest first and filters it', async () => {
    for (let i = 0; i < 5; i++) {
      await t.ledger.audit.append({ actor: { type: 'api_key' }, action: i % 2 ? 'order.cancel' : 'order.sync', targetType: 'order', targetId: `ord_${i}`, orderId: `ord_${i}` });
      if (i !== 1) await t.clock.advance(10);
    }
    const first = await t.ledger.audit.page({ limit: 2 });
    expect(first.rows.map((r) => r.target_id)).toEqual(['ord_4', 'ord_3']);
    const second = await t.ledger.audit.page({ limit: 2, cursor: first.next });
    expect(second.rows.map((r) => r.target_id)).toEqual(['ord_2', 'ord_1']);
    const third = await t.ledger.audit.page({ limit: 2, cursor: second.next });
    expect(third).toEqual({ rows: [expect.objectContaining({ target_id: 'ord_0' })], next: undefined });
    expect((await t.ledger.audit.page({ limit: 10, action: 'order.cancel' })).rows.map((r) => r.target_id)).toEqual(['ord_3', 'ord_1']);
  });

  it('resolves a validly signed notification that matched nothing once, with its audit entry; others cannot be', async () => {
    const order = await newOrder();
    await t.ledger.notifications.record({ provider: 'chaoying', outcome: 'amount_mismatch', orderId: order.id, outTradeNo: 'M101', detail: 'amount 1 ≠ expected 1999 CNY', body: 'x=1' });
    await t.ledger.notifications.record({ provider: 'chaoying', outcome: 'bad_signature', orderId: order.id, body: 'x=2' });
    const [mismatch, forged] = await t.ledger.notifications.list({ orderId: order.id });
    const actor = { type: 'console' as const, name: 'Li Wei', session: 's1' };
    const r = { resolution: 'refunded', note: 'refunded at the provider console', by: 'console: Li Wei' };
    const both = await Promise.all([t.ledger.notifications.resolve(mismatch!.id, r, { actor }), t.ledger.notifications.resolve(mismatch!.id, r, { actor })]);
    expect(both.map((x) => x.kind).sort()).toEqual(['already_resolved', 'resolved']);
    expect((await t.ledger.notifications.resolve(forged!.id, r, { actor })).kind).toBe('not_resolvable');
    expect((await t.ledger.notifications.resolve('ntf_nope', r, { actor })).kind).toBe('not_found');
    expect(await t.ledger.notifications.get(mismatch!.id)).toMatchObject({ resolution: 'refunded', resolved_by: 'console: Li Wei', resolution_note: 'refunded at the provider console' });
    const audit = await t.ledger.audit.forOrder(order.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: expect.any(String), target_type: 'notification', target_id: mismatch!.id, note: 'refunded at the provider console' });
    expect(JSON.parse(audit[0]!.after!)).toEqual({ outcome: 'amount_mismatch', resolution: 'refunded' });
    expect((await t.ledger.orders.get(order.id))?.status).toBe('open');
    expect((await t.ledger.notifications.page({ limit: 10, review: 'open' })).rows).toEqual([]);
    expect((await t.ledger.notifications.page({ limit: 10, review: 'resolved' })).rows.map((x) => x.id)).toEqual([mismatch!.id]);
    expect((await t.ledger.notifications.page({ limit: 10, outcomes: ['bad_signature'] })).rows.map((x) => x.id)).toEqual([forged!.id]);
  });

  it('resolves an order.duplicate_payment event once; no other event type', async () => {
    const order = await newOrder();
    const first = await reserve(t.ledger, order.id);
    const second = await reserve(t.ledger, order.id, { channel: 'alipay' });
    await t.ledger.attempts.settlePaid(second.id, {});
    await t.ledger.attempts.settlePaid(first.id, {});
    const [paid, duplicate] = await t.ledger.events.list(order.id);
    expect(duplicate?.type).toBe('order.duplicate_payment');
    const r = { resolution: 'refunded', note: 'refunded the second payment', by: 'api key' };
    expect((await t.ledger.events.resolve(paid!.id, r, { actor: { type: 'api_key' } })).kind).toBe('not_resolvable');
    expect((await t.ledger.events.resolve(duplicate!.id, r, { actor: { type: 'api_key' } })).kind).toBe('resolved');
    expect((await t.ledger.events.resolve(duplicate!.id, r, { actor: { type: 'api_key' } })).kind).toBe('already_resolved');
    expect((await t.ledger.events.page({ limit: 10, review: 'resolved' })).rows.map((e) => e.id)).toEqual([duplicate!.id]);
    expect((await t.ledger.events.page({ limit: 10, review: 'open' })).rows).toEqual([]);
    expect((await t.ledger.orders.get(order.id))?.paid_attempt_id).toBe(second.id);
  });

  it('records provider calls in the background and lists them by attempt', async () => {
    const order = await newOrder();
    const attempt = await reserve(t.ledger, order.id);
    const failures: unknown[] = [];
    t.ledger.providerCalls.recordInBackground({ provider: 'chaoying', op: 'create', outTradeNo: attempt.out_trade_no, attemptId: attempt.id, startedAt: 1000, latencyMs: 120.4, outcome: 'created' }, (e) => failures.push(e));
    t.ledger.providerCalls.recordInBackground({ provider: 'chaoying', op: 'query', outTradeNo: attempt.out_trade_no, attemptId: attempt.id, startedAt: 2000, latencyMs: 80, outcome: 'pending', code: 'USERPAYING', message: '需要用户输入支付密码' }, (e) => failures.push(e));
    await t.ledger.providerCalls.flush();
    expect(failures).toEqual([]);
    const calls = await t.ledger.providerCalls.forAttempts([attempt.id]);
    expect(calls.map((c) => [c.op, c.latency_ms, c.outcome, c.code])).toEqual([
      ['create', 120, 'created', null],
      ['query', 80, 'pending', 'USERPAYING'],
    ]);
  });

  it('computes the overview: payments per hour, attempts by provider × channel, attempt-to-paid percentiles, rejections, backlog', async () => {
    const start = t.clock.now();
    const hour = Math.floor(start / 3_600_000) * 3_600_000;
    // 20 paid orders, attempt-to-paid 1 s … 20 s
    for (let i = 1; i <= 20; i++) {
      const o = await newOrder({ notifyUrl: 'https://shop.example/hooks' });
      const a = await reserve(t.ledger, o.id, { provider: i % 2 ? 'chaoying' : 'umf-mofun' });
      await t.ledger.attempts.settlePaid(a.id, { paidAt: a.created_at + i * 1000 });
    }
    const open = await newOrder();
    await t.ledger.attempts.fail((await reserve(t.ledger, open.id)).id, 'DECLINED', 'declined');
    await t.ledger.notifications.record({ provider: 'chaoying', outcome: 'bad_signature', body: '' });
    await t.ledger.notifications.record({ provider: 'chaoying', outcome: 'unknown_order', body: '' });
    const f = await t.ledger.stats.overview(start - 3_600_000, start + 3_600_000);
    expect(f.payments).toEqual([{ hour, currency: 'CNY', count: 20, amount: 20 * 1999 }]);
    expect(f.attempts).toEqual([
      { provider: 'chaoying', channel: 'wechat', status: 'failed', count: 1 },
      { provider: 'chaoying', channel: 'wechat', status: 'paid', count: 10 },
      { provider: 'umf-mofun', channel: 'wechat', status: 'paid', count: 10 },
    ]);
    expect(f.attemptToPaid).toEqual({ count: 20, p50Ms: 10_000, p95Ms: 19_000 });
    expect(f.notifications).toEqual([
      { hour, outcome: 'bad_signature', count: 1 },
      { hour, outcome: 'unknown_order', count: 1 },
    ]);
    expect(f.webhooks).toEqual({ pending: 20, retrying: 0, oldestPendingAt: start, failed: 0 });
    expect(f.needsReview).toEqual({ notifications: 1, duplicatePayments: 0 });
    const empty = await t.ledger.stats.overview(start - 10 * 3_600_000, start - 9 * 3_600_000);
    expect(empty).toMatchObject({ payments: [], attempts: [], attemptToPaid: { count: 0, p50Ms: null, p95Ms: null }, notifications: [] });
  });
});
