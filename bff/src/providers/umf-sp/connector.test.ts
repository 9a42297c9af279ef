import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import { SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import { parseNotificationBody } from '../notification';
import { fixture, paymentInputs, T0 } from '../testing/fixtures';
import type { QueryRef, RawNotification } from '../types';
import { createUmfSpConnector } from './connector';
import { umfSpSign, verifyUmfSpSignature } from './signature';

const merchantKey = loadRsaPrivateKey(fixture('rsa1024.pkcs8.der'));
const merchantPublic = loadRsaPublicKey(fixture('rsa1024.cert.der'));
const platformPrivate = loadRsaPrivateKey(fixture('rsa2048.pkcs1.pem'));
const platformKey = loadRsaPublicKey(fixture('rsa2048.cert.pem'));

const merchant = { acqSpId: 'Y000000001', acqMerId: '30000064', goodsId: 'payqr' };
const CODE = SANDBOX_AUTH_CODES.wechat.paid;

const input = paymentInputs({ scene: 'micropay', expiresAt: T0 + 60_000, notifyUrl: 'https://pay.example.com/api/notify/umf-sp', authCode: CODE });
const ref: QueryRef = { outTradeNo: 'PQ20261122A1', createdAt: T0, channel: 'wechat', scene: 'micropay' };

interface Sent {
  url: string;
  path: string;
  contentType: string;
  body: string;
  fields: Record<string, string>;
}

/** A connector against a scripted gateway: every answer is what the test returns. */
function scripted(answer: (req: Sent, n: number) => Response | Promise<Response>, over: { merchantKey?: typeof merchantKey } = {}) {
  const requests: Sent[] = [];
  const log = memoryLogger();
  const clock = new FakeClock(T0 + 1500);
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const body = String(init?.body);
    const req: Sent = { url: String(url), path: new URL(String(url)).pathname, body, contentType: new Headers(init?.headers).get('content-type') ?? '', fields: JSON.parse(body) as Record<string, string> };
    requests.push(req);
    return answer(req, requests.length - 1);
  }) as typeof globalThis.fetch;
  const connector = createUmfSpConnector(
    { merchant, merchantKey: over.merchantKey ?? merchantKey, platformKey, baseUrl: 'https://umf.example/spapi/', timeoutMs: 200 },
    { clock, random: seededRandom(9), fetch, log: log.child('umf-sp') },
  );
  return { connector, requests, log, clock };
}

const signed = (fields: Record<string, string>) => Response.json({ ...fields, signature: umfSpSign(fields, 'response', platformPrivate) });
const paidAnswer = { respCode: '00', respMsg: '支付成功', platDate: '20261122', orderNo: 'PQ20261122A1', transactionId: '20261122000000000000000001', paySeq: '2026112210000000001', txnAmt: '1999', depBankSeq: '4200000001' };
const queryAnswer = (orig: string, extra: Record<string, string> = {}) => ({
  respCode: '00',
  respMsg: '查询成功',
  orderNo: 'PQ20261122A1',
  acqSpId: 'Y000000001',
  acqMerId: '30000064',
  txnAmt: '1999',
  transactionId: 'T1',
  origRespCode: orig,
  ...extra,
});

