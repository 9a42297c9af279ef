/**
 * Every copy-paste example for @payqr/node — the root README's "Integrate → Node server" and
 * packages/node/README.md — run exactly as written against the real PayQR (the app in this
 * process). Each ```js block is marked `<!-- node-sdk-snippet: name -->`; an unmarked one fails
 * this test, so no example escapes it. The shop's own functions the examples call
 * (`firstTimeSeen`, `markPaid`, `refund`) are provided as globals.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PayQr, PayQrNotFoundError, webhooks, type EventAttempt } from '@payqr/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../providers/testing/app-env';
import { SANDBOX_AUTH_CODES } from '../sandbox/micropay-outcomes';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SDK_ENTRY = path.join(ROOT, 'packages/node/src/index.ts');
const API_KEY = 'sk_test_readme_0123456789abcdef01';
const WEBHOOK_SECRET = 'whsec_readme_0123456789abcdef';

type Snippets = Map<string, string>;

/** The marked ```js blocks of a Markdown text; throws on an unmarked one. */
function snippetsOf(markdown: string, where: string): Snippets {
  const out: Snippets = new Map();
  const blocks = [...markdown.matchAll(/(?:<!-- node-sdk-snippet: ([\w-]+) -->\s*)?```js\n([\s\S]*?)```/g)];
  for (const [, name, code] of blocks) {
    if (!name) throw new Error(`${where}: a \`\`\`js example without <!-- node-sdk-snippet: … -->, so no test runs it:\n${code!.slice(0, 200)}`);
    out.set(name, code!);
  }
  return out;
}

