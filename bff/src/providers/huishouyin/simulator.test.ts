import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { createSandboxHub } from '../../sandbox/hub';
import { SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import { isJsonObject, JsonNumberText, parseExactJson, scalarText, stringifyExactJson, type ExactJsonObject, type JsonWritable } from '../../core/strict-json';
import { huishouyinSign, verifyHuishouyinAnswer } from './signature';
import { SEED_PAY_REQUEST } from './seed-examples';
import { createHuishouyinSimulator, HUISHOUYIN_NOTIFY_SCHEDULE_MS, type HuishouyinSimulatorOptions } from './simulator';

const APP_ID = 'SimAppId0123456789abcdefABCDEFGH';
const SECRET = 'SimSecret0123456789abcdefABCDEFG';
const BASE = 'http://sandbox.test/sandbox/huishouyin';
const NOTIFY = 'http://shop.test/api/notify/huishouyin';
const W = SANDBOX_AUTH_CODES.wechat;
const A = SANDBOX_AUTH_CODES.alipay;

function setup(over: Partial<HuishouyinSimulatorOptions> = {}, answer: (n: number) => { status: number; text: string } = () => ({ status: 200, text: 'success' }), timeScale = 1) {
  const clock = new FakeClock();
  const random = seededRandom(7);
  const log = memoryLogger();
  const webhooks: Array<{ url: string; text: string; contentType: string; at: number }> = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const n = webhooks.length;
    webhooks.push({ url: String(url), text: String(init?.body), contentType: new Headers(init?.headers).get('content-type') ?? '', at: clock.now() });
    const a = answer(n);
    return new Response(a.text, { status: a.status });
  }) as typeof globalThis.fetch;
  const hub = createSandboxHub({ clock, random, fetch, log, publicUrl: 'http://sandbox.test', timeScale });
  const sim = createHuishouyinSimulator({ appId: APP_ID, appSecret: SECRET, notifyUrl: NOTIFY, ...over }, { clock, random, fetch, log, hub });
  hub.register(sim);

  /** POST fields (signed unless told otherwise) and read the answer exactly. */
  const call = async (path: string, fields: Record<string, JsonWritable>, opts: { sign?: string | false; contentType?: string; raw?: string } = {}) => {
    const f: Record<string, JsonWritable> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) f[k] = v;
    if (opts.sign !== false) f.sign = opts.sign ?? huishouyinSign(f, SECRET);
    const res = await hub.handle(
      new Request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': opts.contentType ?? 'application/json' }, body: opts.raw ?? stringifyExactJson(f) }),
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    const answer = parseExactJson(text) as ExactJsonObject;
    return { text, answer, code: scalarText(answer.code), msg: scalarText(answer.msg), data: answer.data as ExactJsonObject, status: scalarText((answer.data as ExactJsonObject).order_status) };
  };
  const pay = (over: Record<string, JsonWritable> = {}) =>
    call('/pay/qrcode', { app_id: APP_ID, sign_type: 'MD5', order_id: 'PQ0001A1', pay_code: W.paid, total_amount: '19.99', ...over });
  const order = (path: '/pay/check' | '/pay/cancel' | '/pay/close', orderId = 'PQ0001A1') => call(path, { app_id: APP_ID, sign_type: 'MD5', order_id: orderId });
  return { clock, hub, sim, log, webhooks, call, pay, order };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('huishouyin simulator: pay/qrcode', () => {
  it('…00: paid at once, seed shape, amounts as yuan JSON numbers, unsigned', async () => {
    const { pay, sim } = setup();
    const r = await pay();
    expect(r.code).toBe('1000');
    expect(r.text).toContain('"code":1000');
    expect(r.text).toContain('"total_amount":19.99,"payable_amount":19.99,"real_amount":19.99,"voucher_list":[]');
    expect(r.data).toMatchObject({ order_id: 'PQ0001A1', pay_type: new JsonNumberText('0'), order_status: new JsonNumberText('1') });
    expect(scalarText(r.data.trade_no)).toMatch(/^\d{25}$/);
    expect(r.answer.sign).toBeUndefined();
    expect(sim.order('PQ0001A1')).toMatchObject({ status: '1', totalFen: 1999, payType: '0', payCode: '1345…6700' });
  });

  it("accepts the seed's own example body (total_amount as a JSON number, store_info, goods_list)", async () => {
    const { call, sim } = setup();
    const seed = parseExactJson(SEED_PAY_REQUEST) as ExactJsonObject;
    const { sign: _placeholder, ...fields } = seed;
    const r = await call('/pay/qrcode', { ...fields, app_id: APP_ID, pay_code: A.paid });
    expect(r).toMatchObject({ code: '1000', status: '1' });
    expect(r.text).toContain('"total_amount":11.00');
    expect(sim.order('2017102100151091')).toMatchObject({ totalFen: 1100, payType: '1', storeInfo: { store_id: 'L4XYdVQWe0DROIQBxxtrYKWawTIrXofe' } });
  });

  const n = (t: string) => new JsonNumberText(t);
  it.each<[string, Record<string, JsonWritable>, string, RegExp]>([
    ['no app_id', { app_id: undefined }, '4001', /app_id/],
    ['an unknown app_id', { app_id: 'other' }, '3000', /APPID错误/],
    ['sign_type RSA', { sign_type: 'RSA' }, '4001', /RSA/],
    ['sign_type SHA1', { sign_type: 'SHA1' }, '4001', /sign_type/],
    ['no sign_type', { sign_type: undefined }, '4001', /sign_type/],
    ['an order_id of 129 characters', { order_id: 'A'.repeat(129) }, '4001', /order_id/],
    ['no order_id', { order_id: undefined }, '4001', /order_id/],
    ['no pay_code', { pay_code: undefined }, '4001', /pay_code/],
    ['a UnionPay code', { pay_code: SANDBOX_AUTH_CODES.unionpay.paid }, '4001', /微信或支付宝/],
    ['a pay_code that is no wallet code', { pay_code: '5CDJVuPZ89l8hANqsJiU8zWDQ9rUATmg' }, '4001', /付款码无效/],
    ['no total_amount', { total_amount: undefined }, '4001', /total_amount/],
    ['total_amount "19.999"', { total_amount: '19.999' }, '4001', /at most 2 decimals/],
    ['total_amount 19.999 (number)', { total_amount: n('19.999') }, '4001', /at most 2 decimals/],
    ['total_amount "0.00"', { total_amount: '0.00' }, '4001', /greater than zero/],
    ['total_amount "100000000000.00" (above the largest amount)', { total_amount: '100000000000.00' }, '4001', /at most 99999999999.99/],
    ['total_amount "-1.00"', { total_amount: '-1.00' }, '4001', /total_amount/],
    ['total_amount "1e3"', { total_amount: '1e3' }, '4001', /total_amount/],
    ['total_amount 1e3 (number)', { total_amount: n('1e3') }, '4001', /total_amount/],
    ['total_amount "019.99"', { total_amount: '019.99' }, '4001', /total_amount/],
    ['total_amount "1999" meant as fen? no: "19.99 " with a space', { total_amount: '19.99 ' }, '4001', /total_amount/],
    ['an unknown field', { notify_url: 'http://x' }, '4001', /notify_url/],
    ['store_info with an unknown member', { store_info: { shop: '1' } }, '4001', /store_info/],
    ['store_info not an object', { store_info: 'x' }, '4001', /store_info/],
    ['goods_list with a fractional num', { goods_list: [{ title: '可乐', num: n('1.5'), price: n('3.00') }] }, '4001', /num/],
    ['goods_list with a 257-character title', { goods_list: [{ title: '商'.repeat(257) }] }, '4001', /title/],
    ['goods_list with a 3-decimal price', { goods_list: [{ price: n('3.001') }] }, '4001', /price/],
  ])('rejects %s', async (_name, over, code, msg) => {
    const { pay, sim } = setup();
    const r = await pay(over);
    expect(r.code).toBe(code);
    expect(r.msg).toMatch(msg);
    expect(r.answer.sign).toBeUndefined();
    expect(sim.orders()).toHaveLength(0);
  });

  it('verifies the sign: 2000 on a wrong one, 4001 without one', async () => {
    const { call } = setup();
    expect(await call('/pay/qrcode', { app_id: APP_ID, sign_type: 'MD5', order_id: 'PQ0', pay_code: W.paid, total_amount: '1.00' }, { sign: huishouyinSign({ a: '1' }, SECRET) })).toMatchObject({ code: '2000', msg: '签名错误' });
    expect(await call('/pay/qrcode', { app_id: APP_ID, sign_type: 'MD5', order_id: 'PQ1', pay_code: W.paid, total_amount: '1.00' }, { sign: false })).toMatchObject({ code: '4001' });
    // signed with another secret
    const fields = { app_id: APP_ID, sign_type: 'MD5', order_id: 'PQ1', pay_code: W.paid, total_amount: '1.00' };
    expect(await call('/pay/qrcode', fields, { sign: huishouyinSign(fields, 'wrong secret') })).toMatchObject({ code: '2000' });
    // the amount's text is signed: 1.00 sent as the number 1.00 verifies, a sign made over "1" does not
    expect(await call('/pay/qrcode', { ...fields, total_amount: n('1.00') })).toMatchObject({ code: '1000' });
    expect(await call('/pay/qrcode', { ...fields, order_id: 'PQ2', total_amount: n('1.00') }, { sign: huishouyinSign({ ...fields, order_id: 'PQ2', total_amount: n('1') }, SECRET) })).toMatchObject({ code: '2000' });
  });

  it('refuses what is not a JSON object posted as JSON', async () => {
    const { call } = setup();
    expect(await call('/pay/qrcode', {}, { raw: 'app_id=x', contentType: 'application/x-www-form-urlencoded' })).toMatchObject({ code: '4001', msg: expect.stringMatching(/application\/json/) });
    expect(await call('/pay/qrcode', {}, { raw: '{"app_id":' })).toMatchObject({ code: '4001', msg: expect.stringMatching(/JSON/) });
    expect(await call('/pay/qrcode', {}, { raw: '[1]' })).toMatchObject({ code: '4001', msg: expect.stringMatching(/对象/) });
    expect(await call('/pay/qrcode', {}, { raw: '{"app_id":"a","app_id":"b"}' })).toMatchObject({ code: '4001', msg: expect.stringMatching(/"app_id" appears twice/) });
  });

  it('order_id is unique: the same call again is idempotent (1003 once paid), anything else is refused', async () => {
    const { pay } = setup();
    await pay();
    expect(await pay()).toMatchObject({ code: '1003', msg: '订单已支付' });
    expect(await pay({ total_amount: '20.00' })).toMatchObject({ code: '4001', msg: expect.stringMatching(/订单号重复/) });
    expect(await pay({ pay_code: A.paid })).toMatchObject({ code: '4001' });
    await pay({ order_id: 'PQFAIL01', pay_code: W.failed });
    expect(await pay({ order_id: 'PQFAIL01', pay_code: W.failed })).toMatchObject({ code: '4001', msg: expect.stringMatching(/支付失败/) });
    await pay({ order_id: 'PQWAIT01', pay_code: W.password });
    expect(await pay({ order_id: 'PQWAIT01', pay_code: W.password })).toMatchObject({ code: '1002', status: '0' });
  });

  it('404 for other paths, 405 for other methods', async () => {
    const { hub } = setup();
    expect((await hub.handle(new Request(`${BASE}/pay/refund`, { method: 'POST' }))).status).toBe(404);
    expect((await hub.handle(new Request(`${BASE}/pay/qrcode`))).status).toBe(405);
  });
});