describe('umf-sp connector: micropay on the wire', () => {
  it('posts signed JSON to {BASE_URL}/pay/micropay and maps 00 to paid', async () => {
    const { connector, requests, log } = scripted(() => signed(paidAnswer));
    const r = await connector.createPayment(input());
    expect(r).toEqual({
      outcome: 'paid',
      status: expect.objectContaining({ state: 'paid', outTradeNo: 'PQ20261122A1', amount: 1999, currency: 'CNY', providerTradeNo: '20261122000000000000000001', paidAt: T0 + 1500 }),
    });
    const sent = requests[0]!;
    expect(sent.url).toBe('https://umf.example/spapi/pay/micropay');
    expect(sent.contentType).toMatch(/^application\/json/);
    expect(Object.keys(sent.fields).sort()).toEqual(['acqMerId', 'acqSpId', 'authCode', 'backUrl', 'goodsId', 'goodsInfo', 'orderNo', 'orderTime', 'orderType', 'signature', 'txnAmt']);
    expect(sent.fields).toMatchObject({ orderTime: '20261122100000', txnAmt: '1999', orderType: 'wechat', authCode: CODE });
    expect(verifyUmfSpSignature(sent.fields, 'request', merchantPublic)).toBe('valid');
    expect(sent.fields.signature).toHaveLength(172);
    const logged = log.lines.join('\n');
    expect(logged).toContain('[umf-sp][create] paid');
    expect(logged).not.toContain(CODE);
    expect(logged).toContain('1345…6700');
  });

  it('never sends a malformed code, or a code of another wallet', async () => {
    const { connector, requests, log } = scripted(() => signed(paidAnswer));
    expect(await connector.createPayment(input({ authCode: '13456789012345670' }))).toMatchObject({ outcome: 'failed', code: 'invalid_auth_code', message: expect.stringMatching(/17 digits/) });
    expect(await connector.createPayment(input({ authCode: SANDBOX_AUTH_CODES.alipay.paid }))).toMatchObject({ outcome: 'failed', code: 'invalid_auth_code' });
    expect(await connector.createPayment(input({ authCode: undefined }))).toMatchObject({ outcome: 'failed', code: 'invalid_auth_code' });
    expect(requests).toHaveLength(0);
    expect(log.lines.join('\n')).not.toContain('13456789012345670');
  });

  it('sends no backUrl when our notify URL breaks UMF’s rule, and says so', async () => {
    const { connector, requests, log } = scripted(() => signed(paidAnswer));
    await connector.createPayment(input({ notifyUrl: 'https://pay.example.com/api/notify/umf_sp' }));
    expect(requests[0]!.fields.backUrl).toBeUndefined();
    expect(log.lines.some((l) => l.includes('sent without backUrl'))).toBe(true);
  });

  it.each<[string, () => Response | Promise<Response>, object]>([
    ['02 paying', () => signed({ respCode: '02', respMsg: '支付中', orderNo: 'PQ20261122A1' }), { outcome: 'unknown', progress: 'paying' }],
    ['62 password entry', () => signed({ respCode: '62', respMsg: '用户输入密码中' }), { outcome: 'unknown', progress: 'password_entry' }],
    ['04 unknown', () => signed({ respCode: '04' }), { outcome: 'unknown' }],
    ['51 insufficient balance', () => signed({ respCode: '51', respMsg: '余额不足' }), { outcome: 'failed', code: '51', message: '余额不足' }],
    ['HTTP 503', () => new Response('busy', { status: 503 }), { outcome: 'unknown', reason: 'HTTP 503' }],
    ['HTTP 404', () => new Response('no', { status: 404 }), { outcome: 'failed', code: 'http_404' }],
    ['an HTML 200', () => new Response('<html>proxy</html>'), { outcome: 'unknown', reason: expect.stringMatching(/not JSON/) }],
    ['a JSON array', () => Response.json([1]), { outcome: 'unknown' }],
    ['JSON without respCode', () => Response.json({ respMsg: 'x' }), { outcome: 'unknown', reason: expect.stringMatching(/usable respCode/) }],
    ['a network error', () => Promise.reject(new TypeError('fetch failed')), { outcome: 'unknown', reason: 'network error: fetch failed' }],
    ['no answer in time', () => new Promise<Response>(() => {}), { outcome: 'unknown', reason: 'no answer within 200 ms' }],
    ['an unsigned success', () => Response.json(paidAnswer), { outcome: 'unknown', reason: expect.stringMatching(/missing_signature/) }],
    ['an unsigned failure', () => Response.json({ respCode: '51' }), { outcome: 'unknown', reason: expect.stringMatching(/missing_signature/) }],
    ['a success signed with the merchant key', () => Response.json({ ...paidAnswer, signature: umfSpSign(paidAnswer, 'response', merchantKey) }), { outcome: 'unknown', reason: expect.stringMatching(/bad_signature/) }],
    ['a success signed in the k=v form', () => Response.json({ ...paidAnswer, signature: umfSpSign(paidAnswer, 'request', platformPrivate) }), { outcome: 'unknown', reason: expect.stringMatching(/bad_signature/) }],
    ['a field added after signing', () => Response.json({ ...paidAnswer, signature: umfSpSign(paidAnswer, 'response', platformPrivate), payerInfo: 'x' }), { outcome: 'unknown' }],
  ])('create with %s', async (_name, answer, expected) => {
    const { connector } = scripted(answer);
    expect(await connector.createPayment(input())).toEqual(expect.objectContaining(expected));
  });

  it('63 (UMF rejected our signature) is a failure that names the settings to check', async () => {
    const { connector, log } = scripted(() => signed({ respCode: '63', respMsg: '签名错误' }));
    expect(await connector.createPayment(input())).toMatchObject({ outcome: 'failed', code: '63' });
    expect(log.lines.some((l) => l.includes('check PAYQR_UMF_SP_PRIVATE_KEY'))).toBe(true);
  });

  it('94 (number known, e.g. already paid): queries at once and settles on its answer', async () => {
    const paid = scripted((req) => (req.path.endsWith('/pay/micropay') ? signed({ respCode: '94', respMsg: '订单已支付' }) : signed(queryAnswer('00', { payTime: '20261122100000' }))));
    expect(await paid.connector.createPayment(input())).toMatchObject({ outcome: 'paid', status: { state: 'paid', amount: 1999, merchantId: '30000064', paidAt: T0 } });
    expect(paid.requests.map((r) => r.path)).toEqual(['/spapi/pay/micropay', '/spapi/pay/queryOrder']);
    expect(paid.requests[1]!.fields).toMatchObject({ acqSpId: 'Y000000001', acqMerId: '30000064', orderNo: 'PQ20261122A1', orderTime: '20261122100000' });
    const paying = scripted((req) => (req.path.endsWith('/pay/micropay') ? signed({ respCode: '94' }) : signed(queryAnswer('62'))));
    expect(await paying.connector.createPayment(input())).toMatchObject({ outcome: 'unknown', progress: 'password_entry', reason: expect.stringMatching(/query: pending/) });
  });

  it('a JSON number in an answer is verified by its text', async () => {
    const { connector } = scripted(() => Response.json({ ...paidAnswer, txnAmt: 1999, signature: umfSpSign(paidAnswer, 'response', platformPrivate) }));
    expect((await connector.createPayment(input())).outcome).toBe('paid');
  });

  it('query: only a verified answer about our order is believed', async () => {
    expect(await scripted(() => signed(queryAnswer('02'))).connector.queryPayment(ref)).toMatchObject({ state: 'pending', progress: 'paying' });
    expect((await scripted(() => Response.json(queryAnswer('00'))).connector.queryPayment(ref)).state).toBe('unknown');
    expect(await scripted(() => new Response('', { status: 502 })).connector.queryPayment(ref)).toMatchObject({ state: 'unknown', providerMessage: 'HTTP 502' });
    expect((await scripted(() => signed({ respCode: '25' })).connector.queryPayment(ref)).state).toBe('not_found');
  });

  it('advertises wechat/alipay/unionpay × micropay, CNY, the micropay query schedule and a reverse', () => {
    const { connector } = scripted(() => Response.json({}));
    expect(connector.capabilities).toEqual([
      { channel: 'wechat', scene: 'micropay' },
      { channel: 'alipay', scene: 'micropay' },
      { channel: 'unionpay', scene: 'micropay' },
    ]);
    expect(connector.supportsCurrency('CNY')).toBe(true);
    expect(connector.supportsCurrency('HKD')).toBe(false);
    expect(connector.querySchedule).toEqual({ firstDelayMs: 5000, intervalMs: 3000, deadlineMs: 60_000 });
    expect(connector.outTradeNoRule).toEqual({ minLength: 5, maxLength: 32, pattern: /^[A-Za-z0-9]+$/ });
    expect(connector.merchantId).toBe('30000064');
    expect(typeof connector.reversePayment).toBe('function');
  });

  it('warns when the merchant key makes signatures longer than the seed allows', () => {
    const { log } = scripted(() => Response.json({}), { merchantKey: loadRsaPrivateKey(fixture('rsa2048.pkcs8.pem')) });
    expect(log.lines.some((l) => l.includes('RSA-2048') && l.includes('256-character'))).toBe(true);
  });
});

