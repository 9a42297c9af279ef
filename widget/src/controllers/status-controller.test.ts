import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PayQrApiError } from '../api/errors.js';
import type { Order, OrderStatus } from '../api/types.js';
import { backoffDelay, type PageActivity } from './poller.js';
import { statusController, type StatusControllerOptions } from './status-controller.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

class FakeHost implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  updates = 0;
  addController(c: ReactiveController) {
    this.controllers.push(c);
  }
  removeController() {}
  requestUpdate() {
    this.updates++;
  }
  get updateComplete() {
    return Promise.resolve(true);
  }
  connect() {
    for (const c of this.controllers) c.hostConnected?.();
  }
  disconnect() {
    for (const c of this.controllers) c.hostDisconnected?.();
  }
}

class FakePage implements PageActivity {
  hidden = false;
  #onHide = () => {};
  #onReturn = () => {};
  isHidden() {
    return this.hidden;
  }
  subscribe(onHide: () => void, onReturn: () => void) {
    this.#onHide = onHide;
    this.#onReturn = onReturn;
    return () => {};
  }
  hide() {
    this.hidden = true;
    this.#onHide();
  }
  show() {
    this.hidden = false;
    this.#onReturn();
  }
}

interface Call {
  wait: number;
  signal: AbortSignal;
  at: number;
  resolve(order: Order): void;
  reject(error: unknown): void;
}

function orderWith(status: OrderStatus, expiresInMs = 15 * 60_000): Order {
  return { id: 'ord_1', status, amount: 1999, currency: 'CNY', subject: 'Tea', expiresAt: new Date(START + expiresInMs).toISOString() };
}

function setup(options: Partial<StatusControllerOptions> = {}) {
  const host = new FakeHost();
  const page = new FakePage();
  const calls: Call[] = [];
  let open = 0;
  let maxOpen = 0;
  const fetchOrder = vi.fn(
    (wait: number, signal: AbortSignal) =>
      new Promise<Order>((resolve, reject) => {
        open++;
        maxOpen = Math.max(maxOpen, open);
        const settle = () => open--;
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        calls.push({
          wait,
          signal,
          at: Date.now(),
          resolve: (o) => (settle(), resolve(o)),
          reject: (e) => (settle(), reject(e)),
        });
      }),
  );
  const status = statusController(host, {
    fetchOrder,
    serverNow: () => Date.now(),
    backoff: (n) => backoffDelay(n, () => 1),
    page,
    ...options,
  });
  host.connect();
  return { host, page, calls, status, fetchOrder, maxOpen: () => maxOpen, last: () => calls[calls.length - 1]! };
}

const network = () => new PayQrApiError('network', 'down');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => vi.useRealTimers());

