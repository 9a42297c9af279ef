/**
 * Issue 3: the widget on a shop page of ANOTHER origin (http://shop.test) under a strict
 * Content-Security-Policy, inside another element's shadow root: it renders, creates an
 * attempt, gets paid, and nothing breaks the policy.
 */
import { expect, qrDecode, test } from '../fixtures';

test('inside a shadow root, under a strict CSP, on another origin: renders, creates an attempt, pays — no CSP violations', async ({
  page,
  api,
  shopPage,
  payer,
}) => {
  const order = await api.createOrder({ amount: 2990, subject: 'E2E 茉莉花茶 Jasmine' });
  const widget = await shopPage.open({ order, csp: true, shadow: true });
  await widget.recordEvents();

  // really inside another shadow root, on another origin
  expect(new URL(page.url()).origin).toBe('http://shop.test');
  expect(await page.evaluate(() => document.querySelector('pay-qr'))).toBeNull();
  expect(await page.evaluate(() => !!document.getElementById('payqr-host')?.shadowRoot?.querySelector('pay-qr'))).toBe(true);

  await expect(widget.picker).toBeVisible();
  await expect(widget.host.locator('[part="amount"]')).toHaveText('¥29.90');
  // styled (adopted stylesheets are allowed by style-src 'self'): the QR box has its size
  const content = await widget.choose('wechat');
  const box = await widget.qr.boundingBox();
  expect(box!.width).toBeGreaterThan(150);
  expect(await qrDecode(widget)).toBe(content);
  expect((await api.getOrder(order.id)).attempt?.qr?.content).toBe(content);
  await widget.screenshotState('shadow-csp-scan');

  await payer.pay(content);
  await widget.expectStatus('paid');
  // composed events cross both shadow boundaries up to document
  const paid = await widget.waitForEvent('pay-qr-paid');
  expect(paid.detail).toMatchObject({ orderId: order.id, status: 'paid', channel: 'wechat' });

  expect(await shopPage.cspViolations()).toEqual([]);
  expect(shopPage.consoleErrors).toEqual([]);
  expect(shopPage.pageErrors).toEqual([]);
});

test('the strict CSP is really enforced on that page (an inline script is refused and reported)', async ({ api, shopPage, page }) => {
  const order = await api.createOrder();
  const widget = await shopPage.open({ order, csp: true });
  await expect(widget.picker).toBeVisible();
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.append(s);
  });
  await expect.poll(async () => (await shopPage.cspViolations()).map((v) => v.violatedDirective)).toContain('script-src-elem');
  expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
});

test('attributes: channels order and lang="en" on the other-origin page', async ({ api, shopPage, payer }) => {
  const order = await api.createOrder({ amount: 1500 });
  const widget = await shopPage.open({ order, csp: true, attributes: { channels: 'alipay wechat', lang: 'en' } });
  await expect(widget.picker).toBeVisible();
  await expect(widget.picker.getByRole('button')).toHaveText(['Alipay', 'WeChat Pay']);
  await expect(widget.status).toHaveText('Choose how to pay');
  await widget.screenshotState('en-choose');
  const content = await widget.choose('alipay');
  await expect(widget.qr).toHaveAccessibleName(/^Alipay payment code for/);
  await widget.screenshotState('en-scan');
  await payer.pay(content);
  await widget.expectStatus('paid');
  await expect(widget.status).toHaveText('Payment successful');
  expect(await shopPage.cspViolations()).toEqual([]);
});
