import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import { paymentInputs, T0 } from '../testing/fixtures';
import type { RawNotification } from '../types';
import { createHuishouyinConnector } from './connector';
import { parseExactJson, type ExactJsonObject } from '../../core/strict-json';
import { huishouyinSign, verifyHuishouyinSign } from './signature';
import { SEED_PAY_RESPONSE } from './seed-examples';

const APP_ID = 'bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF';
const SECRET = 'ConnectorSecret0123456789abcdefA';
const CODE = SANDBOX_AUTH_CODES.wechat.paid;

const input = paymentInputs({ scene: 'micropay', expiresAt: T0 + 60_000, notifyUrl: 'https://shop.example/api/notify/huishouyin', authCode: CODE });
const ref = { outTradeNo: 'PQ20261122A1', createdAt: T0, channel: 'wechat' as const, scene: 'micropay' as const };

interface Sent {
  url: string;
  path: string;
  text: string;
  contentType: string;
  fields: ExactJsonObject;
}

/** A connector against a scripted gateway: every answer is what the test returns. */
function scripted(answer: (req: Sent, n: number) => Response | Promise<Response>, storeInfo?: Record<string, string>) {
  const requests: Sent[] = [];
  const log = memoryLogger();
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const text = String(init?.body);
    const req: Sent = { url: String(url), path: new URL(String(url)).pathname, text, contentType: new Headers(init?.headers).get('content-type') ?? '', fields: parseExactJson(text) as ExactJsonObject };
    requests.push(req);
    return answer(req, requests.length - 1);
  }) as typeof globalThis.fetch;
  const connector = createHuishouyinConnector(
    { merchant: { appId: APP_ID, ...(storeInfo ? { storeInfo } : {}) }, appSecret: SECRET, baseUrl: 'https://api.huishouyin.example/', timeoutMs: 200 },
    { clock: new FakeClock(T0), random: seededRandom(3), fetch, log: log.child('huishouyin') },
  );
  return { connector, requests, log };
}

const json = (text: string, status = 200) => new Response(text, { status, headers: { 'content-type': 'application/json' } });
const paidData = (orderId = 'PQ20261122A1', amount = '19.99') =>
  `{"trade_no":"T20261122","order_id":"${orderId}","pay_type":0,"order_status":1,"total_amount":${amount},"payable_amount":${amount},"real_amount":${amount},"voucher_list":[]}`;
const PAID = `{"code":1000,"msg":"支付成功","data":${paidData()}}`;

