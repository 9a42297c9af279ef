import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Attempt, Channel, Order } from './api/types.js';
import type { PayQrFailedEvent, PayQrStatusChangeEvent } from './events.js';
import { PayQrElement } from './pay-qr.js';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', Date: new Date().toUTCString() } });

/**
 * A stand-in for the BFF behind `fetch`: GET answers the order (a long-poll is held until the
 * test pushes a change), POST /attempts opens an attempt with a QR, like the sandbox does.
 */
function fakeBff(init: Partial<Order> = {}, options: { attemptTtlMs?: number } = {}) {
  const order: Order = {
    id: 'ord_1',
    status: 'open',
    amount: 1999,
    currency: 'CNY',
    subject: 'Longjing green tea 250 g',
    expiresAt: iso(Date.now() + 15 * MINUTE),
    channels: ['wechat', 'alipay', 'unionpay', 'ecny'],
    ...init,
  };
  const requests: Array<{ method: string; url: string; authorization: string | null; body: unknown }> = [];
  /** queued answers for the next POSTs / GETs, before the default behaviour */
  const postAnswers: Array<() => Response> = [];
  const getAnswers: Array<() => Response | Promise<Response>> = [];
  let held: Array<() => void> = [];
  let seq = 0;

  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    requests.push({
      method,
      url,
      authorization: new Headers(init.headers).get('Authorization'),
      body: init.body ? JSON.parse(init.body as string) : undefined,
    });
    if (method === 'POST') {
      const forced = postAnswers.shift();
      if (forced) return forced();
      const body = JSON.parse(init.body as string) as { channel: Attempt['channel']; scene: Attempt['scene'] };
      seq += 1;
      const attempt: Attempt = {
        id: `att_${seq}`,
        outTradeNo: `M1x0${seq}`,
        provider: 'chaoying',
        channel: body.channel,
        scene: body.scene,
        status: 'pending',
        expiresAt: iso(Date.now() + (options.attemptTtlMs ?? 5 * MINUTE)),
        qr: { content: `weixin://wxpay/bizpayurl?pr=${body.channel}${seq}` },
      };
      order.attempt = attempt;
      return json(attempt, 201);
    }
    const forced = getAnswers.shift();
    if (forced) return forced();
    const wait = Number(new URL(url, 'http://x').searchParams.get('wait') ?? 0);
    if (wait > 0) {
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
    requests,
    postAnswers,
    getAnswers,
    posts: () => requests.filter((r) => r.method === 'POST'),
    /** change the order while the widget's long-poll is held, then answer it */
    async push(change: (o: Order) => void) {
      await vi.waitFor(() => expect(held.length).toBeGreaterThan(0), { timeout: 4000 });
      change(order);
      const release = held;
      held = [];
      for (const r of release) r();
    },
  };
}

type Bff = ReturnType<typeof fakeBff>;

async function mount(bff: Bff, attributes: Record<string, string> = {}, container: ParentNode = document.body) {
  vi.stubGlobal('fetch', bff.fetch);
  const el = document.createElement('pay-qr');
  const all = { endpoint: 'https://pay.example.com', order: 'ord_1', secret: 'cs_test_1', ...attributes };
  for (const [k, v] of Object.entries(all)) el.setAttribute(k, v);
  container.appendChild(el);
  await el.updateComplete;
  return el;
}

const root = (el: PayQrElement) => el.shadowRoot!;
const text = (el: PayQrElement, part: string) => root(el).querySelector(`[part~="${part}"]`)?.textContent?.replace(/\s+/g, ' ').trim();
const button = (el: PayQrElement, name: string) =>
  [...root(el).querySelectorAll('button')].find((b) => b.textContent?.replace(/\s+/g, ' ').includes(name));
const until = (assertion: () => void, timeout = 4000) => vi.waitFor(assertion, { timeout, interval: 20 });

function record(target: EventTarget) {
  const seen: Array<{ type: string; detail: Record<string, unknown> }> = [];
  for (const type of ['pay-qr-paid', 'pay-qr-expired', 'pay-qr-failed', 'pay-qr-cancel', 'pay-qr-status-change']) {
    target.addEventListener(type, (e) => seen.push({ type, detail: (e as CustomEvent).detail }));
  }
  return seen;
}

