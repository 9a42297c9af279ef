import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PayQrClient } from '../api/client.js';
import type { Attempt, Order } from '../api/types.js';
import { globalTimers } from '../controllers/timers.js';
import zhCN from '../translations/zh-CN.js';
import { QrAttemptController } from './qr-attempt-controller.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

function setup(answer: (body: unknown) => Promise<unknown>, order?: Order) {
  const controllers: ReactiveController[] = [];
  const host = {
    updates: 0,
    addController: (c: ReactiveController) => controllers.push(c),
    removeController() {},
    requestUpdate() {
      host.updates++;
    },
    updateComplete: Promise.resolve(true),
  } satisfies ReactiveControllerHost & { updates: number };
  const request = vi.fn((_method: string, _path: string, options: { body?: unknown }) => answer(options.body));
  const onFailure = vi.fn();
  const controller = new QrAttemptController(host, {
    client: () => ({ request }) as unknown as PayQrClient,
    orderId: () => 'ord_1',
    sceneOverride: () => undefined,
    now: () => Date.now(),
    timers: globalTimers,
    onFailure,
    order: () => order,
  });
  for (const c of controllers) c.hostConnected?.();
  return {
    controller,
    host,
    request,
    onFailure,
    /** what the host does on each render: its inputs, then the controllers' hostUpdate */
    update(active = true) {
      controller.active = active;
      for (const c of controllers) c.hostUpdate?.();
    },
    disconnect: () => controllers.forEach((c) => c.hostDisconnected?.()),
  };
}

const orderUntil = (ms: number): Order => ({ id: 'ord_1', status: 'open', amount: 1999, currency: 'CNY', subject: 'Tea', expiresAt: new Date(ms).toISOString() });

const attempt = (over: Partial<Attempt> = {}): Attempt => ({
  id: 'att_1',
  channel: 'wechat',
  scene: 'qr',
  status: 'pending',
  expiresAt: new Date(START + 120_000).toISOString(),
  qr: { content: 'weixin://wxpay/bizpayurl?pr=1' },
  ...over,
});

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => vi.useRealTimers());