describe('umf-sp connector: reverse and close', () => {
  it('reverse confirmed (was paying) → closed', async () => {
    const { connector, requests } = scripted(() => signed({ respCode: '00', respMsg: '撤销成功', orderNo: 'PQ20261122A1', origRespCode: '02' }));
    expect(await connector.reversePayment!(ref)).toEqual({ closed: true, detail: expect.stringMatching(/^reversed/) });
    expect(requests[0]!.path).toBe('/spapi/pay/cancelOrder');
    expect(verifyUmfSpSignature(requests[0]!.fields, 'request', merchantPublic)).toBe('valid');
  });

  it('reverse of an order that had been paid → closed, with the refunded payment and a clear detail', async () => {
    const { connector } = scripted(() => signed({ respCode: '00', respMsg: '撤销成功，已退款', orderNo: 'PQ20261122A1', origRespCode: '00', txnAmt: '1999', transactionId: 'T1' }));
    const r = await connector.reversePayment!(ref);
    expect(r).toMatchObject({ closed: true, alreadyPaid: { state: 'paid', amount: 1999, providerTradeNo: 'T1' }, detail: expect.stringMatching(/had been paid and UMF refunded it/) });
  });

  it('reverse idempotent: an already reversed order is confirmed again', async () => {
    const { connector } = scripted(() => signed({ respCode: '00', respMsg: '订单已撤销', origRespCode: '04' }));
    expect(await connector.reversePayment!(ref)).toMatchObject({ closed: true });
    expect(await connector.reversePayment!(ref)).toMatchObject({ closed: true });
  });

  it('reverse of a number UMF never saw → closed (nothing can be paid under it)', async () => {
    const { connector } = scripted(() => signed({ respCode: '25' }));
    expect(await connector.reversePayment!(ref)).toMatchObject({ closed: true, detail: expect.stringMatching(/no such order/) });
  });

  it('reverse refused on a paid order (past the day) → not closed, alreadyPaid: the caller settles', async () => {
    const { connector, requests } = scripted((req) => (req.path.endsWith('cancelOrder') ? signed({ respCode: '40', respMsg: '仅支持当日交易撤销', origRespCode: '00' }) : signed(queryAnswer('00'))));
    expect(await connector.reversePayment!(ref)).toMatchObject({ closed: false, alreadyPaid: { state: 'paid', amount: 1999 } });
    expect(requests.map((r) => r.path)).toEqual(['/spapi/pay/cancelOrder', '/spapi/pay/queryOrder']);
  });

  it('reverse without a usable answer: the query decides; when nothing answers, not closed', async () => {
    const closedAfter = scripted((_r, n) => (n === 0 ? new Response('', { status: 500 }) : signed(queryAnswer('04'))));
    expect(await closedAfter.connector.reversePayment!(ref)).toMatchObject({ closed: true });
    const tampered = scripted((_r, n) => (n === 0 ? Response.json({ respCode: '00', signature: 'AAAA' }) : signed(queryAnswer('02'))));
    expect(await tampered.connector.reversePayment!(ref)).toMatchObject({ closed: false, detail: expect.stringMatching(/query: pending/) });
    const down = scripted(() => Promise.reject(new TypeError('fetch failed')));
    expect(await down.connector.reversePayment!(ref)).toMatchObject({ closed: false });
  });

  it('close confirmed → closed; close refused because paid → alreadyPaid from the query', async () => {
    const ok = scripted(() => signed({ respCode: '00', respMsg: '关单成功', origRespCode: '02' }));
    expect(await ok.connector.closePayment(ref)).toMatchObject({ closed: true });
    expect(ok.requests[0]!.path).toBe('/spapi/pay/closeOrder');
    const paid = scripted((req) => (req.path.endsWith('closeOrder') ? signed({ respCode: '40', origRespCode: '00' }) : signed(queryAnswer('00'))));
    expect(await paid.connector.closePayment(ref)).toMatchObject({ closed: false, alreadyPaid: { state: 'paid', amount: 1999 } });
    // a "confirmed" close that says it had been paid is not a close
    const odd = scripted((req) => (req.path.endsWith('closeOrder') ? signed({ respCode: '00', origRespCode: '00' }) : signed(queryAnswer('00'))));
    expect(await odd.connector.closePayment(ref)).toMatchObject({ closed: false, alreadyPaid: { state: 'paid' } });
  });
});

