import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../core/clock';
import { memoryLogger } from '../core/log';
import { seededRandom } from '../core/random';
import { createSandboxHub, type PayerSessionInput, type ProviderSimulator, type SandboxHub } from './hub';

const PUBLIC = 'http://192.168.1.20:3000';

interface Sent {
  url: string;
  body: string;
  contentType: string;
}

function setup(opts: { answer?: (n: number) => { status: number; text: string } | 'hang'; timeScale?: number } = {}) {
  const clock = new FakeClock();
  const sent: Sent[] = [];
  const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const n = sent.length;
    sent.push({ url: String(url), body: String(init?.body), contentType: new Headers(init?.headers).get('content-type') ?? '' });
    const a = opts.answer?.(n) ?? { status: 200, text: 'success' };
    if (a === 'hang') {
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    }
    return new Response(a.text, { status: a.status });
  }) as typeof fetch;
  const log = memoryLogger();
  const hub = createSandboxHub({ clock, random: seededRandom(3), fetch: fakeFetch, log, publicUrl: `${PUBLIC}/`, timeScale: opts.timeScale ?? 1, minTryTimeoutMs: 50 });
  return { clock, sent, hub, log };
}

/** wait until the delivery loop has recorded `n` tries and gone back to sleep on the clock */
async function tries(hub: SandboxHub, n: number): Promise<void> {
  await until(() => (hub.deliveries()[0]?.attempts.length ?? 0) >= n, `${n} tries`);
  await new Promise((r) => setImmediate(r));
}

