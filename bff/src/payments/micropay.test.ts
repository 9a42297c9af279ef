/**
 * The micropay state machine with a fake clock, on every path (providers.md "Micropay"):
 * paid · failed · unknown → queried → paid · unknown → deadline → reversed · a late success
 * racing the reverse, both orders · reverse retried · reverse refused for a paid order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PayQrError } from '../core/errors';
import { DIALECTS, openTestLedger, type TestLedger } from '../ledger/testing';
import type { PaymentContext } from './context';
import { micropay } from './micropay';
import { handleNotification } from './notifications';
import { createOrder, getOrder, loadOrderFor } from './orders';
import { sweepOnce } from './sweeper';
import { notification, ScriptedConnector, testContext } from './testing';

const WECHAT = '134567890123456704';
const ALIPAY = '280123456789012300';

describe.each(DIALECTS)('micropay on %s', (dialect) => {
  let t: TestLedger;
  let sp: ScriptedConnector;
  let ctx: PaymentContext;

  beforeEach(async () => {
    t = await openTestLedger(dialect);
    sp = new ScriptedConnector('umf-sp');
    sp.querySchedule.firstDelayMs = 5000;
    sp.querySchedule.intervalMs = 3000;
    sp.querySchedule.deadlineMs = 60_000;
    ctx = testContext(t.ledger, t.clock, t.random, [sp]);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function order() {
    const { order: o } = await createOrder(ctx, { merchantOrderId: `POS-${Math.random().toString(36).slice(2, 8)}`, amount: 1250, subject: 'Coffee' });
    return loadOrderFor(ctx, o.id, { kind: 'shop' });
  }
  const scan = async (code: string) => micropay(ctx, await order(), { authCode: code }, { holdMs: 0 });
  const paidStatus = (outTradeNo: string) => ({ state: 'paid' as const, outTradeNo, amount: 1250, merchantId: 'M100', providerTradeNo: 'T1' });

  it('refuses a code no wallet issues, naming the rule, without calling any provider', async () => {
    const o = await order();
    await expect(micropay(ctx, o, { authCode: '9912345' })).rejects.toThrow(/authCode: 7 digits starting 99 matches no wallet; expected WeChat: 18 digits starting 10–15/);
    await expect(micropay(ctx, o, {})).rejects.toBeInstanceOf(PayQrError);
    expect(sp.calls).toEqual([]);
    expect(await t.ledger.attempts.list(o.id)).toEqual([]);
  });

  it('detects the channel from the code and answers paid when the provider says so at once', async () => {
    sp.nextCreate = (input) => ({ outcome: 'paid', status: paidStatus(input.outTradeNo) });
    const r = await scan(ALIPAY);
    expect(r.status).toBe('paid');
    expect(r.attempt).toMatchObject({ channel: 'alipay', scene: 'micropay', status: 'paid', provider: 'umf-sp' });
    expect((await t.ledger.orders.get((await t.ledger.attempts.get(r.attempt.id))!.order_id))?.status).toBe('paid');
  });

  it('a definite refusal answers failed; the order stays open and the same code may be tried again', async () => {
    sp.nextCreate = () => ({ outcome: 'failed', code: '05', message: 'insufficient balance' });
    const o = await order();
    const r = await micropay(ctx, o, { authCode: WECHAT }, { holdMs: 0 });
    expect(r).toMatchObject({ status: 'failed', attempt: { failure: { code: '05' } } });
    expect((await t.ledger.orders.get(o.id))?.status).toBe('open');
    sp.nextCreate = (input) => ({ outcome: 'paid', status: paidStatus(input.outTradeNo) });
    expect((await micropay(ctx, o, { authCode: WECHAT }, { holdMs: 0 })).status).toBe('paid');
    expect(sp.count('create')).toBe(2);
  });

  it('unknown → pending with progress; queried after 5 s then every 3 s; paid when the query says so', async () => {
    sp.nextCreate = () => ({ outcome: 'unknown', reason: 'respCode 62', progress: 'password_entry' });
    const r = await scan(WECHAT);
    expect(r).toMatchObject({ status: 'pending', progress: 'password_entry' });
    const no = r.attempt.outTradeNo;
    await t.clock.advance(4999);
    await sweepOnce(ctx);
    expect(sp.count('query')).toBe(0);
    await t.clock.advance(1);
    sp.statuses.set(no, { state: 'pending', progress: 'paying' });
    await sweepOnce(ctx);
    expect(sp.count('query')).toBe(1);
    expect((await t.ledger.attempts.get(r.attempt.id))?.extra).toContain('"progress":"paying"');
    await t.clock.advance(3000);
    sp.statuses.set(no, paidStatus(no));
    await sweepOnce(ctx);
    expect((await t.ledger.attempts.get(r.attempt.id))?.status).toBe('paid');
    expect(sp.count('reverse')).toBe(0);
  });

  it('unknown forever → at the 60 s deadline it is reversed; the order stays open for another code', async () => {
    sp.nextCreate = () => ({ outcome: 'unknown', reason: 'respCode 04' });
    const r = await scan(WECHAT);
    for (let s = 0; s < 60; s += 3) {
      await t.clock.advance(3000);
      await sweepOnce(ctx);
    }
    await t.clock.advance(3000);
    await sweepOnce(ctx);
    const a = await t.ledger.attempts.get(r.attempt.id);
    expect(sp.count('reverse')).toBe(1);
    expect(a).toMatchObject({ status: 'failed', failure_code: 'REVERSED', provider_close: 'done' });
    expect((await t.ledger.orders.get(a!.order_id))?.status).toBe('open');
    expect(sp.count('query')).toBeGreaterThanOrEqual(17);
  });

  it('a late success that arrives before the reverse commits wins: paid, never reversed', async () => {
    sp.nextCreate = () => ({ outcome: 'unknown', reason: 'timeout' });
    const r = await scan(WECHAT);
    await t.clock.advance(59_000);
    const ack = await handleNotification(ctx, 'umf-sp', notification({ sig: 'valid', no: r.attempt.outTradeNo, amount: 1250 }));
    expect(await ack.text()).toBe('success');
    await t.clock.advance(5000);
    await sweepOnce(ctx);
    expect((await t.ledger.attempts.get(r.attempt.id))?.status).toBe('paid');
    expect(sp.count('reverse')).toBe(0);
  });

  it('a late success that arrives after the reverse committed cannot settle: reversed (refunded), recorded', async () => {
    sp.nextCreate = () => ({ outcome: 'unknown', reason: 'timeout' });
    const r = await scan(WECHAT);
    const no = r.attempt.outTradeNo;
    // the notification lands while the provider is processing our reverse
    sp.reverseAnswer = () => {
      void handleNotification(ctx, 'umf-sp', notification({ sig: 'valid', no, amount: 1250 }));
      return { closed: true, alreadyPaid: paidStatus(no) };
    };
    await t.clock.advance(61_000);
    await sweepOnce(ctx);
    await new Promise((res) => setTimeout(res, 50));
    const a = await t.ledger.attempts.get(r.attempt.id);
    expect(a).toMatchObject({ status: 'failed', failure_code: 'REVERSED_REFUNDED' });
    expect((await t.ledger.orders.get(a!.order_id))?.status).toBe('open');
    const notes = await t.ledger.notifications.list({ orderId: a!.order_id });
    expect(notes.map((n) => n.outcome)).toEqual(['duplicate']);
    expect(await t.ledger.events.list(a!.order_id)).toEqual([]);
  });

  it('a reverse that fails is retried idempotently until the provider confirms', async () => {
    sp.nextCreate = () => ({ outcome: 'unknown', reason: 'timeout' });
    const r = await scan(WECHAT);
    let tries = 0;
    sp.reverseAnswer = () => {
      if (++tries < 3) throw new Error('connection reset');
      return { closed: true };
    };
    await t.clock.advance(61_000);
    await sweepOnce(ctx);
    expect((await t.ledger.attempts.get(r.attempt.id))?.failure_code).toBe('REVERSING');
    await sweepOnce(ctx);
    await sweepOnce(ctx);
    expect((await t.ledger.attempts.get(r.attempt.id))).toMatchObject({ failure_code: 'REVERSED', provider_close: 'done' });
    await sweepOnce(ctx);
    expect(sp.count('reverse')).toBe(3);
  });

  it('a provider that refuses to reverse a payment it took: the attempt is paid after all', async () => {
    sp.nextCreate = () => ({ outcome: 'unknown', reason: 'timeout' });
    const r = await scan(WECHAT);
    sp.reverseAnswer = (ref) => ({ closed: false, alreadyPaid: paidStatus(ref.outTradeNo), detail: 'past the same-day window' });
    await t.clock.advance(61_000);
    await sweepOnce(ctx);
    const a = await t.ledger.attempts.get(r.attempt.id);
    expect(a?.status).toBe('paid');
    expect((await t.ledger.orders.get(a!.order_id))?.status).toBe('paid');
  });

  it('the same scan retried returns the same attempt and never charges twice', async () => {
    sp.nextCreate = () => ({ outcome: 'unknown', reason: 'paying', progress: 'paying' });
    const o = await order();
    const a = await micropay(ctx, o, { authCode: WECHAT }, { holdMs: 0 });
    const b = await micropay(ctx, o, { authCode: WECHAT }, { holdMs: 0 });
    expect(b.attempt.id).toBe(a.attempt.id);
    expect(sp.count('create')).toBe(1);
    expect((await t.ledger.attempts.get(a.attempt.id))?.extra).not.toContain(WECHAT);
  });

  it('a new code for the same order reverses the previous pending scan', async () => {
    sp.nextCreate = () => ({ outcome: 'unknown', reason: 'paying' });
    const o = await order();
    const a = await micropay(ctx, o, { authCode: WECHAT }, { holdMs: 0 });
    sp.nextCreate = (input) => ({ outcome: 'paid', status: paidStatus(input.outTradeNo) });
    const b = await micropay(ctx, o, { authCode: ALIPAY }, { holdMs: 0 });
    expect(b.status).toBe('paid');
    expect(sp.calls).toContainEqual({ op: 'reverse', outTradeNo: a.attempt.outTradeNo });
    expect((await t.ledger.attempts.get(a.attempt.id))?.failure_code).toBe('REVERSED');
  });

  it('the cashier polling the order sees the micropay progress', async () => {
    sp.nextCreate = () => ({ outcome: 'unknown', reason: 'respCode 62', progress: 'password_entry' });
    const o = await order();
    await micropay(ctx, o, { authCode: WECHAT }, { holdMs: 0 });
    const view = await getOrder(ctx, o.id, { kind: 'shop' });
    expect(view.attempt).toMatchObject({ scene: 'micropay', status: 'pending', progress: 'password_entry' });
  });
});