describe('umf-sp connector: notifications', () => {
  const { connector } = scripted(() => Response.json({}));
  const raw = (body: string, contentType = 'application/x-www-form-urlencoded'): RawNotification => ({
    body: new TextEncoder().encode(body),
    contentType,
    headers: new Headers({ 'content-type': contentType }),
  });
  const fields = { acqSpId: 'Y000000001', acqMerId: '30000064', orderNo: 'PQ20261122A1', orderTime: '20261122100000', orderType: 'wechat', txnAmt: '1999', transactionId: 'T1', respCode: '00', respMsg: '支付成功', payTime: '20261122100005' };
  const sign = (f: Record<string, string>) => umfSpSign(f, 'notify', platformPrivate);
  const form = (f: Record<string, string>) => new URLSearchParams(f).toString();

  it('verifies a form notification on the decoded values and reads it', async () => {
    expect(await connector.verifyNotification(raw(form({ ...fields, sign: sign(fields) })))).toEqual({
      ok: true,
      trust: 'signed',
      status: expect.objectContaining({ state: 'paid', outTradeNo: 'PQ20261122A1', amount: 1999, merchantId: '30000064', providerTradeNo: 'T1', paidAt: T0 + 5000 }),
    });
    const failed = { ...fields, respCode: '01', respMsg: '用户取消 支付' };
    expect(await connector.verifyNotification(raw(form({ ...failed, sign: sign(failed) })))).toMatchObject({ ok: true, status: { state: 'failed' } });
    expect((await connector.verifyNotification(raw(JSON.stringify({ ...fields, sign: sign(fields) }), 'application/json'))).ok).toBe(true);
  });

  it.each<[string, string, string]>([
    ['no sign', form(fields), 'missing_signature'],
    ['an empty sign', form({ ...fields, sign: '' }), 'missing_signature'],
    ['a forged sign', form({ ...fields, sign: 'A'.repeat(344) }), 'bad_signature'],
    ['the amount changed', form({ ...fields, sign: sign(fields), txnAmt: '1' }), 'bad_signature'],
    ['a field added', form({ ...fields, sign: sign(fields), merPriv: 'x' }), 'bad_signature'],
    ['signed with the merchant key', form({ ...fields, sign: umfSpSign(fields, 'notify', merchantKey) }), 'bad_signature'],
    ['signed in the | form', form({ ...fields, sign: umfSpSign(fields, 'response', platformPrivate) }), 'bad_signature'],
    ['an empty body', '', 'malformed'],
    ['a duplicated field', `${form({ ...fields, sign: sign(fields) })}&txnAmt=1999`, 'malformed'],
    ['broken JSON', '{"a":', 'malformed'],
  ])('rejects %s', async (_name, body, reason) => {
    expect(await connector.verifyNotification(raw(body))).toMatchObject({ ok: false, reason });
  });

  it('a signed notification without orderNo is malformed; bytes that are not UTF-8 too; it never throws', async () => {
    const { orderNo: _o, ...noOrder } = fields;
    expect(await connector.verifyNotification(raw(form({ ...noOrder, sign: sign(noOrder) })))).toMatchObject({ ok: false, reason: 'malformed', detail: 'no orderNo' });
    const bad: RawNotification = { body: new Uint8Array([0x73, 0x69, 0x67, 0x6e, 0x3d, 0xff]), contentType: 'application/x-www-form-urlencoded', headers: new Headers() };
    expect(await connector.verifyNotification(bad)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('acks with signed JSON: respCode 00 accepted, 01 rejected', async () => {
    const ok = connector.notificationAck('accepted', { outTradeNo: 'PQ20261122A1' });
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await ok.json()) as Record<string, string>;
    expect(body).toMatchObject({ respCode: '00', respMsg: '成功', orderNo: 'PQ20261122A1' });
    expect(verifyUmfSpSignature(body, 'ack', merchantPublic)).toBe('valid');
    const no = (await connector.notificationAck('rejected').json()) as Record<string, string>;
    expect(no).toMatchObject({ respCode: '01' });
    expect(no.orderNo).toBeUndefined();
    expect(verifyUmfSpSignature(no, 'ack', merchantPublic)).toBe('valid');
  });

  it('parseNotificationBody keeps values decoded and refuses ambiguity', () => {
    expect(parseNotificationBody('a=%E6%88%90%E5%8A%9F&b=x+y')).toEqual({ map: { a: '成功', b: 'x y' } });
    expect(parseNotificationBody('a=1&a=2')).toEqual({ malformed: 'field "a" appears more than once' });
  });
});