describe('StatusController', () => {
  it('asks at once, then long-polls with wait=25', async () => {
    const { status, calls, last } = setup();
    status.start();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.wait).toBe(0);
    last().resolve(orderWith('open'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.wait).toBe(25);
    expect(status.order?.status).toBe('open');
  });

  it('never has two requests on the wire, whatever asks for a check', async () => {
    const { status, calls, page, last, maxOpen } = setup();
    status.start();
    last().resolve(orderWith('open'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toHaveLength(2);
    // The long-poll is out: focus, returns and explicit checks must wait for it.
    status.checkNow();
    page.show();
    status.checkNow();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toHaveLength(2);
    last().resolve(orderWith('open'));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(3); // the long-poll took its time: the next one goes at once
    // A server that answers long-polls at once still gets at most one request per 2 s.
    last().resolve(orderWith('open'));
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(4);
    expect(maxOpen()).toBe(1);
  });

  it('backs off 1 s, 2 s, 4 s … up to 30 s on network errors, says it is retrying, recovers', async () => {
    const { status, calls, last } = setup();
    status.start();
    const gaps: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = calls.length;
      const failedAt = Date.now();
      last().reject(network());
      await vi.advanceTimersByTimeAsync(0);
      expect(status.retrying).toBe(true);
      // Step forward until the next request goes out.
      while (calls.length === before) await vi.advanceTimersByTimeAsync(100);
      gaps.push(last().at - failedAt);
    }
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    last().resolve(orderWith('open'));
    await vi.advanceTimersByTimeAsync(0);
    expect(status.retrying).toBe(false);
    expect(status.error).toBeUndefined();
  });

  it('jitters the back-off between half and all of each step', () => {
    expect(backoffDelay(1, () => 0)).toBe(500);
    expect(backoffDelay(1, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 0.5)).toBe(3000);
    expect(backoffDelay(20, () => 1)).toBe(30_000);
  });

  it('stops on an error retrying cannot fix (wrong secret, unknown order)', async () => {
    const { status, calls, last } = setup();
    status.start();
    last().reject(new PayQrApiError('http', 'No such order', { status: 404, code: 'not_found' }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(status.fatal).toBe(true);
    expect(status.retrying).toBe(false);
  });

  it('pauses while the tab is hidden and checks at once on return', async () => {
    const { status, calls, page, last } = setup();
    status.start();
    last().resolve(orderWith('open'));
    await vi.advanceTimersByTimeAsync(2000);
    const longPoll = last();
    page.hide();
    expect(longPoll.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(calls).toHaveLength(2);
    page.show();
    expect(calls).toHaveLength(3);
    expect(last().wait).toBe(25);
  });

  it('does not start while hidden, and cuts a back-off short on return', async () => {
    const { status, calls, page, last } = setup();
    page.hidden = true;
    status.start();
    expect(calls).toHaveLength(0);
    page.show();
    expect(calls).toHaveLength(1);
    last().reject(network());
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    page.show(); // e.g. `online` or `focus` while waiting 1 s
    expect(calls).toHaveLength(2);
  });

  it('stops at a final status', async () => {
    const { status, calls, last } = setup();
    status.start();
    last().resolve(orderWith('paid'));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(1);
    expect(status.order?.status).toBe('paid');
    status.checkNow();
    expect(calls).toHaveLength(1);
  });

  it('never long-polls past the deadline, checks once more after it, then stops', async () => {
    const { status, calls, last } = setup({ expiryGraceMs: 3000 });
    status.start();
    last().resolve(orderWith('open', 10_000)); // expires at START + 10 s
    await vi.advanceTimersByTimeAsync(2000);
    expect(last().wait).toBe(11); // ceil((10 s + 3 s grace − 2 s) / 1 s)
    await vi.advanceTimersByTimeAsync(11_000);
    last().resolve(orderWith('open', 10_000)); // server has not flipped it yet
    await vi.advanceTimersByTimeAsync(2000);
    expect(last().wait).toBe(0); // the final check
    last().resolve(orderWith('open', 10_000));
    await vi.advanceTimersByTimeAsync(0);
    expect(status.expired).toBe(true);
    const count = calls.length;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    status.checkNow();
    expect(calls).toHaveLength(count);
  });

  it('takes the server’s word at the deadline: a last-second payment wins', async () => {
    const { status, last } = setup();
    status.start();
    last().resolve(orderWith('open', 5000));
    await vi.advanceTimersByTimeAsync(2000);
    await vi.advanceTimersByTimeAsync(6000);
    last().resolve(orderWith('paid', 5000));
    await vi.advanceTimersByTimeAsync(0);
    expect(status.order?.status).toBe('paid');
    expect(status.expired).toBe(false);
  });

  it('ignores the answer of a superseded run', async () => {
    const { status, calls } = setup();
    status.start();
    const stale = calls[0]!;
    status.start(); // new order id or secret
    expect(stale.signal.aborted).toBe(true);
    calls[1]!.resolve(orderWith('open'));
    stale.resolve(orderWith('paid'));
    await vi.advanceTimersByTimeAsync(0);
    expect(status.order?.status).toBe('open');
  });

  it('aborts the request in flight on disconnect and resumes on reconnect', async () => {
    const { status, calls, host, last } = setup();
    status.start();
    last().resolve(orderWith('open'));
    await vi.advanceTimersByTimeAsync(2000);
    host.disconnect();
    expect(last().signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
    host.connect();
    expect(calls).toHaveLength(3);
  });
});