describe('QrAttemptController', () => {
  it('opens an attempt for the channel as a QR scene and draws its code', async () => {
    const { controller, request } = setup(async () => attempt());
    const done = controller.create('wechat');
    expect(controller.status).toBe('creating');
    await done;
    expect(request).toHaveBeenCalledWith('POST', '/api/orders/ord_1/attempts', expect.objectContaining({ body: { channel: 'wechat', scene: 'qr' } }));
    expect(controller.status).toBe('scan');
    expect(controller.attempt?.id).toBe('att_1');
    expect(controller.symbol?.content).toBe('weixin://wxpay/bizpayurl?pr=1');
  });

  it('keeps only the latest choice when the payer switches quickly', async () => {
    const answers: Array<(a: Attempt) => void> = [];
    const { controller } = setup(() => new Promise((resolve) => answers.push(resolve)));
    const first = controller.create('wechat');
    const second = controller.create('alipay');
    answers[1]!(attempt({ id: 'att_2', channel: 'alipay', qr: { content: 'https://qr.alipay.com/x' } }));
    answers[0]!(attempt());
    await Promise.all([first, second]);
    expect(controller.attempt?.id).toBe('att_2');
    expect(controller.channel).toBe('alipay');
  });

  it('reports a failure and lets the host ask the server why', async () => {
    const { controller, onFailure } = setup(async () => {
      throw Object.assign(new Error('Order ord_1 is paid'), { code: 'order_not_payable' });
    });
    await controller.create('wechat');
    expect(controller.error?.message).toBe('Order ord_1 is paid');
    expect(controller.attempt).toBeUndefined();
    expect(onFailure).toHaveBeenCalledOnce();
  });

  it('treats an attempt without a code as failed', async () => {
    const { controller } = setup(async () => attempt({ qr: undefined }));
    await controller.create('wechat');
    expect(controller.error).toBeDefined();
    expect(controller.symbol).toBeUndefined();
  });

  it('adopts the server’s newer status for its attempt, resumes a pending one, ignores others', async () => {
    const { controller } = setup(async () => attempt());
    controller.adopt(attempt({ id: 'att_9', channel: 'alipay', qr: { content: 'https://qr.alipay.com/9' } }));
    expect(controller.attempt?.id).toBe('att_9'); // resumed after a reload
    expect(controller.channel).toBe('alipay');
    controller.adopt(attempt({ id: 'att_9', status: 'failed', channel: 'alipay' }));
    expect(controller.attempt?.status).toBe('failed');
    controller.adopt(attempt({ id: 'att_10' })); // someone else's newer attempt: not ours to show
    expect(controller.attempt?.id).toBe('att_9');
    controller.adopt({ id: 'att_11' }); // malformed
    expect(controller.attempt?.id).toBe('att_9');

    const fresh = setup(async () => attempt()).controller;
    fresh.adopt(attempt({ status: 'closed' }));
    expect(fresh.attempt).toBeUndefined();
  });

  it('works out its part of the status from its attempt, the order’s deadline and the time', async () => {
    const answers: Array<(a: Attempt) => void> = [];
    const { controller } = setup(() => new Promise((resolve) => answers.push(resolve)), orderUntil(START + 15 * 60_000));
    expect(controller.status).toBe('choose');
    const made = controller.create('wechat');
    expect(controller.status).toBe('creating');
    answers[0]!(attempt()); // the code expires at START + 2 min, before the order
    await made;
    expect(controller.status).toBe('scan');
    expect(controller.attempt?.id).toBe('att_1');
    vi.setSystemTime(START + 120_000);
    expect(controller.status).toBe('qr-expired');
    controller.adopt(attempt({ status: 'failed' }));
    expect(controller.status).toBe('failed');

    // A code that runs to the order's own deadline stays `scan` past it: the server has the last word.
    const last = setup(async () => attempt({ expiresAt: new Date(START + 30 * 60_000).toISOString() }), orderUntil(START + 10 * 60_000));
    await last.controller.create('wechat');
    vi.setSystemTime(START + 11 * 60_000);
    expect(last.controller.status).toBe('scan');
    expect(last.controller.text(zhCN)).toBeUndefined(); // the host's "checking…"
  });

  it('counts down only while the host shows it: re-renders on the second boundaries, stops at zero or on disconnect', async () => {
    const { controller, host, update } = setup(async () => attempt({ expiresAt: new Date(START + 2500).toISOString() }), orderUntil(START + 60_000));
    await controller.create('wechat');
    host.updates = 0;
    update(false); // the order is not payable (paid, expired …): no countdown
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.updates).toBe(0);
    update();
    expect(controller.timeLeft).toBe('00:02');
    await vi.advanceTimersByTimeAsync(499);
    expect(host.updates).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(host.updates).toBe(1);
    expect(controller.timeLeft).toBe('00:01');
    await vi.advanceTimersByTimeAsync(2000);
    expect(host.updates).toBe(2);
    expect(controller.timeLeft).toBe('00:00');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(host.updates).toBe(2);

    const again = setup(async () => attempt({ expiresAt: new Date(START + 60_000).toISOString() }), orderUntil(START + 120_000));
    await again.controller.create('wechat');
    again.update();
    const before = again.host.updates;
    again.disconnect();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(again.host.updates).toBe(before);
  });

  it('announces the time left at its milestones, in the live region’s note', async () => {
    const { controller, update } = setup(async () => attempt({ expiresAt: new Date(START + 120_000).toISOString() }), orderUntil(START + 15 * 60_000));
    await controller.create('wechat');
    update();
    expect(controller.milestone).toBe(120);
    expect(controller.note).toBe(controller.announcement(120));
    vi.setSystemTime(START + 1000);
    expect(controller.milestone).toBe(0);
    vi.setSystemTime(START + 110_000);
    update();
    expect(controller.milestone).toBe(10);
    expect(controller.note).toBe(controller.announcement(10));
    update(false);
    expect(controller.note).toBe('');
  });
});