async function until(pred: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const hubs: SandboxHub[] = [];
afterEach(() => {
  for (const h of hubs.splice(0)) h.stop();
});

function session(hub: SandboxHub, clock: FakeClock, over: Partial<PayerSessionInput> = {}) {
  const calls: string[] = [];
  const input: PayerSessionInput = {
    provider: 'chaoying',
    outTradeNo: 'PQ123451',
    money: { amount: 1999, currency: 'CNY' },
    subject: '测试商品 <b>',
    channel: 'wechat',
    merchantId: '00000001',
    expiresAt: clock.now() + 15 * 60_000,
    onPay: () => {
      calls.push('pay');
    },
    onDecline: () => {
      calls.push('decline');
    },
    ...over,
  };
  return { ...hub.openPayerSession(input), calls };
}

describe('payer sessions', () => {
  it('serves a self-contained, script-free payer page at {publicUrl}/sandbox/pay/{id}', async () => {
    const { hub, clock } = setup();
    hubs.push(hub);
    const s = session(hub, clock);
    expect(s.url).toBe(`${PUBLIC}/sandbox/pay/${s.id}`);
    const res = await hub.handle(new Request(s.url));
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('¥19.99');
    expect(page).toContain('测试商品 &lt;b&gt;');
    expect(page).toContain('微信支付');
    expect(page).toContain('00000001');
    expect(page).toContain('name="action" value="pay"');
    expect(page).toContain('name="action" value="decline"');
    expect(page).not.toMatch(/<script|src=|href="http|style="/i);
    const nonce = /nonce-([^']+)'/.exec(csp)?.[1];
    expect(page).toContain(`<style nonce="${nonce}">`);
  });

  it('pays through the form, calls the simulator once, then refuses a second action', async () => {
    const { hub, clock } = setup();
    hubs.push(hub);
    const s = session(hub, clock);
    const form = (action: string) =>
      hub.handle(new Request(s.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `action=${action}` }));
    const res = await form('pay');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('支付成功');
    expect(s.calls).toEqual(['pay']);
    expect(hub.payerSession(s.id)?.state).toBe('paid');
    const again = await form('decline');
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already paid');
    expect(s.calls).toEqual(['pay']);
  });

  it('accepts JSON actions and answers JSON', async () => {
    const { hub, clock } = setup();
    hubs.push(hub);
    const s = session(hub, clock);
    const res = await hub.handle(new Request(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"decline"}' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, state: 'declined', session: { outTradeNo: 'PQ123451', amount: 1999 } });
    expect(s.calls).toEqual(['decline']);
    const bad = await hub.handle(new Request(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"steal"}' }));
    expect(bad.status).toBe(400);
  });

  it('refuses expired and closed sessions with a clear message', async () => {
    const { hub, clock } = setup();
    hubs.push(hub);
    const a = session(hub, clock, { expiresAt: clock.now() + 1000 });
    await clock.advance(1000);
    expect(await hub.actOnPayerSession(a.id, 'pay')).toMatchObject({ ok: false, reason: 'expired' });
    const page = await (await hub.handle(new Request(a.url))).text();
    expect(page).toContain('已过期');
    expect(page).not.toContain('value="pay"');

    const b = session(hub, clock, { outTradeNo: 'PQ2' });
    hub.closePayerSession(b.id);
    const res = await hub.handle(new Request(b.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"pay"}' }));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ ok: false, reason: 'closed', state: 'closed' });
    expect(b.calls).toEqual([]);
    expect(hub.findPayerSession('chaoying', 'PQ2')?.state).toBe('closed');
  });

  it('lets the simulator refuse a payment', async () => {
    const { hub, clock } = setup();
    hubs.push(hub);
    const s = session(hub, clock, { onPay: () => ({ refused: 'order closed at the provider' }) });
    expect(await hub.actOnPayerSession(s.id, 'pay')).toMatchObject({ ok: false, reason: 'refused', message: 'order closed at the provider' });
    expect(hub.payerSession(s.id)?.state).toBe('open');
    const t = session(hub, clock, { outTradeNo: 'PQ3', onPay: () => { throw new Error('boom'); } });
    expect(await hub.actOnPayerSession(t.id, 'pay')).toMatchObject({ ok: false, reason: 'refused', message: 'boom' });
  });

  it('404s unknown sessions', async () => {
    const { hub } = setup();
    hubs.push(hub);
    expect((await hub.handle(new Request(`${PUBLIC}/sandbox/pay/nosuchsession`))).status).toBe(404);
  });
});

describe('notification delivery', () => {
  const base = {
    provider: 'chaoying' as const,
    outTradeNo: 'PQ1',
    url: 'http://127.0.0.1:9/notify',
    contentType: 'application/x-www-form-urlencoded',
    body: 'a=1&sign=X',
    isAck: (status: number, text: string) => status === 200 && text === 'success',
  };

  it('retries on the provider schedule (clock time) until the exact ack', async () => {
    const { hub, clock, sent } = setup({ answer: (n) => (n < 2 ? { status: 200, text: n === 0 ? 'fail' : 'success ' } : { status: 200, text: 'success' }) });
    hubs.push(hub);
    const h = hub.deliver({ ...base, schedule: [0, 15_000, 15_000, 15_000] });
    await tries(hub, 1);
    await clock.advance(14_999);
    expect(sent.length).toBe(1);
    await clock.advance(1);
    await tries(hub, 2);
    await clock.advance(15_000);
    const rec = await h.done;
    expect(sent.length).toBe(3);
    expect(rec).toMatchObject({ state: 'acked', acked: true });
    expect(rec.attempts.map((a) => [a.status, a.responseText, a.acked])).toEqual([
      [200, 'fail', false],
      [200, 'success ', false],
      [200, 'success', true],
    ]);
    expect(rec.attempts[1]!.at - rec.attempts[0]!.at).toBe(15_000);
    expect(hub.deliveries('chaoying')).toHaveLength(1);
    expect(hub.deliveries('umf-sp')).toHaveLength(0);
  });

  it('scales the schedule by timeScale and gives up when exhausted', async () => {
    const { hub, clock, sent } = setup({ timeScale: 0.001, answer: () => ({ status: 500, text: 'oops' }) });
    hubs.push(hub);
    const h = hub.deliver({ ...base, schedule: [0, 15_000, 30_000] });
    await tries(hub, 1);
    await clock.advance(15);
    await tries(hub, 2);
    await clock.advance(30);
    const rec = await h.done;
    expect(rec.state).toBe('exhausted');
    expect(rec.attempts).toHaveLength(3);
  });

  it('treats a slow answer as a failed try (per-try timeout)', async () => {
    const { hub, sent } = setup({ answer: (n) => (n === 0 ? 'hang' : { status: 200, text: 'success' }) });
    hubs.push(hub);
    const h = hub.deliver({ ...base, schedule: [0, 0], tryTimeoutMs: 10 });
    const rec = await h.done;
    expect(sent.length).toBe(2);
    expect(rec.attempts[0]).toMatchObject({ acked: false, error: expect.stringMatching(/no answer within 50 ms/) });
    expect(rec.state).toBe('acked');
  });

  it('applies drop, duplicate and tamper faults per try', async () => {
    const { hub, sent } = setup({ answer: (n) => (n < 3 ? { status: 200, text: 'fail' } : { status: 200, text: 'success' }) });
    hubs.push(hub);
    hub.faults.set('chaoying', { dropNotifications: 1, duplicateNotifications: 2, tamperNotifications: 1, tamperMode: 'resigned-amount' });
    const modes: string[] = [];
    const h = hub.deliver({
      ...base,
      schedule: [0, 0, 0, 0],
      tamper: (body, mode) => {
        modes.push(mode);
        return body.replace('a=1', 'a=2');
      },
    });
    const rec = await h.done;
    expect(rec.attempts[0]).toMatchObject({ dropped: true, copies: 0 });
    expect(rec.attempts[1]).toMatchObject({ copies: 3, tampered: 'resigned-amount', acked: false });
    expect(rec.attempts[2]).toMatchObject({ copies: 3, acked: true });
    expect(rec.attempts[2]!.tampered).toBeUndefined();
    expect(modes).toEqual(['resigned-amount']);
    expect(sent.slice(0, 3).map((s) => s.body)).toEqual(['a=2&sign=X', 'a=2&sign=X', 'a=2&sign=X']);
    expect(sent.slice(3).map((s) => s.body)).toEqual(['a=1&sign=X', 'a=1&sign=X', 'a=1&sign=X']);
    expect(sent[0]!.contentType).toBe('application/x-www-form-urlencoded');
    // counted faults are consumed, the duplicate setting stays until cleared
    expect(hub.faults.get('chaoying')).toEqual({ duplicateNotifications: 2, tamperMode: 'resigned-amount' });
  });

  it('stop() ends pending deliveries', async () => {
    const { hub, sent } = setup({ answer: () => ({ status: 200, text: 'fail' }) });
    const h = hub.deliver({ ...base, schedule: [0, 60_000] });
    await until(() => sent.length === 1);
    hub.stop();
    expect((await h.done).state).toBe('stopped');
  });
});

describe('faults', () => {
  it('counts are consumed, true is permanent', () => {
    const { hub } = setup();
    hubs.push(hub);
    hub.faults.set('chaoying', { http500: 2, needQuery: true });
    expect([1, 2, 3].map(() => hub.faults.take('chaoying', 'http500'))).toEqual([true, true, false]);
    expect([1, 2, 3].map(() => hub.faults.take('chaoying', 'needQuery'))).toEqual([true, true, true]);
    expect(hub.faults.take('umf-sp', 'needQuery')).toBe(false);
    hub.faults.set('chaoying', { needQuery: false });
    expect(hub.faults.get('chaoying')).toEqual({});
  });

  it('are managed over HTTP', async () => {
    const { hub } = setup();
    hubs.push(hub);
    const post = await hub.handle(
      new Request(`${PUBLIC}/sandbox/faults`, { method: 'POST', body: JSON.stringify({ provider: 'chaoying', http500: 1, latencyMs: 5 }) }),
    );
    expect(await post.json()).toEqual({ provider: 'chaoying', faults: { http500: 1, latencyMs: 5 } });
    expect(await (await hub.handle(new Request(`${PUBLIC}/sandbox/faults`))).json()).toEqual({ faults: { chaoying: { http500: 1, latencyMs: 5 } } });
    const bad = await hub.handle(new Request(`${PUBLIC}/sandbox/faults`, { method: 'POST', body: JSON.stringify({ provider: 'nope', http500: 1 }) }));
    expect(bad.status).toBe(400);
    const unknownFault = await hub.handle(new Request(`${PUBLIC}/sandbox/faults`, { method: 'POST', body: JSON.stringify({ provider: 'chaoying', explode: true }) }));
    expect(unknownFault.status).toBe(400);
    await hub.handle(new Request(`${PUBLIC}/sandbox/faults`, { method: 'DELETE' }));
    expect(hub.faults.all()).toEqual({});
  });

  it('withGatewayFaults: http500 skips the handler, latency delays, timeout holds the processed answer', async () => {
    const { hub, clock } = setup();
    hubs.push(hub);
    const handler = vi.fn(async () => new Response('ok'));
    const req = () => new Request(`${PUBLIC}/sandbox/chaoying/x`, { method: 'POST' });

    hub.faults.set('chaoying', { http500: 1 });
    expect((await hub.withGatewayFaults('chaoying', req(), handler)).status).toBe(500);
    expect(handler).not.toHaveBeenCalled();

    hub.faults.set('chaoying', { latencyMs: 2000 });
    let done = false;
    const p = hub.withGatewayFaults('chaoying', req(), handler).then((r) => {
      done = true;
      return r;
    });
    await clock.advance(1999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(await (await p).text()).toBe('ok');
    hub.faults.clear();

    hub.faults.set('chaoying', { timeout: 1 });
    const client = new AbortController();
    let answered = false;
    const held = hub
      .withGatewayFaults('chaoying', new Request(`${PUBLIC}/sandbox/chaoying/x`, { method: 'POST', signal: client.signal }), handler)
      .then(() => {
        answered = true;
      });
    await until(() => handler.mock.calls.length === 2, 'handler to process the held request');
    await clock.advance(60_000);
    expect(answered).toBe(false);
    client.abort();
    await held;
    expect(answered).toBe(true);
  });
});

describe('routing', () => {
  it('dispatches /sandbox/{provider}/... to the registered simulator and serves an index', async () => {
    const { hub, clock } = setup();
    hubs.push(hub);
    const seen: string[] = [];
    const sim: ProviderSimulator = {
      id: 'chaoying',
      handle: async (_req, subpath) => {
        seen.push(subpath);
        return new Response('sim');
      },
    };
    hub.register(sim);
    expect(await (await hub.handle(new Request(`${PUBLIC}/sandbox/chaoying/v2/UnifiedPay/Gateway`, { method: 'POST' }))).text()).toBe('sim');
    expect(seen).toEqual(['/v2/UnifiedPay/Gateway']);
    expect((await hub.handle(new Request(`${PUBLIC}/sandbox/umf-sp/pay/micropay`))).status).toBe(404);
    session(hub, clock);
    const index = await (await hub.handle(new Request(`${PUBLIC}/sandbox`))).text();
    expect(index).toContain('chaoying');
    expect(index).toContain('PQ123451');
  });
});
