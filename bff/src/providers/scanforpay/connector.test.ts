import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { createSandboxHub } from '../../sandbox/hub';
import { paymentInputs, T0 } from '../testing/fixtures';
import type { RawNotification } from '../types';
import { createScanforpayConnector, SCANFORPAY_LAPSE_GRACE_MS, type ScanforpayQueryRef } from './connector';
import { envelopeText, openEnvelope, sealEnvelope } from './envelope';
import { SEED_SUCCESS_RESPONSE_VERBATIM } from './seed-examples';
import { scanforpaySign } from './signature';
import { createScanforpaySimulator } from './simulator';

const merchant = { partnerNo: '10001', storeNo: '100010000000002', currency: 'CNY' };
const KEY = 'ConnectorTestKey0123456789abcdef';
const MIN = 60_000;

const input = paymentInputs({ outTradeNo: 'PQ20261122A01', expiresAt: T0 + 15 * MIN, notifyUrl: 'https://shop.example/api/notify/scanforpay' });
const ref: ScanforpayQueryRef = { outTradeNo: 'PQ20261122A01', createdAt: T0, channel: 'wechat', scene: 'qr' };

interface Sent {
  url: string;
  text: string;
  contentType: string;
  request: { header: Record<string, unknown>; body: Record<string, unknown> };
}

/** A connector against a scripted gateway: every answer is what the test returns. */
function scripted(answer: (req: Sent, n: number) => Response | Promise<Response>, clock = new FakeClock(T0)) {
  const requests: Sent[] = [];
  const log = memoryLogger();
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const text = String(init?.body);
    const opened = openEnvelope(text, 'request');
    const sent: Sent = {
      url: String(url),
      text,
      contentType: new Headers(init?.headers).get('content-type') ?? '',
      request: (opened.ok ? opened.value : {}) as Sent['request'],
    };
    requests.push(sent);
    return answer(sent, requests.length - 1);
  }) as typeof globalThis.fetch;
  const connector = createScanforpayConnector({ merchant, signKey: KEY, baseUrl: 'https://pay.scanforpay.example/', timeoutMs: 200 }, { clock, random: seededRandom(9), fetch, log: log.child('scanforpay') });
  return { connector, requests, log, clock };
}

const header = { partnerNo: '10001', respTime: '2026-11-22T10:00:01+08:00', signType: 'SHA256', version: '1.0', reqMsgId: 'a47ceb57-9c1c-4190-88ec-30ae1e413d89' };
const okBody = { code: 1, msg: 'success', orderNo: '2026112210000001', partnerOrderNo: 'PQ20261122A01', qrcode: 'https://qr.alipay.com/bax01968y4zlr8n4usrb40b7' };
const json = (text: string, status = 200) => new Response(text, { status, headers: { 'content-type': 'application/json' } });
const signedAnswer = (body: object) => json(sealEnvelope('response', { header, body }, KEY).text);
const statusBody = (status: number, over: object = {}) => ({
  code: 1,
  msg: 'success',
  storeNo: merchant.storeNo,
  partnerOrderNo: 'PQ20261122A01',
  orderNo: '2026112210000001',
  wallet: 'Wechat',
  status,
  orderAmount: 1999,
  currency: 'CNY',
  ...(status === 1 ? { payTime: '2026-11-22T10:03:00+08:00' } : {}),
  ...over,
});