async function showQr(el: PayQrElement, channelName: string) {
  button(el, channelName)!.click();
  await until(() => expect(root(el).querySelector('[role="img"]')).not.toBeNull());
  return root(el).querySelector<HTMLElement>('[part~="qr"]')!;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('<pay-qr>', () => {
  it('is defined once, guarded, and exposes its class', async () => {
    expect(customElements.get('pay-qr')).toBe(PayQrElement);
    vi.resetModules();
    await expect(import('./pay-qr.js')).resolves.toBeDefined(); // a second copy must not throw
    expect(customElements.get('pay-qr')).toBe(PayQrElement);
  });

  it('shows the subject, the amount in yuan and the channels the order allows', async () => {
    const bff = fakeBff({ channels: ['alipay', 'wechat'] });
    const el = await mount(bff);
    await until(() => expect(text(el, 'amount')).toBe('¥19.99'));
    expect(text(el, 'subject')).toBe('Longjing green tea 250 g');
    const channels = [...root(el).querySelectorAll('[part~="channel"]')].map((b) => b.textContent?.trim());
    expect(channels).toEqual(['支付宝', '微信支付']);
    expect(root(el).querySelector('[part~="channels"]')!.getAttribute('role')).toBe('group');
    expect(text(el, 'status')).toBe('请选择支付方式');
    const get = bff.requests[0]!;
    expect(get.url).toBe('https://pay.example.com/api/orders/ord_1');
    expect(get.authorization).toBe('Bearer cs_test_1');
  });

  it('lets the channels attribute narrow and order what the server allows', async () => {
    const el = await mount(fakeBff(), { channels: 'ecny unionpay bogus' });
    await until(() => expect(root(el).querySelectorAll('[part~="channel"]')).toHaveLength(2));
    const names = [...root(el).querySelectorAll('[part~="channel"]')].map((b) => b.textContent?.trim());
    expect(names).toEqual(['数字人民币', '银联云闪付']);
  });

  it('creates an attempt for the chosen channel and draws its QR, byte for byte', async () => {
    const bff = fakeBff();
    const el = await mount(bff);
    await until(() => expect(button(el, '微信支付')).toBeDefined());
    const qr = await showQr(el, '微信支付');

    expect(bff.posts()).toHaveLength(1);
    expect(bff.posts()[0]).toMatchObject({
      url: 'https://pay.example.com/api/orders/ord_1/attempts',
      authorization: 'Bearer cs_test_1',
      body: { channel: 'wechat', scene: 'qr' },
    });
    expect(qr.getAttribute('role')).toBe('img');
    expect(qr.getAttribute('aria-label')).toBe('微信支付付款码，金额 ¥19.99');
    expect(qr.dataset.qrContent).toBe('weixin://wxpay/bizpayurl?pr=wechat1');
    expect(qr.querySelector('svg path')!.getAttribute('d')).toMatch(/^M4 4h7v1h-7z/); // finder pattern after the quiet zone
    // The drawing is hidden from the accessibility tree, so role "img" finds exactly one element.
    expect(qr.querySelector('svg')!.getAttribute('aria-hidden')).toBe('true');
    expect(button(el, '微信支付')!.getAttribute('aria-pressed')).toBe('true');
    expect(text(el, 'status')).toBe('请使用微信扫一扫完成支付');
    const timer = root(el).querySelector('[role="timer"]')!;
    expect(timer.textContent).toMatch(/^0[45]:\d\d$/);
    expect(el.status).toBe('scan');
  });

  it('switching channel opens a new attempt and shows its code', async () => {
    const bff = fakeBff();
    const el = await mount(bff);
    await until(() => expect(button(el, '微信支付')).toBeDefined());
    await showQr(el, '微信支付');
    button(el, '微信支付')!.click(); // the same channel again: nothing new
    button(el, '支付宝')!.click();
    await until(() => expect(root(el).querySelector('[part~="qr"]')?.getAttribute('data-qr-content')).toBe('weixin://wxpay/bizpayurl?pr=alipay2'));
    expect(bff.posts().map((p) => (p.body as { channel: string }).channel)).toEqual(['wechat', 'alipay']);
    expect(text(el, 'status')).toBe('请使用支付宝扫一扫完成支付');
  });

  it('moves focus through the picker with the arrow keys (one tab stop)', async () => {
    const el = await mount(fakeBff());
    await until(() => expect(root(el).querySelectorAll('[part~="channel"]')).toHaveLength(4));
    const buttons = () => [...root(el).querySelectorAll<HTMLButtonElement>('[part~="channel"]')];
    expect(buttons().map((b) => b.tabIndex)).toEqual([0, -1, -1, -1]);
    buttons()[0]!.focus();
    buttons()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(root(el).activeElement).toBe(buttons()[1]);
    expect(buttons().map((b) => b.tabIndex)).toEqual([-1, 0, -1, -1]);
    buttons()[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, composed: true }));
    buttons()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(root(el).activeElement).toBe(buttons()[3]); // wraps around
    buttons()[3]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(root(el).activeElement).toBe(buttons()[0]);
  });

  it('fires pay-qr-paid once, only on the server’s order status, through an outer shadow root', async () => {
    const bff = fakeBff();
    const outer = document.createElement('div');
    document.body.appendChild(outer);
    const shadow = outer.attachShadow({ mode: 'open' });
    const seen = record(document);
    const el = await mount(bff, {}, shadow);
    await until(() => expect(button(el, '支付宝')).toBeDefined());
    await showQr(el, '支付宝');

    // The attempt says paid but the order does not yet: not paid.
    await bff.push((o) => (o.attempt = { ...o.attempt!, status: 'paid' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter((e) => e.type === 'pay-qr-paid')).toHaveLength(0);

    await bff.push((o) => {
      o.status = 'paid';
      o.paidAt = new Date().toISOString();
      o.channel = 'alipay';
    });
    await until(() => expect(text(el, 'status')).toBe('支付成功'));
    el.requestUpdate();
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 100));

    const paid = seen.filter((e) => e.type === 'pay-qr-paid');
    expect(paid).toHaveLength(1);
    expect(paid[0]!.detail).toEqual({ orderId: 'ord_1', status: 'paid', attemptId: 'att_1', channel: 'alipay' });
    expect(seen.filter((e) => e.type === 'pay-qr-status-change').map((e) => e.detail.status)).toEqual(['choose', 'creating', 'scan', 'paid']);
    expect(root(el).querySelector('[part~="qr"]')).toBeNull();
    expect(root(el).querySelector('[part~="channels"]')).toBeNull();
    expect(el.status).toBe('paid');
  });

  it('offers a one-tap regenerate when the code expires, which opens a new attempt', async () => {
    const bff = fakeBff({}, { attemptTtlMs: 1200 });
    const el = await mount(bff);
    await until(() => expect(button(el, '微信支付')).toBeDefined());
    await showQr(el, '微信支付');
    await until(() => expect(button(el, '刷新付款码')).toBeDefined(), 3000);
    expect(root(el).querySelector('[role="img"]')).toBeNull(); // an expired code is not left scannable
    expect(text(el, 'status')).toBe('付款码已失效');
    expect(el.status).toBe('qr-expired');

    button(el, '刷新付款码')!.click();
    await until(() => expect(root(el).querySelector('[part~="qr"]')?.getAttribute('data-qr-content')).toBe('weixin://wxpay/bizpayurl?pr=wechat2'));
    expect(bff.posts()).toHaveLength(2);
  });

  it('says when an attempt cannot be created, fires pay-qr-failed and retries on request', async () => {
    const bff = fakeBff();
    bff.postAnswers.push(() =>
      json({ error: { code: 'provider_unavailable', message: 'chaoying did not answer', requestId: 'req_42' } }, 503),
    );
    const failed: PayQrFailedEvent[] = [];
    document.addEventListener('pay-qr-failed', (e) => failed.push(e), { once: true });
    const el = await mount(bff);
    await until(() => expect(button(el, '微信支付')).toBeDefined());
    button(el, '微信支付')!.click();
    await until(() => expect(text(el, 'status')).toBe('支付未完成'));
    expect(failed).toHaveLength(1);
    expect(failed[0]!.detail).toMatchObject({
      orderId: 'ord_1',
      status: 'failed',
      channel: 'wechat',
      error: { code: 'provider_unavailable', message: 'chaoying did not answer', requestId: 'req_42' },
    });

    button(el, '重新支付')!.click();
    await until(() => expect(root(el).querySelector('[role="img"]')).not.toBeNull());
    expect(bff.posts()).toHaveLength(2);
  });

  it('keeps keyboard focus in the widget: "重新支付" hands it to the chosen channel', async () => {
    const bff = fakeBff();
    bff.postAnswers.push(() => json({ error: { code: 'provider_unavailable', message: 'down' } }, 503));
    const el = await mount(bff);
    await until(() => expect(button(el, '支付宝')).toBeDefined());
    button(el, '支付宝')!.click();
    await until(() => expect(button(el, '重新支付')).toBeDefined());
    const retry = button(el, '重新支付')!;
    retry.focus();
    expect(root(el).activeElement).toBe(retry);
    retry.click(); // Enter or Space on the focused button
    await until(() => expect(root(el).querySelector('[role="img"]')).not.toBeNull());
    expect(retry.isConnected).toBe(false);
    expect(root(el).activeElement).toBe(button(el, '支付宝'));
    expect(button(el, '支付宝')!.tabIndex).toBe(0);
  });

  it('keeps keyboard focus in the widget: "刷新付款码" hands it to the chosen channel', async () => {
    const bff = fakeBff({}, { attemptTtlMs: 1200 });
    const el = await mount(bff);
    await until(() => expect(button(el, '微信支付')).toBeDefined());
    await showQr(el, '微信支付');
    await until(() => expect(button(el, '刷新付款码')).toBeDefined(), 3000);
    const regenerate = button(el, '刷新付款码')!;
    regenerate.focus();
    regenerate.click();
    await until(() => expect(root(el).querySelector('[part~="qr"]')?.getAttribute('data-qr-content')).toBe('weixin://wxpay/bizpayurl?pr=wechat2'));
    expect(root(el).activeElement).toBe(button(el, '微信支付'));
  });

  it('keeps keyboard focus in the widget: with no picker left (paid) it goes to the status line', async () => {
    const bff = fakeBff();
    const el = await mount(bff);
    await until(() => expect(button(el, '微信支付')).toBeDefined());
    await showQr(el, '微信支付');
    button(el, '微信支付')!.focus();
    await bff.push((o) => {
      o.status = 'paid';
      o.channel = 'wechat';
    });
    await until(() => expect(el.status).toBe('paid'));
    const status = root(el).querySelector<HTMLElement>('[part~="status"]')!;
    expect(root(el).activeElement).toBe(status);
    expect(status.tabIndex).toBe(-1); // focusable from script only, not a tab stop
  });

  it('shows a declined attempt as failed (the server’s attempt status)', async () => {
    const bff = fakeBff();
    const el = await mount(bff);
    await until(() => expect(button(el, '微信支付')).toBeDefined());
    await showQr(el, '微信支付');
    await bff.push((o) => (o.attempt = { ...o.attempt!, status: 'failed' }));
    await until(() => expect(el.status).toBe('failed'));
    expect(button(el, '重新支付')).toBeDefined();
  });

  it('ends on canceled and expired orders with their events', async () => {
    const canceled = fakeBff();
    const seen = record(document);
    const a = await mount(canceled);
    await until(() => expect(text(a, 'amount')).toBe('¥19.99'));
    await canceled.push((o) => (o.status = 'canceled'));
    await until(() => expect(text(a, 'status')).toBe('订单已取消'));
    a.remove();

    const expired = fakeBff({ status: 'expired' });
    const b = await mount(expired, { lang: 'en' });
    await until(() => expect(text(b, 'status')).toBe('This order has expired'));
    expect(seen.filter((e) => e.type !== 'pay-qr-status-change').map((e) => e.type)).toEqual(['pay-qr-cancel', 'pay-qr-expired']);
  });

  it('says "network problem, retrying" while the status cannot be fetched, and recovers', async () => {
    const bff = fakeBff();
    bff.getAnswers.push(() => {
      throw new TypeError('Failed to fetch');
    });
    const el = await mount(bff);
    await until(() => expect(root(el).querySelector('[part~="notice"]')?.textContent).toBe('网络异常，正在重试…'));
    expect(el.status).toBe('loading');
    await until(() => expect(text(el, 'amount')).toBe('¥19.99'), 3000);
    expect(root(el).querySelector('[part~="notice"]')).toBeNull();
  });

  it('while the order loads: a spinner and the text, no empty header above them', async () => {
    const bff = fakeBff();
    let answer!: () => void;
    bff.getAnswers.push(() => new Promise<Response>((resolve) => (answer = () => resolve(json(structuredClone(bff.order))))));
    const el = await mount(bff);
    expect(el.status).toBe('loading');
    expect(text(el, 'status')).toBe('正在加载订单…');
    const card = root(el).querySelector('[part~="base"]')!;
    expect(card.querySelector('[part~="header"]')).toBeNull();
    expect(card.firstElementChild!.className).toBe('spinner');
    expect(card.querySelector('[part~="channels"]')).toBeNull();

    answer();
    await until(() => expect(text(el, 'amount')).toBe('¥19.99'));
    expect(card.firstElementChild!.getAttribute('part')).toBe('header');
    expect(root(el).querySelector('.spinner')).toBeNull();
  });

  it('an order that cannot be loaded: the mark and the message, no empty header', async () => {
    const bff = fakeBff();
    bff.getAnswers.push(() => json({ error: { code: 'unauthorized', message: 'Wrong secret', requestId: 'req_8' } }, 401));
    const el = await mount(bff);
    await until(() => expect(el.status).toBe('error'));
    expect(text(el, 'status')).toBe('无法加载订单，请返回商户页面重试');
    const card = root(el).querySelector('[part~="base"]')!;
    expect(card.querySelector('[part~="header"]')).toBeNull();
    expect(card.firstElementChild!.getAttribute('part')).toBe('result');
    expect(root(el).querySelector('.spinner')).toBeNull();
  });

  it('gives up on an unknown order or wrong secret', async () => {
    const bff = fakeBff();
    bff.getAnswers.push(() => json({ error: { code: 'not_found', message: 'No such order', requestId: 'req_7' } }, 404));
    const failed: PayQrFailedEvent[] = [];
    document.addEventListener('pay-qr-failed', (e) => failed.push(e), { once: true });
    const el = await mount(bff, { lang: 'zh-TW' });
    await until(() => expect(text(el, 'status')).toBe('無法載入訂單，請返回商店頁面重試'));
    expect(el.status).toBe('error');
    expect(failed[0]?.detail).toEqual({
      orderId: 'ord_1',
      status: 'error',
      error: { code: 'not_found', message: 'No such order', requestId: 'req_7' },
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(bff.requests).toHaveLength(1);
  });

  it('says so when the order offers no channel it can pay with: error, pay-qr-failed "no_channels"', async () => {
    const bff = fakeBff({ channels: [] });
    const seen = record(document);
    const el = await mount(bff, { channels: 'wechat alipay' });
    await until(() => expect(el.status).toBe('error'));
    expect(text(el, 'status')).toBe('此订单暂无可用的支付方式，请返回商户页面');
    expect(text(el, 'amount')).toBe('¥19.99'); // the order loaded: its header stays
    expect(root(el).querySelector('[part~="channels"]')).toBeNull();
    expect(root(el).querySelector('[part~="result"]')).not.toBeNull();
    const failed = seen.filter((e) => e.type === 'pay-qr-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.detail).toEqual({
      orderId: 'ord_1',
      status: 'error',
      error: { code: 'no_channels', message: 'The order offers no channel to pay with' },
    });
    expect(bff.posts()).toHaveLength(0);

    // Still the server's order: the status keeps being followed.
    await bff.push((o) => (o.status = 'canceled'));
    await until(() => expect(el.status).toBe('canceled'));
  });

  it('says "no payment method" in English and Traditional Chinese, also for channels it does not know', async () => {
    const en = await mount(fakeBff({ channels: ['paypal' as Channel] }), { lang: 'en' });
    await until(() => expect(text(en, 'status')).toBe('No payment method is available for this order. Go back to the shop.'));
    en.lang = 'zh-TW';
    await until(() => expect(text(en, 'status')).toBe('此訂單目前沒有可用的付款方式，請返回商店頁面'));
  });

  it('speaks English and Traditional Chinese', async () => {
    const el = await mount(fakeBff({ channels: ['wechat', 'ecny'] }), { lang: 'en' });
    await until(() => expect(text(el, 'status')).toBe('Choose how to pay'));
    expect(button(el, 'WeChat Pay')).toBeDefined();
    expect(button(el, 'e-CNY')).toBeDefined();
    el.lang = 'zh-TW';
    await until(() => expect(text(el, 'status')).toBe('請選擇付款方式'));
    expect(root(el).querySelector('[part~="base"]')!.getAttribute('lang')).toBe('zh-TW');
  });

  it('still asks when only one channel is possible (no attempt before the payer acts)', async () => {
    const bff = fakeBff({ channels: ['alipay'] });
    const el = await mount(bff);
    await until(() => expect(root(el).querySelectorAll('[part~="channel"]')).toHaveLength(1));
    expect(bff.posts()).toHaveLength(0);
    await showQr(el, '支付宝');
    expect(bff.posts()).toHaveLength(1);
  });

  it('shows the current pending attempt after a reload instead of opening another', async () => {
    const bff = fakeBff({
      attempt: {
        id: 'att_9',
        channel: 'alipay',
        scene: 'qr',
        status: 'pending',
        expiresAt: iso(Date.now() + 4 * MINUTE),
        qr: { content: 'https://qr.alipay.com/bax0123' },
      },
    });
    const el = await mount(bff);
    await until(() => expect(root(el).querySelector('[part~="qr"]')?.getAttribute('data-qr-content')).toBe('https://qr.alipay.com/bax0123'));
    expect(bff.posts()).toHaveLength(0);
    expect(button(el, '支付宝')!.getAttribute('aria-pressed')).toBe('true');
  });

  it('takes its container’s width up to --pay-qr-max-width, the same in every state', async () => {
    const bff = fakeBff();
    let answer!: () => void;
    bff.getAnswers.push(() => new Promise<Response>((resolve) => (answer = () => resolve(json(structuredClone(bff.order))))));
    const el = await mount(bff);
    const size = () => {
      const style = getComputedStyle(el);
      return { display: style.display, width: style.width, maxWidth: style.maxWidth };
    };
    expect(el.status).toBe('loading');
    // width 100% too: in a flex row a block's auto width would shrink to each state's content
    expect(size()).toEqual({ display: 'block', width: '100%', maxWidth: '360px' });
    answer();
    await until(() => expect(el.status).toBe('choose'));
    expect(size()).toEqual({ display: 'block', width: '100%', maxWidth: '360px' });
    el.style.setProperty('--pay-qr-max-width', '480px');
    expect(size().maxWidth).toBe('480px');
  });

  it('sets no inline style, so a strict style-src CSP holds', async () => {
    const el = await mount(fakeBff());
    await until(() => expect(button(el, '微信支付')).toBeDefined());
    await showQr(el, '微信支付');
    expect(root(el).querySelectorAll('[style]')).toHaveLength(0);
    expect(root(el).querySelectorAll('style')).toHaveLength(0);
  });

  it('reports every status change with the previous one', async () => {
    const changes: PayQrStatusChangeEvent[] = [];
    document.addEventListener('pay-qr-status-change', (e) => changes.push(e));
    const el = await mount(fakeBff());
    await until(() => expect(changes.length).toBeGreaterThan(0));
    expect(changes[0]!.detail).toEqual({ orderId: 'ord_1', status: 'choose', previous: 'loading' });
    expect(changes[0]!.bubbles && changes[0]!.composed).toBe(true);
    el.remove();
  });
});
