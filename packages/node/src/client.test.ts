/**
 * The client against a scripted server on loopback: what goes on the wire, how every answer
 * becomes a result or an error of the taxonomy, timeouts, and which calls are retried when.
 * (The same calls against the real PayQR: bff/src/node-sdk/node-sdk.app.test.ts.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PayQr,
  PayQrApiError,
  PayQrAuthenticationError,
  PayQrConflictError,
  PayQrConnectionError,
  PayQrError,
  PayQrInvalidRequestError,
  PayQrNotFoundError,
  PayQrRateLimitError,
  PayQrTimeoutError,
  PayQrUnavailableError,
} from './index.ts';
import { closedPort, startFakeServer, type FakeServer } from './testing/fake-server.ts';
import { parseRetryAfter } from './transport.ts';

const KEY = 'sk_test_0123456789abcdef0123456789';
const ORDER = 'ord_aaaaaaaaaaaaaaaaaaaaaaaa';
const order = { id: ORDER, status: 'open', amount: 1999 };

let s: FakeServer;
beforeAll(async () => (s = await startFakeServer()));
afterAll(() => s.close());
afterEach(() => {
  s.requests.length = 0;
  s.script({ status: 200, json: {} });
});

const client = (over: Partial<ConstructorParameters<typeof PayQr>[0]> = {}) => new PayQr({ apiKey: KEY, baseUrl: s.url, ...over });
const caught = async (p: Promise<unknown>): Promise<PayQrError> => {
  try {
    await p;
  } catch (err) {
    return err as PayQrError;
  }
  throw new Error('expected a rejection');
};

describe('requests', () => {
  it('sends the API key, JSON and a user agent; encodes the id; answers the parsed JSON', async () => {
    s.script({ status: 201, json: { ...order, clientSecret: 'cs_x' } });
    const created = await client().orders.create({ merchantOrderId: 'A1', amount: 1999, subject: '乌龙茶' });
    expect(created).toEqual({ ...order, clientSecret: 'cs_x' });
    const [r] = s.requests;
    expect(r).toMatchObject({ method: 'POST', url: '/api/orders' });
    expect(r!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(r!.headers['content-type']).toBe('application/json');
    expect(r!.headers['user-agent']).toMatch(/^payqr-node\/\d+\.\d+\.\d+ node\/20\./);
    expect(JSON.parse(r!.body)).toEqual({ merchantOrderId: 'A1', amount: 1999, subject: '乌龙茶' });

    s.script({ status: 200, json: order });
    await client({ baseUrl: `${s.url}/` }).orders.retrieve('a/b?c', { wait: 5, since: 3 });
    await client().orders.retrieve(ORDER, { wait: 0 });
    await client().orders.cancel(ORDER);
    await client().orders.micropay(ORDER, { authCode: '134567890123456700' });
    expect(s.requests.slice(1).map((x) => `${x.method} ${x.url}`)).toEqual([
      'GET /api/orders/a%2Fb%3Fc?wait=5&since=3',
      `GET /api/orders/${ORDER}`,
      `POST /api/orders/${ORDER}/cancel`,
      `POST /api/orders/${ORDER}/micropay`,
    ]);
    expect(s.requests[1]!.headers['content-type']).toBeUndefined();
    expect(JSON.parse(s.requests[4]!.body)).toEqual({ authCode: '134567890123456700' });
  });

  it('refuses bad options before sending anything', () => {
    expect(() => new PayQr({ apiKey: '', baseUrl: s.url })).toThrow(/apiKey: required/);
    expect(() => new PayQr({ apiKey: 'cs_abc', baseUrl: s.url })).toThrow(/client secret/);
    expect(() => new PayQr({ apiKey: KEY, baseUrl: 'pay.example.com' })).toThrow(/baseUrl: an absolute http\(s\) URL/);
    expect(() => new PayQr({ apiKey: KEY, baseUrl: 'ftp://pay.example.com' })).toThrow(/baseUrl: an http\(s\) URL/);
    expect(() => new PayQr({ apiKey: KEY, baseUrl: s.url, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new PayQr({ apiKey: KEY, baseUrl: s.url, maxRetries: -1 })).toThrow(/maxRetries/);
    const c = client();
    expect(() => c.orders.retrieve(ORDER, { wait: 31 })).toThrow(/wait must be seconds between 0 and 30/);
    expect(() => c.orders.retrieve(ORDER, { since: 1.5 })).toThrow(/since/);
    expect(() => c.orders.retrieve('')).toThrow(/order id/);
    expect(() => c.orders.micropay(ORDER, { authCode: ' ' })).toThrow(/authCode/);
    expect(s.requests).toHaveLength(0);
  });

  it('rawRequest reaches any endpoint with the same key and errors', async () => {
    s.script({ status: 200, json: { items: [] } });
    expect(await client().rawRequest('GET', '/api/orders', { query: { status: 'paid', limit: 5, cursor: undefined } })).toEqual({ items: [] });
    expect(s.requests[0]!.url).toBe('/api/orders?status=paid&limit=5');
    expect(s.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    s.script({ status: 503, json: { error: { code: 'provider_unavailable', message: 'down', requestId: 'req_1' } } });
    // a POST is not repeated unless the caller says it is safe
    expect(await caught(client().rawRequest('POST', '/api/orders/x/sync'))).toBeInstanceOf(PayQrUnavailableError);
    expect(s.requests).toHaveLength(2);
  });
});

describe('errors', () => {
  it.each([
    [400, 'invalid_request', PayQrInvalidRequestError],
    [415, 'invalid_request', PayQrInvalidRequestError],
    [422, 'channel_unavailable', PayQrInvalidRequestError],
    [401, 'unauthorized', PayQrAuthenticationError],
    [404, 'not_found', PayQrNotFoundError],
    [409, 'order_not_payable', PayQrConflictError],
    [429, 'rate_limited', PayQrRateLimitError],
    [500, 'internal', PayQrApiError],
    [502, 'provider_error', PayQrUnavailableError],
    [503, 'provider_unavailable', PayQrUnavailableError],
  ] as const)('%i %s → %s with PayQR\'s code, message, request id and details', async (status, code, Class) => {
    s.script({
      status,
      json: { error: { code, message: `amount: an integer (${code})`, requestId: 'req_body', details: { orderId: ORDER } } },
      headers: { 'x-request-id': 'req_header' },
    });
    const err = await caught(client({ maxRetries: 0 }).orders.cancel(ORDER));
    expect(err).toBeInstanceOf(Class);
    expect(err).toBeInstanceOf(PayQrError);
    expect(err).toMatchObject({ status, code, message: `amount: an integer (${code})`, requestId: 'req_header', details: { orderId: ORDER } });
    expect(err.name).toBe(Class.name);
  });

  it('takes the request id from the body when the header is missing; names the status when the body is not PayQR\'s', async () => {
    s.script({ status: 404, json: { error: { code: 'not_found', message: 'No such order', requestId: 'req_only_body' } } });
    expect(await caught(client().orders.retrieve(ORDER))).toMatchObject({ requestId: 'req_only_body', code: 'not_found' });

    s.script({ status: 502, text: '<html>Bad Gateway</html>' });
    const proxy = await caught(client({ maxRetries: 0 }).orders.retrieve(ORDER));
    expect(proxy).toBeInstanceOf(PayQrUnavailableError);
    expect(proxy).toMatchObject({ status: 502, code: 'http_502', requestId: undefined });
    expect(proxy.message).toMatch(new RegExp(`GET /api/orders/${ORDER} with HTTP 502`));

    s.script({ status: 200, text: '<html>a login page</html>' });
    const notApi = await caught(client().orders.retrieve(ORDER));
    expect(notApi).toBeInstanceOf(PayQrApiError);
    expect(notApi).toMatchObject({ code: 'invalid_response', status: 200 });
    expect(s.requests).toHaveLength(3); // neither a wrong 200 nor a 404 is retried
  });

  it('Retry-After: seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(10);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('timeouts', () => {
  it('a try that gets no answer within timeoutMs is a PayQrTimeoutError (a PayQrConnectionError)', async () => {
    s.script({ hang: true });
    const started = Date.now();
    const err = await caught(client({ timeoutMs: 300, maxRetries: 0 }).orders.retrieve(ORDER));
    expect(err).toBeInstanceOf(PayQrTimeoutError);
    expect(err).toBeInstanceOf(PayQrConnectionError);
    expect(err).toMatchObject({ code: 'timeout', status: undefined });
    expect(err.message).toMatch(/within 300 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('a long-poll gets its wait on top of timeoutMs: PayQR answering at the end of the wait is not a timeout', async () => {
    s.script({ status: 200, json: order, delayMs: 1000 });
    const c = client({ timeoutMs: 400, maxRetries: 0 });
    await expect(c.orders.retrieve(ORDER, { wait: 1 })).resolves.toEqual(order);
    expect(await caught(c.orders.retrieve(ORDER))).toBeInstanceOf(PayQrTimeoutError);
  });

  it('the caller\'s signal aborts the call and its retries, with the signal\'s reason', async () => {
    s.script({ status: 503, json: { error: { code: 'provider_unavailable', message: 'down' } } });
    const ctl = new AbortController();
    const p = client({ maxRetries: 5 }).orders.retrieve(ORDER, { signal: ctl.signal });
    // abort while the client waits to retry
    await expect.poll(() => s.requests.length).toBe(1);
    ctl.abort(new Error('shopper left'));
    await expect(p).rejects.toThrow('shopper left');
    expect(s.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  const unavailable = { status: 503, json: { error: { code: 'provider_unavailable', message: 'try again', requestId: 'req_503' } } } as const;

  it('retrieve, create and cancel are repeated after a 503, with the very same request', async () => {
    const c = client();
    s.script(unavailable, { status: 200, json: order });
    expect(await c.orders.retrieve(ORDER)).toEqual(order);
    s.script(unavailable, unavailable, { status: 201, json: { ...order, clientSecret: 'cs_1' } });
    await c.orders.create({ merchantOrderId: 'A1', amount: 1999, subject: '茶', metadata: { b: 1, a: 'x' } });
    s.script(unavailable, { status: 200, json: { ...order, status: 'canceled' } });
    expect(await c.orders.cancel(ORDER)).toMatchObject({ status: 'canceled' });
    const lines = s.requests.map((r) => `${r.method} ${r.url}`);
    expect(lines).toEqual([
      `GET /api/orders/${ORDER}`,
      `GET /api/orders/${ORDER}`,
      'POST /api/orders',
      'POST /api/orders',
      'POST /api/orders',
      `POST /api/orders/${ORDER}/cancel`,
      `POST /api/orders/${ORDER}/cancel`,
    ]);
    const creates = s.requests.filter((r) => r.url === '/api/orders').map((r) => r.body);
    expect(new Set(creates).size).toBe(1);
  });

  it('backs off between tries and gives up after maxRetries with the last error', async () => {
    s.script(unavailable);
    const err = await caught(client({ maxRetries: 2 }).orders.retrieve(ORDER));
    expect(err).toBeInstanceOf(PayQrUnavailableError);
    expect(err.requestId).toBe('req_503');
    expect(s.requests).toHaveLength(3);
    const [a, b, c] = s.requests.map((r) => r.at);
    // 0.5 s then 1 s nominal, each 75–100 %
    expect(b! - a!).toBeGreaterThanOrEqual(370);
    expect(c! - b!).toBeGreaterThanOrEqual(740);
  });

  it('micropay is not repeated after a 503, a reset connection or a timeout: the scan may be running', async () => {
    const c = client({ timeoutMs: 300 });
    s.script(unavailable);
    expect(await caught(c.orders.micropay(ORDER, { authCode: '134567890123456700' }))).toBeInstanceOf(PayQrUnavailableError);
    s.script({ destroy: true });
    expect(await caught(c.orders.micropay(ORDER, { authCode: '134567890123456700' }))).toBeInstanceOf(PayQrConnectionError);
    s.script({ hang: true });
    expect(await caught(c.orders.micropay(ORDER, { authCode: '134567890123456700' }))).toBeInstanceOf(PayQrTimeoutError);
    expect(s.requests).toHaveLength(3);
  });

  it('a reset connection and a timeout are retried for retrieve', async () => {
    s.script({ destroy: true }, { status: 200, json: order });
    expect(await client().orders.retrieve(ORDER)).toEqual(order);
    expect(s.requests).toHaveLength(2);
    s.requests.length = 0;
    s.script({ hang: true }, { status: 200, json: order });
    expect(await client({ timeoutMs: 300 }).orders.retrieve(ORDER)).toEqual(order);
    expect(s.requests).toHaveLength(2);
  });

  it('a refused connection (nothing sent) is retried for every call, micropay included', async () => {
    const base = await closedPort();
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const c = new PayQr({ apiKey: KEY, baseUrl: base, maxRetries: 1, fetch: counting });
    const err = await caught(c.orders.micropay(ORDER, { authCode: '134567890123456700' }));
    expect(err).toBeInstanceOf(PayQrConnectionError);
    expect(err).not.toBeInstanceOf(PayQrTimeoutError);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(calls).toBe(2);
  });

  it('429: waits Retry-After before the next try (micropay too: PayQR did nothing); a longer ask is thrown with retryAfter', async () => {
    s.script({ status: 429, json: { error: { code: 'rate_limited', message: 'slow down' } }, headers: { 'retry-after': '1' } }, { status: 200, json: { status: 'paid' } });
    await client().orders.micropay(ORDER, { authCode: '134567890123456700' });
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(990);

    s.requests.length = 0;
    s.script({ status: 429, json: { error: { code: 'rate_limited', message: 'slow down' } }, headers: { 'retry-after': '120' } });
    const err = await caught(client().orders.retrieve(ORDER));
    expect(err).toBeInstanceOf(PayQrRateLimitError);
    expect((err as PayQrRateLimitError).retryAfter).toBe(120);
    expect(s.requests).toHaveLength(1);
  });

  it('4xx answers are final: never retried', async () => {
    s.script({ status: 409, json: { error: { code: 'conflict', message: 'different body' } } });
    await caught(client().orders.create({ merchantOrderId: 'A1', amount: 1, subject: 'x' }));
    s.script({ status: 401, json: { error: { code: 'unauthorized', message: 'Invalid API key.' } } });
    await caught(client().orders.retrieve(ORDER));
    expect(s.requests).toHaveLength(2);
  });

  it('maxRetries: 0 per call turns retries off', async () => {
    s.script(unavailable, { status: 200, json: order });
    expect(await caught(client().orders.retrieve(ORDER, { maxRetries: 0 }))).toBeInstanceOf(PayQrUnavailableError);
    expect(s.requests).toHaveLength(1);
  });
});
