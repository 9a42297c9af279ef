import { describe, expect, it } from 'vitest';
import { beijingDate, beijingTime, FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { createSandboxHub } from '../../sandbox/hub';
import { umfMofunSign, verifyUmfMofunSignature } from './signature';
import { createUmfMofunSimulator, UMF_MOFUN_NOTIFY_SCHEDULE_MS } from './simulator';
import { MERCHANT, merchantKey, merchantPublicKey, platformKey, platformPrivateKey } from './test-keys';
import { encodeUmfMofunContext } from './wire';

const BASE = 'http://sandbox.test/sandbox/umf-mofun/in-pay-client/api';

/** What the merchant's server answers to a notification: by default our properly signed reply. */
type Reply = (n: number, body: Record<string, string>) => { status: number; text: string };
const signedReply = (f: Record<string, string>) => JSON.stringify({ ...f, sign: umfMofunSign(f, 'pipe', merchantKey) });
const goodReply: Reply = (_n, body) => ({
  status: 200,
  text: signedReply({ funCode: 'PayResultNotify', reqDate: '20261122', reqTime: '100000', partnerOrderId: body.partnerOrderId ?? '', orderDate: body.orderDate ?? '', retCode: '0000', retMsg: '成功' }),
});

function setup(reply: Reply = goodReply) {
  const clock = new FakeClock();
  const random = seededRandom(5);
  const log = memoryLogger();
  const sent: Array<{ url: string; body: Record<string, string>; contentType: string }> = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const n = sent.length;
    const body = JSON.parse(String(init?.body)) as Record<string, string>;
    sent.push({ url: String(url), body, contentType: new Headers(init?.headers).get('content-type') ?? '' });
    const a = reply(n, body);
    return new Response(a.text, { status: a.status });
  }) as typeof globalThis.fetch;
  const hub = createSandboxHub({ clock, random, fetch, log, publicUrl: 'http://sandbox.test', timeScale: 1 });
  const sim = createUmfMofunSimulator({ ...MERCHANT, merchantPublicKey, platformPrivateKey }, { clock, random, fetch, log, hub });
  hub.register(sim);

  const call = async (path: 'activescan' | 'apisync', fields: Record<string, string | undefined>, opts: { sign?: string | false; contentType?: string; raw?: string } = {}) => {
    const f: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) f[k] = v;
    if (opts.sign !== false) f.sign = opts.sign ?? umfMofunSign(f, 'kv', merchantKey);
    const res = await hub.handle(
      new Request(`${BASE}/${path}`, {
        method: 'POST',
        headers: { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded' },
        body: opts.raw ?? encodeUmfMofunContext(f),
      }),
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Record<string, string>;
    // every answer is signed with the platform key over the | form (seed: sign M)
    expect(verifyUmfMofunSignature(answer, 'pipe', platformKey)).toBe('valid');
    return answer;
  };

  const now = clock.now();
  const activescan = (over: Record<string, string | undefined> = {}) => ({
    partnerOrderId: 'PQ0001A1',
    subMerId: MERCHANT.subMerId,
    amount: '1999',
    payType: 'WX',
    proxyId: MERCHANT.proxyId,
    apiVersion: '1.0',
    reqDate: beijingDate(now),
    reqTime: beijingTime(now),
    goodsInfo: '一杯咖啡',
    expairTime: '900',
    notifyUrl: 'http://shop.test/api/notify/umf-mofun',
    ...over,
  });
  const apisync = (partnerOrderId: string, over: Record<string, string | undefined> = {}) =>
    call('apisync', { subMerId: MERCHANT.subMerId, proxyId: MERCHANT.proxyId, partnerOrderId, orderDate: beijingDate(now), apiVersion: '1.0', ...over });
  const session = (partnerOrderId: string) => hub.findPayerSession('umf-mofun', partnerOrderId)!;
  return { clock, hub, sim, sent, call, activescan, apisync, session, log };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('umf-mofun simulator: activescan', () => {
  it('answers a valid request in the seed shape, signed, with the payer page as feeUrl', async () => {
    const { call, activescan, hub, sim, clock } = setup();
    const res = await call('activescan', activescan());
    expect(res).toEqual({
      retCode: '0000',
      Memo: '成功',
      tradeNo: expect.stringMatching(/^20261122\d{8}$/),
      platDate: '20261122',
      amount: '1999',
      payType: 'WX',
      feeUrl: hub.findPayerSession('umf-mofun', 'PQ0001A1')?.url,
      partnerOrderId: 'PQ0001A1',
      sign: expect.any(String),
    });
    expect(hub.findPayerSession('umf-mofun', 'PQ0001A1')).toMatchObject({ money: { amount: 1999, currency: 'CNY' }, channel: 'wechat', subject: '一杯咖啡', merchantId: MERCHANT.subMerId });
    expect(sim.order('PQ0001A1')).toMatchObject({ state: 'pending', expairTime: 900, expiresAt: clock.now() + 900_000, orderDate: '20261122' });
  });

  it.each<[string, Record<string, string | undefined>, string, RegExp]>([
    ['unknown proxyId', { proxyId: '0001' }, '00001003', /集成商不存在/],
    ['unknown subMerId', { subMerId: '30000001' }, '00001003', /商户不存在/],
    ['missing proxyId', { proxyId: undefined }, '00001001', /proxyId/],
    ['missing partnerOrderId', { partnerOrderId: undefined }, '00001001', /partnerOrderId/],
    ['a 33-character partnerOrderId', { partnerOrderId: 'P'.repeat(33) }, '00001001', /partnerOrderId/],
    ['a partnerOrderId with a dash', { partnerOrderId: 'PQ-1' }, '00001001', /partnerOrderId/],
    ['a decimal amount', { amount: '19.99' }, '00001001', /amount/],
    ['a zero amount', { amount: '0' }, '00001001', /amount/],
    ['a 14-digit amount', { amount: '12345678901234' }, '00001001', /amount/],
    ['an unknown payType', { payType: 'UP' }, '00001001', /payType/],
    ['apiVersion 2.0', { apiVersion: '2.0' }, '00001001', /apiVersion/],
    ['reqDate in another format', { reqDate: '2026-11-22' }, '00001001', /reqDate/],
    ['reqTime with seconds missing', { reqTime: '1000' }, '00001001', /reqTime/],
    ['an impossible time', { reqTime: '256000' }, '00001001', /不是有效时间/],
    ['a stale request (UTC sent as Beijing time)', { reqTime: '020000' }, '00001001', /相差过大/],
    ['a 129-character goodsInfo', { goodsInfo: 'g'.repeat(129) }, '00001001', /goodsInfo/],
    ['a notifyUrl with an underscore', { notifyUrl: 'http://shop.test/notify_umf' }, '00001001', /notifyUrl contains "_"/],
    ['a notifyUrl with %3C', { notifyUrl: 'http://shop.test/n?x=%3C' }, '00001001', /URL-encoded/],
    ['a notifyUrl without scheme', { notifyUrl: 'shop.test/n' }, '00001001', /notifyUrl/],
    ['expairTime not a number', { expairTime: '5m' }, '00001001', /expairTime/],
    ['an unknown field', { total_fee: '1999' }, '00001001', /total_fee/],
  ])('rejects %s', async (_name, over, retCode, memo) => {
    const { call, activescan, hub } = setup();
    const res = await call('activescan', activescan(over));
    expect(res).toMatchObject({ retCode });
    expect(res.Memo).toMatch(memo);
    expect(res.feeUrl ?? '').toBe('');
    expect(hub.payerSessions('umf-mofun')).toHaveLength(0);
  });

  it('accepts the optional fields of the seed', async () => {
    const { call, activescan } = setup();
    expect(await call('activescan', activescan({ shopNo: 'S001', operator: 'htcs2', posSN: 'POS1', goodsInfo: undefined, notifyUrl: undefined, expairTime: undefined }))).toMatchObject({ retCode: '0000' });
  });

  it.each<[string | undefined, number]>([
    [undefined, 300],
    ['299', 300],
    ['300', 300],
    ['1800', 1800],
    ['1801', 300],
    ['0', 300],
  ])('expairTime %j is applied as %i s (seed: <300, >1800 or absent → 300)', async (expairTime, applied) => {
    const { call, activescan, sim } = setup();
    await call('activescan', activescan({ expairTime }));
    expect(sim.order('PQ0001A1')?.expairTime).toBe(applied);
  });

  it('answers a sign error to a wrong signature, and a parameter error to a missing one', async () => {
    const { call, activescan } = setup();
    const f = activescan();
    const sign = umfMofunSign(f, 'kv', merchantKey);
    expect(await call('activescan', { ...f, amount: '1' }, { sign })).toMatchObject({ retCode: '00001002', Memo: '验签失败 sign error' });
    expect(await call('activescan', f, { sign: umfMofunSign(f, 'kv', platformPrivateKey) })).toMatchObject({ retCode: '00001002' });
    expect(await call('activescan', f, { sign: umfMofunSign(f, 'pipe', merchantKey) })).toMatchObject({ retCode: '00001002' });
    expect(await call('activescan', f, { sign: false })).toMatchObject({ retCode: '00001001', Memo: '缺少参数 sign' });
  });

  it('refuses bodies that are not the form field context={JSON of strings}', async () => {
    const { call, activescan } = setup();
    const f = activescan();
    expect(await call('activescan', f, { contentType: 'application/json', raw: JSON.stringify(f) })).toMatchObject({ retCode: '00001001' });
    expect(await call('activescan', f, { raw: new URLSearchParams(f).toString() })).toMatchObject({ retCode: '00001001', Memo: expect.stringMatching(/context/) });
    expect(await call('activescan', f, { raw: 'context={' })).toMatchObject({ retCode: '00001001', Memo: expect.stringMatching(/JSON/) });
    expect(await call('activescan', f, { raw: `${encodeUmfMofunContext(f)}&context=x` })).toMatchObject({ retCode: '00001001', Memo: expect.stringMatching(/重复/) });
    const numeric = new URLSearchParams({ context: JSON.stringify({ ...f, amount: 1999 }) }).toString();
    expect(await call('activescan', f, { raw: numeric })).toMatchObject({ retCode: '00001001', Memo: expect.stringMatching(/amount 必须是字符串/) });
  });

  it('refuses a partnerOrderId already used by the merchant, whatever else changed', async () => {
    const { call, activescan } = setup();
    await call('activescan', activescan());
    expect(await call('activescan', activescan())).toMatchObject({ retCode: '00001004', partnerOrderId: 'PQ0001A1', feeUrl: '' });
    expect(await call('activescan', activescan({ amount: '1', payType: 'AL' }))).toMatchObject({ retCode: '00001004' });
  });

  it('serves only POST on its two paths', async () => {
    const { hub } = setup();
    expect((await hub.handle(new Request(`${BASE}/activescan`))).status).toBe(405);
    expect((await hub.handle(new Request(`${BASE}/unactivescan`, { method: 'POST' }))).status).toBe(404);
  });
});

describe('umf-mofun simulator: payment, notification, apisync', () => {
  it('on Pay, posts the 3.1 notification (JSON, k=v signature) until it gets a properly signed 0000 reply, on the schedule', async () => {
    const replies: Reply[] = [
      () => ({ status: 200, text: 'success' }), // not JSON
      (_n, b) => ({ status: 200, text: signedReply({ funCode: 'PayResultNotify', partnerOrderId: b.partnerOrderId!, retCode: '0000', retMsg: '成功' }).replace('成功', 'OK') }), // sign broken
      (_n, b) => ({ status: 200, text: signedReply({ funCode: 'PayResultNotify', partnerOrderId: b.partnerOrderId!, retCode: '9999', retMsg: '处理失败' }) }), // rejection
      goodReply,
    ];
    const { call, activescan, hub, sent, clock, session } = setup((n, b) => replies[n]!(n, b));
    await call('activescan', activescan());
    const paidAt = clock.now();
    expect(await hub.actOnPayerSession(session('PQ0001A1').id, 'pay')).toMatchObject({ ok: true });
    await settle();
    expect(sent).toHaveLength(1);
    const n = sent[0]!;
    expect(n.url).toBe('http://shop.test/api/notify/umf-mofun');
    expect(n.contentType).toBe('application/json; charset=utf-8');
    expect(n.body).toEqual({
      funCode: 'PayResultNotify',
      subMerId: MERCHANT.subMerId,
      proxyId: MERCHANT.proxyId,
      partnerOrderId: 'PQ0001A1',
      orderDate: '20261122',
      amount: '1999',
      payType: 'WX',
      tradeState: 'TRADE_SUCCESS',
      tradeNo: expect.stringMatching(/^\d{16}$/),
      platDate: '20261122',
      payDate: beijingDate(paidAt),
      payTime: beijingTime(paidAt),
      sign: expect.any(String),
    });
    expect(verifyUmfMofunSignature(n.body, 'kv', platformKey)).toBe('valid');
    for (const [i, delay] of UMF_MOFUN_NOTIFY_SCHEDULE_MS.slice(1).entries()) {
      await clock.advance(delay - 1);
      expect(sent).toHaveLength(i + 1);
      await clock.advance(1);
      await settle();
      expect(sent).toHaveLength(i + 2);
    }
    expect(hub.deliveries('umf-mofun')[0]).toMatchObject({ state: 'acked', acked: true });
    expect(UMF_MOFUN_NOTIFY_SCHEDULE_MS).toEqual([0, 30_000, 300_000, 1_800_000]);
  });

  it('does not take a reply for another order or another order date as an ack', async () => {
    const wrong: Reply[] = [
      (_n, b) => goodReply(0, { ...b, partnerOrderId: 'PQ9999' }),
      (_n, b) => goodReply(0, { ...b, orderDate: '20200101' }),
      (_n, b) => ({ status: 500, text: goodReply(0, b).text }),
    ];
    const { call, activescan, hub, session, clock } = setup((n, b) => (wrong[n] ?? goodReply)(n, b));
    await call('activescan', activescan());
    await hub.actOnPayerSession(session('PQ0001A1').id, 'pay');
    await settle();
    for (const delay of UMF_MOFUN_NOTIFY_SCHEDULE_MS.slice(1)) {
      await clock.advance(delay);
      await settle();
    }
    expect(hub.deliveries('umf-mofun')[0]).toMatchObject({ state: 'acked' });
    expect(hub.deliveries('umf-mofun')[0]?.attempts.map((a) => a.acked)).toEqual([false, false, false, true]);
  });

  it('apisync follows the order: 01000000 → 0000 with the paid time; decline → 05000000 without a notification', async () => {
    const { call, activescan, apisync, hub, session, sent } = setup();
    await call('activescan', activescan());
    expect(await apisync('PQ0001A1')).toMatchObject({ retCode: '01000000', amount: '1999', subMerId: MERCHANT.subMerId, partnerOrderId: 'PQ0001A1', orderDate: '20261122', payType: 'WX' });
    await hub.actOnPayerSession(session('PQ0001A1').id, 'pay');
    expect(await apisync('PQ0001A1')).toMatchObject({ retCode: '0000', payDate: '20261122', payTime: '100000' });

    await call('activescan', activescan({ partnerOrderId: 'PQ0002A1', payType: 'YL' }));
    expect(session('PQ0002A1').channel).toBe('unionpay');
    await hub.actOnPayerSession(session('PQ0002A1').id, 'decline');
    expect(await apisync('PQ0002A1')).toMatchObject({ retCode: '05000000' });
    await settle();
    expect(sent.filter((s) => s.body.partnerOrderId === 'PQ0002A1')).toHaveLength(0);
  });

  it('an unpaid order lapses after the applied expairTime: apisync 04000000 and the payer page refuses', async () => {
    const { call, activescan, apisync, hub, session, clock } = setup();
    await call('activescan', activescan({ expairTime: '120' })); // applied as 300
    await clock.advance(299_000);
    expect(await apisync('PQ0001A1')).toMatchObject({ retCode: '01000000' });
    await clock.advance(1_000);
    expect(await apisync('PQ0001A1')).toMatchObject({ retCode: '04000000' });
    expect((await hub.actOnPayerSession(session('PQ0001A1').id, 'pay')).ok).toBe(false);
  });

  it('answers 00001005 for an order it never saw, or under another orderDate', async () => {
    const { call, activescan, apisync } = setup();
    expect(await apisync('PQ9999')).toMatchObject({ retCode: '00001005' });
    await call('activescan', activescan());
    expect(await apisync('PQ0001A1', { orderDate: '20261121' })).toMatchObject({ retCode: '00001005' });
  });

  it('apisync enforces its fields and our signature too', async () => {
    const { apisync } = setup();
    expect(await apisync('PQ0001A1', { orderDate: '2026-11-22' })).toMatchObject({ retCode: '00001001', retMsg: expect.stringMatching(/orderDate/) });
    expect(await apisync('PQ0001A1', { subMerId: '1' })).toMatchObject({ retCode: '00001003' });
    expect(await apisync('PQ0001A1', { reqDate: '20261122' })).toMatchObject({ retCode: '00001001', retMsg: expect.stringMatching(/reqDate/) });
  });

  it('faults: needQuery creates the order but answers "processing"; tamperResponses alters a signed answer', async () => {
    const { call, activescan, apisync, hub } = setup();
    hub.faults.set('umf-mofun', { needQuery: 1 });
    expect(await call('activescan', activescan())).toMatchObject({ retCode: '00009998', feeUrl: '' });
    expect(await apisync('PQ0001A1')).toMatchObject({ retCode: '01000000' });

    hub.faults.set('umf-mofun', { tamperResponses: 1 });
    const res = await hub.handle(
      new Request(`${BASE}/apisync`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: encodeUmfMofunContext(
          (() => {
            const f = { subMerId: MERCHANT.subMerId, proxyId: MERCHANT.proxyId, partnerOrderId: 'PQ0001A1', orderDate: '20261122', apiVersion: '1.0' };
            return { ...f, sign: umfMofunSign(f, 'kv', merchantKey) };
          })(),
        ),
      }),
    );
    const forged = (await res.json()) as Record<string, string>;
    expect(forged.retCode).toBe('0000'); // "paid" — but no longer the platform's signature
    expect(verifyUmfMofunSignature(forged, 'pipe', platformKey)).toBe('invalid');
  });

  it('never logs a key', async () => {
    const { call, activescan, hub, session, log } = setup();
    await call('activescan', activescan());
    await call('activescan', activescan({ partnerOrderId: 'PQ0002A1' }), { sign: 'A'.repeat(172) });
    await hub.actOnPayerSession(session('PQ0001A1').id, 'pay');
    await settle();
    const text = log.lines.join('\n');
    expect(log.lines.length).toBeGreaterThan(0);
    for (const k of [merchantKey, platformPrivateKey]) expect(text).not.toContain(k.export({ format: 'pem', type: 'pkcs8' }).toString().split('\n')[1]);
  });
});
