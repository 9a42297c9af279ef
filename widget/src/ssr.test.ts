// @vitest-environment node
import { describe, expect, it } from 'vitest';

describe('server-side import', () => {
  it('imports without a DOM, defines nothing, and still exports the element class and events', async () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    const widget = await import('./index.js');
    expect(typeof widget.PayQrElement).toBe('function');
    expect(new widget.PayQrPaidEvent({ orderId: 'ord_1', status: 'paid' }).detail.status).toBe('paid');
  });
});