const rootReadme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const nodeSection = /\n### Node server\n([\s\S]*?)\n##? /.exec(rootReadme)?.[1] ?? '';
const root = snippetsOf(nodeSection, 'README.md "Node server"');
const pkg = snippetsOf(fs.readFileSync(path.join(ROOT, 'packages/node/README.md'), 'utf8'), 'packages/node/README.md');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-node-readme-'));
/** Write the example as a module (importing this workspace's @payqr/node) and import it. */
async function load<T>(snippets: Snippets, name: string, append = ''): Promise<T> {
  const code = snippets.get(name);
  if (!code) throw new Error(`snippet ${name} not found`);
  const file = path.join(dir, `${snippets === root ? 'readme' : 'package-readme'}-${name}.mjs`);
  fs.writeFileSync(file, `${code.replaceAll("from '@payqr/node'", `from ${JSON.stringify(SDK_ENTRY)}`)}\n${append}`);
  return (await import(pathToFileURL(file).href)) as T;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

// the shop's own functions the examples call
const seenIds = new Set<string>();
const marked: Array<{ merchantOrderId: string; amount: number }> = [];
const refunded: EventAttempt[] = [];
Object.assign(globalThis, {
  firstTimeSeen: async (id: string) => (seenIds.has(id) ? false : (seenIds.add(id), true)),
  markPaid: async (merchantOrderId: string, amount: number) => void marked.push({ merchantOrderId, amount }),
  refund: async (attempt: EventAttempt) => void refunded.push(attempt),
});

let t: TestApp;
let webhookServer: http.Server | undefined;
let hookUrl: string;
let payqr: PayQr;

beforeAll(async () => {
  const port = await freePort();
  hookUrl = `http://127.0.0.1:${port}/hooks/payqr`;
  process.env.PORT = String(port);
  process.env.PAYQR_WEBHOOK_SECRET = WEBHOOK_SECRET;
  process.env.PAYQR_API_KEY = API_KEY;
  // the README's webhook server listens first; PayQR sends its webhooks there
  const server = (await load<{ server: http.Server }>(root, 'webhook-node', 'export { server };')).server;
  webhookServer = server;
  if (!server.listening) await once(server, 'listening');
  t = await startTestApp({ apiKey: API_KEY, env: { PAYQR_WEBHOOK_URL: hookUrl, PAYQR_WEBHOOK_SECRET: WEBHOOK_SECRET }, dataDirPrefix: 'payqr-node-readme-' });
  process.env.PAYQR_URL = t.url;
  payqr = new PayQr({ apiKey: API_KEY, baseUrl: t.url });
}, 60_000);
afterAll(async () => {
  await t?.close();
  webhookServer?.closeAllConnections();
  await new Promise<void>((resolve) => (webhookServer ? webhookServer.close(() => resolve()) : resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What <pay-qr> does with the client secret, then the payer presses Pay on the sandbox payer page. */
async function payWithWidget(orderId: string, clientSecret: string) {
  const a = await t.api('POST', `/api/orders/${orderId}/attempts`, clientSecret, { channel: 'alipay', scene: 'qr' });
  expect(a.status, JSON.stringify(a.json)).toBe(201);
  const res = await fetch(a.json.qr.content as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'pay' }) });
  expect(res.status).toBe(200);
}

let n = 0;
const cart = () => ({ id: `CART-${Date.now().toString(36)}-${++n}`, totalFen: 1999, title: '乌龙茶 250g' });

describe('README.md → Integrate → Node server', () => {
  it('has the two examples', () => {
    expect([...root.keys()].sort()).toEqual(['create', 'webhook-node']);
  });

  it('create → the widget pays → the webhook server verifies the signed event and marks the order paid once', async () => {
    const { startCheckout, isPaid } = await load<{
      startCheckout(c: ReturnType<typeof cart>): Promise<{ orderId: string; clientSecret: string }>;
      isPaid(id: string): Promise<boolean>;
    }>(root, 'create');
    const c = cart();
    const checkout = await startCheckout(c);
    expect(checkout).toEqual({ orderId: expect.stringMatching(/^ord_/), clientSecret: expect.stringMatching(/^cs_/) });
    // "a retry with the same body returns the same order"
    expect((await startCheckout(c)).orderId).toBe(checkout.orderId);
    expect(await payqr.orders.retrieve(checkout.orderId)).toMatchObject({ merchantOrderId: c.id, amount: 1999, subject: '乌龙茶 250g', status: 'open' });
    expect(await isPaid(checkout.orderId)).toBe(false);

    await payWithWidget(checkout.orderId, checkout.clientSecret);
    await expect.poll(() => marked.filter((m) => m.merchantOrderId === c.id), { timeout: 15_000 }).toEqual([{ merchantOrderId: c.id, amount: 1999 }]);
    expect(await isPaid(checkout.orderId)).toBe(true);
  }, 40_000);

  it('the webhook server refuses a forged, tampered or stale delivery, and acts once per event id', async () => {
    const before = marked.length;
    const body = JSON.stringify({ id: 'evt_forged_1', type: 'order.paid', created: 1, data: { merchantOrderId: 'X-1', amount: 1 } });
    const post = (b: string, header: string) => fetch(hookUrl, { method: 'POST', headers: { 'payqr-signature': header, 'content-type': 'application/json' }, body: b });
    expect((await post(body, webhooks.generateTestHeader({ payload: body, secret: 'whsec_not_the_instance_secret' }))).status).toBe(400);
    expect((await post(body.replace('"amount":1', '"amount":100'), webhooks.generateTestHeader({ payload: body, secret: WEBHOOK_SECRET }))).status).toBe(400);
    const stale = Math.floor(Date.now() / 1000) - 301;
    expect((await post(body, webhooks.generateTestHeader({ payload: body, secret: WEBHOOK_SECRET, timestamp: stale }))).status).toBe(400);
    const ahead = Math.floor(Date.now() / 1000) + 301;
    expect((await post(body, webhooks.generateTestHeader({ payload: body, secret: WEBHOOK_SECRET, timestamp: ahead }))).status).toBe(400);
    expect((await fetch(hookUrl, { method: 'POST', body })).status).toBe(400);
    expect(marked.length).toBe(before);
    // correctly signed: acted on once, answered 200 both times
    for (let i = 0; i < 2; i++) expect((await post(body, webhooks.generateTestHeader({ payload: body, secret: WEBHOOK_SECRET }))).status).toBe(200);
    expect(marked.slice(before)).toEqual([{ merchantOrderId: 'X-1', amount: 1 }]);
  });
});

describe('packages/node/README.md', () => {
  it('every example is marked and run below', () => {
    expect([...pkg.keys()].sort()).toEqual(['create', 'errors', 'micropay', 'webhook-next']);
  });

  it('create: the same order for the same cart; paid after the widget pays', async () => {
    const { startCheckout, isPaid } = await load<{
      startCheckout(c: ReturnType<typeof cart>): Promise<{ orderId: string; clientSecret: string }>;
      isPaid(id: string): Promise<boolean>;
    }>(pkg, 'create');
    const c = cart();
    const a = await startCheckout(c);
    expect((await startCheckout(c)).orderId).toBe(a.orderId);
    await payWithWidget(a.orderId, a.clientSecret);
    await expect.poll(() => isPaid(a.orderId), { timeout: 15_000 }).toBe(true);
  }, 30_000);

  it('webhook-next: verifies, acts once per event, refunds a duplicate payment, refuses a bad signature', async () => {
    const { POST } = await load<{ POST(req: Request): Promise<Response> }>(pkg, 'webhook-next');
    const deliver = (body: string, secret = WEBHOOK_SECRET) =>
      POST(new Request('https://shop.example.com/hooks/payqr', { method: 'POST', headers: { 'payqr-signature': webhooks.generateTestHeader({ payload: body, secret }) }, body }));
    const attempt = { id: 'att_2', outTradeNo: 'B1000102', provider: 'chaoying', channel: 'wechat', scene: 'qr', status: 'paid', amount: 500, currency: 'CNY' };
    const paid = JSON.stringify({ id: 'evt_next_1', type: 'order.paid', created: 1, data: { merchantOrderId: 'B-1', amount: 500, status: 'paid', attempt } });
    const duplicate = JSON.stringify({ id: 'evt_next_2', type: 'order.duplicate_payment', created: 2, data: { merchantOrderId: 'B-1', amount: 500, status: 'paid', attempt } });
    const before = marked.length;

    const bad = await deliver(paid, 'whsec_wrong_0000000000000000');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('signature_mismatch');
    expect((await deliver(paid)).status).toBe(200);
    expect((await deliver(paid)).status).toBe(200);
    expect(marked.slice(before)).toEqual([{ merchantOrderId: 'B-1', amount: 500 }]);
    expect((await deliver(duplicate)).status).toBe(200);
    expect(refunded).toEqual([attempt]);
  });

  it('micropay: …00 paid, …03 failed, …04 followed with retrieve({ wait, since }) until reversed: failed', async () => {
    const { takePayment } = await load<{ takePayment(orderId: string, authCode: string): Promise<string> }>(pkg, 'micropay');
    const order = (extra: { attemptTtlSeconds?: number } = {}) => payqr.orders.create({ merchantOrderId: cart().id, amount: 4250, subject: '午市套餐', ...extra });
    expect(await takePayment((await order()).id, SANDBOX_AUTH_CODES.wechat.paid)).toBe('paid');
    expect(await takePayment((await order()).id, SANDBOX_AUTH_CODES.alipay.failed)).toBe('failed');
    // longer than PayQR's 5 s hold, so the first answer is pending and the loop follows it
    const slow = await order({ attemptTtlSeconds: 8 });
    expect(await takePayment(slow.id, SANDBOX_AUTH_CODES.wechat.unknown)).toBe('failed');
    expect((await payqr.orders.retrieve(slow.id)).attempt).toMatchObject({ status: 'failed', failure: { code: expect.stringMatching(/^REVERS/) } });
  }, 40_000);

  it('errors: cancels an open order, says "refund" for a paid one, logs code and request id otherwise', async () => {
    const { cancelUnlessPaid } = await load<{ cancelUnlessPaid(id: string): Promise<string> }>(pkg, 'errors');
    const open = await payqr.orders.create({ merchantOrderId: cart().id, amount: 100, subject: 'x' });
    expect(await cancelUnlessPaid(open.id)).toBe('canceled');
    const paid = await payqr.orders.create({ merchantOrderId: cart().id, amount: 100, subject: 'x' });
    await payqr.orders.micropay(paid.id, { authCode: SANDBOX_AUTH_CODES.wechat.paid });
    expect(await cancelUnlessPaid(paid.id)).toBe('paid already: refund instead');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await expect(cancelUnlessPaid('ord_000000000000000000000000')).rejects.toBeInstanceOf(PayQrNotFoundError);
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^PayQR not_found \(req_[a-z0-9]+\): No such order/));
    } finally {
      logged.mockRestore();
    }
  });
});
