// @vitest-environment node
/**
 * On a server (Next.js's SSR, here Node without a DOM): importing the components touches no
 * browser global and defines nothing, and rendering gives the element with its attributes,
 * which the browser brings to life.
 */
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

const BROWSER_GLOBALS = ['window', 'document', 'customElements', 'HTMLElement', 'navigator', 'location'] as const;

describe('@payqr/react on a server', () => {
  it('imports and renders <PayQr/> and <PayScan/> to HTML without a DOM, defining nothing', async () => {
    // Node 20 has none of them (a `navigator`, from Node 21 on, is the server's own)
    const before = BROWSER_GLOBALS.filter((name) => name in globalThis);
    expect(before.filter((name) => name !== 'navigator')).toEqual([]);

    const { PayQr } = await import('./index.js');
    const { PayScan } = await import('./pay-scan.js');
    const onPaid = () => {};
    const html = renderToString(
      createElement('main', null, [
        createElement(PayQr, { key: 'qr', endpoint: 'https://pay.example.com', order: 'ord_1', secret: 'cs_1', lang: 'en', onPaid, onFailed: onPaid }),
        createElement(PayScan, { key: 'scan', action: '/till/api/scan', order: 'ord_2', amount: 4250, onPaid }),
      ]),
    );

    expect(html).toContain('<pay-qr endpoint="https://pay.example.com" order="ord_1" secret="cs_1" lang="en"></pay-qr>');
    expect(html).toContain('<pay-scan action="/till/api/scan" order="ord_2" amount="4250"></pay-scan>');
    expect(html).not.toMatch(/onPaid|onFailed|function/);
    // nothing defined, no DOM shim installed
    expect(BROWSER_GLOBALS.filter((name) => name in globalThis)).toEqual(before);
  });
});