describe('scanforpay connector: the wire', () => {
  it('posts the seed envelope to {BASE_URL}/api/offline/create, signed over the exact request text, and never sends the key', async () => {
    const { connector, requests, log } = scripted(() => signedAnswer(okBody));
    expect(await connector.createPayment(input())).toEqual({ outcome: 'created', action: { kind: 'qr', content: okBody.qrcode }, providerTradeNo: okBody.orderNo });
    const r = requests[0]!;
    expect(r.url).toBe('https://pay.scanforpay.example/api/offline/create');
    expect(r.contentType).toBe('application/json; charset=utf-8');
    const valueText = JSON.stringify(r.request);
    // the envelope is built around the one serialisation that was hashed
    expect(r.text).toBe(`{"request":${valueText},"signature":"${scanforpaySign(valueText, KEY)}"}`);
    expect(r.request.header).toEqual({ requestTime: '2026-11-22T10:00:00+08:00', partnerNo: '10001', signType: 'SHA256', version: '1.0', reqMsgId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) });
    expect(r.request.body).toEqual({
      storeNo: merchant.storeNo,
      partnerOrderNo: 'PQ20261122A01',
      wallet: 'Wechat',
      orderAmount: 1999,
      orderTitle: '一杯咖啡',
      notifyUrl: 'https://shop.example/api/notify/scanforpay',
      qr_code_it_b_pay: '15m',
    });
    expect(r.text).not.toContain(KEY);
    const lines = log.lines.join('\n');
    expect(lines).not.toContain(KEY);
    expect(log.lines.some((l) => l.startsWith('[scanforpay][create] created') && l.includes('"attempt":"att_1"') && l.includes('"outTradeNo":"PQ20261122A01"'))).toBe(true);
  });

  it('gives every request its own reqMsgId from the injected Random', async () => {
    const { connector, requests } = scripted(() => signedAnswer(statusBody(0)));
    await connector.queryPayment(ref);
    await connector.queryPayment(ref);
    expect(requests[0]!.request.header.reqMsgId).not.toBe(requests[1]!.request.header.reqMsgId);
    expect(requests[0]!.url).toBe('https://pay.scanforpay.example/api/common/payQuery');
    expect(requests[0]!.request.body).toEqual({ storeNo: merchant.storeNo, partnerOrderNo: 'PQ20261122A01' });
  });

  it('verifies the answer on the exact text received: a pretty-printed answer signed as sent is believed', async () => {
    const pretty = JSON.stringify({ header, body: okBody }, null, 4);
    const text = `{\n  "response": ${pretty},\n  "signature": "${scanforpaySign(pretty, KEY)}"\n}`;
    const { connector } = scripted(() => json(text));
    expect(await connector.createPayment(input())).toMatchObject({ outcome: 'created' });
  });

  it('refuses an answer whose signature only matches a re-serialisation of what was received', async () => {
    const compact = JSON.stringify({ header, body: okBody });
    const pretty = JSON.stringify({ header, body: okBody }, null, 2);
    const { connector } = scripted(() => json(envelopeText('response', pretty, scanforpaySign(compact, KEY))));
    expect(await connector.createPayment(input())).toMatchObject({ outcome: 'unknown', reason: expect.stringMatching(/^bad_signature/) });
  });

  const signedWith = (key: string) => json(sealEnvelope('response', { header, body: okBody }, key).text);
  it.each<[string, () => Response | Promise<Response>, object]>([
    ['HTTP 503', () => new Response('busy', { status: 503 }), { outcome: 'unknown', reason: 'HTTP 503' }],
    ['HTTP 404', () => new Response('no', { status: 404 }), { outcome: 'failed', code: 'http_404' }],
    ['an HTML 200', () => new Response('<html>proxy</html>'), { outcome: 'unknown', reason: expect.stringMatching(/unreadable answer/) }],
    ["the seed's verbatim example (trailing comma)", () => json(SEED_SUCCESS_RESPONSE_VERBATIM), { outcome: 'unknown', reason: expect.stringMatching(/unreadable answer/) }],
    ['an envelope without "response"', () => json('{"request":{},"signature":"x"}'), { outcome: 'unknown', reason: expect.stringMatching(/no "response" member/) }],
    [
      'two "response" members',
      () => {
        const v = JSON.stringify({ header, body: okBody });
        return json(`{"response":${v},"response":${v},"signature":"${scanforpaySign(v, KEY)}"}`);
      },
      { outcome: 'unknown', reason: expect.stringMatching(/appears twice/) },
    ],
    ['a signed answer without body.code', () => signedAnswer({ msg: 'x' }), { outcome: 'unknown', reason: expect.stringMatching(/usable header\/body\.code/) }],
    ['a network error', () => Promise.reject(new TypeError('fetch failed')), { outcome: 'unknown', reason: 'network error: fetch failed' }],
    ['no answer in time', () => new Promise<Response>(() => {}), { outcome: 'unknown', reason: 'no answer within 200 ms' }],
    ['an unsigned success', () => json(envelopeText('response', JSON.stringify({ header, body: okBody }), undefined)), { outcome: 'unknown', reason: expect.stringMatching(/^missing_signature/) }],
    ['a success signed with another key', () => signedWith('another key'), { outcome: 'unknown', reason: expect.stringMatching(/^bad_signature/) }],
    ['code 21 (result unknown)', () => signedAnswer({ code: 21, msg: '结果未知' }), { outcome: 'unknown', reason: expect.stringMatching(/result unknown/) }],
    ['code 8, signed', () => signedAnswer({ code: 8, msg: '签名错误' }), { outcome: 'failed', code: '8', message: '签名错误' }],
    ['code 8, unsigned', () => json(envelopeText('response', JSON.stringify({ header: {}, body: { code: 8, msg: '签名错误' } }), undefined)), { outcome: 'failed', code: '8' }],
    ['code 31 (duplicate order)', () => signedAnswer({ code: 31, msg: '订单重复' }), { outcome: 'failed', code: '31' }],
    ['an unsigned unknown code', () => json(envelopeText('response', JSON.stringify({ header: {}, body: { code: 500, msg: '系统繁忙' } }), undefined)), { outcome: 'unknown' }],
  ])('create with %s', async (_name, answer, expected) => {
    const { connector } = scripted(answer);
    expect(await connector.createPayment(input())).toEqual(expect.objectContaining(expected));
  });

  it('logs a clear hint when scanforpay rejects our signature, without the key', async () => {
    const { connector, log } = scripted(() => signedAnswer({ code: 8, msg: '签名错误' }));
    await connector.createPayment(input());
    expect(log.lines.some((l) => l.startsWith('[scanforpay][create] scanforpay rejected our signature: check PAYQR_SCANFORPAY_SIGN_KEY'))).toBe(true);
    expect(log.lines.join('\n')).not.toContain(KEY);
  });

  it('charges only the store currency: CNY here, so JPY is refused before anything is sent', async () => {
    const { connector, requests } = scripted(() => signedAnswer(okBody));
    expect(connector.supportsCurrency('CNY')).toBe(true);
    expect(connector.supportsCurrency('JPY')).toBe(false);
    await expect(connector.createPayment(input({ money: { amount: 2000, currency: 'JPY' } }))).rejects.toThrow(/CNY only/);
    expect(requests).toHaveLength(0);
    expect(connector.capabilities).toEqual([
      { channel: 'wechat', scene: 'qr' },
      { channel: 'alipay', scene: 'qr' },
    ]);
    expect(connector.querySchedule).toEqual({ firstDelayMs: 5_000, intervalMs: 5_000, deadlineMs: 120_000 });
    expect(connector.merchantId).toBe(merchant.storeNo);
  });

  it('query: transport failures and unverifiable answers are unknown, never paid', async () => {
    expect(await scripted(() => signedAnswer(statusBody(1))).connector.queryPayment(ref)).toMatchObject({ state: 'paid', amount: 1999, merchantId: merchant.storeNo, paidAt: T0 + 3 * MIN });
    expect((await scripted(() => json(envelopeText('response', JSON.stringify({ header, body: statusBody(1) }), undefined))).connector.queryPayment(ref)).state).toBe('unknown');
    expect(await scripted(() => new Response('', { status: 502 })).connector.queryPayment(ref)).toMatchObject({ state: 'unknown', providerMessage: 'HTTP 502' });
    expect(await scripted(() => signedAnswer({ code: 30, msg: '订单不存在' })).connector.queryPayment(ref)).toMatchObject({ state: 'not_found' });
  });
});

