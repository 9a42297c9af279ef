/**
 * The operator API over the router, on SQLite and PostgreSQL, with a scripted provider (what it
 * answers is the test's choice) and a real webhook receiver on loopback.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleAuth } from '../console-auth/console-auth';
import { createLogger } from '../core/log';
import { DIALECTS, openTestLedger, type TestLedger } from '../ledger/testing';
import { recordingConnector } from '../payments/recording-connector';
import { notification, ScriptedConnector, testContext } from '../payments/testing';
import { createWebhookDispatcher, EVENT_ID_HEADER } from '../webhooks/dispatcher';
import { startReceiver, type Receiver } from '../webhooks/testing';
import { createHandlers } from './handlers';
import { createRouter } from './router';
import { createWidgetFiles } from './widget-files';

const API_KEY = 'sk_test_0123456789abcdefghijklmnop';
const PASSWORD = 'a long console password';

describe.each(DIALECTS)('operator API (%s)', (dialect) => {
  let t: TestLedger;
  let scripted: ScriptedConnector;
  let receiver: Receiver;
  let fetchApp: (req: Request) => Promise<Response>;
  let widgetDir: string;
  let webhookUrl: string | undefined;

  const build = (opts: { console?: boolean; defaultWebhookUrl?: string } = {}) => {
    const log = createLogger({ level: 'error' });
    const connector = recordingConnector(scripted, { calls: t.ledger.providerCalls, clock: t.clock, log });
    const ctx = testContext(t.ledger, t.clock, t.random, [connector]);
    const webhooks = createWebhookDispatcher({ ledger: t.ledger, clock: t.clock, random: t.random, fetch, log, secret: 'whsec_test_0123456789', defaultWebhookUrl: opts.defaultWebhookUrl });
    const consoleAuth =
      opts.console === false
        ? undefined
        : createConsoleAuth({ config: { password: { plain: PASSWORD }, generated: false, sessionTtlSeconds: 3600 }, apiKey: API_KEY, publicUrl: 'http://payqr.test', ledger: t.ledger, clock: t.clock, random: t.random, log });
    fetchApp = createRouter(
      createHandlers({
        ctx,
        ledger: t.ledger,
        allowedOrigins: '*',
        hub: undefined,
        widgetFiles: createWidgetFiles({ distDir: widgetDir, archiveDir: undefined, clock: t.clock, log }),
        log,
        operator: { webhooks, defaultWebhookUrl: opts.defaultWebhookUrl, console: consoleAuth },
      }),
    );
    return { webhooks };
  };

  beforeEach(async () => {
    t = await openTestLedger(dialect);
    scripted = new ScriptedConnector('chaoying');
    receiver = await startReceiver();
    widgetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-widget-'));
    webhookUrl = undefined;
    build();
  });
  afterEach(async () => {
    await receiver.close();
    await t.cleanup();
    fs.rmSync(widgetDir, { recursive: true, force: true });
  });

  const call = async <T = any>(method: string, p: string, opts: { auth?: string; body?: unknown; cookie?: string; csrf?: string; headers?: Record<string, string> } = {}) => {
    const headers = new Headers(opts.headers);
    if (opts.auth) headers.set('authorization', `Bearer ${opts.auth}`);
    if (opts.cookie) headers.set('cookie', opts.cookie);
    if (opts.csrf) headers.set('x-payqr-csrf', opts.csrf);
    if (opts.body !== undefined) headers.set('content-type', 'application/json');
    const res = await fetchApp(new Request(`http://payqr.test${p}`, { method, headers, body: opts.body === undefined ? null : JSON.stringify(opts.body) }));
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: (text ? JSON.parse(text) : null) as T };
  };

  let n = 0;
  const newOrder = async (over: Record<string, unknown> = {}) => {
    const r = await call<{ id: string; clientSecret: string; merchantOrderId: string }>('POST', '/api/orders', {
      auth: API_KEY,
      body: { merchantOrderId: `OP-${++n}`, amount: 1999, subject: 'Tea', ...(webhookUrl ? { notifyUrl: webhookUrl } : {}), ...over },
    });
    expect(r.status).toBe(201);
    return r.json;
  };
  const newAttempt = async (o: { id: string; clientSecret: string }, channel = 'wechat') => {
    const r = await call<{ id: string; outTradeNo: string }>('POST', `/api/orders/${o.id}/attempts`, { auth: o.clientSecret, body: { channel } });
    expect(r.status).toBe(201);
    return r.json;
  };
  const notify = (body: Record<string, string | number>) =>
    fetchApp(new Request('http://payqr.test/api/notify/chaoying', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(notification(body).body) }));
  const signIn = async (name = 'Li Wei') => {
    const r = await call<{ csrfToken: string }>('POST', '/api/console/session', { body: { password: PASSWORD, name } });
    expect(r.status).toBe(200);
    return { cookie: r.headers.get('set-cookie')!.split(';')[0]!, csrf: r.json.csrfToken };
  };

  it('BOLA: a client secret — even the order’s own — and any other bearer read none of it', async () => {
    const o = await newOrder();
    const a = await newAttempt(o);
    await notify({ sig: 'valid', no: a.outTradeNo, amount: 1 }); // amount mismatch: a notification to resolve
    const [ntf] = await t.ledger.notifications.list({ orderId: o.id });
    const endpoints: Array<[string, string, unknown?]> = [
      ['GET', '/api/orders'],
      ['GET', `/api/orders?q=${o.merchantOrderId}`],
      ['GET', `/api/orders/${o.id}/timeline`],
      ['POST', `/api/orders/${o.id}/sync`],
      ['POST', `/api/orders/${o.id}/cancel`],
      ['GET', '/api/notifications'],
      ['POST', `/api/notifications/${ntf!.id}/resolve`, { resolution: 'dismissed', note: 'test' }],
      ['GET', '/api/webhooks/deliveries'],
      ['POST', '/api/events/evt_x/redeliver'],
      ['POST', '/api/events/evt_x/resolve', { resolution: 'refunded', note: 'test' }],
      ['GET', '/api/audit'],
      ['GET', '/api/stats/overview'],
    ];
    for (const [method, p, body] of endpoints) {
      for (const auth of [o.clientSecret, undefined, 'sk_live_guess_0123456789abcdef']) {
        const r = await call(method, p, { auth, body });
        expect(r.status, `${method} ${p} with ${auth ? auth.slice(0, 3) : 'nothing'}`).toBe(401);
        expect(r.json.error.code).toBe('unauthorized');
        expect(r.text).not.toContain(o.merchantOrderId);
        expect(r.text).not.toContain(a.outTradeNo);
      }
    }
    // a bearer takes precedence: a console cookie does not rescue a client secret
    const s = await signIn();
    expect((await call('GET', '/api/orders', { auth: o.clientSecret, cookie: s.cookie })).status).toBe(401);
    expect((await call('GET', '/api/orders', { cookie: s.cookie })).status).toBe(200);
    expect((await call('GET', '/api/orders', { auth: API_KEY })).status).toBe(200);
    // nothing changed
    expect((await t.ledger.orders.get(o.id))?.status).toBe('open');
    expect((await t.ledger.notifications.get(ntf!.id))?.resolution).toBeNull();
  });

  it('lists orders newest first with filters, exact search and a cursor that holds while orders are created', async () => {
    const first: string[] = [];
    for (let i = 0; i < 12; i++) {
      first.push((await newOrder()).id);
      await t.clock.advance(1);
    }
    const paid = await newOrder({ merchantOrderId: 'SHOP-PAID-1' });
    const a = await newAttempt(paid, 'alipay');
    await notify({ sig: 'valid', no: a.outTradeNo, amount: 1999 });
    first.push(paid.id);

    // page through 5 at a time while 3 orders are created between pages
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; json: { data: Array<{ id: string }>; nextCursor: string | null } } = await call('GET', `/api/orders?limit=5${cursor ? `&cursor=${cursor}` : ''}`, { auth: API_KEY });
      expect(r.status).toBe(200);
      seen.push(...r.json.data.map((o) => o.id));
      cursor = r.json.nextCursor;
      await Promise.all([newOrder(), newOrder(), newOrder()]);
    } while (cursor);
    expect(seen).toEqual([...first].reverse());

    const byQ = await call('GET', '/api/orders?q=SHOP-PAID-1', { auth: API_KEY });
    expect(byQ.json.data).toEqual([
      expect.objectContaining({ id: paid.id, merchantOrderId: 'SHOP-PAID-1', status: 'paid', provider: 'chaoying', channel: 'alipay', attempts: 1, amount: 1999, currency: 'CNY' }),
    ]);
    expect((await call('GET', `/api/orders?q=${a.outTradeNo}`, { auth: API_KEY })).json.data.map((o: { id: string }) => o.id)).toEqual([paid.id]);
    expect((await call('GET', `/api/orders?q=TX${a.outTradeNo}`, { auth: API_KEY })).json.data.map((o: { id: string }) => o.id)).toEqual([paid.id]);
    expect((await call('GET', '/api/orders?status=paid&channel=alipay', { auth: API_KEY })).json.data.map((o: { id: string }) => o.id)).toEqual([paid.id]);
    expect((await call('GET', '/api/orders?status=paid&channel=wechat', { auth: API_KEY })).json.data).toEqual([]);

    const bad = await call('GET', '/api/orders?status=done&limit=1000&cursor=xyz', { auth: API_KEY });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/limit: a whole number 1–200/);
    expect(bad.json.error.message).toMatch(/cursor: the nextCursor of a previous page/);
    expect(bad.json.error.message).toMatch(/status: one of open, paid, expired, canceled/);
    expect((await call('GET', '/api/orders?from=yesterday', { auth: API_KEY })).json.error.message).toMatch(/^from: a time: ISO 8601/);
    expect((await call('GET', '/api/orders?stauts=open', { auth: API_KEY })).json.error.message).toMatch(/^query: Unrecognized key: "stauts"/);
  });

  it('the timeline: created, attempts with their provider calls, notifications with masked bodies, transitions, events, deliveries, operator actions', async () => {
    webhookUrl = receiver.url;
    const o = await newOrder();
    scripted.nextCreate = (input) => {
      void t.clock.advance(230);
      return { outcome: 'created', action: { kind: 'qr', content: `https://pay.example/${input.outTradeNo}` } };
    };
    const a = await newAttempt(o);
    await t.clock.advance(1000);
    await notify({ sig: 'forged', no: a.outTradeNo, amount: 1999 });
    await t.clock.advance(1000);
    scripted.statuses.set(a.outTradeNo, { state: 'paid', amount: 1999, providerCode: 'SUCCESS', providerTradeNo: '4200001' });
    const s = await signIn();
    const synced = await call('POST', `/api/orders/${o.id}/sync`, { cookie: s.cookie, csrf: s.csrf });
    expect(synced.status).toBe(200);
    const { webhooks } = build({ console: true });
    await t.clock.advance(10);
    await webhooks.runOnce();
    await t.ledger.providerCalls.flush();

    const r = await call('GET', `/api/orders/${o.id}/timeline`, { cookie: s.cookie });
    expect(r.status).toBe(200);
    const tl = r.json;
    expect(tl.order).toMatchObject({ id: o.id, status: 'paid', provider: 'chaoying', channel: 'wechat', paidAttemptId: a.id, notifyUrl: expect.stringMatching(/\?token=\*\*\*$/) });
    expect(tl.attempts).toEqual([expect.objectContaining({ id: a.id, status: 'paid', providerTradeNo: '4200001', outTradeNo: a.outTradeNo })]);
    const kinds = tl.entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(['order.created', 'attempt.created', 'provider.call', 'notification', 'provider.call', 'attempt.status', 'order.status', 'event', 'audit', 'webhook.delivery']);
    const byKind = (k: string) => tl.entries.filter((e: { kind: string }) => e.kind === k);
    expect(byKind('provider.call')).toEqual([
      expect.objectContaining({ op: 'create', attemptId: a.id, outcome: 'created', latencyMs: 230 }),
      expect.objectContaining({ op: 'query', attemptId: a.id, outcome: 'paid', code: 'SUCCESS' }),
    ]);
    const [forged] = byKind('notification');
    expect(forged.notification).toMatchObject({ outcome: 'bad_signature', review: null, body: expect.stringContaining(`no=${a.outTradeNo}`) });
    expect(forged.notification.body).not.toContain('sig=forged'); // a signature is masked
    expect(byKind('order.status')).toEqual([expect.objectContaining({ from: 'open', to: 'paid' })]);
    expect(byKind('event')[0].delivery).toMatchObject({ type: 'order.paid', state: 'delivered', tries: 1 });
    expect(byKind('webhook.delivery')).toEqual([expect.objectContaining({ httpStatus: 200, response: 'ok', url: expect.stringMatching(/\?token=\*\*\*$/) })]);
    expect(byKind('audit')[0].audit).toMatchObject({ action: 'order.sync', actor: { type: 'console', name: 'Li Wei' }, before: { status: 'open' }, after: { status: 'paid' } });
    expect(tl.actions).toEqual({ sync: false, cancel: false, redeliver: [byKind('event')[0].delivery.eventId], resolve: [] });
    expect(r.text).not.toContain(API_KEY);
    expect(r.text).not.toMatch(/client_secret|clientSecret|cs_[A-Za-z0-9]{32}/);
  });

  it('the timeline long-polls: ?wait&since answers when the order moves', async () => {
    const o = await newOrder();
    const a = await newAttempt(o);
    const version = (await call('GET', `/api/orders/${o.id}/timeline`, { auth: API_KEY })).json.order.version as number;
    const waiting = call('GET', `/api/orders/${o.id}/timeline?wait=20&since=${version}`, { auth: API_KEY });
    await notify({ sig: 'valid', no: a.outTradeNo, amount: 1999 });
    const r = await waiting;
    expect(r.json.order.status).toBe('paid');
    expect(r.json.order.version).toBeGreaterThan(version);
  });

  it('sync (补单) settles what the provider confirms, once, even when called twice at once', async () => {
    const o = await newOrder();
    const a = await newAttempt(o);
    scripted.statuses.set(a.outTradeNo, { state: 'paid', amount: 1999, providerCode: 'SUCCESS' });
    const [x, y] = await Promise.all([call('POST', `/api/orders/${o.id}/sync`, { auth: API_KEY }), call('POST', `/api/orders/${o.id}/sync`, { auth: API_KEY })]);
    expect([x.status, y.status]).toEqual([200, 200]);
    // one asks and settles; the other finds it being asked (skipped) or already final (nothing to ask)
    const results = [x.json, y.json].map((r) => r.attempts.map((a: { result: string }) => a.result).join() || 'none').sort();
    expect([['settled', 'skipped'], ['none', 'settled']]).toContainEqual(results);
    const winner = x.json.attempts[0]?.result === 'settled' ? x.json : y.json;
    expect(winner).toMatchObject({
      orderId: o.id,
      order: { before: 'open', after: 'paid' },
      changed: true,
      attempts: [{ id: a.id, before: 'pending', after: 'paid', queried: true, answer: { state: 'paid', code: 'SUCCESS', message: null }, result: 'settled' }],
    });
    expect(scripted.count('query')).toBe(1);
    expect((await t.ledger.events.list(o.id)).map((e) => e.type)).toEqual(['order.paid']);
    // and again later: nothing left to ask
    await t.clock.advance(2000);
    const again = await call('POST', `/api/orders/${o.id}/sync`, { auth: API_KEY });
    expect(again.json).toMatchObject({ changed: false, attempts: [], order: { before: 'paid', after: 'paid' } });
    expect((await t.ledger.audit.page({ limit: 10, action: 'order.sync' })).rows).toHaveLength(3);
  });

  it('sync never pays on an answer that does not match the ledger', async () => {
    const o = await newOrder();
    const a = await newAttempt(o);
    scripted.statuses.set(a.outTradeNo, { state: 'paid', amount: 1 });
    const r = await call('POST', `/api/orders/${o.id}/sync`, { auth: API_KEY });
    expect(r.json).toMatchObject({ changed: false, order: { after: 'open' }, attempts: [{ result: 'mismatch', detail: 'amount 1 ≠ expected 1999 CNY' }] });
  });

  it('cancel by an operator is audited with who did it; a console change needs the CSRF token', async () => {
    const o = await newOrder();
    await newAttempt(o);
    const s = await signIn('Zhang San');
    const noToken = await call('POST', `/api/orders/${o.id}/cancel`, { cookie: s.cookie });
    expect(noToken.status).toBe(403);
    expect(noToken.json.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/x-payqr-csrf/) });
    expect((await call('POST', `/api/orders/${o.id}/cancel`, { cookie: s.cookie, csrf: 'A'.repeat(43) })).status).toBe(403);
    expect((await t.ledger.orders.get(o.id))?.status).toBe('open');
    const ok = await call('POST', `/api/orders/${o.id}/cancel`, { cookie: s.cookie, csrf: s.csrf });
    expect(ok.status).toBe(200);
    expect(ok.json.status).toBe('canceled');
    const audit = await call('GET', `/api/audit?orderId=${o.id}`, { auth: API_KEY });
    expect(audit.json.data).toEqual([
      expect.objectContaining({ action: 'order.cancel', actor: { type: 'console', name: 'Zhang San', session: expect.stringMatching(/^[0-9a-f]{16}$/) }, before: { status: 'open' }, after: { status: 'canceled' } }),
    ]);
    // the shop's own cancel with the API key still works, and is audited as the API key
    const other = await newOrder();
    expect((await call('POST', `/api/orders/${other.id}/cancel`, { auth: API_KEY })).json.status).toBe('canceled');
    expect((await call('GET', `/api/audit?orderId=${other.id}`, { auth: API_KEY })).json.data[0].actor).toEqual({ type: 'api_key', name: null, session: null });
  });

  it('redeliver sends the same event id and body again, as a new delivery try; an event with no target is refused clearly', async () => {
    webhookUrl = receiver.url;
    const o = await newOrder();
    const a = await newAttempt(o);
    await notify({ sig: 'valid', no: a.outTradeNo, amount: 1999 });
    const { webhooks } = build();
    await webhooks.runOnce();
    expect(receiver.received).toHaveLength(1);
    const [event] = await t.ledger.events.list(o.id);
    const r = await call('POST', `/api/events/${event!.id}/redeliver`, { auth: API_KEY });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ eventId: event!.id, delivered: true, httpStatus: 200, error: null, state: 'delivered', delivery: { httpStatus: 200 }, event: { eventId: event!.id, tries: 2 } });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers[EVENT_ID_HEADER]).toBe(event!.id);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    expect(JSON.parse(receiver.received[1]!.body).id).toBe(event!.id);
    const deliveries = await call('GET', `/api/webhooks/deliveries?orderId=${o.id}`, { auth: API_KEY });
    expect(deliveries.json.data).toEqual([expect.objectContaining({ eventId: event!.id, state: 'delivered', tries: 2, lastTry: expect.objectContaining({ httpStatus: 200 }) })]);
    expect((await t.ledger.events.tries([event!.id])).length).toBe(2);
    expect((await call('GET', `/api/audit?action=event.redeliver`, { auth: API_KEY })).json.data).toHaveLength(1);

    webhookUrl = undefined;
    const bare = await newOrder();
    await call('POST', `/api/orders/${bare.id}/cancel`, { auth: API_KEY });
    const [noTarget] = await t.ledger.events.list(bare.id);
    const refused = await call('POST', `/api/events/${noTarget!.id}/redeliver`, { auth: API_KEY });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/has no target: its order had no notifyUrl and PAYQR_WEBHOOK_URL was not set/);
    expect((await call('POST', '/api/events/evt_nope/redeliver', { auth: API_KEY })).status).toBe(404);
  });

  it('resolves what needs a person, once, with an audit entry — and never pays an order', async () => {
    const o = await newOrder();
    const a = await newAttempt(o);
    await notify({ sig: 'valid', no: a.outTradeNo, amount: 1 });
    await notify({ sig: 'forged', no: a.outTradeNo, amount: 1999 });
    const inbox = await call('GET', '/api/notifications?review=open', { auth: API_KEY });
    expect(inbox.json.data).toEqual([expect.objectContaining({ outcome: 'amount_mismatch', orderId: o.id, review: { needed: true, resolution: null, resolvedAt: null, resolvedBy: null, note: null } })]);
    const mismatch = inbox.json.data[0].id as string;
    const rejected = await call('GET', '/api/notifications?outcome=rejected', { auth: API_KEY });
    expect(rejected.json.data.map((x: { outcome: string }) => x.outcome).sort()).toEqual(['amount_mismatch', 'bad_signature']);

    const bad = await call('POST', `/api/notifications/${mismatch}/resolve`, { auth: API_KEY, body: { resolution: 'paid', note: '' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/resolution: one of refunded, accepted, dismissed/);
    expect(bad.json.error.message).toMatch(/note: at least 3 characters/);

    const s = await signIn('Li Wei');
    const ok = await call('POST', `/api/notifications/${mismatch}/resolve`, { cookie: s.cookie, csrf: s.csrf, body: { resolution: 'refunded', note: 'refunded ¥0.01 at the provider console' } });
    expect(ok.status).toBe(200);
    expect(ok.json.review).toMatchObject({ needed: false, resolution: 'refunded', resolvedBy: expect.stringMatching(/^console: Li Wei \([0-9a-f]{8}\)$/), note: 'refunded ¥0.01 at the provider console' });
    const twice = await call('POST', `/api/notifications/${mismatch}/resolve`, { auth: API_KEY, body: { resolution: 'accepted', note: 'again' } });
    expect(twice.status).toBe(409);
    expect(twice.json.error.message).toMatch(/already resolved \(refunded\) by console: Li Wei/);
    const forged = rejected.json.data.find((x: { outcome: string }) => x.outcome === 'bad_signature').id as string;
    expect((await call('POST', `/api/notifications/${forged}/resolve`, { auth: API_KEY, body: { resolution: 'dismissed', note: 'forged' } })).status).toBe(409);
    expect((await t.ledger.orders.get(o.id))?.status).toBe('open');

    // a duplicate payment: a second attempt paid after the first settled the order
    const b = await newAttempt(o, 'alipay');
    await notify({ sig: 'valid', no: b.outTradeNo, amount: 1999 });
    await t.ledger.attempts.settlePaid(a.id, {}); // the first, closed when b was created, was paid after all
    const dup = await call('GET', '/api/webhooks/deliveries?type=order.duplicate_payment&review=open', { auth: API_KEY });
    expect(dup.json.data).toEqual([expect.objectContaining({ type: 'order.duplicate_payment', orderId: o.id, review: expect.objectContaining({ needed: true }) })]);
    const dupId = dup.json.data[0].eventId as string;
    const resolved = await call('POST', `/api/events/${dupId}/resolve`, { auth: API_KEY, body: { resolution: 'refunded', note: 'refunded the second payment' } });
    expect(resolved.json).toMatchObject({ eventId: dupId, review: { needed: false, resolution: 'refunded', resolvedBy: 'api key' } });
    const paidEvent = (await t.ledger.events.list(o.id)).find((e) => e.type === 'order.paid')!;
    expect((await call('POST', `/api/events/${paidEvent.id}/resolve`, { auth: API_KEY, body: { resolution: 'refunded', note: 'nope' } })).json.error.message).toMatch(/only order.duplicate_payment events/);
    expect((await t.ledger.orders.get(o.id))?.paid_attempt_id).toBe(b.id);

    const audit = await call('GET', `/api/audit?orderId=${o.id}`, { auth: API_KEY });
    expect(audit.json.data.map((e: { action: string }) => e.action)).toEqual(['event.resolve', 'notification.resolve']);
  });

  it('the overview: payments per hour, success rate by provider × channel, attempt-to-paid, rejections, backlog', async () => {
    webhookUrl = receiver.url;
    const o = await newOrder();
    const a = await newAttempt(o);
    await t.clock.advance(4000);
    await notify({ sig: 'valid', no: a.outTradeNo, amount: 1999 });
    await notify({ sig: 'forged', no: a.outTradeNo, amount: 1999 });
    const r = await call('GET', '/api/stats/overview', { auth: API_KEY });
    expect(r.status).toBe(200);
    expect(r.json.payments).toHaveLength(24);
    expect(r.json.totals).toEqual({ payments: 1, amounts: { CNY: 1999 } });
    expect(r.json.payments.find((h: { count: number }) => h.count === 1)).toMatchObject({ amounts: { CNY: 1999 } });
    expect(r.json.successRate).toEqual([{ provider: 'chaoying', channel: 'wechat', attempts: 1, paid: 1, failed: 0, closed: 0, pending: 0, rate: 1 }]);
    expect(r.json.attemptToPaid).toEqual({ count: 1, p50Ms: 4000, p95Ms: 4000 });
    expect(r.json.notifications.byOutcome).toEqual({ applied: 1, bad_signature: 1 });
    expect(r.json.notifications.rejectedPerHour.reduce((s: number, h: { count: number }) => s + h.count, 0)).toBe(1);
    expect(r.json.webhooks).toMatchObject({ pending: 1, failed: 0 });
    expect(r.json.needsReview).toEqual({ notifications: 0, duplicatePayments: 0 });
    const tooLong = await call('GET', '/api/stats/overview?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', { auth: API_KEY });
    expect(tooLong.status).toBe(400);
  });

  it('with the console off, its session endpoints answer 404 and no cookie counts', async () => {
    const s = await signIn();
    build({ console: false });
    expect((await call('POST', '/api/console/session', { body: { password: PASSWORD } })).status).toBe(404);
    expect((await call('GET', '/api/console/session', { cookie: s.cookie })).status).toBe(404);
    expect((await call('GET', '/api/orders', { cookie: s.cookie })).status).toBe(401);
    expect((await call('GET', '/api/orders', { auth: API_KEY })).status).toBe(200);
  });
});
