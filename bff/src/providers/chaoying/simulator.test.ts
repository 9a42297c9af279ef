import { describe, expect, it } from 'vitest';
import { beijingCompact, FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { createSandboxHub } from '../../sandbox/hub';
import { chaoyingSign, verifyChaoyingSignature } from './signature';
import { CHAOYING_NOTIFY_SCHEDULE_MS, createChaoyingSimulator } from './simulator';

const AGENT = '13000000000000000';
const MCH = '00000001';
const KEY = 'SimulatorTestKey0123456789abcdef';
const GATEWAY = 'http://sandbox.test/sandbox/chaoying/v2/UnifiedPay/Gateway';

function setup(answer: (n: number) => { status: number; text: string } = () => ({ status: 200, text: 'success' })) {
  const clock = new FakeClock();
  const random = seededRandom(5);
  const log = memoryLogger();
  const sent: Array<{ url: string; fields: Record<string, string>; contentType: string }> = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const n = sent.length;
    sent.push({ url: String(url), fields: Object.fromEntries(new URLSearchParams(String(init?.body))), contentType: new Headers(init?.headers).get('content-type') ?? '' });
    const a = answer(n);
    return new Response(a.text, { status: a.status });
  }) as typeof globalThis.fetch;
  const hub = createSandboxHub({ clock, random, fetch, log, publicUrl: 'http://sandbox.test', timeScale: 1 });
  const sim = createChaoyingSimulator({ agentId: AGENT, mchId: MCH, key: KEY }, { clock, random, fetch, log, hub });
  hub.register(sim);

  const call = async (fields: Record<string, string | undefined>, opts: { sign?: string | false; contentType?: string; raw?: string } = {}) => {
    const f: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) f[k] = v;
    if (opts.sign !== false) f.sign = opts.sign ?? chaoyingSign(f, KEY);
    const res = await hub.handle(
      new Request(GATEWAY, {
        method: 'POST',
        headers: { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded' },
        body: opts.raw ?? new URLSearchParams(f).toString(),
      }),
    );
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, string>;
  };

  const now = clock.now();
  const preOrder = (over: Record<string, string | undefined> = {}) => ({
    method: 'PreOrder_WECHAT',
    agent_id: AGENT,
    pid: 'payqr',
    version: '1.0',
    nonce_str: 'abc',
    mch_id: MCH,
    body: '一杯咖啡',
    out_trade_no: 'PQ0001A1',
    total_fee: '1999',
    trade_type: 'NATIVE',
    product_id: 'PQ0001A1',
    notify_url: 'http://shop.test/notify/chaoying',
    time_start: beijingCompact(now),
    time_expire: beijingCompact(now + 15 * 60_000),
    ...over,
  });
  const query = (outTradeNo: string, method = 'orderquery') => call({ method, agent_id: AGENT, pid: 'payqr', version: '1.0', nonce_str: 'q', mch_id: MCH, out_trade_no: outTradeNo });
  return { clock, hub, sim, sent, call, preOrder, query, log };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('chaoying simulator: pre-order', () => {
  it('answers a valid NATIVE pre-order in the seed shape, signed, with the payer page as code_url', async () => {
    const { call, preOrder, hub } = setup();
    const res = await call(preOrder());
    expect(res).toMatchObject({ state: 'SUCCESS', code: '10000', trade_state: 'SUCCESS', msg: 'SUCCESS', mch_id: MCH, out_trade_no: 'PQ0001A1' });
    expect(verifyChaoyingSignature(res, KEY)).toBe('valid');
    const session = hub.findPayerSession('chaoying', 'PQ0001A1');
    expect(res.code_url).toBe(session?.url);
    expect(session).toMatchObject({ money: { amount: 1999, currency: 'CNY' }, channel: 'wechat', subject: '一杯咖啡', merchantId: MCH });
  });

  it.each<[string, Record<string, string | undefined>, string, RegExp]>([
    ['unknown agent', { agent_id: '1' }, '20004', /代理商不存在/],
    ['unknown merchant', { mch_id: '99999999' }, '20004', /商户不存在/],
    ['missing method', { method: undefined }, '20004', /method/],
    ['unknown method', { method: 'PreOrder_UNIONPAY' }, '20004', /method 不支持/],
    ['wrong version', { version: '2.0' }, '20004', /version/],
    ['missing body', { body: undefined }, '20004', /body/],
    ['4-character out_trade_no', { out_trade_no: 'PQ01' }, '20004', /out_trade_no/],
    ['33-character out_trade_no', { out_trade_no: 'P'.repeat(33) }, '20004', /out_trade_no/],
    ['out_trade_no with a dash', { out_trade_no: 'PQ-0001' }, '20004', /out_trade_no/],
    ['zero total_fee', { total_fee: '0' }, '20004', /total_fee/],
    ['decimal total_fee', { total_fee: '19.99' }, '20004', /total_fee/],
    ['unknown trade_type', { trade_type: 'MICROPAY' }, '20004', /trade_type/],
    ['NATIVE without product_id', { product_id: undefined }, '20004', /product_id/],
    ['notify_url with a query string', { notify_url: 'http://shop.test/notify?x=1' }, '20004', /不能携带参数/],
    ['notify_url not a URL', { notify_url: 'shop.test/notify' }, '20004', /notify_url/],
    ['time_expire in another format', { time_expire: '2026-11-22 10:15:00' }, '20004', /time_expire/],
    ['time_expire not a date', { time_expire: '20261341101500' }, '20004', /time_expire 不是有效时间/],
    ['time_expire in the past', { time_expire: '20200101000000', time_start: '20191231000000' }, '20004', /time_expire 已过期/],
    ['time_expire before time_start', { time_start: '20261122110000' }, '20004', /晚于/],
    ['an unknown field', { total_amount: '19.99' }, '20004', /total_amount/],
    ['WeChat JSPAY without sub_appid', { trade_type: 'JSPAY', buyer_id: 'o1' }, '20004', /sub_appid/],
    ['Alipay JSPAY without a buyer', { method: 'PreOrder_ALIPAY', trade_type: 'JSPAY' }, '20004', /buyer_id/],
    ['e-CNY JSPAY', { method: 'PreOrder_ECNY', trade_type: 'JSPAY', buyer_id: 'x' }, '20004', /数币/],
    ['e-CNY goods_tag', { method: 'PreOrder_ECNY', goods_tag: 'CY_PROMOTION_001' }, '20004', /goods_tag/],
    ['goods_detail not JSON', { goods_detail: '[{' }, '20004', /goods_detail/],
    ['goods_detail with a bad goods_id', { goods_detail: '[{"goods_id":"商品","quantity":1,"price":1}]' }, '20004', /goods_id/],
    ['limit_pay other than no_credit', { limit_pay: 'NO_DEBIT' }, '20004', /limit_pay/],
  ])('rejects %s (unsigned state=FAIL)', async (_name, over, code, msg) => {
    const { call, preOrder } = setup();
    const res = await call(preOrder(over));
    expect(res).toMatchObject({ state: 'FAIL', code });
    expect(res.msg).toMatch(msg);
    expect(res.sign).toBeUndefined();
  });

  it('accepts the optional fields of the seed', async () => {
    const { call, preOrder } = setup();
    const res = await call(
      preOrder({
        attach: '说明',
        device_info: '013467007045764',
        mch_create_ip: '114.114.114.114',
        op_shop_id: '00000001',
        op_user_id: '00000001',
        limit_pay: 'no_credit',
        goods_tag: 'CY_PROMOTION_001',
        goods_detail: '[{"goods_id":"CY000","goods_name":"促销单品","quantity":1,"price":1}]',
        profit_sharing: 'N',
        sign_type: 'MD5',
      }),
    );
    expect(res).toMatchObject({ state: 'SUCCESS', code: '10000' });
  });

  it('answers 20002 to a wrong signature and 20004 to a missing one', async () => {
    const { call, preOrder } = setup();
    expect(await call(preOrder(), { sign: '0'.repeat(32) })).toEqual({ state: 'FAIL', code: '20002', msg: '签名错误 sign error' });
    expect(await call(preOrder(), { sign: false })).toMatchObject({ state: 'FAIL', code: '20004' });
    // signed with the key but a field changed afterwards
    const f = preOrder();
    const sign = chaoyingSign(f, KEY);
    expect(await call({ ...f, total_fee: '1' }, { sign })).toMatchObject({ code: '20002' });
  });

  it('refuses duplicated fields and non-form bodies', async () => {
    const { call, preOrder } = setup();
    expect(await call(preOrder(), { raw: 'method=a&method=b' })).toMatchObject({ code: '20004', msg: expect.stringMatching(/重复/) });
    expect(await call(preOrder(), { contentType: 'application/json', raw: JSON.stringify(preOrder()) })).toMatchObject({ code: '20004' });
  });

  it('answers the same request again idempotently, and refuses a reused out_trade_no otherwise', async () => {
    const { call, preOrder } = setup();
    const first = await call(preOrder());
    expect(await call(preOrder({ nonce_str: 'other' }))).toEqual(first);
    const dup = await call(preOrder({ total_fee: '1' }));
    expect(dup).toMatchObject({ state: 'SUCCESS', code: '20004', trade_state: 'FAIL' });
    expect(verifyChaoyingSignature(dup, KEY)).toBe('valid');
  });

  it('answers JSPAY with pay_info for WeChat and Alipay', async () => {
    const { call, preOrder } = setup();
    const wx = await call(preOrder({ trade_type: 'JSPAY', sub_appid: 'wxaee08d155d9de0c5', buyer_id: 'oRA5qu', product_id: undefined }));
    expect(wx).toMatchObject({ state: 'SUCCESS', code: '10000', appid: 'wxaee08d155d9de0c5', sub_openid: 'oRA5qu' });
    expect(wx.code_url).toBeUndefined();
    const info = JSON.parse(wx.pay_info ?? '{}') as Record<string, string>;
    expect(Object.keys(info)).toEqual(['appId', 'timeStamp', 'status', 'signType', 'package', 'callback_url', 'nonceStr', 'paySign']);
    expect(info.package).toMatch(/^prepay_id=wx/);
    const ali = await call(preOrder({ method: 'PreOrder_ALIPAY', out_trade_no: 'PQ0002A1', trade_type: 'JSPAY', buyer_id: '2088822494428872' }));
    expect(JSON.parse(ali.pay_info ?? '{}')).toHaveProperty('tradeNO');
    expect(ali.pay_url).toMatch(/\/sandbox\/pay\//);
  });
});

describe('chaoying simulator: the sandbox wallet pays JSPAY orders', () => {
  const bridge = (info: Record<string, string>) => {
    const { appId, timeStamp, nonceStr, package: pkg, signType, paySign } = info;
    return { appId, timeStamp, nonceStr, package: pkg, signType, paySign } as Record<string, string>;
  };

  it('signs WeChat pay_info over the five fields getBrandWCPayRequest verifies, and finds the order by them', async () => {
    const { call, preOrder, sim, hub } = setup();
    const wx = await call(preOrder({ trade_type: 'JSPAY', sub_appid: 'wxaee08d155d9de0c5', buyer_id: 'oRA5qu', product_id: undefined }));
    const info = JSON.parse(wx.pay_info!) as Record<string, string>;
    const { paySign, status: _status, callback_url: _cb, ...rest } = info;
    expect(paySign).toBe(chaoyingSign({ appId: rest.appId, timeStamp: rest.timeStamp, nonceStr: rest.nonceStr, package: rest.package, signType: 'MD5' }, KEY));
    expect(sim.wallet.wechatPay!(bridge(info))).toEqual({ ok: true, sessionId: hub.findPayerSession('chaoying', 'PQ0001A1')!.id });
  });

  it('refuses WeChat bridge parameters that are not exactly the six, or do not verify', async () => {
    const { call, preOrder, sim } = setup();
    const wx = await call(preOrder({ trade_type: 'JSPAY', sub_appid: 'wxaee08d155d9de0c5', buyer_id: 'oRA5qu', product_id: undefined }));
    const info = JSON.parse(wx.pay_info!) as Record<string, string>;
    const ok = bridge(info);
    const { timeStamp, ...noTimeStamp } = ok;
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['the whole pay_info (extra status, callback_url)', info, /exactly/],
      ['timestamp instead of timeStamp', { ...noTimeStamp, timestamp: timeStamp }, /exactly/],
      ['appid instead of appId', { ...ok, appId: undefined, appid: ok.appId }, /exactly/],
      ['a changed timeStamp', { ...ok, timeStamp: String(Number(timeStamp) + 1) }, /paySign/],
      ['a wrong paySign', { ...ok, paySign: ok.paySign!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }, /paySign/],
      ['another prepay_id', { ...ok, package: 'prepay_id=wx000' }, /prepay_id/],
    ];
    for (const [name, params, reason] of cases) {
      const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
      const r = sim.wallet.wechatPay!(clean);
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.reason, name).toMatch(reason);
    }
    expect(sim.wallet.wechatPay!({ ...ok, paySign: ok.paySign!.toLowerCase() }).ok).toBe(true);
  });

  it('finds an Alipay JSPAY order by its tradeNO, and refuses a paid or unknown one', async () => {
    const { call, preOrder, sim, hub } = setup();
    const ali = await call(preOrder({ method: 'PreOrder_ALIPAY', out_trade_no: 'PQ0002A1', trade_type: 'JSPAY', buyer_id: '2088822494428872' }));
    const { tradeNO } = JSON.parse(ali.pay_info!) as { tradeNO: string };
    const found = sim.wallet.alipayTradePay!({ tradeNO });
    expect(found).toEqual({ ok: true, sessionId: hub.findPayerSession('chaoying', 'PQ0002A1')!.id });
    await hub.actOnPayerSession(hub.findPayerSession('chaoying', 'PQ0002A1')!.id, 'pay');
    expect(sim.wallet.alipayTradePay!({ tradeNO })).toMatchObject({ ok: false, reason: expect.stringMatching(/paid/) });
    expect(sim.wallet.alipayTradePay!({ tradeNO: '123' }).ok).toBe(false);
    expect(sim.wallet.alipayTradePay!({}).ok).toBe(false);
  });
});

