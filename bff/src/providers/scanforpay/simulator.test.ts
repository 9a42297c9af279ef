import { describe, expect, it } from 'vitest';
import { beijingIso, FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { createSandboxHub, TAMPER_MODES, type TamperMode } from '../../sandbox/hub';
import { envelopeText, openEnvelope, sealEnvelope, verifyEnvelope } from './envelope';
import { scanforpaySign } from './signature';
import { createScanforpaySimulator, SCANFORPAY_NOTIFY_SCHEDULE_MS } from './simulator';

const PARTNER = '10001';
const STORE = '100010000000002';
const KEY = 'SimulatorTestKey0123456789abcdef';
const BASE = 'http://sandbox.test/sandbox/scanforpay';
const T0 = Date.UTC(2026, 10, 22, 2, 0, 0); // 10:00 Beijing
const MIN = 60_000;

type Answer = { header: Record<string, unknown>; body: Record<string, unknown> };

function setup(opts: { currency?: string; answer?: (n: number) => { status: number; text: string } } = {}) {
  const clock = new FakeClock(T0);
  const random = seededRandom(5);
  const log = memoryLogger();
  const answer = opts.answer ?? (() => ({ status: 200, text: 'success' }));
  const sent: Array<{ url: string; text: string; contentType: string }> = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const n = sent.length;
    sent.push({ url: String(url), text: String(init?.body), contentType: new Headers(init?.headers).get('content-type') ?? '' });
    const a = answer(n);
    return new Response(a.text, { status: a.status });
  }) as typeof globalThis.fetch;
  const hub = createSandboxHub({ clock, random, fetch, log, publicUrl: 'http://sandbox.test', timeScale: 1 });
  const sim = createScanforpaySimulator({ partnerNo: PARTNER, storeNo: STORE, signKey: KEY, currency: opts.currency ?? 'CNY' }, { clock, random, fetch, log, hub });
  hub.register(sim);

  const header = (over: Record<string, unknown> = {}) => ({
    requestTime: beijingIso(clock.now()),
    partnerNo: PARTNER,
    signType: 'SHA256',
    version: '1.0',
    reqMsgId: '615c1195-0cd0-421c-b612-538bf03eabc7',
    ...over,
  });
  const createBody = (over: Record<string, unknown> = {}) => ({
    storeNo: STORE,
    partnerOrderNo: 'PQ0001A1',
    wallet: 'Alipay',
    orderAmount: 1999,
    orderTitle: '一杯咖啡',
    notifyUrl: 'http://shop.test/notify/scanforpay',
    qr_code_it_b_pay: '15m',
    ...over,
  });

  /** POST an envelope: signed over the exact request text unless told otherwise. */
  const post = async (path: string, request: unknown, o: { text?: string; signature?: string | null; contentType?: string } = {}) => {
    const valueText = JSON.stringify(request);
    const signature = o.signature === null ? undefined : (o.signature ?? scanforpaySign(valueText, KEY));
    const res = await hub.handle(
      new Request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': o.contentType ?? 'application/json' }, body: o.text ?? envelopeText('request', valueText, signature) }),
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    const opened = openEnvelope(text, 'response');
    if (!opened.ok) throw new Error(opened.reason);
    return { text, value: opened.value as Answer, verdict: verifyEnvelope(opened, KEY) };
  };
  const create = (body: Record<string, unknown> = {}, headerOver: Record<string, unknown> = {}) => post('/api/offline/create', { header: header(headerOver), body: createBody(body) });
  const query = (partnerOrderNo: string, storeNo = STORE) => post('/api/common/payQuery', { header: header(), body: { storeNo, partnerOrderNo } });
  const act = (partnerOrderNo: string, action: 'pay' | 'decline') => hub.actOnPayerSession(hub.findPayerSession('scanforpay', partnerOrderNo)!.id, action);
  return { clock, hub, sim, sent, log, header, createBody, post, create, query, act };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('scanforpay simulator: create', () => {
  it('answers a valid create in the seed envelope, signed over the exact response text, with the payer page as qrcode', async () => {
    const { create, hub } = setup();
    const res = await create();
    expect(res.verdict).toBe('valid');
    expect(res.value.header).toEqual({ partnerNo: PARTNER, respTime: '2026-11-22T10:00:00+08:00', signType: 'SHA256', version: '1.0', reqMsgId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const session = hub.findPayerSession('scanforpay', 'PQ0001A1')!;
    expect(Object.keys(res.value.body)).toEqual(['code', 'msg', 'orderNo', 'partnerOrderNo', 'qrcode', 'qrcodeImageS', 'qrcodeImageM', 'qrcodeImageL']);
    expect(res.value.body).toMatchObject({ code: 1, msg: 'success', partnerOrderNo: 'PQ0001A1', qrcode: session.url, qrcodeImageS: `${session.url}?picSize=S` });
    expect(res.value.body.orderNo).toMatch(/^20261122100000\d{6}$/);
    expect(session).toMatchObject({ money: { amount: 1999, currency: 'CNY' }, channel: 'alipay', subject: '一杯咖啡', merchantId: STORE, expiresAt: T0 + 15 * MIN });
  });

  it('a JPY store: orderAmount 2000 is ¥2000 on the payer page', async () => {
    const { create, hub } = setup({ currency: 'JPY' });
    await create({ orderAmount: 2000, wallet: 'Wechat' });
    expect(hub.findPayerSession('scanforpay', 'PQ0001A1')).toMatchObject({ money: { amount: 2000, currency: 'JPY' }, channel: 'wechat' });
  });

  it('accepts the optional fields of the seed, and a pretty-printed request signed over its exact text', async () => {
    const { create, post, header, createBody } = setup();
    expect((await create({ operatorId: '211918', terminalNo: '100002', it_b_pay: 'c', qr_code_it_b_pay: undefined })).value.body.code).toBe(1);
    expect((await create({ partnerOrderNo: 'PQ0002A1', orderTitle: undefined, notifyUrl: undefined, qr_code_it_b_pay: undefined })).value.body.code).toBe(1);
    const pretty = JSON.stringify({ header: header(), body: createBody({ partnerOrderNo: 'PQ0003A1' }) }, null, 4);
    const res = await post('/api/offline/create', null, { text: `{\n "request" : ${pretty},\n "signature" : "${scanforpaySign(pretty, KEY)}"\n}` });
    expect(res.value.body.code).toBe(1);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, RegExp]>([
    ['a 16-character storeNo', { storeNo: '1'.repeat(16) }, {}, /storeNo/],
    ['an unknown storeNo', { storeNo: '100010000000009' }, {}, /门店不存在/],
    ['a 33-character partnerOrderNo', { partnerOrderNo: 'P'.repeat(33) }, {}, /partnerOrderNo/],
    ['an empty partnerOrderNo', { partnerOrderNo: '' }, {}, /partnerOrderNo/],
    ['wallet "WeChat" (case matters)', { wallet: 'WeChat' }, {}, /wallet/],
    ['no wallet', { wallet: undefined }, {}, /wallet/],
    ['orderAmount 0', { orderAmount: 0 }, {}, /orderAmount/],
    ['orderAmount 19.99', { orderAmount: 19.99 }, {}, /orderAmount/],
    ['orderAmount as a string', { orderAmount: '1999' }, {}, /orderAmount/],
    ['orderAmount beyond int', { orderAmount: 2_147_483_648 }, {}, /orderAmount/],
    ['a 101-character orderTitle', { orderTitle: 'x'.repeat(101) }, {}, /orderTitle/],
    ['a 21-character operatorId', { operatorId: '1'.repeat(21) }, {}, /operatorId/],
    ['a 21-character terminalNo', { terminalNo: '1'.repeat(21) }, {}, /terminalNo/],
    ['a 201-character notifyUrl', { notifyUrl: `http://shop.test/${'n'.repeat(184)}` }, {}, /notifyUrl/],
    ['a notifyUrl that is not a URL', { notifyUrl: 'shop.test/notify' }, {}, /notifyUrl/],
    ['it_b_pay 1.5h', { it_b_pay: '1.5h' }, {}, /小数点被拒绝/],
    ['it_b_pay 16d', { it_b_pay: '16d' }, {}, /1m-15d/],
    ['qr_code_it_b_pay 3h', { qr_code_it_b_pay: '3h' }, {}, /1m-2h/],
    ['qr_code_it_b_pay 0.5h', { qr_code_it_b_pay: '0.5h' }, {}, /小数点被拒绝/],
    ['qr_code_it_b_pay in days', { qr_code_it_b_pay: '1d' }, {}, /格式错误/],
    ['an unknown body field', { total_amount: '19.99' }, {}, /total_amount/],
    ['a requestTime without +08:00', {}, { requestTime: '2026-11-22T02:00:00Z' }, /requestTime/],
    ['signType MD5', {}, { signType: 'MD5' }, /signType/],
    ['version 2.0', {}, { version: '2.0' }, /version/],
    ['a reqMsgId that is not a UUID', {}, { reqMsgId: '12345' }, /reqMsgId/],
    ['an unknown header field', {}, { charset: 'UTF-8' }, /charset/],
  ])('rejects %s (code 2, signed)', async (_name, body, header, msg) => {
    const { create } = setup();
    const res = await create(body, header);
    expect(res.value.body.code).toBe(2);
    expect(String(res.value.body.msg)).toMatch(msg);
    expect(res.verdict).toBe('valid');
  });

  it('answers code 8 to a wrong, missing or re-serialised signature (signed, as in the seed)', async () => {
    const { post, header, createBody } = setup();
    const request = { header: header(), body: createBody() };
    for (const signature of ['0'.repeat(64), null] as const) {
      const res = await post('/api/offline/create', request, { signature });
      expect(res.value.body).toMatchObject({ code: 8, msg: expect.stringMatching(/签名错误/) });
      expect(res.verdict).toBe('valid');
    }
    // signed over the compact text, sent pretty-printed: not the bytes that were signed
    const pretty = JSON.stringify(request, null, 2);
    const res = await post('/api/offline/create', null, { text: envelopeText('request', pretty, scanforpaySign(JSON.stringify(request), KEY)) });
    expect(res.value.body.code).toBe(8);
  });

  it('answers unsigned code 2 to what it cannot attribute to a partner', async () => {
    const { post, header, createBody } = setup();
    const request = { header: header({ partnerNo: '99999' }), body: createBody() };
    for (const [req, o] of [
      [request, {}],
      [null, { text: 'storeNo=1' }],
      [null, { text: '{"request":{"header":{}}' }],
      [null, { text: '{"req":{}}' }],
      [{ header: header(), body: createBody() }, { contentType: 'application/x-www-form-urlencoded' }],
    ] as const) {
      const res = await post('/api/offline/create', req, o);
      expect(res.value.body.code).toBe(2);
      expect(res.verdict).toBe('missing');
    }
  });

  it('answers code 31 to a partnerOrderNo used before, even for an identical request', async () => {
    const { create } = setup();
    await create();
    expect((await create()).value.body).toMatchObject({ code: 31, msg: expect.stringMatching(/订单重复/) });
    expect((await create({ orderAmount: 1 })).value.body.code).toBe(31);
  });
});

describe('scanforpay simulator: payment, notification, query', () => {
  it('on Pay, posts the signed envelope to notifyUrl until the body is exactly "success", on its schedule', async () => {
    const { create, act, sent, clock, hub } = setup({ answer: (n) => (n === 0 ? { status: 200, text: 'SUCCESS' } : { status: 200, text: 'success' }) });
    await create();
    clock.set(T0 + 3 * MIN);
    expect(await act('PQ0001A1', 'pay')).toMatchObject({ ok: true });
    await settle();
    expect(sent).toHaveLength(1);
    const n = sent[0]!;
    expect(n.url).toBe('http://shop.test/notify/scanforpay');
    expect(n.contentType).toBe('application/json; charset=utf-8');
    const opened = openEnvelope(n.text, 'response');
    if (!opened.ok) throw new Error(opened.reason);
    expect(verifyEnvelope(opened, KEY)).toBe('valid');
    expect(opened.value).toEqual({
      header: { partnerNo: PARTNER, respTime: '2026-11-22T10:03:00+08:00', signType: 'SHA256', version: '1.0', reqMsgId: expect.any(String) },
      body: { storeNo: STORE, partnerOrderNo: 'PQ0001A1', orderNo: expect.stringMatching(/^\d{20}$/), wallet: 'Alipay', orderAmount: 1999, currency: 'CNY', status: 1, payTime: '2026-11-22T10:03:00+08:00' },
    });
    // "SUCCESS" is not "success": retried 15 s later
    await clock.advance(SCANFORPAY_NOTIFY_SCHEDULE_MS[1]! - 1);
    expect(sent).toHaveLength(1);
    await clock.advance(1);
    await settle();
    expect(sent).toHaveLength(2);
    expect(hub.deliveries('scanforpay')[0]).toMatchObject({ state: 'acked', acked: true });
  });

  it('keeps retrying on the documented schedule while unacknowledged', async () => {
    const { create, act, sent, clock, hub } = setup({ answer: () => ({ status: 500, text: 'oops' }) });
    await create();
    await act('PQ0001A1', 'pay');
    await settle();
    for (const delay of SCANFORPAY_NOTIFY_SCHEDULE_MS.slice(1)) {
      await clock.advance(delay);
      await settle();
    }
    expect(sent).toHaveLength(SCANFORPAY_NOTIFY_SCHEDULE_MS.length);
    expect(hub.deliveries('scanforpay')[0]).toMatchObject({ state: 'exhausted', acked: false });
  });

  it('query follows the order: unpaid → paid; decline → failed without a notification (success only)', async () => {
    const { create, act, query, sent } = setup();
    await create();
    const pending = await query('PQ0001A1');
    expect(pending.verdict).toBe('valid');
    expect(pending.value.body).toEqual({ code: 1, msg: 'success', storeNo: STORE, partnerOrderNo: 'PQ0001A1', orderNo: expect.any(String), wallet: 'Alipay', status: 0, orderAmount: 1999, currency: 'CNY' });
    await act('PQ0001A1', 'pay');
    expect((await query('PQ0001A1')).value.body).toMatchObject({ status: 1, payTime: '2026-11-22T10:00:00+08:00' });

    await create({ partnerOrderNo: 'PQ0002A1' });
    await act('PQ0002A1', 'decline');
    expect((await query('PQ0002A1')).value.body).toMatchObject({ status: 2 });
    await settle();
    expect(sent.map((s) => s.text).filter((t) => t.includes('PQ0002A1'))).toHaveLength(0);
  });

  it('sends no notification when no notifyUrl was given (seed: 如果不填，则支付成功不会进行通知)', async () => {
    const { create, act, sent } = setup();
    await create({ notifyUrl: undefined });
    await act('PQ0001A1', 'pay');
    await settle();
    expect(sent).toHaveLength(0);
  });

  it('answers 30 for an order it never saw, and 2 for another store', async () => {
    const { query } = setup();
    expect((await query('PQ9999')).value.body).toMatchObject({ code: 30, msg: '订单不存在' });
    expect((await query('PQ9999', '100010000000009')).value.body).toMatchObject({ code: 2 });
  });

  it('the QR lapses by its expiry field: qr_code_it_b_pay, the 3m default, it_b_pay=c at 0:00 Beijing', async () => {
    const { create, act, query, clock, hub, sim } = setup();
    await create({ qr_code_it_b_pay: '10m' });
    await create({ partnerOrderNo: 'PQ0002A1', qr_code_it_b_pay: undefined });
    await create({ partnerOrderNo: 'PQ0003A1', qr_code_it_b_pay: undefined, it_b_pay: 'c' });
    expect(sim.order('PQ0002A1')).toMatchObject({ expiry: 'it_b_pay=3m (default)', lapsesAt: T0 + 3 * MIN });
    expect(sim.order('PQ0003A1')?.lapsesAt).toBe(Date.UTC(2026, 10, 22, 16, 0, 0));
    await clock.advance(10 * MIN);
    expect(await act('PQ0001A1', 'pay')).toMatchObject({ ok: false, reason: 'expired' });
    expect(hub.findPayerSession('scanforpay', 'PQ0002A1')?.state).toBe('expired');
    // the seed has no "closed" status: still 0, and the message says why
    expect((await query('PQ0001A1')).value.body).toMatchObject({ status: 0, msg: '未支付，二维码已过期' });
    expect(await act('PQ0003A1', 'pay')).toMatchObject({ ok: true });
  });

  it('refund helper: a paid order reports status 3', async () => {
    const { create, act, query, sim } = setup();
    await create();
    expect(sim.refund('PQ0001A1')).toBe(false);
    await act('PQ0001A1', 'pay');
    expect(sim.refund('PQ0001A1')).toBe(true);
    expect((await query('PQ0001A1')).value.body).toMatchObject({ status: 3 });
  });
});

describe('scanforpay simulator: faults', () => {
  it('needQuery: code 21 on create, and the order exists', async () => {
    const { create, query, hub } = setup();
    hub.faults.set('scanforpay', { needQuery: 1 });
    const res = await create();
    expect(res.value.body).toMatchObject({ code: 21 });
    expect(res.verdict).toBe('valid');
    expect((await query('PQ0001A1')).value.body).toMatchObject({ code: 1, status: 0 });
  });

  it('tamperResponses: the answer is altered after signing (create: qrcode; query: status)', async () => {
    const { create, query, hub } = setup();
    hub.faults.set('scanforpay', { tamperResponses: 2 });
    const c = await create();
    expect(c.verdict).toBe('invalid');
    expect(c.value.body.qrcode).toBe('https://qr.attacker.invalid/pay');
    const q = await query('PQ0001A1');
    expect(q.verdict).toBe('invalid');
    expect(q.value.body.status).toBe(1);
    expect((await query('PQ0001A1')).verdict).toBe('valid');
  });

  it.each(TAMPER_MODES)('tamperNotifications %s', async (mode: TamperMode) => {
    const { create, act, sent, hub } = setup({ answer: () => ({ status: 200, text: 'fail' }) });
    hub.faults.set('scanforpay', { tamperNotifications: 1, tamperMode: mode });
    await create();
    await act('PQ0001A1', 'pay');
    await settle();
    expect(hub.deliveries('scanforpay')[0]?.attempts[0]?.tampered).toBe(mode);
    if (mode === 'added-field' || mode === 'added-proto-field') {
      // the genuine signed envelope with a member beside "response" and "signature"
      const name = mode === 'added-field' ? 'notifyTime' : '__proto__';
      expect(sent[0]!.text).toMatch(new RegExp(`^\\{"response":\\{.*\\},"signature":"[0-9a-f]{64}","${name}":"[^"]+"\\}$`));
      expect(openEnvelope(sent[0]!.text, 'response')).toEqual({ ok: false, reason: `member "${name}" beside "response" is not covered by the signature` });
      return;
    }
    const opened = openEnvelope(sent[0]!.text, 'response');
    if (!opened.ok) throw new Error(opened.reason);
    const body = (opened.value as Answer).body;
    const verdict = verifyEnvelope(opened, KEY);
    expect(hub.deliveries('scanforpay')[0]?.attempts[0]?.tampered).toBe(mode);
    switch (mode) {
      case 'amount':
        expect([verdict, body.orderAmount]).toEqual(['invalid', 1]);
        break;
      case 'strip-signature':
        expect([verdict, opened.signature]).toEqual(['missing', undefined]);
        break;
      case 'resigned-amount':
        expect([verdict, body.orderAmount]).toEqual(['valid', 1]);
        break;
      case 'resigned-merchant':
        expect([verdict, body.storeNo]).toEqual(['valid', '100010000000009']);
        break;
      case 'resigned-order':
        expect(verdict).toBe('valid');
        expect(body.partnerOrderNo).toMatch(/^X[A-Za-z0-9]{20}$/);
        break;
    }
  });

  it('serves only POST on its two paths, and never logs the key', async () => {
    const { hub, create, post, header, createBody, act, log } = setup();
    expect((await hub.handle(new Request(`${BASE}/api/offline/create`))).status).toBe(405);
    expect((await hub.handle(new Request(`${BASE}/api/offline/close`, { method: 'POST' }))).status).toBe(404);
    await create();
    await post('/api/offline/create', { header: header(), body: createBody() }, { signature: 'f'.repeat(64) });
    await act('PQ0001A1', 'pay');
    await settle();
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.join('\n')).not.toContain(KEY);
    expect(sealEnvelope('response', {}, KEY).text).not.toContain(KEY);
  });
});
