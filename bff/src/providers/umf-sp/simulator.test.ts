import { describe, expect, it } from 'vitest';
import { beijingCompact, FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import { createSandboxHub } from '../../sandbox/hub';
import { SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import { fixture } from '../testing/fixtures';
import { umfSpAck } from './connector';
import { umfSpSign, verifyUmfSpSignature } from './signature';
import { createUmfSpSimulator, UMF_SP_NOTIFY_SCHEDULE_MS } from './simulator';

const merchantKey = loadRsaPrivateKey(fixture('rsa1024.pkcs8.pem'));
const merchantPublicKey = loadRsaPublicKey(fixture('rsa1024.spki.pem'));
const platformPrivateKey = loadRsaPrivateKey(fixture('rsa2048.pkcs8.pem'));
const platformCert = loadRsaPublicKey(fixture('rsa2048.cert.pem'));

const SP = 'Y000000001';
const MER = '30000064';
// 2026-11-22 10:00:00 Beijing
const T0 = Date.UTC(2026, 10, 22, 2, 0, 0);
const W = SANDBOX_AUTH_CODES.wechat;

interface Sent {
  url: string;
  contentType: string;
  body: string;
  fields: Record<string, string>;
}

function setup(opts: { timeScale?: number; reply?: (n: number, fields: Record<string, string>) => { status: number; text: string } } = {}) {
  const clock = new FakeClock(T0);
  const random = seededRandom(7);
  const log = memoryLogger();
  const sent: Sent[] = [];
  const reply = opts.reply ?? ((_n, f) => ({ status: 200, text: JSON.stringify(umfSpAck('accepted', merchantKey, f.orderNo)) }));
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const body = String(init?.body);
    const fields = Object.fromEntries(new URLSearchParams(body));
    const n = sent.length;
    sent.push({ url: String(url), contentType: new Headers(init?.headers).get('content-type') ?? '', body, fields });
    const a = reply(n, fields);
    return new Response(a.text, { status: a.status });
  }) as typeof globalThis.fetch;
  const hub = createSandboxHub({ clock, random, fetch, log, publicUrl: 'http://sandbox.test', timeScale: opts.timeScale ?? 1 });
  const sim = createUmfSpSimulator({ acqSpId: SP, acqMerId: MER, merchantPublicKey, platformPrivateKey }, { clock, random, fetch, log, hub });
  hub.register(sim);

  const post = async (path: string, fields: Record<string, unknown>, o: { sign?: string | false; contentType?: string; raw?: string } = {}) => {
    const f: Record<string, unknown> = { ...fields };
    if (o.sign !== false) f.signature = o.sign ?? umfSpSign(f, 'request', merchantKey);
    const res = await hub.handle(
      new Request(`http://sandbox.test/sandbox/umf-sp${path}`, {
        method: 'POST',
        headers: { 'content-type': o.contentType ?? 'application/json; charset=UTF-8' },
        body: o.raw ?? JSON.stringify(f),
      }),
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Record<string, string>;
    // every answer, rejections included, is signed by the platform
    expect(verifyUmfSpSignature(answer, 'response', platformCert), JSON.stringify(answer)).toBe('valid');
    return answer;
  };
  const micropayFields = (over: Record<string, unknown> = {}) => ({
    orderTime: beijingCompact(clock.now()),
    acqSpId: SP,
    acqMerId: MER,
    orderNo: 'PQSIM0001',
    txnAmt: '1999',
    orderType: 'wechat',
    authCode: W.paid,
    goodsId: 'payqr',
    goodsInfo: '一杯咖啡',
    backUrl: 'http://shop.test/notify/umf-sp',
    ...over,
  });
  const micropay = (over: Record<string, unknown> = {}) => post('/pay/micropay', micropayFields(over));
  const ref = (orderNo = 'PQSIM0001', over: Record<string, unknown> = {}) => ({ acqSpId: SP, acqMerId: MER, orderNo, orderTime: beijingCompact(T0), ...over });
  const query = (orderNo?: string, over?: Record<string, unknown>) => post('/pay/queryOrder', ref(orderNo, over));
  const cancel = (orderNo?: string) => post('/pay/cancelOrder', ref(orderNo));
  const close = (orderNo?: string) => post('/pay/closeOrder', ref(orderNo));
  return { clock, hub, sim, sent, log, post, micropay, micropayFields, query, cancel, close };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}

describe('umf-sp simulator: micropay outcomes follow micropayScenario(authCode)', () => {
  it('…00 paid at once: 00 with the seed answer fields, and no notification (synchronous success)', async () => {
    const s = setup();
    const a = await s.micropay();
    expect(a).toMatchObject({ respCode: '00', respMsg: '支付成功', platDate: '20261122', orderNo: 'PQSIM0001', txnAmt: '1999' });
    expect(a.transactionId).toMatch(/^20261122\d{18}$/);
    expect(a.paySeq).toBeTruthy();
    expect(a.depBankSeq).toMatch(/^42000\d{23}$/);
    expect(await s.query()).toMatchObject({ respCode: '00', origRespCode: '00', txnAmt: '1999', acqMerId: MER, payTime: '20261122100000' });
    await settle();
    expect(s.sent).toHaveLength(0);
  });

  it('…01 paying: 02, queries say 02 until 5 s, then paid and notified once (form, sign over k=v&)', async () => {
    const s = setup();
    expect(await s.micropay({ authCode: W.paying })).toMatchObject({ respCode: '02' });
    await s.clock.advance(4_999);
    expect(await s.query()).toMatchObject({ origRespCode: '02' });
    expect(s.sent).toHaveLength(0);
    await s.clock.advance(1);
    await settle();
    expect(s.sent).toHaveLength(1);
    const n = s.sent[0]!;
    expect(n.url).toBe('http://shop.test/notify/umf-sp');
    expect(n.contentType).toBe('application/x-www-form-urlencoded');
    expect(n.fields).toMatchObject({ acqSpId: SP, acqMerId: MER, orderNo: 'PQSIM0001', txnAmt: '1999', respCode: '00', orderType: 'wechat', payTime: '20261122100005' });
    expect(verifyUmfSpSignature(n.fields, 'notify', platformCert)).toBe('valid');
    expect(await s.query()).toMatchObject({ origRespCode: '00', payTime: '20261122100005' });
    await s.clock.advance(3_600_000);
    expect(s.sent).toHaveLength(1);
    expect(s.hub.deliveries('umf-sp')[0]).toMatchObject({ state: 'acked' });
  });

  it('the time to the final result is scaled by the hub (timeScale 0.01: 5 s → 50 ms)', async () => {
    const s = setup({ timeScale: 0.01 });
    await s.micropay({ authCode: W.paying });
    await s.clock.advance(49);
    expect(await s.query()).toMatchObject({ origRespCode: '02' });
    await s.clock.advance(1);
    expect(await s.query()).toMatchObject({ origRespCode: '00' });
  });

  it('…02 password entry: 62 (also in queries) for 10 s, then paid', async () => {
    const s = setup();
    expect(await s.micropay({ authCode: W.password })).toMatchObject({ respCode: '62', respMsg: '用户输入密码中' });
    await s.clock.advance(9_000);
    expect(await s.query()).toMatchObject({ origRespCode: '62' });
    await s.clock.advance(1_000);
    expect(await s.query()).toMatchObject({ origRespCode: '00' });
  });

  it('…06 password entry, then the payer cancels: failed after 10 s, notified as failed', async () => {
    const s = setup();
    expect(await s.micropay({ authCode: W.canceled })).toMatchObject({ respCode: '62' });
    await s.clock.advance(10_000);
    await settle();
    expect(await s.query()).toMatchObject({ origRespCode: '06' });
    expect(s.sent[0]?.fields).toMatchObject({ respCode: '01', respMsg: '用户取消支付' });
  });

  it('…03 failed at once (51), never notified', async () => {
    const s = setup();
    expect(await s.micropay({ authCode: W.failed })).toMatchObject({ respCode: '51' });
    expect(await s.query()).toMatchObject({ origRespCode: '06' });
    await settle();
    expect(s.sent).toHaveLength(0);
  });

  it('…04 unknown forever: 04, queries keep saying paying, until reversed; reversing again is confirmed again', async () => {
    const s = setup();
    expect(await s.micropay({ authCode: W.unknown })).toMatchObject({ respCode: '04' });
    await s.clock.advance(24 * 3_600_000 - 60_000);
    expect(await s.query()).toMatchObject({ origRespCode: '02' });
    expect(await s.cancel()).toMatchObject({ respCode: '00', origRespCode: '02' });
    expect(await s.query()).toMatchObject({ origRespCode: '04' });
    expect(await s.cancel()).toMatchObject({ respCode: '00', origRespCode: '04' });
    // the number stays used
    expect(await s.micropay({ authCode: W.paid })).toMatchObject({ respCode: '94' });
  });

  it('…05 already paid: 94, and the query says paid', async () => {
    const s = setup();
    expect(await s.micropay({ authCode: W.alreadyPaid })).toMatchObject({ respCode: '94' });
    expect(await s.query()).toMatchObject({ origRespCode: '00', txnAmt: '1999' });
  });

  it('the same outcomes for Alipay and UnionPay codes', async () => {
    const s = setup();
    expect(await s.micropay({ orderNo: 'PQA1', orderType: 'alipay', authCode: SANDBOX_AUTH_CODES.alipay.password })).toMatchObject({ respCode: '62' });
    expect(await s.micropay({ orderNo: 'PQU1', orderType: 'unionpay', authCode: SANDBOX_AUTH_CODES.unionpay.failed })).toMatchObject({ respCode: '51' });
  });
});

describe('umf-sp simulator: reverse and close race the final result in clock order', () => {
  it('a reverse before the final moment wins for good: never paid, never notified', async () => {
    const s = setup();
    await s.micropay({ authCode: W.paying });
    await s.clock.advance(4_999);
    expect(await s.cancel()).toMatchObject({ respCode: '00', origRespCode: '02' });
    await s.clock.advance(60_000);
    await settle();
    expect(await s.query()).toMatchObject({ origRespCode: '04' });
    expect(s.sent).toHaveLength(0);
    expect(s.sim.order('PQSIM0001')).toMatchObject({ state: 'revoked', refunded: false });
  });

  it('a reverse at the final moment finds it paid (even before the timer ran) and refunds it', async () => {
    const s = setup();
    await s.micropay({ authCode: W.paying });
    s.clock.set(T0 + 5_000); // the clock moved; the timer has not run yet
    expect(await s.cancel()).toMatchObject({ respCode: '00', origRespCode: '00', txnAmt: '1999', payTime: '20261122100005' });
    expect(s.sim.order('PQSIM0001')).toMatchObject({ state: 'revoked', refunded: true });
    await settle();
    // the payment happened first, so its notification went out
    expect(s.sent.map((x) => x.fields.respCode)).toEqual(['00']);
  });

  it('a paid order can be reversed the same day only', async () => {
    const s = setup();
    await s.micropay();
    await s.clock.advance(14 * 3_600_000); // 2026-11-23 00:00 Beijing
    expect(await s.cancel()).toMatchObject({ respCode: '40', origRespCode: '00' });
    expect(await s.query()).toMatchObject({ origRespCode: '00' });
  });

  it('close: pending → closed (and never paid); paid → refused with 40; unknown order → 25', async () => {
    const s = setup();
    await s.micropay({ authCode: W.password });
    expect(await s.close()).toMatchObject({ respCode: '00', origRespCode: '62' });
    await s.clock.advance(20_000);
    expect(await s.query()).toMatchObject({ origRespCode: '03' });
    expect(await s.close()).toMatchObject({ respCode: '00', origRespCode: '03' });
    await s.micropay({ orderNo: 'PQSIM0002' });
    expect(await s.close('PQSIM0002')).toMatchObject({ respCode: '40', origRespCode: '00' });
    expect(await s.close('PQNEVER01')).toMatchObject({ respCode: '25', orderNo: 'PQNEVER01' });
  });

  it('a reverse of a number UMF never saw answers 25 and blocks a late micropay under it', async () => {
    const s = setup();
    expect(await s.cancel('PQLATE001')).toMatchObject({ respCode: '25' });
    expect(await s.micropay({ orderNo: 'PQLATE001' })).toMatchObject({ respCode: '94' });
    expect(await s.query('PQLATE001')).toMatchObject({ respCode: '25' });
  });
});

describe('umf-sp simulator: the seed field rules', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a missing goodsId', { goodsId: undefined }, '12', /goodsId/],
    ['goodsInfo over 128 bytes', { goodsInfo: '咖'.repeat(43) }, '12', /goodsInfo/],
    ['an unknown orderType', { orderType: 'ecny' }, '12', /orderType/],
    ['a txnAmt with decimals', { txnAmt: '19.99' }, '12', /txnAmt/],
    ['a txnAmt of 14 digits', { txnAmt: '12345678901234' }, '12', /txnAmt/],
    ['an orderNo of 65 characters', { orderNo: 'A'.repeat(65) }, '12', /orderNo/],
    ['a field the seed does not have', { openid: 'x' }, '12', /openid/],
    ['an impossible orderTime', { orderTime: '20261131100000' }, '12', /orderTime/],
    ['a backUrl breaking the character rule', { backUrl: 'http://shop.test/notify/umf_sp' }, '12', /backUrl/],
    ['a WeChat code sent as alipay', { orderType: 'alipay' }, '14', /Alipay: 16–24 digits starting 25–30/],
    ['a 17-digit code', { authCode: '13456789012345670' }, '14', /WeChat/],
    ['an unknown acqMerId', { acqMerId: '30000065' }, '03', /acqMerId/],
    ['an unknown acqSpId', { acqSpId: 'Y000000002' }, '03', /acqSpId/],
  ])('%s → %s', async (_name, over, code, msg) => {
    const s = setup();
    const a = await s.post('/pay/micropay', s.micropayFields(over));
    expect(a.respCode).toBe(code);
    expect(a.respMsg).toMatch(msg);
    expect(s.sim.orders()).toHaveLength(0);
  });

  it('verifies our signature with the merchant key', async () => {
    const s = setup();
    expect(await s.post('/pay/micropay', s.micropayFields(), { sign: false })).toMatchObject({ respCode: '12', respMsg: '缺少参数 signature' });
    const other = umfSpSign(s.micropayFields(), 'request', platformPrivateKey);
    expect(await s.post('/pay/micropay', s.micropayFields(), { sign: other })).toMatchObject({ respCode: '63' });
    expect(await s.post('/pay/micropay', { ...s.micropayFields(), txnAmt: '1' }, { sign: umfSpSign(s.micropayFields(), 'request', merchantKey) })).toMatchObject({ respCode: '63' });
  });

  it('orderNo is unique per acqMerId', async () => {
    const s = setup();
    expect(await s.micropay()).toMatchObject({ respCode: '00' });
    expect(await s.micropay({ authCode: W.paying })).toMatchObject({ respCode: '94', orderNo: 'PQSIM0001' });
  });

  it('wants a JSON object of strings', async () => {
    const s = setup();
    expect(await s.post('/pay/micropay', s.micropayFields(), { contentType: 'application/x-www-form-urlencoded' })).toMatchObject({ respCode: '12' });
    expect(await s.post('/pay/micropay', {}, { raw: '[1]' })).toMatchObject({ respCode: '12' });
    expect(await s.post('/pay/micropay', {}, { raw: '{"a":' })).toMatchObject({ respCode: '12' });
    expect(await s.post('/pay/micropay', s.micropayFields({ txnAmt: 1999 }))).toMatchObject({ respCode: '12', respMsg: expect.stringMatching(/txnAmt 必须是字符串/) });
  });

  it('a query naming another day (orderTime) does not find the order', async () => {
    const s = setup();
    await s.micropay();
    expect(await s.query('PQSIM0001', { orderTime: '20261121100000' })).toMatchObject({ respCode: '25' });
    expect(await s.query('PQSIM0001', { orderTime: undefined })).toMatchObject({ respCode: '00', origRespCode: '00' });
  });

  it('serves only its four POST paths', async () => {
    const s = setup();
    const r = await s.hub.handle(new Request('http://sandbox.test/sandbox/umf-sp/pay/refund', { method: 'POST', body: '{}' }));
    expect(r.status).toBe(404);
    expect(await r.text()).toContain('/pay/micropay');
    expect((await s.hub.handle(new Request('http://sandbox.test/sandbox/umf-sp/pay/micropay'))).status).toBe(405);
  });

  it('never keeps or logs a whole payer code', async () => {
    const s = setup();
    await s.micropay({ authCode: W.paying });
    await s.micropay({ orderNo: 'PQSIM0002', authCode: '13456789012345670' });
    expect(s.sim.order('PQSIM0001')?.authCode).toBe('1345…6701');
    const logged = s.log.lines.join('\n');
    expect(logged).not.toContain(W.paying);
    expect(logged).not.toContain('13456789012345670');
  });
});