describe('scanforpay connector: close without a close endpoint', () => {
  it('an unpaid QR is not closed before its window lapses, and is closed after it (as created by this connector)', async () => {
    const { connector, requests, clock } = scripted((r) => (r.url.endsWith('/create') ? signedAnswer(okBody) : signedAnswer(statusBody(0))));
    await connector.createPayment(input()); // qr_code_it_b_pay=15m from T0
    const early = await connector.closePayment(ref);
    expect(early).toMatchObject({ closed: false, detail: expect.stringMatching(/no close endpoint.*payable until 2026-11-22T10:17:00\+08:00/) });
    clock.set(T0 + 15 * MIN + SCANFORPAY_LAPSE_GRACE_MS - 1);
    expect((await connector.closePayment(ref)).closed).toBe(false);
    clock.set(T0 + 15 * MIN + SCANFORPAY_LAPSE_GRACE_MS);
    expect(await connector.closePayment(ref)).toMatchObject({ closed: true, detail: expect.stringMatching(/lapsed/) });
    // only queries: there is nothing else to call
    expect(requests.slice(1).every((r) => r.url.endsWith('/api/common/payQuery'))).toBe(true);
  });

  it('another instance uses the attempt expiry when given, else a safe upper bound', async () => {
    const { connector, clock } = scripted(() => signedAnswer(statusBody(0)));
    const withExpiry = { ...ref, expiresAt: T0 + 15 * MIN };
    clock.set(T0 + 15 * MIN + SCANFORPAY_LAPSE_GRACE_MS);
    expect((await connector.closePayment(withExpiry)).closed).toBe(true);
    // without any expiry: 2 × 24 h (an it_b_pay window may start at our expiry)
    expect(await connector.closePayment(ref)).toMatchObject({ closed: false, detail: expect.stringMatching(/upper bound/) });
    clock.set(T0 + 48 * 3600_000 + SCANFORPAY_LAPSE_GRACE_MS);
    expect((await connector.closePayment(ref)).closed).toBe(true);
  });

  it.each<[string, () => Response | Promise<Response>, object]>([
    ['paid meanwhile → alreadyPaid', () => signedAnswer(statusBody(1)), { closed: false, alreadyPaid: { state: 'paid', amount: 1999, outTradeNo: 'PQ20261122A01' } }],
    ['failed (declined) → closed', () => signedAnswer(statusBody(2)), { closed: true }],
    ['refunded → closed (nothing left to pay)', () => signedAnswer(statusBody(3)), { closed: true, detail: expect.stringMatching(/refunded/) }],
    ['never seen (code 30) → closed', () => signedAnswer({ code: 30, msg: '订单不存在' }), { closed: true }],
    ['no answer → not closed', () => Promise.reject(new TypeError('fetch failed')), { closed: false, detail: expect.stringMatching(/unknown/) }],
    ['a paid answer with a bad signature → not closed, not paid', () => json(sealEnvelope('response', { header, body: statusBody(1) }, 'x').text), { closed: false }],
  ])('close: %s', async (_name, answer, expected) => {
    const r = await scripted(answer).connector.closePayment(ref);
    expect(r).toMatchObject(expected);
    if (!('alreadyPaid' in expected)) expect(r.alreadyPaid).toBeUndefined();
  });

  it('against the simulator: still payable before the lapse; after it the payer page refuses and close confirms', async () => {
    const clock = new FakeClock(T0);
    const log = memoryLogger();
    const hub = createSandboxHub({ clock, random: seededRandom(2), fetch: globalThis.fetch, log, publicUrl: 'http://sandbox.test' });
    hub.register(createScanforpaySimulator({ ...merchant, signKey: KEY }, { clock, random: seededRandom(3), fetch: globalThis.fetch, log, hub }));
    const viaHub = (async (url: string | URL | Request, init?: RequestInit) => hub.handle(new Request(url, init))) as typeof fetch;
    const connector = createScanforpayConnector({ merchant, signKey: KEY, baseUrl: 'http://sandbox.test/sandbox/scanforpay' }, { clock, random: seededRandom(4), fetch: viaHub, log });
    await connector.createPayment(input({ outTradeNo: 'PQA', expiresAt: T0 + 10 * MIN }));
    await connector.createPayment(input({ outTradeNo: 'PQB', expiresAt: T0 + 10 * MIN }));
    const refA = { ...ref, outTradeNo: 'PQA' };
    expect((await connector.closePayment(refA)).closed).toBe(false);
    await clock.advance(10 * MIN);
    expect(await hub.actOnPayerSession(hub.findPayerSession('scanforpay', 'PQA')!.id, 'pay')).toMatchObject({ ok: false, reason: 'expired' });
    expect(await connector.queryPayment(refA)).toMatchObject({ state: 'pending' }); // the seed has no "closed" status
    await clock.advance(SCANFORPAY_LAPSE_GRACE_MS);
    expect(await connector.closePayment(refA)).toMatchObject({ closed: true });
    hub.stop();
  });
});

