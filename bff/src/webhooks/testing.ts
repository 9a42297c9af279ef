/**
 * Test support for webhook delivery: a real HTTP receiver on 127.0.0.1 (node:http, so the
 * dispatcher's real fetch, headers, timeouts and connection errors are exercised), and a
 * helper that puts orders into the ledger and pays them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Random } from '../core/random';
import type { Ledger } from '../ledger/ledger';
import type { AttemptRow, OrderRow } from '../ledger/schema';

export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** the raw body exactly as received */
  body: string;
}

export type ReceiverAnswer = number | { status: number; body?: string; headers?: Record<string, string> } | 'hang';

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** how each request is answered; `n` counts from 1 */
  answer: (req: ReceivedWebhook, n: number) => ReceiverAnswer | Promise<ReceiverAnswer>;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => 200): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const receiver: Receiver = { url: '', received, answer, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedWebhook = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      void Promise.resolve(receiver.answer(r, received.length)).then((a) => {
        if (a === 'hang') return;
        const { status, body = '', headers = {} } = typeof a === 'number' ? { status: a, body: status2text(a) } : a;
        res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/hooks/payqr?token=shop-url-token`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

function status2text(status: number): string {
  return status >= 200 && status < 300 ? 'ok' : `no thanks (${status})`;
}

/** Always the same bytes: jitter factor 0.8 + 0.2 × (byte·257/65536). */
export function constantRandom(byte = 0): Random {
  return { bytes: (n) => new Uint8Array(n).fill(byte) };
}

let seq = 0;

/** An open order (with `attempts` pending attempts reserved) for the given notifyUrl. */
export async function openOrder(ledger: Ledger, now: number, notifyUrl: string | null, attempts = 1): Promise<{ order: OrderRow; attempts: AttemptRow[] }> {
  const n = ++seq;
  const { order } = await ledger.orders.create({
    merchantOrderId: `WH-${process.pid}-${n}`,
    tradeNoBase: `WH${n}`,
    amount: 1999,
    currency: 'CNY',
    subject: 'Oolong tea 250g',
    expiresAt: now + 15 * 60_000,
    attemptTtlMs: 10 * 60_000,
    clientSecretHash: '0'.repeat(64),
    notifyUrl,
    metadata: JSON.stringify({ cart: `c${n}` }),
    requestFingerprint: '0'.repeat(64),
  });
  const reserved: AttemptRow[] = [];
  for (let i = 0; i < attempts; i++) {
    const r = await ledger.attempts.reserve({
      orderId: order.id,
      provider: 'chaoying',
      channel: 'wechat',
      scene: 'qr',
      expiresAt: now + 10 * 60_000,
      outTradeNo: (base, s) => `${base}${String(s).padStart(2, '0')}`,
    });
    if (!('attempt' in r)) throw new Error('could not reserve an attempt');
    reserved.push(r.attempt);
  }
  return { order, attempts: reserved };
}

/** An order paid by its first attempt: one order.paid event in the outbox. */
export async function paidOrder(ledger: Ledger, now: number, notifyUrl: string | null) {
  const o = await openOrder(ledger, now, notifyUrl);
  const r = await ledger.attempts.settlePaid(o.attempts[0]!.id, { providerTradeNo: 'TX1' });
  if (r.kind !== 'settled') throw new Error(`expected settled, got ${r.kind}`);
  const [event] = await ledger.events.list(o.order.id);
  if (!event) throw new Error('no event written');
  return { order: r.order, attempt: r.attempt, event };
}