describe('huishouyin connector: the wire', () => {
  it('posts signed JSON to {BASE_URL}/pay/qrcode: total_amount "19.99" as a string, the secret never sent or logged, the code masked', async () => {
    const { connector, requests, log } = scripted(() => json(PAID));
    const r = await connector.createPayment(input());
    expect(r).toEqual({
      outcome: 'paid',
      status: expect.objectContaining({ state: 'paid', outTradeNo: 'PQ20261122A1', amount: 1999, currency: 'CNY', providerTradeNo: 'T20261122' }),
    });
    const req = requests[0]!;
    expect(req.url).toBe('https://api.huishouyin.example/pay/qrcode');
    expect(req.contentType).toBe('application/json; charset=utf-8');
    expect(req.text).toBe(
      `{"app_id":"${APP_ID}","sign_type":"MD5","order_id":"PQ20261122A1","pay_code":"${CODE}","total_amount":"19.99","sign":"${huishouyinSign({ app_id: APP_ID, sign_type: 'MD5', order_id: 'PQ20261122A1', pay_code: CODE, total_amount: '19.99' }, SECRET)}"}`,
    );
    expect(verifyHuishouyinSign(req.fields, SECRET)).toBe('valid');
    expect(req.text).not.toContain(SECRET);
    expect(req.text).not.toContain('app_sercet');
    const lines = log.lines.join('\n');
    expect(lines).not.toContain(SECRET);
    expect(lines).not.toContain(CODE);
    expect(lines).toContain('1345…6700');
    expect(log.lines.some((l) => l.startsWith('[huishouyin][create] paid'))).toBe(true);
  });

  it('sends store_info (signed as compact JSON) when configured', async () => {
    const { connector, requests } = scripted(() => json(PAID), { store_id: 'S01', terminal_id: 'T01' });
    await connector.createPayment(input());
    expect(requests[0]!.text).toContain('"store_info":{"store_id":"S01","terminal_id":"T01"}');
    expect(verifyHuishouyinSign(requests[0]!.fields, SECRET)).toBe('valid');
  });

  it('refuses bad input before any request', async () => {
    const { connector, requests } = scripted(() => json(PAID));
    await expect(connector.createPayment(input({ channel: 'unionpay', authCode: SANDBOX_AUTH_CODES.unionpay.paid }))).rejects.toThrow(/does not support the unionpay channel/);
    await expect(connector.createPayment(input({ authCode: SANDBOX_AUTH_CODES.alipay.paid }))).rejects.toMatchObject({ code: 'invalid_auth_code' });
    await expect(connector.createPayment(input({ scene: 'qr' }))).rejects.toThrow(/qr scene/);
    expect(requests).toHaveLength(0);
  });

  it.each<[string, () => Response | Promise<Response>, object]>([
    ['HTTP 503', () => new Response('busy', { status: 503 }), { outcome: 'unknown', reason: 'HTTP 503' }],
    ['HTTP 429', () => new Response('slow down', { status: 429 }), { outcome: 'unknown' }],
    ['HTTP 404', () => new Response('no', { status: 404 }), { outcome: 'failed', code: 'http_404' }],
    ['an HTML 200', () => new Response('<html>proxy</html>'), { outcome: 'unknown', reason: expect.stringMatching(/not JSON/) }],
    ['a JSON array', () => json('[1]'), { outcome: 'unknown', reason: expect.stringMatching(/not a JSON object/) }],
    ['JSON without a code', () => json('{"msg":"x"}'), { outcome: 'unknown', reason: expect.stringMatching(/no code/) }],
    ['duplicate members', () => json('{"code":1000,"code":2000}'), { outcome: 'unknown', reason: expect.stringMatching(/"code" appears twice/) }],
    ['a network error', () => Promise.reject(new TypeError('fetch failed')), { outcome: 'unknown', reason: 'network error: fetch failed' }],
    ['no answer in time', () => new Promise<Response>(() => {}), { outcome: 'unknown', reason: 'no answer within 200 ms' }],
    ['2000 (sign error)', () => json('{"code":2000,"msg":"签名错误","data":{}}'), { outcome: 'failed', code: '2000' }],
    ['3000 (app_id error)', () => json('{"code":3000,"msg":"APPID错误","data":{}}'), { outcome: 'failed', code: '3000', message: 'APPID错误' }],
    ['an unlisted code', () => json('{"code":5001,"msg":"系统繁忙"}'), { outcome: 'unknown' }],
    ['paying', () => json('{"code":1000,"msg":"支付中","data":{"order_id":"PQ20261122A1","order_status":0,"total_amount":19.99,"real_amount":0}}'), { outcome: 'unknown', progress: 'paying' }],
    ['1002', () => json('{"code":1002,"msg":"等待用户输入密码","data":{"order_id":"PQ20261122A1","order_status":0}}'), { outcome: 'unknown', progress: 'password_entry' }],
    ['failed', () => json('{"code":1000,"msg":"支付失败：余额不足","data":{"order_id":"PQ20261122A1","order_status":-1,"total_amount":19.99,"real_amount":0}}'), { outcome: 'failed', code: 'order_status=-1', message: '支付失败：余额不足' }],
    ['unknown (-10)', () => json('{"code":1000,"msg":"交易结果未知","data":{"order_id":"PQ20261122A1","order_status":-10}}'), { outcome: 'unknown' }],
    ['paid for another order', () => json(`{"code":1000,"data":${paidData('PQ99999999')}}`), { outcome: 'unknown', reason: expect.stringMatching(/another order/) }],
    ['paid, with a wrong sign', () => json(`{"code":1000,"msg":"ok","data":${paidData()},"sign":"${'A'.repeat(32)}"}`), { outcome: 'unknown', reason: expect.stringMatching(/bad_signature/) }],
    ['paid, signed', () => {
      const fields = parseExactJson(PAID) as ExactJsonObject;
      return json(`${PAID.slice(0, -1)},"sign":"${huishouyinSign(fields, SECRET)}"}`);
    }, { outcome: 'paid' }],
  ])('create with %s', async (_name, answer, expected) => {
    const { connector } = scripted(answer);
    expect(await connector.createPayment(input())).toEqual(expect.objectContaining(expected));
  });

  it("reads the seed's paid answer exactly: 11.0 → 1100 fen, payable 10.0 and real 9.0 recorded", async () => {
    const { connector } = scripted(() => json(SEED_PAY_RESPONSE));
    const r = await connector.createPayment(input({ outTradeNo: '2017102100151091', channel: 'alipay', authCode: SANDBOX_AUTH_CODES.alipay.paid, money: { amount: 1100, currency: 'CNY' } }));
    expect(r).toMatchObject({ outcome: 'paid', status: { amount: 1100, extra: { totalAmount: 1100, payableAmount: 1000, realAmount: 900, payType: 'alipay', vouchers: [{ amount: 1000, purchaseAntContribute: 82 }] } } });
  });

  it('1003 (already paid) is confirmed by pay/check before it settles', async () => {
    const { connector, requests } = scripted((req) => (req.path === '/pay/qrcode' ? json('{"code":1003,"msg":"订单已支付","data":{}}') : json(PAID)));
    expect(await connector.createPayment(input())).toMatchObject({ outcome: 'paid', status: { state: 'paid', amount: 1999 } });
    expect(requests.map((r) => r.path)).toEqual(['/pay/qrcode', '/pay/check']);
    expect(requests[1]!.fields).toMatchObject({ app_id: APP_ID, sign_type: 'MD5', order_id: 'PQ20261122A1' });
    expect(verifyHuishouyinSign(requests[1]!.fields, SECRET)).toBe('valid');

    const unconfirmed = scripted((req) => (req.path === '/pay/qrcode' ? json('{"code":1003,"msg":"订单已支付"}') : new Response('', { status: 502 })));
    expect(await unconfirmed.connector.createPayment(input())).toMatchObject({ outcome: 'unknown', reason: expect.stringMatching(/1003 订单已支付; pay\/check: unknown/) });
  });

  it('logs a sign error with the setting to check', async () => {
    const { connector, log } = scripted(() => json('{"code":2000,"msg":"签名错误","data":{}}'));
    await connector.createPayment(input());
    expect(log.lines.some((l) => l.includes('PAYQR_HUISHOUYIN_APP_SECRET'))).toBe(true);
  });
});

