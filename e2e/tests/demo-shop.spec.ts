/**
 * Issue 3: a desktop payment through the demo shop — the order is created on the server,
 * the shopper picks WeChat Pay, the QR on screen decodes (zbarimg) to exactly the attempt's
 * `qr.content`, a "phone" opens it and pays, the widget says paid within 3 s and the shop shows
 * the server's view of the order.
 */
import { expect, qrDecode, test } from '../fixtures';

test('buy a tea, scan the WeChat QR, pay on the payer page → paid, and the shop shows the server\'s order', async ({
  page,
  demoShop,
  payer,
  api,
}) => {
  await demoShop.goto();
  await expect(demoShop.product('西湖龙井')).toContainText('¥68.00');
  await demoShop.screenshotPage('demo-shop-home');

  const { orderId, widget } = await demoShop.buy('西湖龙井');
  await widget.recordEvents();
  // amount and subject come from the server's catalogue
  await expect(page.getByText('西湖龙井 50 g').first()).toBeVisible();
  await expect(widget.host.locator('[part="amount"]')).toHaveText('¥68.00');
  await expect(widget.picker).toBeVisible();
  await expect(widget.status).toHaveText('请选择支付方式');
  await widget.expectStatus('choose');
  await widget.screenshotState('choose');

  const content = await widget.choose('wechat');
  await expect(widget.countdown).toHaveText(/^\d{2}:\d{2}$/);
  await expect(widget.status).toContainText('微信');
  await widget.screenshotState('scan');
  await demoShop.screenshotPage('demo-shop-scan');

  // What a camera reads is byte for byte what the provider returned for this attempt.
  const decoded = await qrDecode(widget);
  const before = await api.getOrder(orderId);
  expect(before.attempt?.qr?.content).toBeTruthy();
  expect(decoded).toBe(before.attempt!.qr!.content);
  expect(decoded).toBe(content);
  expect(before).toMatchObject({ status: 'open', amount: 6800, currency: 'CNY', attempt: { provider: 'chaoying', channel: 'wechat', status: 'pending' } });
  // the sandbox panel links to the same payer page
  await expect(demoShop.payerLink).toHaveAttribute('href', decoded);

  const phone = await payer.open(decoded);
  await expect(phone.page.getByText('¥68.00').first()).toBeVisible();
  const pressed = Date.now();
  await phone.payButton.click();
  await expect(phone.banner).toContainText('支付成功');

  const paidEvent = await widget.waitForEvent('pay-qr-paid', Math.max(1, 3000 - (Date.now() - pressed)));
  expect(Date.now() - pressed).toBeLessThan(3000);
  await expect(widget.status).toHaveText('支付成功');
  await widget.expectStatus('paid', 1000);
  expect(paidEvent.detail).toMatchObject({ orderId, status: 'paid', channel: 'wechat', attemptId: before.attempt!.id });
  expect(await widget.events('pay-qr-paid')).toHaveLength(1);
  await expect(widget.qr).toHaveCount(0);
  await expect(widget.picker).toHaveCount(0);
  await widget.screenshotState('paid');

  // The shop re-reads the order from the server.
  const after = await api.getOrder(orderId);
  expect(after).toMatchObject({ status: 'paid', channel: 'wechat', attempt: { status: 'paid', provider: 'chaoying' } });
  await expect(demoShop.receiptField('状态')).toContainText('paid');
  await expect(demoShop.receiptField('渠道')).toContainText('微信支付');
  await expect(demoShop.receiptField('服务商')).toHaveText('chaoying');
  await expect(demoShop.receiptField('商户订单号')).toHaveText(after.attempt!.outTradeNo);
  await expect(demoShop.receiptField('支付时间')).toContainText(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}/);
  await expect(demoShop.payerLink).toHaveCount(0);
  await demoShop.screenshotPage('demo-shop-paid');
});

test('the checkout page belongs to the browser that bought: another browser sees no secret', async ({ demoShop, browser, page }) => {
  await demoShop.goto();
  const { orderId, widget } = await demoShop.buy('安溪铁观音');
  await expect(widget.picker).toBeVisible();
  const other = await browser.newContext();
  const stranger = await other.newPage();
  await stranger.goto(new URL(`/shop/orders/${orderId}`, page.url()).toString());
  await expect(stranger.getByRole('heading', { level: 1 })).toContainText('找不到这个结账');
  await expect(stranger.locator('pay-qr')).toHaveCount(0);
  expect(await stranger.content()).not.toContain('cs_');
  await other.close();
});

test('the browser never chooses the amount: a forged form field is ignored, an unknown product refused', async ({ page, api }) => {
  const res = await page.request.post('/shop/checkout', { form: { product: 'puer', amount: '1' }, maxRedirects: 0 });
  expect(res.status()).toBe(303);
  const id = /\/shop\/orders\/(ord_[a-z0-9]+)/.exec(res.headers()['location'] ?? '')?.[1];
  expect(id).toBeTruthy();
  expect(res.headers()['set-cookie']).toMatch(/HttpOnly/i);
  expect((await api.getOrder(id!)).amount).toBe(12800);
  const bad = await page.request.post('/shop/checkout', { form: { product: 'gold' }, maxRedirects: 0 });
  expect(bad.status()).toBe(400);
});