describe('huishouyin simulator: the sandbox outcome table (micropayScenario)', () => {
  it('…01 paying (1000, order_status 0), then paid after 5 s with a webhook', async () => {
    const { pay, order, clock, webhooks } = setup();
    expect(await pay({ pay_code: W.paying })).toMatchObject({ code: '1000', status: '0', msg: '支付中' });
    expect((await pay({ pay_code: W.paying })).text).toContain('"real_amount":0,');
    await clock.advance(4_999);
    expect(await order('/pay/check')).toMatchObject({ code: '1000', status: '0' });
    expect(webhooks).toHaveLength(0);
    await clock.advance(1);
    await settle();
    expect(webhooks).toHaveLength(1);
    expect(await order('/pay/check')).toMatchObject({ code: '1000', status: '1', msg: '支付成功' });
  });

  it('…02 password entry (1002), then paid after 10 s', async () => {
    const { pay, order, clock } = setup();
    expect(await pay({ pay_code: A.password })).toMatchObject({ code: '1002', status: '0', msg: '等待用户输入密码' });
    await clock.advance(9_000);
    expect(await order('/pay/check')).toMatchObject({ code: '1002', status: '0' });
    await clock.advance(1_000);
    expect(await order('/pay/check')).toMatchObject({ code: '1000', status: '1' });
  });

  it('…03 failed at once (order_status -1) with a webhook saying so', async () => {
    const { pay, webhooks } = setup();
    expect(await pay({ pay_code: W.failed })).toMatchObject({ code: '1000', status: '-1', msg: '支付失败：余额不足' });
    await settle();
    expect(webhooks).toHaveLength(1);
    expect(parseExactJson(webhooks[0]!.text)).toMatchObject({ order_status: new JsonNumberText('-1') });
  });

  it('…04 unknown forever (-10 from the pay call, 0 on pay/check), until pay/cancel (5) or pay/close (4)', async () => {
    const { pay, order, clock, webhooks } = setup();
    expect(await pay({ pay_code: W.unknown })).toMatchObject({ code: '1000', status: '-10', msg: '交易结果未知，请查询' });
    await clock.advance(3_600_000);
    expect(await order('/pay/check')).toMatchObject({ code: '1000', status: '0' });
    expect(await pay({ pay_code: W.unknown })).toMatchObject({ code: '1000', status: '0' }); // the same call again: its state
    expect(await order('/pay/cancel')).toMatchObject({ code: '1000', status: '5', msg: '撤销成功' });
    expect(await order('/pay/cancel')).toMatchObject({ code: '1000', status: '5' }); // idempotent
    expect(await order('/pay/check')).toMatchObject({ status: '5' });
    await pay({ order_id: 'PQUNK002', pay_code: A.unknown });
    expect(await order('/pay/close', 'PQUNK002')).toMatchObject({ code: '1000', status: '4', msg: '关闭成功' });
    expect(await order('/pay/close', 'PQUNK002')).toMatchObject({ code: '1000', status: '4' });
    expect(webhooks).toHaveLength(0);
  });

  it('…05 already paid: 1003 with empty data; pay/check has the paid order; no webhook', async () => {
    const { pay, order, webhooks } = setup();
    const r = await pay({ pay_code: W.alreadyPaid });
    expect(r).toMatchObject({ code: '1003', msg: '订单已支付' });
    expect(r.data).toEqual({});
    expect(await order('/pay/check')).toMatchObject({ code: '1000', status: '1' });
    await settle();
    expect(webhooks).toHaveLength(0);
  });

  it('…06 password entry, then the payer cancels: failed after 10 s', async () => {
    const { pay, order, clock, webhooks } = setup();
    expect(await pay({ pay_code: A.canceled })).toMatchObject({ code: '1002', status: '0' });
    await clock.advance(10_000);
    await settle();
    expect(await order('/pay/check')).toMatchObject({ code: '1000', status: '-1', msg: '支付失败：用户取消支付' });
    expect(webhooks).toHaveLength(1);
  });

  it('settles (and notifies) even when its timer wakes before the clock reads the due time', async () => {
    // Node's setTimeout may fire a millisecond early relative to Date.now(): model that.
    const fake = new FakeClock();
    const early = { now: () => fake.now(), sleep: (ms: number, signal?: AbortSignal) => fake.sleep(ms > 1 ? ms - 1 : ms, signal) };
    const log = memoryLogger();
    const sent: string[] = [];
    const fetch = (async (_u: string | URL | Request, init?: RequestInit) => {
      sent.push(String(init?.body));
      return new Response('success');
    }) as typeof globalThis.fetch;
    const hub = createSandboxHub({ clock: early, random: seededRandom(1), fetch, log, publicUrl: 'http://sandbox.test' });
    hub.register(createHuishouyinSimulator({ appId: APP_ID, appSecret: SECRET, notifyUrl: NOTIFY }, { clock: early, random: seededRandom(2), fetch, log, hub }));
    const fields = { app_id: APP_ID, sign_type: 'MD5', order_id: 'PQEARLY1', pay_code: W.paying, total_amount: '1.00' };
    await hub.handle(new Request(`${BASE}/pay/qrcode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stringifyExactJson({ ...fields, sign: huishouyinSign(fields, SECRET) }) }));
    await fake.advance(5_000);
    await settle();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('"order_status":1');
  });

  it('scales the waits with the hub (timeScale 0.5: paid after 2.5 s)', async () => {
    const { pay, order, clock } = setup({}, undefined, 0.5);
    await pay({ pay_code: W.paying });
    await clock.advance(2_499);
    expect((await order('/pay/check')).status).toBe('0');
    await clock.advance(1);
    expect((await order('/pay/check')).status).toBe('1');
  });

  it('pay/cancel while the payer is paying revokes it for good (the timer no longer pays it)', async () => {
    const { pay, order, clock, webhooks } = setup();
    await pay({ pay_code: W.password });
    expect(await order('/pay/cancel')).toMatchObject({ status: '5' });
    await clock.advance(60_000);
    await settle();
    expect(await order('/pay/check')).toMatchObject({ status: '5' });
    expect(webhooks).toHaveLength(0);
  });

  it('pay/cancel of a paid order refunds it (2); pay/close of a paid order is refused (1003); unknown orders are 4000', async () => {
    const { pay, order } = setup();
    await pay();
    expect(await order('/pay/close')).toMatchObject({ code: '1003', status: '1' });
    expect(await order('/pay/cancel')).toMatchObject({ code: '1000', status: '2', msg: '撤销成功，已退款' });
    expect(await order('/pay/cancel')).toMatchObject({ code: '1000', status: '2' });
    for (const path of ['/pay/check', '/pay/cancel', '/pay/close'] as const) expect(await order(path, 'PQNOPE01')).toMatchObject({ code: '4000', msg: '订单不存在' });
  });
});

describe('huishouyin simulator: vouchers (sandbox rule: ≥ 100.00 → 1.00 member coupon, 0.50 wallet voucher)', () => {
  it('100.00 via WeChat: payable 99.00, real 98.50, one voucher (WeChat shape)', async () => {
    const { pay } = setup();
    const r = await pay({ total_amount: '100.00' });
    expect(r.text).toContain('"total_amount":100.00,"payable_amount":99.00,"real_amount":98.50');
    const v = (r.data.voucher_list as ExactJsonObject[])[0]!;
    expect(v).toMatchObject({ scope: '1', type: 'COUPON', amount: new JsonNumberText('0.50'), merchant_contribute: new JsonNumberText('0.50') });
    expect(scalarText(v.activity_id)).toBeTruthy();
  });

  it('Alipay shape (purchase_ant_contribute, no activity_id/type); 99.99 gets nothing; unpaid reads real_amount 0', async () => {
    const { pay } = setup();
    const r = await pay({ order_id: 'PQV2', pay_code: A.paid, total_amount: n2('250.00') });
    expect(r.text).toContain('"total_amount":250.00,"payable_amount":249.00,"real_amount":248.50');
    const v = (r.data.voucher_list as ExactJsonObject[])[0]!;
    expect(v.activity_id).toBeUndefined();
    expect(v.purchase_ant_contribute).toEqual(new JsonNumberText('0.00'));
    expect((await pay({ order_id: 'PQV3', total_amount: '99.99' })).text).toContain('"total_amount":99.99,"payable_amount":99.99,"real_amount":99.99,"voucher_list":[]');
    expect((await pay({ order_id: 'PQV4', pay_code: W.paying, total_amount: '100.00' })).text).toContain('"payable_amount":99.00,"real_amount":0,"voucher_list":[]');
  });
});
const n2 = (t: string) => new JsonNumberText(t);

describe('huishouyin simulator: webhook', () => {
  it('posts the unsigned JSON fields (app_id + data) to the configured URL until it reads "success"', async () => {
    const { pay, clock, webhooks, hub } = setup({}, (i) => (i === 0 ? { status: 200, text: 'fail' } : { status: 200, text: 'success' }));
    await pay({ total_amount: '100.00' });
    await settle();
    expect(webhooks).toHaveLength(1);
    const first = webhooks[0]!;
    expect(first).toMatchObject({ url: NOTIFY, contentType: 'application/json; charset=utf-8' });
    expect(first.text).toMatch(/^\{"app_id":"SimAppId0123456789abcdefABCDEFGH","trade_no":"\d+","order_id":"PQ0001A1","pay_type":0,"order_status":1,"total_amount":100.00,"payable_amount":99.00,"real_amount":98.50,"voucher_list":\[/);
    expect(first.text).not.toMatch(/sign/);
    await clock.advance(HUISHOUYIN_NOTIFY_SCHEDULE_MS[1]!);
    await settle();
    expect(webhooks).toHaveLength(2);
    expect(webhooks[1]!.at - first.at).toBe(15_000);
    await clock.advance(3_600_000);
    await settle();
    expect(webhooks).toHaveLength(2);
    expect(hub.deliveries('huishouyin')[0]).toMatchObject({ state: 'acked', acked: true });
  });

  it('no notifyUrl configured: no webhook', async () => {
    const { pay, webhooks } = setup({ notifyUrl: undefined });
    await pay();
    await settle();
    expect(webhooks).toHaveLength(0);
  });

  it('tampered webhooks: amount, merchant, order changed; nothing to strip', async () => {
    const { pay, hub, webhooks } = setup();
    const modes = ['amount', 'resigned-merchant', 'resigned-order', 'strip-signature'] as const;
    for (const [i, mode] of modes.entries()) {
      hub.faults.set('huishouyin', { tamperNotifications: 1, tamperMode: mode });
      await pay({ order_id: `PQT${i}0001` });
      await settle();
    }
    const bodies = webhooks.map((w) => parseExactJson(w.text) as ExactJsonObject);
    expect(scalarText(bodies[0]!.total_amount)).toBe('0.01');
    expect(scalarText(bodies[1]!.app_id)).not.toBe(APP_ID);
    expect(scalarText(bodies[2]!.order_id)).not.toBe('PQT20001');
    expect(scalarText(bodies[3]!.order_id)).toBe('PQT30001');
    expect(scalarText(bodies[3]!.total_amount)).toBe('19.99');
  });
});

describe('huishouyin simulator: faults and signed answers', () => {
  it('needQuery: the order is processed, the answer says -10 (unknown)', async () => {
    const { pay, order, hub } = setup();
    hub.faults.set('huishouyin', { needQuery: 1 });
    expect(await pay()).toMatchObject({ code: '1000', status: '-10' });
    expect(await order('/pay/check')).toMatchObject({ status: '1' });
  });

  it('signAnswers: every answer carries a valid top-level sign; tamperResponses breaks it', async () => {
    const { pay, order, hub } = setup({ signAnswers: true });
    const r = await pay({ pay_code: W.paying });
    expect(scalarText(r.answer.sign)).toMatch(/^[0-9A-F]{32}$/);
    expect(verifyHuishouyinAnswer(r.answer, SECRET)).toBe('valid');
    hub.faults.set('huishouyin', { tamperResponses: 1 });
    const t = await order('/pay/check');
    expect(t.status).toBe('1');
    expect(verifyHuishouyinAnswer(t.answer, SECRET)).toBe('invalid');
    expect(verifyHuishouyinAnswer((await order('/pay/check')).answer, SECRET)).toBe('valid');
  });

  it('unsigned answers ignore tamperResponses (the protocol cannot express it)', async () => {
    const { pay, hub } = setup();
    hub.faults.set('huishouyin', { tamperResponses: 1 });
    expect(await pay()).toMatchObject({ code: '1000', status: '1' });
    expect(hub.faults.get('huishouyin')).toEqual({ tamperResponses: 1 });
  });

  it('never logs a full payer code', async () => {
    const { pay, log } = setup();
    for (const code of [W.paid, A.failed, W.unknown]) await pay({ order_id: `PQL${code.slice(-2)}01`, pay_code: code });
    const text = log.lines.join('\n');
    for (const code of [W.paid, A.failed, W.unknown]) expect(text).not.toContain(code);
    expect(text).toContain('1345…6700');
    expect(text).not.toContain(SECRET);
  });

  it('test helpers: order views are masked copies; refund turns a paid order into 2', async () => {
    const { pay, sim, order } = setup();
    await pay();
    const v = sim.order('PQ0001A1')!;
    expect(JSON.stringify(v)).not.toContain(W.paid);
    expect(sim.refund('PQ0001A1')).toBe(true);
    expect(sim.refund('PQ0001A1')).toBe(false);
    expect(await order('/pay/check')).toMatchObject({ status: '2' });
    expect(isJsonObject(parseExactJson('{}'))).toBe(true);
  });
});
