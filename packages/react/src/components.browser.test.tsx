// @vitest-environment happy-dom
/**
 * In the browser: the props reach the elements as properties, and the `on…` props hear their
 * typed events — `onPaid` once the (stand-in) server says the order is paid.
 */
import { act, createElement, createRef } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PayQr, type PayQrElement, type PayQrPaidEvent } from './index.js';
import { PayScan, type PayScanElement, type PayScanPaidEvent } from './pay-scan.js';

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
const until = (assertion: () => void) => vi.waitFor(assertion, { timeout: 5000, interval: 20 });

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  document.body.replaceChildren();
});

function mount(node: React.ReactNode): void {
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() => root!.render(node));
}

describe('<PayQr/> in the browser', () => {
  it('sets the element’s properties and calls onPaid with the typed event when the server says paid', async () => {
    const fetch = vi.fn(async (url: string, init: RequestInit) => {
      expect(url).toBe('https://pay.example.com/api/orders/ord_1');
      expect(new Headers(init.headers).get('Authorization')).toBe('Bearer cs_1');
      return json({ id: 'ord_1', status: 'paid', amount: 1999, currency: 'CNY', subject: 'Tea', expiresAt: new Date(Date.now() + 60_000).toISOString() });
    });
    vi.stubGlobal('fetch', fetch);
    const paid: PayQrPaidEvent[] = [];
    const statuses: string[] = [];
    const ref = createRef<PayQrElement>();
    mount(
      createElement(PayQr, {
        ref,
        endpoint: 'https://pay.example.com',
        order: 'ord_1',
        secret: 'cs_1',
        buyerId: '2088000000000001',
        onPaid: (e) => paid.push(e),
        onStatusChange: (e) => statuses.push(e.detail.status),
      }),
    );
    const el = ref.current!;
    expect(el.localName).toBe('pay-qr');
    expect(el.buyerId).toBe('2088000000000001'); // a property, not only an attribute
    await until(() => expect(paid).toHaveLength(1));
    expect(paid[0]!.detail).toMatchObject({ orderId: 'ord_1', status: 'paid' });
    expect(el.status).toBe('paid');
    expect(statuses).toEqual(['paid']);
  });
});

describe('<PayScan/> in the browser', () => {
  it('calls onPaid when the shop endpoint says the sale is paid', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({ order: { id: 'ord_2', status: 'paid', amount: 4250, currency: 'CNY' }, scan: { id: 'att_1', status: 'paid', channel: 'wechat' } })),
    );
    const paid: PayScanPaidEvent[] = [];
    const ref = createRef<PayScanElement>();
    mount(createElement(PayScan, { ref, action: '/till/api/scan', order: 'ord_2', onPaid: (e) => paid.push(e) }));
    await until(() => expect(paid).toHaveLength(1));
    expect(paid[0]!.detail).toMatchObject({ orderId: 'ord_2', status: 'paid', scanId: 'att_1', amount: 4250 });
    expect(ref.current!.status).toBe('paid');
  });
});
