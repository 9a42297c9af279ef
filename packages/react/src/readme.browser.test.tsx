/** README.md's example, as written, in the browser: a paid order takes the payer to the thanks page. */
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { expect, it, vi } from 'vitest';
import { readmeExample } from './readme-example.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

it('README: <Pay/> goes to /orders/{id}/thanks when the server says the order is paid', async () => {
  const Pay = await readmeExample();
  const order = { id: 'ord_1', status: 'paid', amount: 1999, currency: 'CNY', subject: 'Tea', expiresAt: new Date(Date.now() + 60_000).toISOString() };
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(order), { headers: { 'Content-Type': 'application/json' } })));
  const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => {});
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  act(() => root.render(createElement(Pay, { order: 'ord_1', secret: 'cs_1' })));
  await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('/orders/ord_1/thanks'), { timeout: 5000 });
  act(() => root.unmount());
});