describe('huishouyin connector: query, reverse, close', () => {
  it('query maps pay/check; transport failures are unknown, never paid', async () => {
    expect(await scripted(() => json(PAID)).connector.queryPayment(ref)).toMatchObject({ state: 'paid', amount: 1999 });
    expect(await scripted(() => json('{"code":4000,"msg":"订单不存在","data":{}}')).connector.queryPayment(ref)).toMatchObject({ state: 'not_found' });
    expect(await scripted(() => new Response('', { status: 502 })).connector.queryPayment(ref)).toMatchObject({ state: 'unknown', providerMessage: 'HTTP 502' });
    expect(await scripted(() => json(`${PAID.slice(0, -1)},"sign":"bad"}`)).connector.queryPayment(ref)).toMatchObject({ state: 'unknown' });
  });

  it('reverse (pay/cancel): revoked → closed; refunded → closed with the refunded payment; idempotent', async () => {
    const revoked = scripted(() => json('{"code":1000,"msg":"撤销成功","data":{"order_id":"PQ20261122A1","order_status":5,"total_amount":19.99,"real_amount":0}}'));
    expect(await revoked.connector.reversePayment!(ref)).toEqual({ closed: true, detail: 'cancel answered code=1000 撤销成功 (order_status=5 已撤销)' });
    expect(revoked.requests.map((r) => r.path)).toEqual(['/pay/cancel']);
    expect(await revoked.connector.reversePayment!(ref)).toMatchObject({ closed: true });

    const refunded = scripted(() => json(`{"code":1000,"msg":"撤销成功，已退款","data":${paidData().replace('"order_status":1', '"order_status":2')}}`));
    expect(await refunded.connector.reversePayment!(ref)).toMatchObject({ closed: true, alreadyPaid: { state: 'refunded', amount: 1999 }, detail: expect.stringMatching(/refunded/) });
  });

  it('reverse: an unconfirmed cancel is settled by pay/check', async () => {
    const paidMeanwhile = scripted((req) => (req.path === '/pay/cancel' ? new Response('', { status: 500 }) : json(PAID)));
    expect(await paidMeanwhile.connector.reversePayment!(ref)).toMatchObject({ closed: false, alreadyPaid: { state: 'paid', amount: 1999 } });
    expect(paidMeanwhile.requests.map((r) => r.path)).toEqual(['/pay/cancel', '/pay/check']);
    const gone = scripted((req) => (req.path === '/pay/cancel' ? json('{"code":4000,"msg":"订单不存在"}') : json('{"code":4000,"msg":"订单不存在"}')));
    expect(await gone.connector.reversePayment!(ref)).toMatchObject({ closed: true, detail: expect.stringMatching(/not_found/) });
    const down = scripted(() => Promise.reject(new TypeError('fetch failed')));
    expect(await down.connector.reversePayment!(ref)).toMatchObject({ closed: false, detail: expect.stringMatching(/unknown/) });
  });

  it('close (pay/close): closed → closed; a paid order → alreadyPaid via pay/check', async () => {
    const closed = scripted(() => json('{"code":1000,"msg":"关闭成功","data":{"order_id":"PQ20261122A1","order_status":4}}'));
    expect(await closed.connector.closePayment(ref)).toMatchObject({ closed: true });
    expect(closed.requests.map((r) => r.path)).toEqual(['/pay/close']);
    const paid = scripted((req) => (req.path === '/pay/close' ? json(`{"code":1003,"msg":"订单已支付，不能关闭","data":${paidData()}}`) : json(PAID)));
    expect(await paid.connector.closePayment(ref)).toMatchObject({ closed: false, alreadyPaid: { state: 'paid', amount: 1999 } });
    // a close answer claiming "closed" with a wrong sign is not believed
    const forged = scripted((req) => (req.path === '/pay/close' ? json('{"code":1000,"data":{"order_id":"PQ20261122A1","order_status":4},"sign":"x"}') : json(PAID)));
    expect(await forged.connector.closePayment(ref)).toMatchObject({ closed: false, alreadyPaid: { state: 'paid' } });
  });

  it('advertises WeChat and Alipay micropay, CNY, the micropay query schedule', () => {
    const { connector } = scripted(() => json(PAID));
    expect(connector.capabilities).toEqual([
      { channel: 'wechat', scene: 'micropay' },
      { channel: 'alipay', scene: 'micropay' },
    ]);
    expect(connector.supportsCurrency('CNY')).toBe(true);
    expect(connector.supportsCurrency('HKD')).toBe(false);
    expect(connector.querySchedule).toEqual({ firstDelayMs: 5000, intervalMs: 3000, deadlineMs: 60_000 });
    expect(connector.outTradeNoRule).toEqual({ minLength: 5, maxLength: 32, pattern: /^[A-Za-z0-9]+$/ });
    expect(connector.merchantId).toBe(APP_ID);
    expect(typeof connector.reversePayment).toBe('function');
  });
});

