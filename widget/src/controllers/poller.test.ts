/**
 * The one polling policy (poller.ts) on its own; status-controller.test.ts runs it as
 * `<pay-qr>` uses it (deadlines, long-polls), pay-scan.test.ts as `<pay-scan>` does.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PayQrApiError } from '../api/errors.js';
import { poller, type PageActivity, type PollerOptions } from './poller.js';

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
}

class FakePage implements PageActivity {
  hidden = false;
  onHide = () => {};
  onReturn = () => {};
  isHidden() {
    return this.hidden;
  }
  subscribe(onHide: () => void, onReturn: () => void) {
    this.onHide = onHide;
    this.onReturn = onReturn;
    return () => {};
  }
}

interface Call {
  signal: AbortSignal;
  resolve(value: string): void;
  reject(error: unknown): void;
}

function setup(options: Partial<PollerOptions<string>> = {}) {
  const host = new FakeHost();
  const page = new FakePage();
  const calls: Call[] = [];
  let open = 0;
  let maxOpen = 0;
  const answers: string[] = [];
  const poll = poller<string>(host, {
    request: (signal) =>
      new Promise<string>((resolve, reject) => {
        maxOpen = Math.max(maxOpen, ++open);
        const settle = () => open--;
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        calls.push({ signal, resolve: (v) => (settle(), resolve(v)), reject: (e) => (settle(), reject(e)) });
      }),
    answered: (value) => {
      answers.push(value);
      return value !== 'final';
    },
    minIntervalMs: 1000,
    backoff: (failures) => 1000 * failures,
    page,
    ...options,
  });
  for (const c of host.controllers) c.hostConnected?.();
  return { host, page, calls, poll, answers, maxOpen: () => maxOpen, last: () => calls[calls.length - 1]! };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('poller', () => {
  it('asks nothing until started; then one request at a time, spaced by minIntervalMs, until an answer is final', async () => {
    const { poll, calls, last, answers, maxOpen } = setup();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(0);
    poll.start();
    expect(calls).toHaveLength(1);
    poll.checkNow(); // a request is on the wire: nothing more
    last().resolve('open');
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    last().resolve('final');
    await vi.advanceTimersByTimeAsync(60_000);
    poll.checkNow();
    expect(calls).toHaveLength(2);
    expect(answers).toEqual(['open', 'final']);
    expect(maxOpen()).toBe(1);
  });

  it('a retryable failure is a state (`retrying`), retried after the back-off; any other stops it (`fatal`)', async () => {
    const { poll, calls, last, host } = setup();
    poll.start();
    last().reject(new TypeError('Failed to fetch')); // not our error type: counts as network trouble
    await vi.advanceTimersByTimeAsync(0);
    expect(poll.retrying).toBe(true);
    expect(poll.error).toMatchObject({ kind: 'network', retryable: true });
    expect(host.updates).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    last().reject(new PayQrApiError('http', 'Forbidden', { status: 403, code: 'forbidden' }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
    expect(poll.fatal).toBe(true);
    expect(poll.retrying).toBe(false);
  });

  it('start() drops the run on the wire (its late answer is ignored); stop() aborts and forgets', async () => {
    const { poll, calls, answers } = setup({ onStart: () => answers.push('(start)') });
    poll.start();
    const stale = calls[0]!;
    poll.start();
    expect(stale.signal.aborted).toBe(true);
    stale.resolve('stale');
    calls[1]!.reject(new PayQrApiError('http', 'Not found', { status: 404 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(answers).toEqual(['(start)', '(start)']);
    expect(poll.fatal).toBe(true);
    poll.stop();
    expect(poll.fatal).toBe(false);
    expect(poll.error).toBeUndefined();
    poll.checkNow();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
  });

  it('aborts while the page is hidden and checks at once on return', async () => {
    const { poll, calls, page, last } = setup();
    poll.start();
    last().resolve('open');
    await vi.advanceTimersByTimeAsync(1000);
    page.hidden = true;
    page.onHide();
    expect(last().signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
    page.hidden = false;
    page.onReturn();
    expect(calls).toHaveLength(3);
  });
});
