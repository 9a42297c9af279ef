/**
 * The whole product with huishouyin serving WeChat and Alipay micropay (routed with PAYQR_ROUTING:
 * the sandbox default puts umf-sp first), over real loopback HTTP: a cashier posts the payer's code
 * to /api/orders/{id}/micropay and gets what the sandbox outcome table dictates. The point of this
 * file is the trust model: 汇收银's webhook is unsigned, so a forged "paid" webhook must never
 * settle anything — PayQR only ever queries pay/check because of it. Uses the registry plus this
 * module, so it runs whether or not the registry lists huishouyin yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app';
import { SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import { modulesWith, startTestApp, type TestApp } from '../testing/app-env';
import { huishouyinModule } from './module';
import type { HuishouyinSimulator } from './simulator';

const API_KEY = 'sk_test_huishouyin_0123456789abcdef';

describe('PayQR with huishouyin (micropay), end to end over HTTP', () => {
  let t: TestApp;
  let app: App;
  let sim: HuishouyinSimulator;

  beforeAll(async () => {
    // keep a handle on the simulator the app registers, to look at its orders
    const modules = modulesWith(huishouyinModule, (s: HuishouyinSimulator) => (sim = s));
    t = await startTestApp({
      apiKey: API_KEY,
      modules,
      dataDirPrefix: 'payqr-huishouyin-',
      env: { PAYQR_ROUTING: 'wechat:micropay=huishouyin;alipay:micropay=huishouyin' },
    });
    app = t.app;
  });
  afterAll(async () => {
    // Let webhooks still in flight be answered before the ledger closes under them.
    const end = Date.now() + 3000;
    while (app?.hub?.deliveries('huishouyin').some((d) => d.state === 'pending') && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    await t?.close();
  });

  let n = 0;
  const api = <T = any>(method: string, p: string, body?: unknown) => t.api<T>(method, p, API_KEY, body);
  const newOrder = async (amount = 1999) => {
    const r = await api('POST', '/api/orders', { merchantOrderId: `HSY-${Date.now()}-${++n}`, amount, subject: '一杯咖啡', currency: 'CNY' });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json as { id: string };
  };
  const scan = (orderId: string, authCode: string) => api('POST', `/api/orders/${orderId}/micropay`, { authCode });
  /** what an attacker (or a confused proxy) can post: no signature exists to stop it */
  const webhook = (body: string) => fetch(`${t.url}/api/notify/huishouyin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('…00 at ¥100.00: paid at once; total matched, payable/real and the voucher recorded on the attempt', async () => {
    const o = await newOrder(10_000);
    const r = await scan(o.id, SANDBOX_AUTH_CODES.wechat.paid);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ status: 'paid', attempt: { provider: 'huishouyin', channel: 'wechat', scene: 'micropay', status: 'paid' } });
    expect((await api('GET', `/api/orders/${o.id}`)).json).toMatchObject({ status: 'paid', amount: 10_000 });
    const outTradeNo = r.json.attempt.outTradeNo as string;
    expect(sim.order(outTradeNo)).toMatchObject({ status: '1', totalFen: 10_000, payableFen: 9_900, realFen: 9_850, payCode: '1345…6700' });
    const attempt = await app.ledger.attempts.findByTradeNo('huishouyin', outTradeNo);
    expect(JSON.parse(attempt?.extra ?? '{}')).toMatchObject({ totalAmount: 10_000, payableAmount: 9_900, realAmount: 9_850, vouchers: [{ amount: 50 }] });
  });

  it('…01 (paying): the unsigned webhook is a hint; PayQR asks pay/check and settles from that', async () => {
    const o = await newOrder();
    const r = await scan(o.id, SANDBOX_AUTH_CODES.alipay.paying);
    expect(['paid', 'pending']).toContain(r.json.status);
    expect((await api('GET', `/api/orders/${o.id}?wait=10`)).json).toMatchObject({ status: 'paid', channel: 'alipay' });
    const end = Date.now() + 3000;
    while (!(await app.ledger.notifications.list({ orderId: o.id })).length && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    const outcomes = (await app.ledger.notifications.list({ orderId: o.id })).map((x) => x.outcome);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((x) => x === 'hint')).toBe(true);
  });

  it('a forged "paid" webhook for an unpaid order never settles it (and the pending scan is later reversed)', async () => {
    const o = await newOrder();
    const r = await scan(o.id, SANDBOX_AUTH_CODES.wechat.unknown);
    expect(r.json).toMatchObject({ status: 'pending' });
    const outTradeNo = r.json.attempt.outTradeNo as string;
    const forged = await webhook(`{"order_id":"${outTradeNo}","order_status":1,"total_amount":19.99,"payable_amount":19.99,"real_amount":19.99,"pay_type":0,"trade_no":"FORGED"}`);
    expect(forged.status).toBe(200);
    expect(await forged.text()).toBe('success'); // acknowledged as a hint: it only triggered a query
    expect((await api('GET', `/api/orders/${o.id}`)).json).toMatchObject({ status: 'open' });
    expect((await app.ledger.attempts.findByTradeNo('huishouyin', outTradeNo))?.status).toBe('pending');
    expect((await app.ledger.notifications.list({ orderId: o.id })).map((x) => x.outcome)).toEqual(['hint']);
    expect(sim.order(outTradeNo)).toMatchObject({ status: '0' });

    // The shop gives up: cancelling the order reverses the scan at 汇收银, and it can never be paid.
    expect((await api('POST', `/api/orders/${o.id}/cancel`)).status).toBe(200);
    const end = Date.now() + 5000;
    while (sim.order(outTradeNo)?.status !== '5' && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    expect(sim.order(outTradeNo)).toMatchObject({ status: '5' });
    expect((await api('GET', `/api/orders/${o.id}`)).json).toMatchObject({ status: 'canceled' });
  });

  it('a webhook about an order number PayQR never issued is refused', async () => {
    const res = await webhook('{"order_id":"PQNEVER0001","order_status":1,"total_amount":19.99}');
    expect(await res.text()).toBe('fail');
  });

  it('…05 (already paid, 1003): confirmed by pay/check, the order is paid', async () => {
    const o = await newOrder();
    const r = await scan(o.id, SANDBOX_AUTH_CODES.alipay.alreadyPaid);
    expect(r.json).toMatchObject({ status: 'paid', attempt: { provider: 'huishouyin', status: 'paid' } });
  });

  it('…03: the wallet refuses, the cashier hears failed and the order stays open', async () => {
    const o = await newOrder();
    const r = await scan(o.id, SANDBOX_AUTH_CODES.wechat.failed);
    expect(r.json).toMatchObject({ status: 'failed', attempt: { provider: 'huishouyin', status: 'failed' } });
    expect((await api('GET', `/api/orders/${o.id}`)).json).toMatchObject({ status: 'open' });
  });
});