describe('huishouyin connector: the webhook is only ever a hint', () => {
  const { connector } = scripted(() => json(PAID));
  const raw = (body: string | Uint8Array, contentType = 'application/json'): RawNotification => ({
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
    contentType,
    headers: new Headers({ 'content-type': contentType }),
  });

  it('a parseable webhook → trust "hint", whatever it says', async () => {
    const forged = '{"order_id":"PQ20261122A1","order_status":1,"total_amount":19.99,"sign":"A1B2"}';
    expect(await connector.verifyNotification(raw(forged))).toEqual({
      ok: true,
      trust: 'hint',
      status: expect.objectContaining({ state: 'paid', outTradeNo: 'PQ20261122A1', amount: 1999 }),
    });
    const form = await connector.verifyNotification(raw('order_id=PQ20261122A1&order_status=-1', 'application/x-www-form-urlencoded'));
    expect(form).toMatchObject({ ok: true, trust: 'hint', status: { state: 'failed' } });
  });

  it.each<[string, RawNotification]>([
    ['an empty body', raw('')],
    ['no order_id', raw('{"order_status":1}')],
    ['broken JSON', raw('{"order_id":')],
    ['bytes that are not UTF-8', raw(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))],
  ])('%s → malformed, never throws', async (_n, r) => {
    expect(await connector.verifyNotification(r)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('acks with plain "success" / "fail"', async () => {
    const ok = connector.notificationAck('accepted');
    expect(await ok.text()).toBe('success');
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await connector.notificationAck('rejected').text()).toBe('fail');
  });
});
