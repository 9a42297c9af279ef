import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { startSandboxTestEnv, type SandboxTestEnv } from '../testing/sandbox-env';
import { paymentInputs, T0 } from '../testing/fixtures';
import type { Connector, CreatePaymentInput, QueryRef, RawNotification } from '../types';
import { createUmfMofunConnector } from './connector';
import { umfMofunSign, verifyUmfMofunSignature } from './signature';
import { createUmfMofunSimulator, type UmfMofunSimulator } from './simulator';
import { MERCHANT, merchantKey, merchantPublicKey, platformKey, platformPrivateKey } from './test-keys';
import { decodeUmfMofunContext } from './wire';


const input = paymentInputs({ notifyUrl: 'https://pay.example.com/api/notify/umf-mofun' });
const ref: QueryRef = { outTradeNo: 'PQ20261122A1', createdAt: T0, channel: 'wechat', scene: 'qr' };

interface Sent {
  url: string;
  body: string;
  contentType: string;
  fields: Record<string, string>;
}

/** A connector against a scripted gateway: every answer is what the test returns. */
function scripted(answer: (req: Sent, n: number) => Response | Promise<Response>, clock = new FakeClock(T0)) {
  const requests: Sent[] = [];
  const log = memoryLogger();
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const body = String(init?.body);
    const decoded = decodeUmfMofunContext(body);
    const fields = 'fields' in decoded ? (decoded.fields as Record<string, string>) : {};
    const sent = { url: String(url), body, contentType: new Headers(init?.headers).get('content-type') ?? '', fields };
    requests.push(sent);
    return answer(sent, requests.length - 1);
  }) as typeof globalThis.fetch;
  const connector = createUmfMofunConnector(
    { merchant: MERCHANT, merchantKey, platformKey, baseUrl: 'https://mofunapi.example/', timeoutMs: 200 },
    { clock, random: seededRandom(9), fetch, log: log.child('umf-mofun') },
  );
  return { connector, requests, log, clock };
}

const signedJson = (fields: Record<string, string>) => Response.json({ ...fields, sign: umfMofunSign(fields, 'pipe', platformPrivateKey) });
const okAnswer = {
  retCode: '0000',
  Memo: '成功',
  tradeNo: '2026112200000001',
  platDate: '20261122',
  amount: '1999',
  payType: 'WX',
  feeUrl: 'weixin://wxpay/bizpayurl?pr=abc',
  partnerOrderId: 'PQ20261122A1',
};
const order = { subMerId: '30000102', proxyId: '0049', partnerOrderId: 'PQ20261122A1', orderDate: '20261122', amount: '1999', payType: 'WX', tradeNo: '2026112200000001', platDate: '20261122' };
const sync = (retCode: string, extra: Record<string, string> = {}) => signedJson({ retCode, retMsg: '', ...order, ...extra });

