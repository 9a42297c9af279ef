import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PayScanElement } from './pay-scan.js';
import type { PayScanStatus } from './scan/events.js';
import type { ScanState } from './scan/shop-client.js';

const WECHAT_PAID = '134567890123456700';
const ALIPAY_CODE = '280123456789012301';
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

interface Req {
  method: string;
  url: URL;
  body: { order?: string; authCode?: string } | undefined;
  credentials: RequestCredentials | undefined;
  contentType: string | null;
}

/**
 * A stand-in for the shop's endpoint behind `fetch` (the contract in scan/shop-client.ts): GET
 * answers the order's state — a `wait` request is held until the test pushes a change — and POST
 * takes a scan, answering "pending, paying" unless an answer is queued.
 */
function fakeShop(init: Partial<ScanState['order']> = {}, options: { ignoreWait?: boolean } = {}) {
  const state: ScanState = { order: { id: 'ord_1', status: 'open', amount: 1999, currency: 'CNY', subject: 'Longjing tea', ...init } };
  /** other orders than ord_1, by id (a fresh open one when unknown) */
  const others = new Map<string, ScanState>();
  const stateOf = (id: string | null | undefined) => {
    if (!id || id === 'ord_1') return state;
    if (!others.has(id)) others.set(id, { order: { id, status: 'open', amount: 500, currency: 'CNY' } });
    return others.get(id)!;
  };
  const requests: Req[] = [];
  const postAnswers: Array<(body: Req['body']) => Response | Promise<Response>> = [];
  const getAnswers: Array<() => Response | Promise<Response>> = [];
  let held: Array<() => void> = [];
  let seq = 0;
  /** reads on the wire now, and the most ever at once */
  let openGets = 0;
  let maxOpenGets = 0;

  const fetch = vi.fn(async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const body = init.body ? (JSON.parse(init.body as string) as Req['body']) : undefined;
    requests.push({ method, url: new URL(input, location.href), body, credentials: init.credentials, contentType: new Headers(init.headers).get('Content-Type') });
    if (method === 'POST') {
      const forced = postAnswers.shift();
      if (forced) return forced(body);
      const target = stateOf(body?.order);
      target.scan = { id: `att_${++seq}`, status: 'pending', progress: 'paying', channel: body?.authCode?.startsWith('28') ? 'alipay' : 'wechat' };
      return json(structuredClone(target));
    }
    maxOpenGets = Math.max(maxOpenGets, ++openGets);
    try {
      const forced = getAnswers.shift();
      if (forced) return await forced();
      const url = new URL(input, location.href);
      if (Number(url.searchParams.get('wait') ?? 0) > 0 && !options.ignoreWait) {
        await new Promise<void>((resolve, reject) => {
          held.push(resolve);
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        });
      }
      return json(structuredClone(stateOf(url.searchParams.get('order'))));
    } finally {
      openGets--;
    }
  });

  return {
    fetch,
    state,
    stateOf,
    requests,
    postAnswers,
    getAnswers,
    posts: () => requests.filter((r) => r.method === 'POST'),
    maxOpenGets: () => maxOpenGets,
    /** whether a long-poll is held right now */
    holding: () => held.length > 0,
    gets: () => requests.filter((r) => r.method === 'GET'),
    /** change the state while the element's long-poll is held, then answer it */
    async push(change: (s: ScanState) => void) {
      await vi.waitFor(() => expect(held.length).toBeGreaterThan(0), { timeout: 4000 });
      change(state);
      const release = held;
      held = [];
      for (const r of release) r();
    },
  };
}

type Shop = ReturnType<typeof fakeShop>;

async function mount(shop: Shop, attributes: Record<string, string> = {}, container: ParentNode = document.body) {
  vi.stubGlobal('fetch', shop.fetch);
  const el = document.createElement('pay-scan');
  for (const [k, v] of Object.entries({ action: '/cashier/api/scan', order: 'ord_1', ...attributes })) el.setAttribute(k, v);
  container.appendChild(el);
  await el.updateComplete;
  return el;
}

