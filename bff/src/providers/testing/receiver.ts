/**
 * A notification receiver the test controls: records every request exactly as received (raw
 * bytes, content type, headers) and answers what the test says — e.g. the connector's ack,
 * a wrong ack, an HTTP 500, or nothing at all (to exercise the provider's per-try timeout).
 */
import type { RawNotification } from '../types';

export interface ReceivedNotification {
  /** sequence number from 0 */
  seq: number;
  path: string;
  method: string;
  contentType: string;
  headers: Headers;
  body: Uint8Array;
  text: string;
  /** what the receiver answered (undefined while the answer is pending, or when it hung) */
  answered?: { status: number; text: string };
}

export type ReceiverAnswer = Response | { status?: number; body: string; contentType?: string } | 'hang';
export type ReceiverPolicy = (n: ReceivedNotification) => ReceiverAnswer | Promise<ReceiverAnswer>;

export interface NotificationReceiver {
  handle(req: Request): Promise<Response>;
  readonly received: readonly ReceivedNotification[];
  respondWith(policy: ReceiverPolicy | ReceiverAnswer): void;
  /** resolves when `count` requests (or one matching `pred`) have arrived */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedNotification[]>;
  waitUntil(pred: (all: readonly ReceivedNotification[]) => boolean, timeoutMs?: number): Promise<ReceivedNotification[]>;
  clear(): void;
  /** stop hanging answers (teardown) */
  release(): void;
}

export function toRawNotification(n: ReceivedNotification): RawNotification {
  return { body: n.body, contentType: n.contentType, headers: n.headers };
}

export function createNotificationReceiver(): NotificationReceiver {
  let received: ReceivedNotification[] = [];
  let policy: ReceiverPolicy = () => ({ status: 200, body: 'success' });
  let waiters: Array<() => void> = [];
  let releaser = new AbortController();
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };

  const waitUntil = (pred: (all: readonly ReceivedNotification[]) => boolean, timeoutMs = 5000) =>
    new Promise<ReceivedNotification[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} received)`)), timeoutMs);
      const check = () => {
        if (pred(received)) {
          clearTimeout(timer);
          resolve([...received]);
        } else waiters.push(check);
      };
      check();
    });

  return {
    async handle(req) {
      const body = new Uint8Array(await req.arrayBuffer());
      const n: ReceivedNotification = {
        seq: received.length,
        path: new URL(req.url).pathname,
        method: req.method,
        contentType: req.headers.get('content-type') ?? '',
        headers: new Headers(req.headers),
        body,
        text: new TextDecoder().decode(body),
      };
      received.push(n);
      const answer = await policy(n);
      if (answer === 'hang') {
        wake();
        const signal = releaser.signal;
        await new Promise<void>((resolve) => {
          if (signal.aborted) return resolve();
          signal.addEventListener('abort', () => resolve(), { once: true });
          req.signal?.addEventListener('abort', () => resolve(), { once: true });
        });
        return new Response('too late', { status: 200 });
      }
      const res =
        answer instanceof Response
          ? answer
          : new Response(answer.body, { status: answer.status ?? 200, headers: { 'content-type': answer.contentType ?? 'text/plain; charset=utf-8' } });
      const text = await res.clone().text();
      n.answered = { status: res.status, text };
      wake();
      return res;
    },
    get received() {
      return received;
    },
    respondWith(p) {
      policy = typeof p === 'function' ? p : () => p;
    },
    waitFor: (count, timeoutMs) => waitUntil((all) => all.length >= count, timeoutMs),
    waitUntil,
    clear() {
      received = [];
      policy = () => ({ status: 200, body: 'success' });
      releaser.abort();
      releaser = new AbortController();
    },
    release() {
      releaser.abort();
      releaser = new AbortController();
    },
  };
}
