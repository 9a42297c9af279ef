import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { startSandboxTestEnv, type SandboxTestEnv } from '../testing/sandbox-env';
import { toRawNotification } from '../testing/receiver';
import { paymentInputs, T0 } from '../testing/fixtures';
import type { CreatePaymentInput, Connector, RawNotification } from '../types';
import { createChaoyingConnector } from './connector';
import { chaoyingSign, verifyChaoyingSignature } from './signature';
import { SEED_WECHAT_NOTIFICATION } from './seed-examples';
import { createChaoyingSimulator } from './simulator';

const merchant = { agentId: '13000000000000000', mchId: '00000001', pid: 'payqr' };
const KEY = 'ConnectorTestKey0123456789abcdef';

const input = paymentInputs({ notifyUrl: 'https://shop.example/api/notify/chaoying' });

/** A connector against a scripted gateway: every answer is what the test returns. */
function scripted(answer: (fields: Record<string, string>) => Response | Promise<Response>) {
  const requests: Array<{ url: string; body: string; contentType: string; fields: Record<string, string> }> = [];
  const log = memoryLogger();
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const body = String(init?.body);
    const fields = Object.fromEntries(new URLSearchParams(body));
    requests.push({ url: String(url), body, contentType: new Headers(init?.headers).get('content-type') ?? '', fields });
    return answer(fields);
  }) as typeof globalThis.fetch;
  const connector = createChaoyingConnector(
    { merchant, key: KEY, baseUrl: 'https://pay.storepos.example/', timeoutMs: 200 },
    { clock: new FakeClock(T0), random: seededRandom(9), fetch, log: log.child('chaoying') },
  );
  return { connector, requests, log };
}

const signedJson = (fields: Record<string, string>) => Response.json({ ...fields, sign: chaoyingSign(fields, KEY) });
const okAnswer = { state: 'SUCCESS', code: '10000', trade_state: 'SUCCESS', msg: 'SUCCESS', mch_id: '00000001', out_trade_no: 'PQ20261122A1', code_url: 'weixin://wxpay/bizpayurl?pr=abc', nonce_str: 'n' };