describe('scanforpay connector: notifications', () => {
  const { connector } = scripted(() => new Response('unused'));
  const body = { storeNo: merchant.storeNo, partnerOrderNo: 'PQ20261122A01', orderNo: '2026112210000001', wallet: 'Wechat', orderAmount: 1999, currency: 'CNY', status: 1, payTime: '2026-11-22T10:03:00+08:00' };
  const raw = (text: string | Uint8Array): RawNotification => ({ body: typeof text === 'string' ? new TextEncoder().encode(text) : text, contentType: 'application/json', headers: new Headers() });

  it('verifies the exact "response" text of the raw bytes and reports the paid status', async () => {
    const sealed = sealEnvelope('response', { header, body }, KEY);
    expect(await connector.verifyNotification(raw(sealed.text))).toEqual({
      ok: true,
      trust: 'signed',
      status: { state: 'paid', outTradeNo: 'PQ20261122A01', amount: 1999, currency: 'CNY', merchantId: merchant.storeNo, providerTradeNo: '2026112210000001', paidAt: T0 + 3 * MIN, providerCode: 'status=1', extra: { wallet: 'Wechat' } },
    });
    // pretty-printed and escaped as sent: still the exact text that was signed
    const pretty = JSON.stringify({ header, body }, null, 2).replace('"Wechat"', '"\\u0057echat"');
    const text = `{"signature":"${scanforpaySign(pretty, KEY)}",\n "response": ${pretty}}`;
    expect(await connector.verifyNotification(raw(text))).toMatchObject({ ok: true, status: { state: 'paid', extra: { wallet: 'Wechat' } } });
  });

  it.each<[string, () => string | Uint8Array, object]>([
    ['a field altered after signing', () => envelopeText('response', JSON.stringify({ header, body: { ...body, orderAmount: 1 } }), sealEnvelope('response', { header, body }, KEY).signature), { ok: false, reason: 'bad_signature', outTradeNo: 'PQ20261122A01' }],
    ['no signature', () => envelopeText('response', JSON.stringify({ header, body }), undefined), { ok: false, reason: 'missing_signature', outTradeNo: 'PQ20261122A01' }],
    ['an empty signature', () => envelopeText('response', JSON.stringify({ header, body }), ''), { ok: false, reason: 'missing_signature' }],
    ['another key', () => sealEnvelope('response', { header, body }, 'another key').text, { ok: false, reason: 'bad_signature' }],
    ['a form body', () => 'partnerOrderNo=PQ1&status=1', { ok: false, reason: 'malformed' }],
    ['bytes that are not UTF-8', () => new Uint8Array([0x7b, 0xff, 0x7d]), { ok: false, reason: 'malformed', detail: 'body is not UTF-8' }],
    [
      'two "response" members',
      () => {
        const v = JSON.stringify({ header, body });
        return `{"response":${v},"response":${JSON.stringify({ header, body: { ...body, orderAmount: 1 } })},"signature":"${scanforpaySign(v, KEY)}"}`;
      },
      { ok: false, reason: 'malformed', detail: expect.stringMatching(/appears twice/) },
    ],
    ['signed, for another partner', () => sealEnvelope('response', { header: { ...header, partnerNo: '10002' }, body }, KEY).text, { ok: false, reason: 'malformed', detail: expect.stringMatching(/another partner/) }],
    ['signed, paid without an amount', () => sealEnvelope('response', { header, body: { ...body, orderAmount: undefined } }, KEY).text, { ok: false, reason: 'malformed', detail: 'paid notification without orderAmount' }],
    ['signed, without status', () => sealEnvelope('response', { header, body: { ...body, status: undefined } }, KEY).text, { ok: false, reason: 'malformed', detail: expect.stringMatching(/status/) }],
  ])('rejects %s', async (_name, make, expected) => {
    expect(await connector.verifyNotification(raw(make()))).toMatchObject(expected);
  });

  it('acknowledges with the plain body success, and anything else to be retried', async () => {
    const ok = connector.notificationAck('accepted');
    expect(await ok.text()).toBe('success');
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await connector.notificationAck('rejected').text()).toBe('fail');
  });
});