const root = (el: PayScanElement) => el.shadowRoot!;
const part = (el: PayScanElement, name: string) => root(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const text = (el: PayScanElement, name: string) => part(el, name)?.textContent?.replace(/\s+/g, ' ').trim();
const until = (assertion: () => void, timeout = 4000) => vi.waitFor(assertion, { timeout, interval: 20 });
const status = (el: PayScanElement, s: PayScanStatus) => until(() => expect(el.status).toBe(s));

/** keydown events on `target` (bubbling, composed), `gapMs` apart on the (fake) clock */
function type(target: EventTarget, keys: string, gapMs: number, { enter = true } = {}): KeyboardEvent[] {
  const sent: KeyboardEvent[] = [];
  for (const key of [...keys, ...(enter ? ['Enter'] : [])]) {
    vi.advanceTimersByTime(gapMs);
    const e = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true });
    target.dispatchEvent(e);
    sent.push(e);
  }
  return sent;
}

function record(target: EventTarget) {
  const seen: Array<{ type: string; detail: Record<string, unknown> }> = [];
  for (const t of ['pay-scan-paid', 'pay-scan-failed', 'pay-scan-status-change']) {
    target.addEventListener(t, (e) => seen.push({ type: t, detail: (e as CustomEvent).detail }));
  }
  return seen;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe('<pay-scan>: loading the sale', () => {
  it('shows the amount from the attribute at once, then the shop endpoint\'s, and waits for a scan', async () => {
    const shop = fakeShop({ amount: 2500 });
    const el = await mount(shop, { amount: '1999' });
    expect(text(el, 'amount')).toBe('¥19.99');
    await status(el, 'ready');
    expect(text(el, 'amount')).toBe('¥25.00');
    expect(text(el, 'message')).toBe('请扫描顾客的付款码');
    const [get] = shop.gets();
    expect(get!.url.pathname).toBe('/cashier/api/scan');
    expect(get!.url.searchParams.get('order')).toBe('ord_1');
    expect(get!.credentials).toBe('same-origin');
  });

  it('is idle without an order or an action, and asks nothing', async () => {
    const shop = fakeShop();
    const el = await mount(shop, { order: '' });
    expect(el.status).toBe('idle');
    expect(root(el).querySelector('input')!.disabled).toBe(true);
    expect(shop.fetch).not.toHaveBeenCalled();
  });

  it('says so when the order cannot be loaded (4xx), with pay-scan-failed status error', async () => {
    const shop = fakeShop();
    shop.getAnswers.push(() => json({ error: { code: 'not_found', message: 'No such order' } }, 404));
    const seen = record(document);
    const el = await mount(shop);
    await status(el, 'error');
    expect(text(el, 'message')).toBe('无法加载订单');
    expect(seen.find((e) => e.type === 'pay-scan-failed')?.detail).toMatchObject({ status: 'error', reason: { code: 'not_found' } });
  });

  it('retries a load that met network trouble, saying so', async () => {
    const shop = fakeShop();
    shop.getAnswers.push(() => Promise.reject(new TypeError('Failed to fetch')));
    const el = await mount(shop);
    await until(() => expect(text(el, 'notice')).toBe('网络异常，正在重试…'));
    await vi.advanceTimersByTimeAsync(1000);
    await status(el, 'ready');
    expect(part(el, 'notice')).toBeNull();
  });

  it('resumes a pending scan after a reload, and shows an old failure as "ready"', async () => {
    const pending = fakeShop();
    pending.state.scan = { id: 'att_9', status: 'pending', progress: 'password_entry', channel: 'alipay' };
    const el = await mount(pending);
    await status(el, 'password');
    expect(text(el, 'message')).toBe('用户输入密码中…');
    await pending.push((s) => (s.scan!.status = 'paid') && (s.order.status = 'paid'));
    await status(el, 'paid');

    const failedBefore = fakeShop();
    failedBefore.state.scan = { id: 'att_3', status: 'failed', reason: { code: '51', message: '余额不足' } };
    el.remove();
    const again = await mount(failedBefore);
    await status(again, 'ready');
  });

  it('shows a paid order as paid, with the field off until the next order', async () => {
    const shop = fakeShop({ status: 'paid' });
    const el = await mount(shop);
    await status(el, 'paid');
    expect(root(el).querySelector('input')!.disabled).toBe(true);
    el.setAttribute('order', 'ord_2');
    await status(el, 'ready');
    expect(root(el).querySelector('input')!.disabled).toBe(false);
    expect(text(el, 'amount')).toBe('¥5.00');
  });
});

describe('<pay-scan>: telling a scanner from a person', () => {
  it('takes a fast burst of digits + Enter anywhere on the page as a scan, and keeps its Enter', async () => {
    const shop = fakeShop();
    const el = await mount(shop);
    await status(el, 'ready');
    const keys = type(document.body, WECHAT_PAID, 8);
    expect(keys.at(-1)!.defaultPrevented).toBe(true); // a focused button is not also activated
    await until(() => expect(shop.posts()).toHaveLength(1));
    expect(shop.posts()[0]).toMatchObject({ url: new URL('/cashier/api/scan', location.href), body: { order: 'ord_1', authCode: WECHAT_PAID }, contentType: 'application/json', credentials: 'same-origin' });
  });

  it('ignores the same digits typed at a person\'s pace', async () => {
    const shop = fakeShop();
    const el = await mount(shop);
    await status(el, 'ready');
    const keys = type(document.body, WECHAT_PAID, 150);
    expect(keys.at(-1)!.defaultPrevented).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(shop.posts()).toHaveLength(0);
    expect(el.status).toBe('ready');
  });

  it('ignores a burst with one slow key, a short burst, and a burst with another key in it', async () => {
    const shop = fakeShop();
    const el = await mount(shop);
    await status(el, 'ready');
    type(document.body, WECHAT_PAID.slice(0, 9), 8, { enter: false });
    type(document.body, WECHAT_PAID.slice(9), 400); // a pause in the middle: not one burst
    type(document.body, '123456789012345', 5); // 15 digits
    type(document.body, '13456789x0123456700', 5);
    vi.advanceTimersByTime(1000);
    expect(shop.posts()).toHaveLength(0);
  });

  it('leaves the page\'s other text fields alone', async () => {
    const shop = fakeShop();
    const amountField = document.createElement('input');
    document.body.append(amountField);
    const el = await mount(shop);
    await status(el, 'ready');
    const keys = type(amountField, WECHAT_PAID, 5);
    expect(keys.at(-1)!.defaultPrevented).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(shop.posts()).toHaveLength(0);
  });

  it('works while the page focus is inside another shadow root (composed keys)', async () => {
    const shop = fakeShop();
    const host = document.createElement('div');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    const button = document.createElement('button');
    shadow.append(button);
    const el = await mount(shop);
    await status(el, 'ready');
    type(button, WECHAT_PAID, 5);
    await until(() => expect(shop.posts()).toHaveLength(1));
  });

  it('takes a code typed into its own field by a person, on Enter (form submit)', async () => {
    const shop = fakeShop();
    const el = await mount(shop);
    await status(el, 'ready');
    const input = root(el).querySelector('input')!;
    input.value = '1345 6789 0123 4567 00';
    type(input, '', 300); // just Enter, slowly: the field accepts human typing
    root(el).querySelector('form')!.requestSubmit();
    await until(() => expect(shop.posts()).toHaveLength(1));
    expect(shop.posts()[0]!.body).toEqual({ order: 'ord_1', authCode: WECHAT_PAID });
    expect(input.value).toBe(''); // ready for the next code
  });

  it('refuses codes no wallet issues before sending anything, mirroring the server\'s prefix rules', async () => {
    const shop = fakeShop();
    const el = await mount(shop);
    await status(el, 'ready');
    const input = root(el).querySelector('input')!;
    const form = root(el).querySelector('form')!;
    for (const bad of ['99345678901234567', '1645678901234567000', '62123', '13456789012345670a']) {
      input.value = bad;
      form.requestSubmit();
      await el.updateComplete;
      expect(input.getAttribute('aria-invalid'), bad).toBe('true');
      expect(part(el, 'error')!.getAttribute('role')).toBe('alert');
      expect(text(el, 'error'), bad).toMatch(/^(不是有效的付款码|付款码只能包含数字)/);
      expect(input.value).toBe(bad); // kept, to correct it
    }
    type(document.body, '99345678901234567', 5); // a scanner reading some other barcode
    await el.updateComplete;
    expect(text(el, 'error')).toMatch(/^不是有效的付款码/);
    expect(shop.posts()).toHaveLength(0);
    input.value = '6212345678901234500';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(input.getAttribute('aria-invalid')).toBe('false');
    form.requestSubmit();
    await until(() => expect(shop.posts()).toHaveLength(1));
  });
});

describe('<pay-scan>: the scan, to its outcome', () => {
  it('paying → password entry → paid, with every status announced and pay-scan-paid once', async () => {
    const shop = fakeShop();
    const seen = record(document);
    const el = await mount(shop);
    await status(el, 'ready');
    el.scan(WECHAT_PAID);
    expect(el.status).toBe('submitting');
    await el.updateComplete;
    expect(text(el, 'message')).toBe('支付中…');
    await status(el, 'paying');
    expect(text(el, 'channel')).toBe('微信支付 · 1345…6700');
    await shop.push((s) => (s.scan!.progress = 'password_entry'));
    await status(el, 'password');
    expect(text(el, 'message')).toBe('用户输入密码中…');
    expect(part(el, 'status')!.getAttribute('role')).toBe('status');
    await shop.push((s) => {
      s.scan = { ...s.scan!, status: 'paid', progress: undefined };
      s.order.status = 'paid';
    });
    await status(el, 'paid');
    expect(text(el, 'message')).toBe('收款成功');

    const changes = seen.filter((e) => e.type === 'pay-scan-status-change').map((e) => `${e.detail.previous}→${e.detail.status}`);
    expect(changes).toEqual(['idle→loading', 'loading→ready', 'ready→submitting', 'submitting→paying', 'paying→password', 'password→paid']);
    const paid = seen.filter((e) => e.type === 'pay-scan-paid');
    expect(paid).toHaveLength(1);
    expect(paid[0]!.detail).toEqual({ orderId: 'ord_1', status: 'paid', scanId: 'att_1', channel: 'wechat', maskedCode: '1345…6700', amount: 1999, currency: 'CNY' });
    // No event, and nothing on screen, carries the whole code.
    expect(JSON.stringify(seen)).not.toContain(WECHAT_PAID);
    expect(root(el).innerHTML).not.toContain(WECHAT_PAID);
  });

  it('polls one request at a time, at most once a second when the server answers at once', async () => {
    const shop = fakeShop({}, { ignoreWait: true });
    const el = await mount(shop);
    await status(el, 'ready');
    void el.scan(WECHAT_PAID);
    await status(el, 'paying');
    const before = shop.gets().length;
    await vi.advanceTimersByTimeAsync(5000);
    const polls = shop.gets().length - before;
    expect(polls).toBeGreaterThanOrEqual(4);
    expect(polls).toBeLessThanOrEqual(6);
    expect(shop.gets().at(-1)!.url.searchParams.get('wait')).toBe('10');
  });

  it('never has two reads on the wire, whatever asks for a check (the page coming back, a scan answered)', async () => {
    const shop = fakeShop();
    const el = await mount(shop);
    await status(el, 'ready');
    void el.scan(WECHAT_PAID);
    await status(el, 'paying');
    await until(() => expect(shop.holding()).toBe(true));
    for (const type of ['focus', 'online', 'pageshow']) window.dispatchEvent(new Event(type));
    await shop.push((s) => (s.scan!.progress = 'password_entry'));
    await status(el, 'password');
    await until(() => expect(shop.holding()).toBe(true));
    window.dispatchEvent(new Event('focus'));
    await shop.push((s) => {
      s.scan = { ...s.scan!, status: 'paid', progress: undefined };
      s.order.status = 'paid';
    });
    await status(el, 'paid');
    expect(shop.maxOpenGets()).toBe(1);
  });

  it('stops reading while the page is hidden, and reads at once when it is back', async () => {
    const shop = fakeShop();
    const el = await mount(shop);
    await status(el, 'ready');
    void el.scan(WECHAT_PAID);
    await status(el, 'paying');
    await until(() => expect(shop.holding()).toBe(true));
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    const reads = shop.gets().length;
    shop.state.scan = { ...shop.state.scan!, status: 'paid', progress: undefined };
    shop.state.order.status = 'paid';
    await vi.advanceTimersByTimeAsync(30_000);
    expect(shop.gets()).toHaveLength(reads); // nothing while hidden (the held read was aborted)
    expect(el.status).toBe('paying');
    visibility.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(shop.gets()).toHaveLength(reads + 1);
    await shop.push(() => {}); // the fake holds every long-poll until told
    await status(el, 'paid');
  });

  it('a refusal: pay-scan-failed with the reason, and the next scan is taken at once', async () => {
    const shop = fakeShop();
    shop.postAnswers.push(() => {
      shop.state.scan = { id: 'att_1', status: 'failed', channel: 'alipay', reason: { code: '51', message: '余额不足' } };
      return json(shop.state);
    });
    const seen = record(document);
    const el = await mount(shop);
    await status(el, 'ready');
    void el.scan(ALIPAY_CODE);
    await status(el, 'failed');
    expect(text(el, 'message')).toBe('收款失败');
    expect(text(el, 'reason')).toBe('余额不足');
    expect(text(el, 'status')).toContain('可扫描下一个付款码');
    expect(seen.find((e) => e.type === 'pay-scan-failed')!.detail).toMatchObject({
      status: 'failed',
      scanId: 'att_1',
      channel: 'alipay',
      reason: { code: '51', message: '余额不足' },
    });
    type(document.body, WECHAT_PAID, 5);
    await status(el, 'paying');
    expect(shop.posts()).toHaveLength(2);
  });

  it('reversed: no final answer in time → pay-scan-failed with status reversed', async () => {
    const shop = fakeShop();
    const seen = record(document);
    const el = await mount(shop);
    await status(el, 'ready');
    void el.scan(WECHAT_PAID);
    await status(el, 'paying');
    await shop.push((s) => (s.scan = { ...s.scan!, status: 'reversed', progress: undefined, reason: { code: 'REVERSED', message: 'QUERY_DEADLINE' } }));
    await status(el, 'reversed');
    expect(text(el, 'message')).toBe('未获得支付结果，交易已撤销');
    expect(text(el, 'note')).toBe('如顾客已被扣款，款项将原路退回');
    expect(part(el, 'reason')).toBeNull(); // PayQR's internal reason stays in the event, off the screen
    expect(seen.find((e) => e.type === 'pay-scan-failed')!.detail).toMatchObject({ status: 'reversed', reason: { code: 'REVERSED' } });
  });

  it('will not start a second scan while one is in progress', async () => {
    const shop = fakeShop();
    const el = await mount(shop);
    await status(el, 'ready');
    void el.scan(WECHAT_PAID);
    await status(el, 'paying');
    type(document.body, ALIPAY_CODE, 5);
    await el.updateComplete;
    expect(text(el, 'error')).toBe('上一笔正在处理中，请稍候');
    expect(shop.posts()).toHaveLength(1);
  });

  it('posts the same code again after network trouble (idempotent at PayQR), then follows it', async () => {
    const shop = fakeShop();
    shop.postAnswers.push(() => Promise.reject(new TypeError('Failed to fetch')));
    const el = await mount(shop);
    await status(el, 'ready');
    void el.scan(WECHAT_PAID);
    await until(() => expect(text(el, 'notice')).toBe('网络异常，正在重试…'));
    await vi.advanceTimersByTimeAsync(1000);
    await status(el, 'paying');
    expect(shop.posts().map((p) => p.body)).toEqual([
      { order: 'ord_1', authCode: WECHAT_PAID },
      { order: 'ord_1', authCode: WECHAT_PAID },
    ]);
  });

  it('gives up after three network failures, saying to check the result', async () => {
    const shop = fakeShop();
    for (let i = 0; i < 3; i++) shop.postAnswers.push(() => Promise.reject(new TypeError('Failed to fetch')));
    const el = await mount(shop);
    await status(el, 'ready');
    void el.scan(WECHAT_PAID);
    await vi.advanceTimersByTimeAsync(1000 + 2000); // the back-off between the tries
    await status(el, 'failed');
    expect(shop.posts()).toHaveLength(3);
    expect(text(el, 'reason')).toBe('网络异常，请确认结果后重新扫码');
  });

  it('shows the server\'s refusal of a code (4xx) as a failed scan', async () => {
    const shop = fakeShop();
    shop.postAnswers.push(() => json({ error: { code: 'order_not_payable', message: 'The order is paid; it cannot be paid again.', requestId: 'req_1' } }, 409));
    const seen = record(document);
    const el = await mount(shop);
    await status(el, 'ready');
    void el.scan(WECHAT_PAID);
    await status(el, 'failed');
    expect(text(el, 'reason')).toBe('The order is paid; it cannot be paid again.');
    expect(seen.find((e) => e.type === 'pay-scan-failed')!.detail.reason).toEqual({ code: 'order_not_payable', message: 'The order is paid; it cannot be paid again.', requestId: 'req_1' });
    expect(shop.posts()).toHaveLength(1); // a 4xx is not retried
  });

  it('keeps polling through network trouble, saying so, until the answer comes', async () => {
    const shop = fakeShop({}, { ignoreWait: true });
    const el = await mount(shop);
    await status(el, 'ready');
    void el.scan(WECHAT_PAID);
    await status(el, 'paying');
    shop.getAnswers.push(() => Promise.reject(new TypeError('Failed to fetch')));
    await until(() => expect(text(el, 'notice')).toBe('网络异常，正在重试…'));
    shop.state.scan = { ...shop.state.scan!, status: 'paid' };
    shop.state.order.status = 'paid';
    await vi.advanceTimersByTimeAsync(1000);
    await status(el, 'paid');
    expect(part(el, 'notice')).toBeNull();
  });

  it('drops answers about the previous order once the page sets a new one', async () => {
    const shop = fakeShop();
    const seen = record(document);
    const el = await mount(shop);
    await status(el, 'ready');
    // The poll about ord_1 is answered late, after the page moved on (a fetch that ignores abort).
    let answerLate!: () => void;
    shop.getAnswers.push(() => new Promise<Response>((resolve) => (answerLate = () => resolve(json({ order: { ...shop.state.order, status: 'paid' }, scan: { id: 'att_1', status: 'paid' } })))));
    void el.scan(WECHAT_PAID);
    await status(el, 'paying');
    await until(() => expect(answerLate).toBeTypeOf('function'));
    el.order = 'ord_2';
    await status(el, 'ready');
    answerLate();
    await vi.advanceTimersByTimeAsync(3000);
    expect(el.status).toBe('ready');
    expect(text(el, 'amount')).toBe('¥5.00');
    expect(seen.some((e) => e.type === 'pay-scan-paid')).toBe(false);
  });
});

describe('<pay-scan>: page integration', () => {
  it('fires bubbling, composed events that reach the document from inside another shadow root', async () => {
    const shop = fakeShop({ status: 'paid' });
    const host = document.createElement('div');
    document.body.append(host);
    const seen = record(document);
    const el = await mount(shop, {}, host.attachShadow({ mode: 'open' }));
    await status(el, 'paid');
    expect(seen.filter((e) => e.type === 'pay-scan-paid')).toHaveLength(1);
  });

  it('labels its field and uses no inline style', async () => {
    const el = await mount(fakeShop());
    await status(el, 'ready');
    const input = root(el).querySelector('input')!;
    const label = root(el).querySelector(`label[for="${input.id}"]`);
    expect(label?.textContent).toBe('付款码');
    expect(input.getAttribute('aria-describedby')).toBe('hint error');
    expect(input.getAttribute('inputmode')).toBe('numeric');
    expect(root(el).querySelectorAll('[style]')).toHaveLength(0);
  });

  it('speaks English with lang="en"', async () => {
    const el = await mount(fakeShop(), { lang: 'en' });
    await status(el, 'ready');
    await until(() => expect(text(el, 'message')).toBe("Scan the customer's payment code"));
    expect(text(el, 'amount-label')).toBe('Amount due');
    expect(text(el, 'amount')).toBe('¥19.99');
  });

  it('offers the camera only with the attribute and where BarcodeDetector exists', async () => {
    const shop = fakeShop();
    const plain = await mount(shop, { camera: '' });
    await status(plain, 'ready');
    expect(part(plain, 'camera-button')).toBeNull(); // happy-dom has no BarcodeDetector

    vi.stubGlobal('BarcodeDetector', class {});
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getUserMedia: async () => ({}) } });
    const withCamera = await mount(shop, { camera: '' });
    await status(withCamera, 'ready');
    expect(text(withCamera, 'camera-button')).toBe('摄像头扫码');
    const without = await mount(shop);
    await status(without, 'ready');
    expect(part(without, 'camera-button')).toBeNull();
  });

  it('turns the camera on, submits the code it reads, and turns it off again', async () => {
    const shop = fakeShop();
    const stopped: string[] = [];
    const stream = new MediaStream();
    stream.getTracks = () => [{ stop: () => stopped.push('track') } as unknown as MediaStreamTrack];
    let reads = 0;
    vi.stubGlobal(
      'BarcodeDetector',
      class {
        static getSupportedFormats = async () => ['qr_code', 'code_128', 'ean_13'];
        constructor(readonly options: { formats: string[] }) {
          expect(options.formats).toEqual(['code_128', 'qr_code']);
        }
        detect = async () => (++reads < 3 ? [] : [{ rawValue: 'https://not-a-code.example' }, { rawValue: WECHAT_PAID }]);
      },
    );
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getUserMedia: vi.fn(async () => stream) } });
    HTMLMediaElement.prototype.play = vi.fn(async () => {});
    const el = await mount(shop, { camera: '' });
    await status(el, 'ready');
    part(el, 'camera-button')!.click();
    await until(() => expect(part(el, 'camera')).not.toBeNull());
    expect(part(el, 'camera')!.getAttribute('aria-label')).toBe('摄像头画面：将付款码对准镜头');
    await until(() => expect(shop.posts()).toHaveLength(1), 6000);
    expect(shop.posts()[0]!.body!.authCode).toBe(WECHAT_PAID);
    expect(stopped).toEqual(['track']);
    await until(() => expect(part(el, 'camera')).toBeNull());
  });

  it('says so when the camera cannot be used', async () => {
    vi.stubGlobal('BarcodeDetector', class {});
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getUserMedia: async () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
    const el = await mount(fakeShop(), { camera: '' });
    await status(el, 'ready');
    part(el, 'camera-button')!.click();
    await until(() => expect(root(el).textContent).toContain('无法使用摄像头'));
    expect(part(el, 'camera')).toBeNull();
  });

  it('stops listening to the keyboard once removed from the page', async () => {
    const shop = fakeShop();
    const el = await mount(shop);
    await status(el, 'ready');
    el.remove();
    type(document.body, WECHAT_PAID, 5);
    await vi.advanceTimersByTimeAsync(1000);
    expect(shop.posts()).toHaveLength(0);
  });

  it('is defined once, guarded', () => {
    expect(customElements.get('pay-scan')).toBe(PayScanElement);
  });
});
