// @vitest-environment node
import { describe, expect, it } from 'vitest';

describe('<pay-scan> server-side import', () => {
  it('imports without a DOM, defines nothing, and still exports the element class and events', async () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    const scan = await import('./scan/index.js');
    expect(typeof scan.PayScanElement).toBe('function');
    expect(scan.cameraSupported()).toBe(false);
    expect(new scan.PayScanPaidEvent({ orderId: 'ord_1', status: 'paid' }).detail.status).toBe('paid');
  });
});
