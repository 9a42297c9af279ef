/**
 * Every widget state a shopper can meet, each checked by role and saved as a screenshot
 * (`e2e/screenshots/<state>.png`): loading, creating, failed → retry, canceled, error (expired: expiry.spec.ts).
 * (choose, scan, qr-expired, paid and the network notice are shot by the flows that reach them.)
 */
import { expect, test } from '../fixtures';

test('loading and creating are shown while the BFF answers slowly', async ({ page, api, shopPage }) => {
  const order = await api.createOrder();
  let releaseOrder!: () => void;
  const orderGate = new Promise<void>((r) => (releaseOrder = r));
  await page.route(`**/api/orders/${order.id}`, async (route) => {
    await orderGate;
    await route.continue();
  });
  const widget = await shopPage.open({ order });
  await widget.expectStatus('loading');
  await expect(widget.status).toHaveText('正在加载订单…');
  await widget.screenshotState('loading');
  releaseOrder();
  await expect(widget.picker).toBeVisible();

  let releaseAttempt!: () => void;
  const attemptGate = new Promise<void>((r) => (releaseAttempt = r));
  await page.route(`**/api/orders/${order.id}/attempts`, async (route) => {
    await attemptGate;
    await route.continue();
  });
  await widget.channel('alipay').click();
  await widget.expectStatus('creating');
  await expect(widget.status).toHaveText('正在生成付款码…');
  await widget.screenshotState('creating');
  releaseAttempt();
  await expect(widget.qr).toBeVisible();
});

test('the payer declines → failed with "重新支付" → retry gives a new QR that pays', async ({ api, shopPage, payer }) => {
  const order = await api.createOrder();
  const widget = await shopPage.open({ order });
  await widget.recordEvents();
  const first = await widget.choose('wechat');
  await payer.decline(first);

  await expect(widget.retry).toBeVisible();
  await widget.expectStatus('failed');
  await expect(widget.status).toHaveText('支付未完成');
  const failed = await widget.waitForEvent('pay-qr-failed');
  expect(failed.detail).toMatchObject({ orderId: order.id, status: 'failed', channel: 'wechat' });
  expect((await api.getOrder(order.id)).status).toBe('open');
  await widget.screenshotState('failed');

  await widget.retry.click();
  await expect(widget.qr).toBeVisible();
  const second = await widget.qrContent();
  expect(second).not.toBe(first);
  await payer.pay(second);
  await widget.expectStatus('paid');
});

test('the shop cancels the order → canceled, pay-qr-cancel fires, nothing left to press', async ({ api, shopPage, payer }) => {
  const order = await api.createOrder();
  const widget = await shopPage.open({ order });
  await widget.recordEvents();
  // wechat (chaoying) has a close API; umf-mofun has none, its QR lapses at its own expiry
  const qr = await widget.choose('wechat');
  await api.cancelOrder(order.id);
  await widget.expectStatus('canceled');
  await expect(widget.status).toHaveText('订单已取消');
  await widget.waitForEvent('pay-qr-cancel');
  await expect(widget.picker).toHaveCount(0);
  await expect(widget.qr).toHaveCount(0);
  await widget.screenshotState('canceled');
  expect((await payer.act(qr, 'pay')).ok).toBe(false);
});

test('an unknown order or a wrong secret → error, pay-qr-failed with status "error"', async ({ api, shopPage }) => {
  const order = await api.createOrder();
  const widget = await shopPage.open({ order: { id: order.id, clientSecret: 'cs_wrongwrongwrongwrongwrongwrong00' } });
  await widget.recordEvents();
  await widget.expectStatus('error');
  await expect(widget.status).toHaveText('无法加载订单，请返回商户页面重试');
  await expect(widget.picker).toHaveCount(0);
  await widget.screenshotState('error');
});