describe('chaoying simulator: payment, notification, query, close', () => {
  it('on Pay, posts the seed notification until the body is exactly "success", on the seed schedule', async () => {
    const { call, preOrder, hub, sent, clock } = setup((n) => (n === 0 ? { status: 200, text: 'SUCCESS' } : { status: 200, text: 'success' }));
    await call(preOrder({ attach: 'a1' }));
    const session = hub.findPayerSession('chaoying', 'PQ0001A1')!;
    const paidAt = clock.now();
    expect(await hub.actOnPayerSession(session.id, 'pay')).toMatchObject({ ok: true });
    await settle();
    expect(sent).toHaveLength(1);
    const n = sent[0]!;
    expect(n.url).toBe('http://shop.test/notify/chaoying');
    expect(n.contentType).toBe('application/x-www-form-urlencoded');
    expect(n.fields).toMatchObject({
      state: 'SUCCESS',
      result_code: 'SUCCESS',
      mch_id: MCH,
      pay_result: '0',
      out_trade_no: 'PQ0001A1',
      total_fee: '1999',
      fee_type: 'CNY',
      time_end: beijingCompact(paidAt),
      trade_type: 'pay.weixin.native',
      bank_type: 'CFT',
      attach: 'a1',
    });
    expect(n.fields.transaction_id).toMatch(/^\d{30}$/);
    expect(n.fields.out_transaction_id).toMatch(/^42000\d{23}$/);
    expect(n.fields.nonce_str).toHaveLength(32);
    expect(verifyChaoyingSignature(n.fields, KEY)).toBe('valid');
    // "SUCCESS" is not "success": retried 15 s later
    await clock.advance(CHAOYING_NOTIFY_SCHEDULE_MS[1]! - 1);
    expect(sent).toHaveLength(1);
    await clock.advance(1);
    await settle();
    expect(sent).toHaveLength(2);
    expect(hub.deliveries('chaoying')[0]).toMatchObject({ state: 'acked', acked: true });
  });

  it('query follows the order: unpaid → paid; decline → failed with a failure notification', async () => {
    const { call, preOrder, hub, query, sent } = setup();
    await call(preOrder());
    const pending = await query('PQ0001A1');
    expect(pending).toMatchObject({ state: 'SUCCESS', code: '10003', trade_state: 'NEED_QUERY', pay_status: '3', total_fee: '1999', mch_id: MCH });
    expect(verifyChaoyingSignature(pending, KEY)).toBe('valid');
    await hub.actOnPayerSession(hub.findPayerSession('chaoying', 'PQ0001A1')!.id, 'pay');
    expect(await query('PQ0001A1')).toMatchObject({ code: '10000', trade_state: 'SUCCESS', pay_status: '1', time_end: expect.stringMatching(/^\d{14}$/) });

    await call(preOrder({ out_trade_no: 'PQ0002A1', method: 'PreOrder_ALIPAY' }));
    await hub.actOnPayerSession(hub.findPayerSession('chaoying', 'PQ0002A1')!.id, 'decline');
    expect(await query('PQ0002A1')).toMatchObject({ code: '10006', pay_status: '2' });
    await settle();
    const failure = sent.find((s) => s.fields.out_trade_no === 'PQ0002A1');
    expect(failure?.fields).toMatchObject({ pay_result: '1', trade_type: 'pay.alipay.native', buyer_user_id: expect.stringMatching(/^2088\d{12}$/) });
  });

  it('answers 10002 (assumed) for an order it never saw', async () => {
    const { query } = setup();
    expect(await query('PQ9999')).toMatchObject({ state: 'SUCCESS', code: '10002', trade_state: 'FAIL' });
  });

  it('close makes the order unpayable; a paid order cannot be closed', async () => {
    const { call, preOrder, hub, query } = setup();
    await call(preOrder());
    expect(await query('PQ0001A1', 'close')).toMatchObject({ state: 'SUCCESS', code: '10000', trade_state: 'SUCCESS', pay_status: '5' });
    expect(await query('PQ0001A1')).toMatchObject({ code: '10004', pay_status: '5' });
    expect(await hub.actOnPayerSession(hub.findPayerSession('chaoying', 'PQ0001A1')!.id, 'pay')).toMatchObject({ ok: false, reason: 'closed' });
    expect(await query('PQ0001A1', 'close')).toMatchObject({ code: '10004', trade_state: 'SUCCESS' });

    await call(preOrder({ out_trade_no: 'PQ0002A1' }));
    await hub.actOnPayerSession(hub.findPayerSession('chaoying', 'PQ0002A1')!.id, 'pay');
    expect(await query('PQ0002A1', 'close')).toMatchObject({ code: '20004', trade_state: 'FAIL', pay_status: '1' });
  });

  it('closes unpaid orders at time_expire (GMT+8), and Alipay ignores time_expire without time_start', async () => {
    const { call, preOrder, hub, query, clock } = setup();
    await call(preOrder());
    await clock.advance(15 * 60_000);
    expect(await query('PQ0001A1')).toMatchObject({ code: '10004', pay_status: '5' });
    expect(hub.findPayerSession('chaoying', 'PQ0001A1')?.state).toBe('expired');

    await call(preOrder({ method: 'PreOrder_ALIPAY', out_trade_no: 'PQ0002A1', time_start: undefined, time_expire: beijingCompact(clock.now() + 60_000) }));
    await clock.advance(10 * 60_000);
    expect(await query('PQ0002A1')).toMatchObject({ pay_status: '3' });
  });

  it('refund helper: a paid order reports REFUND / pay_status 0', async () => {
    const { call, preOrder, hub, query, sim } = setup();
    await call(preOrder());
    expect(sim.refund('PQ0001A1')).toBe(false);
    await hub.actOnPayerSession(hub.findPayerSession('chaoying', 'PQ0001A1')!.id, 'pay');
    expect(sim.refund('PQ0001A1')).toBe(true);
    expect(await query('PQ0001A1')).toMatchObject({ trade_state: 'REFUND', pay_status: '0' });
  });

  it('serves only POST on the gateway path', async () => {
    const { hub } = setup();
    expect((await hub.handle(new Request(GATEWAY))).status).toBe(405);
    expect((await hub.handle(new Request('http://sandbox.test/sandbox/chaoying/Open/WECHAT_PreOrder', { method: 'POST' }))).status).toBe(404);
  });

  it('never logs the key', async () => {
    const { call, preOrder, hub, log } = setup();
    await call(preOrder());
    await call(preOrder(), { sign: 'F'.repeat(32) });
    await hub.actOnPayerSession(hub.findPayerSession('chaoying', 'PQ0001A1')!.id, 'pay');
    await settle();
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.join('\n')).not.toContain(KEY);
  });
});