describe('chaoying connector: the wire', () => {
  it('posts a signed form to {BASE_URL}/v2/UnifiedPay/Gateway and never sends the key', async () => {
    const { connector, requests, log } = scripted(() => signedJson(okAnswer));
    expect(await connector.createPayment(input())).toEqual({ outcome: 'created', action: { kind: 'qr', content: 'weixin://wxpay/bizpayurl?pr=abc' } });
    const r = requests[0]!;
    expect(r.url).toBe('https://pay.storepos.example/v2/UnifiedPay/Gateway');
    expect(r.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(r.body).toContain('body=%E4%B8%80%E6%9D%AF%E5%92%96%E5%95%A1'); // URL-encoded on the wire …
    expect(verifyChaoyingSignature(r.fields, KEY)).toBe('valid'); // … signed on the raw values
    expect(r.fields.nonce_str).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(r.body).not.toContain(KEY);
    expect(log.lines.join('\n')).not.toContain(KEY);
    expect(log.lines.some((l) => l.startsWith('[chaoying][create] created'))).toBe(true);
  });

  it.each<[string, () => Response | Promise<Response>, object]>([
    ['HTTP 503', () => new Response('busy', { status: 503 }), { outcome: 'unknown', reason: 'HTTP 503' }],
    ['HTTP 404', () => new Response('no', { status: 404 }), { outcome: 'failed', code: 'http_404' }],
    ['an HTML 200', () => new Response('<html>proxy</html>'), { outcome: 'unknown', reason: expect.stringMatching(/not JSON/) }],
    ['a JSON array', () => Response.json([1]), { outcome: 'unknown' }],
    ['JSON without state', () => Response.json({ code: '10000' }), { outcome: 'unknown', reason: expect.stringMatching(/usable state/) }],
    ['a network error', () => Promise.reject(new TypeError('fetch failed')), { outcome: 'unknown', reason: 'network error: fetch failed' }],
    ['no answer in time', () => new Promise<Response>(() => {}), { outcome: 'unknown', reason: 'no answer within 200 ms' }],
    ['an unsigned success', () => Response.json(okAnswer), { outcome: 'unknown', reason: expect.stringMatching(/missing_signature/) }],
    ['a success signed with another key', () => Response.json({ ...okAnswer, sign: chaoyingSign(okAnswer, 'other') }), { outcome: 'unknown', reason: expect.stringMatching(/bad_signature/) }],
    ['a field added after signing', () => Response.json({ ...okAnswer, sign: chaoyingSign(okAnswer, KEY), extra: 'x' }), { outcome: 'unknown' }],
    ['an unsigned 20004', () => Response.json({ state: 'FAIL', code: '20004', msg: '参数错误' }), { outcome: 'failed', code: '20004', message: '参数错误' }],
    ['an unsigned unknown error', () => Response.json({ state: 'FAIL', code: '30001', msg: '系统繁忙' }), { outcome: 'unknown' }],
    ['NEED_QUERY', () => signedJson({ ...okAnswer, code: '10001', trade_state: 'NEED_QUERY', code_url: '' }), { outcome: 'unknown', reason: expect.stringMatching(/NEED_QUERY/) }],
  ])('create with %s', async (_name, answer, expected) => {
    const { connector } = scripted(answer);
    expect(await connector.createPayment(input())).toEqual(expect.objectContaining(expected));
  });

  it('verifies numbers in a JSON answer by their text', async () => {
    const { connector } = scripted(() => {
      const fields = { ...okAnswer, code: '10000' };
      return Response.json({ ...fields, total_fee: 1999, sign: chaoyingSign({ ...fields, total_fee: '1999' }, KEY) });
    });
    expect((await connector.createPayment(input())).outcome).toBe('created');
  });

  it('query: transport failures and unverifiable answers are unknown, never paid', async () => {
    const paid = { state: 'SUCCESS', code: '10000', trade_state: 'SUCCESS', pay_status: '1', mch_id: '00000001', out_trade_no: 'PQ20261122A1', total_fee: '1999', transaction_id: 't1' };
    const ref = { outTradeNo: 'PQ20261122A1', createdAt: T0, channel: 'wechat' as const, scene: 'qr' as const };
    expect((await scripted(() => signedJson(paid)).connector.queryPayment(ref)).state).toBe('paid');
    expect((await scripted(() => Response.json(paid)).connector.queryPayment(ref)).state).toBe('unknown');
    expect((await scripted(() => new Response('', { status: 502 })).connector.queryPayment(ref))).toMatchObject({ state: 'unknown', providerMessage: 'HTTP 502' });
  });

  it('close: an unconfirmed close is settled by a query', async () => {
    const ref = { outTradeNo: 'PQ20261122A1', createdAt: T0, channel: 'wechat' as const, scene: 'qr' as const };
    let n = 0;
    const { connector, requests } = scripted(() =>
      n++ === 0 ? new Response('', { status: 500 }) : signedJson({ state: 'SUCCESS', code: '10004', pay_status: '5', out_trade_no: 'PQ20261122A1', mch_id: '00000001' }),
    );
    expect(await connector.closePayment(ref)).toMatchObject({ closed: true });
    expect(requests.map((r) => r.fields.method)).toEqual(['close', 'orderquery']);
    const down = scripted(() => Promise.reject(new TypeError('fetch failed')));
    expect(await down.connector.closePayment(ref)).toMatchObject({ closed: false });
  });

  it('advertises WeChat JSAPI only with a configured AppId, and CNY only', () => {
    const plain = scripted(() => Response.json({})).connector;
    expect(plain.capabilities).not.toContainEqual({ channel: 'wechat', scene: 'jsapi' });
    expect(plain.capabilities).toContainEqual({ channel: 'alipay', scene: 'jsapi' });
    expect(plain.supportsCurrency('CNY')).toBe(true);
    expect(plain.supportsCurrency('JPY')).toBe(false);
    const withApp = createChaoyingConnector({ merchant: { ...merchant, subAppId: 'wx1' }, key: KEY, baseUrl: 'http://x' }, {
      clock: new FakeClock(),
      random: seededRandom(1),
      fetch: globalThis.fetch,
      log: memoryLogger(),
    });
    expect(withApp.capabilities).toContainEqual({ channel: 'wechat', scene: 'jsapi' });
    expect(withApp.outTradeNoRule).toEqual({ minLength: 5, maxLength: 32, pattern: /^[A-Za-z0-9]+$/ });
    expect(withApp.querySchedule).toEqual({ firstDelayMs: 5000, intervalMs: 5000, deadlineMs: 120_000 });
  });
});

describe('chaoying connector: notifications', () => {
  const { connector } = scripted(() => Response.json({}));
  const raw = (body: string, contentType = 'application/x-www-form-urlencoded'): RawNotification => ({
    body: new TextEncoder().encode(body),
    contentType,
    headers: new Headers({ 'content-type': contentType }),
  });
  const seedExample = { ...SEED_WECHAT_NOTIFICATION, mch_id: '00000001' };
  const form = (f: Record<string, string>) => new URLSearchParams(f).toString();

  it('verifies a form notification on the decoded values and reads it', async () => {
    const signed = { ...seedExample, sign: chaoyingSign(seedExample, KEY) };
    expect(await connector.verifyNotification(raw(form(signed)))).toEqual({
      ok: true,
      trust: 'signed',
      status: expect.objectContaining({ state: 'paid', outTradeNo: '1523929500000', amount: 1, merchantId: '00000001', providerTradeNo: '199520439266201804177199552446' }),
    });
    // the body with spaces encoded as "+" and Chinese URL-encoded still verifies
    const withText = { ...seedExample, attach: '说明 with space' };
    expect((await connector.verifyNotification(raw(form({ ...withText, sign: chaoyingSign(withText, KEY) })))).ok).toBe(true);
    // JSON bodies are read too (assumed variant)
    expect((await connector.verifyNotification(raw(JSON.stringify(signed), 'application/json'))).ok).toBe(true);
  });

  it.each<[string, string, string]>([
    ['no sign', form(seedExample), 'missing_signature'],
    ['a forged sign', form({ ...seedExample, sign: 'A'.repeat(32) }), 'bad_signature'],
    ['the amount changed', form({ ...seedExample, sign: chaoyingSign(seedExample, KEY), total_fee: '100' }), 'bad_signature'],
    ['a field added', form({ ...seedExample, sign: chaoyingSign(seedExample, KEY), coupon_fee: '1' }), 'bad_signature'],
    ['an empty body', '', 'malformed'],
    ['a duplicated field', `${form({ ...seedExample, sign: chaoyingSign(seedExample, KEY) })}&total_fee=1`, 'malformed'],
    // issue 12: the name __proto__ must not vanish before the signature is checked
    ['__proto__ appended to a correctly signed form', `${form({ ...seedExample, sign: chaoyingSign(seedExample, KEY) })}&__proto__=x`, 'bad_signature'],
    ['__proto__ twice', `${form({ ...seedExample, sign: chaoyingSign(seedExample, KEY) })}&__proto__=x&__proto__=y`, 'malformed'],
    ['a "__proto__" member in a correctly signed JSON body', `{"__proto__":"x",${JSON.stringify({ ...seedExample, sign: chaoyingSign(seedExample, KEY) }).slice(1)}`, 'bad_signature'],
    ['a "__proto__" object in a correctly signed JSON body', `{"__proto__":{"pay_result":"0"},${JSON.stringify({ ...seedExample, sign: chaoyingSign(seedExample, KEY) }).slice(1)}`, 'bad_signature'],
    ['a duplicated JSON member', `{"total_fee":"100",${JSON.stringify({ ...seedExample, sign: chaoyingSign(seedExample, KEY) }).slice(1)}`, 'malformed'],
    ['broken JSON', '{"a":', 'malformed'],
  ])('rejects %s', async (_name, body, reason) => {
    const v = await connector.verifyNotification(raw(body));
    expect(v).toMatchObject({ ok: false, reason });
  });

  it('an empty field is "not sent": outside the signed string, and never read', async () => {
    const unpaid: Record<string, string> = { ...seedExample };
    delete unpaid.pay_result;
    const signed = form({ ...unpaid, sign: chaoyingSign(unpaid, KEY) });
    const before = await connector.verifyNotification(raw(signed));
    expect(before).toMatchObject({ ok: true, status: { state: 'unknown', providerCode: 'pay_result=' } });
    // an empty pay_result appended verifies (empties are not signed) and reads exactly as without it
    expect(await connector.verifyNotification(raw(`${signed}&pay_result=&fee_type=`))).toEqual(before);
    // a non-empty one is a field the signature does not cover
    expect(await connector.verifyNotification(raw(`${signed}&pay_result=0`))).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects bytes that are not UTF-8, and never throws', async () => {
    const bad: RawNotification = { body: new Uint8Array([0x73, 0x69, 0x67, 0x6e, 0x3d, 0xff, 0xfe]), contentType: 'application/x-www-form-urlencoded', headers: new Headers() };
    expect(await connector.verifyNotification(bad)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('acks with the plain bodies the seed asks for', async () => {
    const ok = connector.notificationAck('accepted');
    expect(await ok.text()).toBe('success');
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await connector.notificationAck('rejected').text()).toBe('fail');
  });
});

describe('chaoying connector × simulator: in-app (JSPAY) over loopback HTTP', () => {
  let env: SandboxTestEnv;
  let connector: Connector;
  beforeAll(async () => {
    env = await startSandboxTestEnv({ timeScale: 0.001 });
    env.hub.register(createChaoyingSimulator({ agentId: merchant.agentId, mchId: merchant.mchId, key: KEY }, { ...env.deps, hub: env.hub }));
    connector = createChaoyingConnector({ merchant: { ...merchant, subAppId: 'wxaee08d155d9de0c5' }, key: KEY, baseUrl: env.simulatorBaseUrl('chaoying') }, env.deps);
  });
  afterAll(() => env.close());

  const live = (over: Partial<CreatePaymentInput>): CreatePaymentInput => {
    const now = env.deps.clock.now();
    return input({ createdAt: now, expiresAt: now + 600_000, notifyUrl: env.notifyUrl('chaoying'), ...over });
  };

  it('WeChat JSAPI: pay_info reaches the bridge unchanged', async () => {
    const r = await connector.createPayment(live({ outTradeNo: 'PQJS0001', scene: 'jsapi', payer: { openid: 'oRA5quGvJc1wwvjMW-tnpLLqD-FM' } }));
    expect(r.outcome).toBe('created');
    if (r.outcome !== 'created' || r.action.kind !== 'jsapi') throw new Error(JSON.stringify(r));
    expect(Object.keys(r.action.params)).toEqual(['appId', 'timeStamp', 'status', 'signType', 'package', 'callback_url', 'nonceStr', 'paySign']);
    expect(r.action.params.appId).toBe('wxaee08d155d9de0c5');
  });

  it('Alipay JSAPI: tradeNO for tradePay, and the notification says pay.alipay.jspay', async () => {
    env.receiver.clear();
    env.receiver.respondWith(() => connector.notificationAck('accepted'));
    const r = await connector.createPayment(live({ outTradeNo: 'PQJS0002', channel: 'alipay', scene: 'jsapi', payer: { buyerId: '2088822494428872' } }));
    if (r.outcome !== 'created' || r.action.kind !== 'jsapi') throw new Error(JSON.stringify(r));
    expect(r.action.params.tradeNO).toMatch(/^\d{30}$/);
    const session = env.hub.findPayerSession('chaoying', 'PQJS0002')!;
    expect(session.scene).toBe('jsapi');
    await env.hub.actOnPayerSession(session.id, 'pay');
    const [n] = await env.receiver.waitFor(1);
    const v = await connector.verifyNotification(toRawNotification(n!));
    expect(v).toMatchObject({ ok: true, status: { state: 'paid', amount: 1999, extra: { tradeType: 'pay.alipay.jspay' } } });
    expect(n!.text).toContain('buyer_user_id=2088822494428872');
  });
});
