/**
 * <pay-qr> on phones and inside the wallet apps (bridges/): scene by user agent, WeChat's
 * OAuth round trip and getBrandWCPayRequest, Alipay's tradePay, the hand-over link, and the
 * QR fallbacks with what to do. The wallets' bridges are test doubles on `window`; the BFF is
 * a stand-in behind `fetch`. Only the server's order status ever makes it `paid`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Attempt, Order } from './api/types.js';
import type { PayQrElement } from './pay-qr.js';
import './pay-qr.js';
import { UA } from './test-support/user-agents.js';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', Date: new Date().toUTCString() } });

const PAY_INFO = {
  appId: 'wx0123456789abcdef',
  timeStamp: '1767225600',
  status: '0',
  signType: 'MD5',
  package: 'prepay_id=wx20260101120000abc',
  callback_url: '',
  nonceStr: 'n0nce',
  paySign: 'ABCDEF0123456789ABCDEF0123456789',
};

function fakeBff() {
  const order: Order = {
    id: 'ord_1',
    status: 'open',
    amount: 1999,
    currency: 'CNY',
    subject: 'Tea',
    expiresAt: iso(Date.now() + 15 * MINUTE),
    channels: ['wechat', 'alipay', 'unionpay', 'ecny'],
    channelsByScene: { qr: ['wechat', 'alipay', 'unionpay', 'ecny'], jsapi: ['wechat', 'alipay', 'unionpay'], h5: ['alipay', 'unionpay', 'ecny'] },
  };
  const posts: Array<Record<string, string>> = [];
  let held: Array<() => void> = [];
  let seq = 0;
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    if (init.method === 'POST') {
      const body = JSON.parse(init.body as string) as Record<string, string>;
      posts.push(body);
      const channel = body.channel as Attempt['channel'];
      const scene = body.scene as Attempt['scene'];
      const attempt: Attempt = { id: `att_${++seq}`, channel, scene, status: 'pending', expiresAt: iso(Date.now() + 5 * MINUTE) };
      if (scene === 'qr') attempt.qr = { content: `https://pay.example.com/sandbox/pay/${channel}${seq}` };
      else if (scene === 'h5' || channel === 'unionpay') attempt.h5 = { url: `https://pay.example.com/sandbox/pay/${channel}${seq}` };
      else attempt.jsapi = channel === 'wechat' ? PAY_INFO : { tradeNO: `2026010122000${seq}` };
      order.attempt = attempt;
      return json(attempt, 201);
    }
    if (Number(new URL(url, 'http://x').searchParams.get('wait') ?? 0) > 0) {
      await new Promise<void>((resolve, reject) => {
        held.push(resolve);
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    return json(structuredClone(order));
  });
  return {
    fetch,
    order,
    posts,
    async push(change: (o: Order) => void) {
      await vi.waitFor(() => expect(held.length).toBeGreaterThan(0), { timeout: 4000 });
      change(order);
      const release = held;
      held = [];
      release.forEach((r) => r());
    },
  };
}

let assign: ReturnType<typeof vi.fn<(url: string | URL) => void>>;

function inside(ua: string) {
  vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(ua);
}

async function mount(bff: ReturnType<typeof fakeBff>, attributes: Record<string, string> = {}) {
  vi.stubGlobal('fetch', bff.fetch);
  const el = document.createElement('pay-qr');
  for (const [k, v] of Object.entries({ endpoint: 'https://pay.example.com', order: 'ord_1', secret: 'cs_1', ...attributes })) el.setAttribute(k, v);
  const seen: Array<{ type: string; detail: Record<string, unknown> }> = [];
  for (const type of ['pay-qr-paid', 'pay-qr-failed', 'pay-qr-status-change']) el.addEventListener(type, (e) => seen.push({ type, detail: (e as CustomEvent).detail }));
  document.body.appendChild(el);
  await el.updateComplete;
  await until(() => expect(el.status).toBe('choose'));
  return { el, seen };
}

const root = (el: PayQrElement) => el.shadowRoot!;
const statusText = (el: PayQrElement) => root(el).querySelector('[part~="status"]')?.textContent?.replace(/\s+/g, ' ').trim();
const button = (el: PayQrElement, name: string) => [...root(el).querySelectorAll('button')].find((b) => b.textContent?.includes(name));
const until = (assertion: () => void) => vi.waitFor(assertion, { timeout: 4000, interval: 20 });

function wechatBridge(answer: string) {
  const invoke = vi.fn((_method: string, _params: Record<string, string>, cb: (r: { err_msg: string }) => void) => setTimeout(() => cb({ err_msg: answer }), 10));
  (window as unknown as Record<string, unknown>).WeixinJSBridge = { invoke };
  return invoke;
}

function alipayBridge(resultCode: string) {
  const call = vi.fn((_method: string, _params: unknown, cb: (r: { resultCode: string }) => void) => setTimeout(() => cb({ resultCode }), 10));
  (window as unknown as Record<string, unknown>).AlipayJSBridge = { call };
  return call;
}

beforeEach(() => {
  history.replaceState(null, '', '/shop/order/1');
  assign = vi.fn<(url: string | URL) => void>();
  vi.spyOn(window.location, 'assign').mockImplementation(assign);
});
afterEach(() => {
  document.body.replaceChildren();
  delete (window as unknown as Record<string, unknown>).WeixinJSBridge;
  delete (window as unknown as Record<string, unknown>).AlipayJSBridge;
  vi.restoreAllMocks();
});

describe('<pay-qr> inside WeChat', () => {
  it('without an openid, goes (same tab) to the OAuth helper with this page as the way back, creating nothing yet', async () => {
    inside(UA.wechat);
    const bff = fakeBff();
    const { el } = await mount(bff);
    button(el, '微信支付')!.click();
    await until(() => expect(assign).toHaveBeenCalledOnce());
    expect(assign).toHaveBeenCalledWith(`https://pay.example.com/api/wechat/oauth?return=${encodeURIComponent(`${location.origin}/shop/order/1`)}`);
    expect(el.status).toBe('redirecting');
    expect(statusText(el)).toBe('正在前往微信授权…');
    expect(bff.posts).toEqual([]);
  });

  it('back with #payqr_openid: removes it, pays through getBrandWCPayRequest with the six fields, confirms until the server says paid', async () => {
    inside(UA.wechat);
    history.replaceState(null, '', '/shop/order/1#payqr_openid=oRA5quGvJc1wwvjMW-tnpLLqD-FM');
    const invoke = wechatBridge('get_brand_wcpay_request:ok');
    const bff = fakeBff();
    vi.stubGlobal('fetch', bff.fetch);
    const el = document.createElement('pay-qr');
    for (const [k, v] of Object.entries({ endpoint: 'https://pay.example.com', order: 'ord_1', secret: 'cs_1' })) el.setAttribute(k, v);
    const paid: unknown[] = [];
    el.addEventListener('pay-qr-paid', (e) => paid.push(e));
    document.body.appendChild(el);
    await until(() => expect(invoke).toHaveBeenCalledOnce());
    expect(location.hash).toBe('');
    expect(bff.posts).toEqual([{ channel: 'wechat', scene: 'jsapi', openid: 'oRA5quGvJc1wwvjMW-tnpLLqD-FM' }]);
    const { status: _s, callback_url: _c, ...six } = PAY_INFO;
    expect(invoke.mock.calls[0]![0]).toBe('getBrandWCPayRequest');
    expect(invoke.mock.calls[0]![1]).toEqual(six);
    await until(() => expect(el.status).toBe('confirming'));
    expect(statusText(el)).toBe('正在确认支付结果…');
    expect(paid).toEqual([]); // the wallet's "ok" is not a payment
    await bff.push((o) => {
      o.status = 'paid';
      o.attempt = { ...(o.attempt as Attempt), status: 'paid' };
    });
    await until(() => expect(el.status).toBe('paid'));
    expect(paid).toHaveLength(1);
  });

  it('cancel in the payment sheet: back to choosing; fail: failed, and a retry pays again with the same openid', async () => {
    inside(UA.wechat);
    history.replaceState(null, '', '/shop/order/1#payqr_openid=oUser1');
    wechatBridge('get_brand_wcpay_request:cancel');
    const bff = fakeBff();
    const { el } = await mountBack(bff);
    await until(() => expect(el.status).toBe('choose'));
    const invoke = wechatBridge('get_brand_wcpay_request:fail');
    button(el, '微信支付')!.click();
    await until(() => expect(el.status).toBe('failed'));
    expect(invoke).toHaveBeenCalledOnce();
    wechatBridge('get_brand_wcpay_request:ok');
    button(el, '重新支付')!.click();
    await until(() => expect(el.status).toBe('confirming'));
    expect(bff.posts.map((p) => p.openid)).toEqual(['oUser1', 'oUser1', 'oUser1']);
    expect(assign).not.toHaveBeenCalled();
  });

  it('a failed sign-in (#payqr_oauth_error) is a failure with its code; retry goes to WeChat again', async () => {
    inside(UA.wechat);
    history.replaceState(null, '', '/shop/order/1#payqr_oauth_error=40029');
    const bff = fakeBff();
    const { el, seen } = await mountBack(bff);
    await until(() => expect(el.status).toBe('failed'));
    expect(seen.find((e) => e.type === 'pay-qr-failed')?.detail).toMatchObject({ channel: 'wechat', error: { code: 'wechat_oauth_40029' } });
    button(el, '重新支付')!.click();
    await until(() => expect(assign).toHaveBeenCalledOnce());
  });

  it('refuses pay parameters that are not WeChat’s six (timestamp for timeStamp) without calling the bridge', async () => {
    inside(UA.wechat);
    history.replaceState(null, '', '/shop/order/1#payqr_openid=oUser1');
    const invoke = wechatBridge('get_brand_wcpay_request:ok');
    const bff = fakeBff();
    const { timeStamp, ...rest } = PAY_INFO;
    bff.fetch.mockImplementationOnce(async () => json({ ...bff.order, attempt: undefined }));
    const original = bff.fetch.getMockImplementation()!;
    bff.fetch.mockImplementation(async (url: string, init: RequestInit) =>
      init.method === 'POST' ? json({ id: 'att_x', channel: 'wechat', scene: 'jsapi', status: 'pending', expiresAt: iso(Date.now() + MINUTE), jsapi: { ...rest, timestamp: timeStamp } }, 201) : original(url, init),
    );
    const { el, seen } = await mountBack(bff);
    await until(() => expect(el.status).toBe('failed'));
    expect(invoke).not.toHaveBeenCalled();
    expect(seen.find((e) => e.type === 'pay-qr-failed')?.detail).toMatchObject({ error: { code: 'invalid_pay_info', message: expect.stringContaining('found timestamp') } });
  });

  it('Alipay inside WeChat: a QR code, and "open this page in a browser"', async () => {
    inside(UA.wechat);
    const { el } = await mount(fakeBff());
    button(el, '支付宝')!.click();
    await until(() => expect(el.status).toBe('scan'));
    expect(statusText(el)).toBe('请点击右上角「···」在浏览器中打开，再用支付宝付款');
    expect(root(el).querySelector('[part~="qr"]')?.getAttribute('data-qr-content')).toMatch(/alipay/);
  });
});

/** mount without waiting for `choose`: the widget may go straight on after an OAuth return */
async function mountBack(bff: ReturnType<typeof fakeBff>) {
  vi.stubGlobal('fetch', bff.fetch);
  const el = document.createElement('pay-qr');
  for (const [k, v] of Object.entries({ endpoint: 'https://pay.example.com', order: 'ord_1', secret: 'cs_1' })) el.setAttribute(k, v);
  const seen: Array<{ type: string; detail: Record<string, unknown> }> = [];
  for (const type of ['pay-qr-paid', 'pay-qr-failed']) el.addEventListener(type, (e) => seen.push({ type, detail: (e as CustomEvent).detail }));
  document.body.appendChild(el);
  return { el, seen };
}

