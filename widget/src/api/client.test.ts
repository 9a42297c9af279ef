import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAttempt, parseAttempt } from './attempts.js';
import { PayQrClient, parseOrder } from './client.js';
import { PayQrApiError } from './errors.js';

const order = {
  id: 'ord_1',
  status: 'open',
  amount: 1999,
  currency: 'CNY',
  subject: 'Tea',
  expiresAt: '2026-01-01T12:15:00.000Z',
};
const attempt = {
  id: 'att_1',
  outTradeNo: 'M1x01',
  provider: 'chaoying',
  channel: 'wechat',
  scene: 'qr',
  status: 'pending',
  expiresAt: '2026-01-01T12:05:00.000Z',
  qr: { content: 'weixin://wxpay/bizpayurl?pr=abc' },
};

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function client(fetch: (url: string, init: RequestInit) => Promise<Response>, endpoint = 'https://pay.example.com/') {
  const mock = vi.fn(fetch);
  return { mock, client: new PayQrClient({ endpoint, secret: 'cs_secret', fetch: mock as unknown as typeof globalThis.fetch }) };
}

afterEach(() => vi.useRealTimers());

describe('PayQrClient', () => {
  it('GETs the order with the client secret as a bearer token, CORS and no cookies', async () => {
    const { mock, client: c } = client(async () => json(order));
    await expect(c.getOrder('ord_1')).resolves.toMatchObject({ id: 'ord_1', amount: 1999 });
    const [url, init] = mock.mock.calls[0]!;
    expect(url).toBe('https://pay.example.com/api/orders/ord_1');
    expect(init.method).toBe('GET');
    expect(new Headers(init.headers).get('Authorization')).toBe('Bearer cs_secret');
    expect(init.mode).toBe('cors');
    expect(init.credentials).toBe('omit');
  });

  it('long-polls with ?wait=N, at most 30 s, and escapes the order id', async () => {
    const { mock, client: c } = client(async () => json(order));
    await c.getOrder('ord_1', { waitSeconds: 25 });
    await c.getOrder('ord/../x', { waitSeconds: 99 });
    expect(mock.mock.calls[0]![0]).toBe('https://pay.example.com/api/orders/ord_1?wait=25');
    expect(mock.mock.calls[1]![0]).toBe('https://pay.example.com/api/orders/ord%2F..%2Fx?wait=30');
  });

  it('long-polls from the last version seen, when the server sends versions', async () => {
    const { mock, client: c } = client(async () => json(order));
    await c.getOrder('ord_1', { waitSeconds: 25, since: 7 });
    await c.getOrder('ord_1', { waitSeconds: 25, since: undefined });
    expect(mock.mock.calls[0]![0]).toBe('https://pay.example.com/api/orders/ord_1?wait=25&since=7');
    expect(mock.mock.calls[1]![0]).toBe('https://pay.example.com/api/orders/ord_1?wait=25');
  });

  it('uses the page’s origin when the endpoint is empty', async () => {
    const { mock, client: c } = client(async () => json(order), '');
    await c.getOrder('ord_1');
    expect(mock.mock.calls[0]![0]).toBe('/api/orders/ord_1');
  });

  it('POSTs an attempt as JSON and returns it', async () => {
    const { mock, client: c } = client(async () => json(attempt, 201));
    await expect(createAttempt(c, 'ord_1', { channel: 'wechat', scene: 'qr' })).resolves.toEqual(attempt);
    const [url, init] = mock.mock.calls[0]!;
    expect(url).toBe('https://pay.example.com/api/orders/ord_1/attempts');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ channel: 'wechat', scene: 'qr' });
    expect(new Headers(init.headers).get('Content-Type')).toBe('application/json');
    expect(new Headers(init.headers).get('Authorization')).toBe('Bearer cs_secret');
  });

  it('turns the BFF’s error body into a PayQrApiError with code, message and request id', async () => {
    const body = { error: { code: 'order_not_payable', message: 'Order ord_1 is paid', requestId: 'req_9' } };
    const { client: c } = client(async () => json(body, 409));
    const error = await createAttempt(c, 'ord_1', { channel: 'alipay', scene: 'qr' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayQrApiError);
    expect(error).toMatchObject({ kind: 'http', status: 409, code: 'order_not_payable', message: 'Order ord_1 is paid', requestId: 'req_9', retryable: false });
  });

  it('says which failures are worth retrying', async () => {
    const statuses = [401, 404, 408, 429, 500, 503];
    const { client: c } = client(async () => json({ error: { code: 'x', message: 'y' } }, statuses.shift()));
    const retryable = [];
    for (let i = 0; i < 6; i++) retryable.push(((await c.getOrder('ord_1').catch((e: unknown) => e)) as PayQrApiError).retryable);
    expect(retryable).toEqual([false, false, true, true, true, true]);
  });

  it('copes with an error page that is not JSON (a proxy’s 502)', async () => {
    const { client: c } = client(async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(c.getOrder('ord_1')).rejects.toMatchObject({ kind: 'http', status: 502, code: 'http_502', retryable: true });
  });

  it('reports network failures and malformed answers as retryable errors', async () => {
    const down = client(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(down.client.getOrder('ord_1')).rejects.toMatchObject({ kind: 'network', retryable: true });
    const odd = client(async () => json({ ...order, status: 'weird' }));
    await expect(odd.client.getOrder('ord_1')).rejects.toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('order.status') });
  });

  it('lets the caller’s abort through as an abort, not as a failure', async () => {
    const { client: c } = client(
      (_url, init) =>
        new Promise((_resolve, reject) =>
          init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    );
    const controller = new AbortController();
    const pending = c.getOrder('ord_1', { waitSeconds: 25, signal: controller.signal });
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(PayQrApiError);
    expect((error as DOMException).name).toBe('AbortError');
  });

  it('gives up on a long-poll the network swallowed: wait plus a margin', async () => {
    vi.useFakeTimers();
    const { client: c } = client(
      (_url, init) =>
        new Promise((_resolve, reject) =>
          init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    );
    const pending = c.getOrder('ord_1', { waitSeconds: 25 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(34_999);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('learns the server’s clock from the Date header', async () => {
    const server = Date.UTC(2026, 0, 1, 12, 0, 0);
    const local = server + 120_000; // two minutes fast
    const mock = vi.fn(async () => json(order, 200, { Date: new Date(server).toUTCString() }));
    const c = new PayQrClient({ endpoint: '', secret: 'cs', fetch: mock as unknown as typeof fetch, now: () => local });
    expect(c.clock.now()).toBe(local);
    await c.getOrder('ord_1');
    expect(c.clock.now()).toBe(server + 500);
  });
});

describe('parseOrder', () => {
  it('keeps the channels the order allows and leaves the attempt to the attempt side', () => {
    const parsed = parseOrder({ ...order, channels: ['wechat', 'alipay'], attempt: { id: 'att_1' } });
    expect(parsed.channels).toEqual(['wechat', 'alipay']);
    expect(parsed.attempt).toEqual({ id: 'att_1' });
  });

  it('rejects an amount that is not an integer of minor units', () => {
    expect(() => parseOrder({ ...order, amount: 19.99 })).toThrow(/order\.amount/);
  });
});

describe('attempts', () => {
  it('rejects an attempt answer without what the widget needs', async () => {
    const { client: c } = client(async () => json({ ...attempt, expiresAt: 'soon' }, 201));
    await expect(createAttempt(c, 'ord_1', { channel: 'wechat', scene: 'qr' })).rejects.toMatchObject({ code: 'invalid-response' });
  });

  it('accepts a well-formed attempt, with or without a code, and nothing else', () => {
    expect(parseAttempt(attempt)).toEqual(attempt);
    const { qr: _qr, ...withoutQr } = attempt;
    expect(parseAttempt(withoutQr)).toEqual(withoutQr);
    expect(parseAttempt({ ...attempt, qr: { content: '' } })).toBeUndefined();
    expect(parseAttempt({ ...attempt, status: 'weird' })).toBeUndefined();
    expect(parseAttempt({ id: 'att_1' })).toBeUndefined();
    expect(parseAttempt(null)).toBeUndefined();
  });
});