describe('umf-mofun connector: the wire', () => {
  it('posts context={signed JSON} to {BASE_URL}/in-pay-client/api/activescan, GMT+8 times from the clock, and never sends or logs the key', async () => {
    const { connector, requests, log } = scripted(() => signedJson(okAnswer));
    expect(await connector.createPayment(input())).toEqual({ outcome: 'created', action: { kind: 'qr', content: okAnswer.feeUrl }, providerTradeNo: okAnswer.tradeNo });
    const r = requests[0]!;
    expect(r.url).toBe('https://mofunapi.example/in-pay-client/api/activescan');
    expect(r.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(r.body.startsWith('context=%7B%22')).toBe(true); // the JSON, URL-encoded on the wire …
    expect(r.fields).toEqual({
      partnerOrderId: 'PQ20261122A1',
      subMerId: '30000102',
      amount: '1999',
      payType: 'WX',
      proxyId: '0049',
      apiVersion: '1.0',
      reqDate: '20261122',
      reqTime: '100000',
      goodsInfo: '一杯咖啡',
      expairTime: '900',
      notifyUrl: 'https://pay.example.com/api/notify/umf-mofun',
      sign: expect.stringMatching(/^[A-Za-z0-9+/]{171}=$/),
    });
    expect(verifyUmfMofunSignature(r.fields, 'kv', merchantPublicKey)).toBe('valid'); // … signed on the raw values
    const pem = merchantKey.export({ format: 'pem', type: 'pkcs8' }).toString().split('\n')[1]!;
    expect(r.body).not.toContain(encodeURIComponent(pem).slice(0, 40));
    expect(log.lines.join('\n')).not.toContain(pem);
    expect(log.lines.find((l) => l.startsWith('[umf-mofun][create] created'))).toMatch(/"attempt":"att_1","outTradeNo":"PQ20261122A1"/);
  });

  it.each<[string, () => Response | Promise<Response>, object]>([
    ['HTTP 503', () => new Response('busy', { status: 503 }), { outcome: 'unknown', reason: 'HTTP 503' }],
    ['HTTP 404', () => new Response('no', { status: 404 }), { outcome: 'failed', code: 'http_404' }],
    ['an HTML 200', () => new Response('<html>proxy</html>'), { outcome: 'unknown', reason: expect.stringMatching(/not JSON/) }],
    ['a JSON array', () => Response.json([1]), { outcome: 'unknown' }],
    ['JSON without retCode', () => signedJson({ Memo: 'x' }), { outcome: 'unknown', reason: expect.stringMatching(/usable retCode/) }],
    ['a network error', () => Promise.reject(new TypeError('fetch failed')), { outcome: 'unknown', reason: 'network error: fetch failed' }],
    ['no answer in time', () => new Promise<Response>(() => {}), { outcome: 'unknown', reason: 'no answer within 200 ms' }],
    ['an unsigned success', () => Response.json(okAnswer), { outcome: 'unknown', reason: expect.stringMatching(/missing_signature/) }],
    ['a success signed with the merchant key', () => Response.json({ ...okAnswer, sign: umfMofunSign(okAnswer, 'pipe', merchantKey) }), { outcome: 'unknown', reason: expect.stringMatching(/bad_signature/) }],
    ['a success signed in the k=v form', () => Response.json({ ...okAnswer, sign: umfMofunSign(okAnswer, 'kv', platformPrivateKey) }), { outcome: 'unknown', reason: expect.stringMatching(/bad_signature/) }],
    ['a feeUrl changed after signing', () => Response.json({ ...okAnswer, sign: umfMofunSign(okAnswer, 'pipe', platformPrivateKey), feeUrl: 'https://evil.example' }), { outcome: 'unknown' }],
    ['a signed sign error', () => signedJson({ retCode: '00001002', Memo: '验签失败', feeUrl: '' }), { outcome: 'failed', code: '00001002', message: '验签失败' }],
    ['an unsigned sign error', () => Response.json({ retCode: '00001002', Memo: '验签失败' }), { outcome: 'unknown' }],
    ['processing (NEED_QUERY)', () => signedJson({ ...okAnswer, retCode: '00009998', feeUrl: '' }), { outcome: 'unknown', reason: expect.stringMatching(/00009998/) }],
  ])('create with %s', async (_name, answer, expected) => {
    const { connector } = scripted(answer);
    expect(await connector.createPayment(input())).toEqual(expect.objectContaining(expected));
  });

  it('says which setting to check when UMF rejects our signature', async () => {
    const { connector, log } = scripted(() => signedJson({ retCode: '00001002', Memo: '验签失败', feeUrl: '' }));
    await connector.createPayment(input());
    expect(log.lines.some((l) => l.startsWith('[umf-mofun][create] UMF rejected our signature: check PAYQR_UMF_MOFUN_PRIVATE_KEY'))).toBe(true);
  });

  it('verifies numbers in a JSON answer by their text', async () => {
    const { connector } = scripted(() => Response.json({ ...okAnswer, amount: 1999, sign: umfMofunSign(okAnswer, 'pipe', platformPrivateKey) }));
    expect((await connector.createPayment(input())).outcome).toBe('created');
  });

  it('UnionPay in a browser or inside the UnionPay app: the same order, feeUrl opened as a link', async () => {
    const yl = { ...okAnswer, payType: 'YL', feeUrl: 'https://qr.95516.com/00010000/0123456789' };
    for (const scene of ['h5', 'jsapi'] as const) {
      const { connector, requests } = scripted(() => signedJson(yl));
      expect(await connector.createPayment(input({ channel: 'unionpay', scene }))).toMatchObject({ outcome: 'created', action: { kind: 'h5', url: yl.feeUrl } });
      expect(requests[0]!.fields.payType).toBe('YL');
    }
  });

  it('advertises WeChat, Alipay, UnionPay QR and UnionPay h5/jsapi; CNY; 3-second queries with a cap', () => {
    const { connector } = scripted(() => Response.json({}));
    expect(connector.capabilities).toEqual([
      { channel: 'wechat', scene: 'qr' },
      { channel: 'alipay', scene: 'qr' },
      { channel: 'unionpay', scene: 'qr' },
      { channel: 'unionpay', scene: 'h5' },
      { channel: 'unionpay', scene: 'jsapi' },
    ]);
    expect(connector.supportsCurrency('CNY')).toBe(true);
    expect(connector.supportsCurrency('HKD')).toBe(false);
    expect(connector.merchantId).toBe('30000102');
    expect(connector.outTradeNoRule).toEqual({ minLength: 1, maxLength: 32, pattern: /^[A-Za-z0-9]+$/ });
    expect(connector.querySchedule).toEqual({ firstDelayMs: 3000, intervalMs: 3000, deadlineMs: 120_000 });
  });
});

describe('umf-mofun connector: status sync (2.6)', () => {
  it('posts the documented fields with the attempt’s GMT+8 creation date as orderDate', async () => {
    const { connector, requests } = scripted(() => sync('0000', { payDate: '20261122', payTime: '100503' }));
    // created 23:30 UTC = 07:30 next day in Beijing
    const st = await connector.queryPayment({ ...ref, createdAt: Date.UTC(2026, 10, 21, 23, 30) });
    expect(requests[0]!.url).toBe('https://mofunapi.example/in-pay-client/api/apisync');
    expect(requests[0]!.fields).toEqual({ subMerId: '30000102', proxyId: '0049', partnerOrderId: 'PQ20261122A1', orderDate: '20261122', apiVersion: '1.0', sign: expect.any(String) });
    expect(verifyUmfMofunSignature(requests[0]!.fields, 'kv', merchantPublicKey)).toBe('valid');
    expect(st).toMatchObject({ state: 'paid', amount: 1999, merchantId: '30000102', providerTradeNo: '2026112200000001', paidAt: Date.UTC(2026, 10, 22, 2, 5, 3) });
  });

  it('transport failures and unverifiable answers are unknown, never paid', async () => {
    expect((await scripted(() => Response.json({ retCode: '0000', ...order })).connector.queryPayment(ref)).state).toBe('unknown');
    expect(await scripted(() => new Response('', { status: 502 })).connector.queryPayment(ref)).toMatchObject({ state: 'unknown', providerMessage: 'HTTP 502' });
    expect((await scripted(() => Promise.reject(new TypeError('fetch failed'))).connector.queryPayment(ref)).state).toBe('unknown');
  });

  it('an attempt created just before Beijing midnight is also looked for under the next day', async () => {
    const late = Date.UTC(2026, 10, 22, 15, 59, 40); // 23:59:40 in Beijing
    const { connector, requests } = scripted((r) => (r.fields.orderDate === '20261123' ? sync('01000000', { orderDate: '20261123' }) : signedJson({ retCode: '00001005', retMsg: '订单不存在' })));
    expect(await connector.queryPayment({ ...ref, createdAt: late })).toMatchObject({ state: 'pending' });
    expect(requests.map((r) => r.fields.orderDate)).toEqual(['20261122', '20261123']);
    // … and a not-found outside that minute is asked once
    const once = scripted(() => signedJson({ retCode: '00001005', retMsg: '订单不存在' }));
    expect(await once.connector.queryPayment(ref)).toMatchObject({ state: 'not_found' });
    expect(once.requests).toHaveLength(1);
  });
});

describe('umf-mofun connector: close (no close API: query, then time)', () => {
  it('pending before the order lapses → not closed; the sweeper asks again', async () => {
    const { connector, requests, clock } = scripted(() => sync('01000000'));
    await clock.advance(15 * 60_000);
    expect(await connector.closePayment(ref)).toEqual({ closed: false, detail: 'umf-mofun has no close API; the order lapses after expairTime' });
    expect(requests.map((r) => r.url)).toEqual(['https://mofunapi.example/in-pay-client/api/apisync']);
  });

  it('pending once the order has lapsed (expairTime passed) → closed', async () => {
    const { connector, clock } = scripted(() => sync('02000000'));
    await clock.advance(3_600_000);
    expect(await connector.closePayment(ref)).toEqual({ closed: true, detail: 'umf-mofun has no close API; the order lapsed after expairTime' });
  });

  it('paid meanwhile → alreadyPaid, whatever the time', async () => {
    const { connector } = scripted(() => sync('0000'));
    expect(await connector.closePayment(ref)).toMatchObject({ closed: false, alreadyPaid: { state: 'paid', amount: 1999, outTradeNo: 'PQ20261122A1' } });
  });

  it.each([
    ['04000000', 'closed'],
    ['05000000', 'failed'],
    ['00001005', 'not_found'],
  ])('apisync %s (%s) → closed at once', async (code) => {
    const { connector } = scripted(() => (code === '00001005' ? signedJson({ retCode: code, retMsg: '' }) : sync(code)));
    expect(await connector.closePayment(ref)).toMatchObject({ closed: true });
  });

  it('no verified answer → not closed, even long after the order lapsed (never declare without asking)', async () => {
    const clock = new FakeClock(T0 + 86_400_000);
    expect(await scripted(() => Promise.reject(new TypeError('fetch failed')), clock).connector.closePayment(ref)).toMatchObject({ closed: false });
    expect(await scripted(() => Response.json({ retCode: '04000000', ...order }), clock).connector.closePayment(ref)).toMatchObject({ closed: false });
    expect(await scripted(() => sync('00009999'), clock).connector.closePayment(ref)).toMatchObject({ closed: false });
  });
});

describe('umf-mofun connector: notifications (3.1) and our reply', () => {
  const raw = (body: string, contentType = 'application/json'): RawNotification => ({
    body: new TextEncoder().encode(body),
    contentType,
    headers: new Headers({ 'content-type': contentType }),
  });
  const fields = { funCode: 'PayResultNotify', subMerId: '30000102', partnerOrderId: 'PQ20261122A1', orderDate: '20261121', amount: '1999', payType: 'WX', tradeState: 'TRADE_SUCCESS', tradeNo: 'T1', payDate: '20261122', payTime: '100503' };
  const signedBody = (f: Record<string, unknown>) => JSON.stringify({ ...f, sign: umfMofunSign(f, 'kv', platformPrivateKey) });

  it('verifies the k=v signature on the raw JSON map and reads it', async () => {
    const { connector } = scripted(() => Response.json({}));
    expect(await connector.verifyNotification(raw(signedBody(fields)))).toEqual({
      ok: true,
      trust: 'signed',
      status: expect.objectContaining({ state: 'paid', outTradeNo: 'PQ20261122A1', amount: 1999, currency: 'CNY', merchantId: '30000102', providerTradeNo: 'T1', paidAt: Date.UTC(2026, 10, 22, 2, 5, 3) }),
    });
    // a JSON number is verified by its text; unknown fields are covered because they were received
    const withNumber = { ...fields, amount: 1999, bankType: 'CFT' };
    expect((await connector.verifyNotification(raw(signedBody(withNumber)))).ok).toBe(true);
  });

  it.each<[string, string, string]>([
    ['no sign', JSON.stringify(fields), 'missing_signature'],
    ['a forged sign', JSON.stringify({ ...fields, sign: 'A'.repeat(172) }), 'bad_signature'],
    ['the amount changed', JSON.stringify({ ...JSON.parse(signedBody(fields)), amount: '1' }), 'bad_signature'],
    ['a field added', JSON.stringify({ ...JSON.parse(signedBody(fields)), couponAmount: '1' }), 'bad_signature'],
    ['the answer form (|) instead of k=v', JSON.stringify({ ...fields, sign: umfMofunSign(fields, 'pipe', platformPrivateKey) }), 'bad_signature'],
    ['signed by the merchant key', JSON.stringify({ ...fields, sign: umfMofunSign(fields, 'kv', merchantKey) }), 'bad_signature'],
    ['an empty body', '', 'malformed'],
    ['a form body', new URLSearchParams(fields).toString(), 'malformed'],
    ['a JSON array', '[1]', 'malformed'],
    ['signed but without partnerOrderId', signedBody({ ...fields, partnerOrderId: '' }), 'malformed'],
  ])('rejects %s', async (_name, body, reason) => {
    const { connector } = scripted(() => Response.json({}));
    expect(await connector.verifyNotification(raw(body))).toMatchObject({ ok: false, reason });
  });

  it('names the order a rejected notification claims to be about', async () => {
    const { connector } = scripted(() => Response.json({}));
    expect(await connector.verifyNotification(raw(JSON.stringify(fields)))).toMatchObject({ ok: false, reason: 'missing_signature', outTradeNo: 'PQ20261122A1' });
  });

  it('rejects bytes that are not UTF-8, and never throws', async () => {
    const { connector } = scripted(() => Response.json({}));
    const bad: RawNotification = { body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe]), contentType: 'application/json', headers: new Headers() };
    expect(await connector.verifyNotification(bad)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('accepted reply: JSON signed by the merchant over the | values, GMT+8 time, echoing the notification’s orderDate', async () => {
    const { connector } = scripted(() => Response.json({}));
    await connector.verifyNotification(raw(signedBody(fields)));
    const res = connector.notificationAck('accepted', { outTradeNo: 'PQ20261122A1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toEqual({
      funCode: 'PayResultNotify',
      reqDate: '20261122',
      reqTime: '100000',
      partnerOrderId: 'PQ20261122A1',
      orderDate: '20261121',
      retCode: '0000',
      retMsg: '成功',
      sign: expect.stringMatching(/^[A-Za-z0-9+/]{171}=$/),
    });
    expect(verifyUmfMofunSignature(body, 'pipe', merchantPublicKey)).toBe('valid');
    // an order we have not seen a notification for: no orderDate rather than a guess
    expect(await connector.notificationAck('accepted', { outTradeNo: 'PQOTHER' }).json()).not.toHaveProperty('orderDate');
  });

  it('rejected reply: a signed non-0000, the same bytes whatever the context', async () => {
    const { connector, clock } = scripted(() => Response.json({}));
    const a = await connector.notificationAck('rejected', { outTradeNo: 'PQ20261122A1' }).text();
    await clock.advance(3_600_000);
    expect(await connector.notificationAck('rejected').text()).toBe(a);
    const body = JSON.parse(a) as Record<string, string>;
    expect(body).toMatchObject({ funCode: 'PayResultNotify', retCode: '9999' });
    expect(verifyUmfMofunSignature(body, 'pipe', merchantPublicKey)).toBe('valid');
  });
});

describe('umf-mofun connector × simulator over loopback HTTP', () => {
  let env: SandboxTestEnv;
  let connector: Connector;
  let sim: UmfMofunSimulator;
  beforeAll(async () => {
    env = await startSandboxTestEnv({ timeScale: 0.001 });
    sim = createUmfMofunSimulator({ ...MERCHANT, merchantPublicKey, platformPrivateKey }, { ...env.deps, hub: env.hub });
    env.hub.register(sim);
    connector = createUmfMofunConnector({ merchant: MERCHANT, merchantKey, platformKey, baseUrl: env.simulatorBaseUrl('umf-mofun') }, env.deps);
  });
  afterAll(() => env.close());

  const live = (over: Partial<CreatePaymentInput>): CreatePaymentInput => {
    const now = env.deps.clock.now();
    return input({ createdAt: now, expiresAt: now + 600_000, notifyUrl: env.notifyUrl('umf-mofun'), ...over });
  };

  it('UnionPay inside the UnionPay app (jsapi): an h5 link to the payer page', async () => {
    const r = await connector.createPayment(live({ outTradeNo: 'PQJS0001', channel: 'unionpay', scene: 'jsapi' }));
    const session = env.hub.findPayerSession('umf-mofun', 'PQJS0001');
    expect(r).toEqual({ outcome: 'created', action: { kind: 'h5', url: session?.url }, providerTradeNo: expect.stringMatching(/^\d{16}$/) });
    expect(session).toMatchObject({ channel: 'unionpay', money: { amount: 1999, currency: 'CNY' } });
  });

  it('a 2-minute attempt is sent as expairTime 300, the shortest UMF applies', async () => {
    await connector.createPayment(live({ outTradeNo: 'PQEX0001', expiresAt: env.deps.clock.now() + 120_000 }));
    expect(sim.order('PQEX0001')).toMatchObject({ expairTime: 300, state: 'pending' });
  });
});