describe('<pay-qr> inside Alipay', () => {
  it('with the payer’s buyer-id: tradePay; 6004 confirms until the server decides', async () => {
    inside(UA.alipay);
    const call = alipayBridge('6004');
    const bff = fakeBff();
    const { el, seen } = await mount(bff, { 'buyer-id': '2088000000000001' });
    button(el, '支付宝')!.click();
    await until(() => expect(el.status).toBe('confirming'));
    expect(bff.posts).toEqual([{ channel: 'alipay', scene: 'jsapi', buyerId: '2088000000000001' }]);
    expect(call).toHaveBeenCalledWith('tradePay', { tradeNO: '20260101220001' }, expect.any(Function));
    expect(seen.some((e) => e.type === 'pay-qr-paid')).toBe(false);
    await bff.push((o) => (o.status = 'paid'));
    await until(() => expect(el.status).toBe('paid'));
  });

  it('6001 is a cancel (back to choosing); 4000 a failure', async () => {
    inside(UA.alipay);
    alipayBridge('6001');
    const { el, seen } = await mount(fakeBff(), { 'buyer-id': '2088000000000001' });
    button(el, '支付宝')!.click();
    await until(() => expect(seen.filter((e) => e.type === 'pay-qr-status-change').map((e) => e.detail.status)).toEqual(['choose', 'creating', 'paying', 'choose']));
    alipayBridge('4000');
    button(el, '支付宝')!.click();
    await until(() => expect(el.status).toBe('failed'));
  });

  it('takes the buyer id as the declared property `buyerId` too (a framework sets properties), reflected from `buyer-id`', async () => {
    inside(UA.alipay);
    alipayBridge('6004');
    const bff = fakeBff();
    const { el } = await mount(bff);
    el.buyerId = '2088000000000002';
    button(el, '支付宝')!.click();
    await until(() => expect(el.status).toBe('confirming'));
    expect(bff.posts).toEqual([{ channel: 'alipay', scene: 'jsapi', buyerId: '2088000000000002' }]);
    el.setAttribute('buyer-id', '2088000000000003');
    expect(el.buyerId).toBe('2088000000000003');
  });

  it('without a buyer-id: the hand-over link, which Alipay opens itself', async () => {
    inside(UA.alipay);
    const bff = fakeBff();
    const { el } = await mount(bff);
    button(el, '支付宝')!.click();
    await until(() => expect(el.status).toBe('handoff'));
    expect(bff.posts).toEqual([{ channel: 'alipay', scene: 'h5' }]);
  });
});