describe('umf-sp simulator: notifications and faults', () => {
  it('retries on the schedule until the reply is respCode 00 with a valid signature', async () => {
    let n = 0;
    const s = setup({
      reply: (_i, f) => {
        n++;
        if (n === 1) return { status: 200, text: 'success' }; // chaoying's ack is not UMF's
        if (n === 2) return { status: 200, text: JSON.stringify({ ...umfSpAck('accepted', merchantKey, f.orderNo), respMsg: 'changed' }) }; // bad signature
        if (n === 3) return { status: 200, text: JSON.stringify(umfSpAck('rejected', merchantKey, f.orderNo)) };
        return { status: 200, text: JSON.stringify({ respCode: '00' }) }; // unsigned 00 is accepted
      },
    });
    await s.micropay({ authCode: W.paying });
    await s.clock.advance(5_000);
    await settle();
    expect(s.sent).toHaveLength(1);
    for (const delay of UMF_SP_NOTIFY_SCHEDULE_MS.slice(1)) {
      await s.clock.advance(delay);
      await settle();
    }
    expect(s.sent).toHaveLength(4);
    expect(s.hub.deliveries('umf-sp')[0]).toMatchObject({ state: 'acked' });
    expect(s.hub.deliveries('umf-sp')[0]!.attempts.map((a) => a.acked)).toEqual([false, false, false, true]);
  });

  it('tampered notifications: amount changed after signing, stripped sign, re-signed with other values', async () => {
    const s = setup();
    const bodies: Record<string, Record<string, string>> = {};
    for (const mode of ['amount', 'strip-signature', 'resigned-amount', 'resigned-merchant', 'resigned-order'] as const) {
      s.hub.faults.set('umf-sp', { tamperNotifications: 1, tamperMode: mode });
      const orderNo = `PQT${mode.replace(/-/g, '').slice(0, 10)}`;
      await s.micropay({ orderNo, authCode: W.paying });
      await s.clock.advance(5_000);
      await settle();
      bodies[mode] = s.sent.at(-1)!.fields;
    }
    expect(verifyUmfSpSignature(bodies.amount!, 'notify', platformCert)).toBe('invalid');
    expect(bodies['strip-signature']!.sign).toBeUndefined();
    expect(verifyUmfSpSignature(bodies['resigned-amount']!, 'notify', platformCert)).toBe('valid');
    expect(bodies['resigned-amount']!.txnAmt).toBe('1');
    expect(bodies['resigned-merchant']!.acqMerId).toBe('99999999');
    expect(bodies['resigned-order']!.orderNo).toMatch(/^X/);
  });

  it('needQuery: the answer says 04 while the order follows its scenario', async () => {
    const s = setup();
    s.hub.faults.set('umf-sp', { needQuery: 1 });
    expect(await s.micropay()).toMatchObject({ respCode: '04' });
    expect(await s.query()).toMatchObject({ origRespCode: '00' });
  });

  it('tamperResponses: the answer is altered after signing', async () => {
    const s = setup();
    s.hub.faults.set('umf-sp', { tamperResponses: 1 });
    const res = await s.hub.handle(
      new Request('http://sandbox.test/sandbox/umf-sp/pay/micropay', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...s.micropayFields({ authCode: W.unknown }), signature: umfSpSign(s.micropayFields({ authCode: W.unknown }), 'request', merchantKey) }),
      }),
    );
    const a = (await res.json()) as Record<string, string>;
    expect(a.respCode).toBe('00');
    expect(verifyUmfSpSignature(a, 'response', platformCert)).toBe('invalid');
  });
});