describe('<pay-qr> in a mobile browser', () => {
  it('hands over by a real link where the channel can (Alipay, e-CNY, UnionPay)', async () => {
    inside(UA.iPhoneSafari);
    const bff = fakeBff();
    const { el } = await mount(bff);
    button(el, '支付宝')!.click();
    await until(() => expect(el.status).toBe('handoff'));
    const link = root(el).querySelector<HTMLAnchorElement>('a[part~="open"]')!;
    expect(link.getAttribute('href')).toBe('https://pay.example.com/sandbox/pay/alipay1');
    expect(link.textContent).toBe('打开支付宝付款');
    expect(link.getAttribute('target')).toBeNull(); // same tab, no pop-up
    expect(statusText(el)).toBe('点击按钮前往支付宝付款，完成后返回此页面');
    button(el, '数字人民币')!.click();
    await until(() => expect(root(el).querySelector('a[part~="open"]')?.getAttribute('href')).toBe('https://pay.example.com/sandbox/pay/ecny2'));
    expect(bff.posts).toEqual([
      { channel: 'alipay', scene: 'h5' },
      { channel: 'ecny', scene: 'h5' },
    ]);
  });

  it('WeChat Pay has no hand-over from a browser: the code, with "long-press to save, scan in WeChat"', async () => {
    inside(UA.androidChrome);
    const bff = fakeBff();
    const { el } = await mount(bff, { lang: 'en' });
    await until(() => expect(button(el, 'WeChat Pay')).toBeDefined());
    button(el, 'WeChat Pay')!.click();
    await until(() => expect(el.status).toBe('scan'));
    expect(bff.posts).toEqual([{ channel: 'wechat', scene: 'qr' }]);
    expect(statusText(el)).toBe('Save the code and scan it in WeChat');
    expect(root(el).querySelector('[part~="qr"]')).not.toBeNull();
  });

  it('the scene attribute wins: scene="qr" shows a code on a phone too', async () => {
    inside(UA.iPhoneSafari);
    const bff = fakeBff();
    const { el } = await mount(bff, { scene: 'qr' });
    button(el, '支付宝')!.click();
    await until(() => expect(el.status).toBe('scan'));
    expect(bff.posts).toEqual([{ channel: 'alipay', scene: 'qr' }]);
    expect(statusText(el)).toBe('请使用支付宝扫一扫完成支付');
  });
});

describe('<pay-qr> inside a UnionPay app', () => {
  it('opens the pay URL the provider gave for the in-app scene, by a link', async () => {
    inside(UA.cloudpay);
    const bff = fakeBff();
    const { el } = await mount(bff);
    button(el, '银联云闪付')!.click();
    await until(() => expect(el.status).toBe('handoff'));
    expect(bff.posts).toEqual([{ channel: 'unionpay', scene: 'jsapi' }]);
    expect(root(el).querySelector('a[part~="open"]')?.getAttribute('href')).toBe('https://pay.example.com/sandbox/pay/unionpay1');
  });
});
