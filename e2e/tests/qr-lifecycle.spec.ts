/**
 * Issue 3 (desktop): what happens to a QR over its life — it expires and is regenerated, a
 * channel switch closes the previous attempt at the simulator too, and a lost connection to the
 * BFF is a state the widget recovers from by itself.
 */
import { BffLink, expect, MAIN, qrDecode, test } from '../fixtures';

test('a short-lived QR expires → "刷新付款码" → the NEW QR pays the order', async ({ demoShop, payer, api }) => {
  await demoShop.goto({ ttl: 5 });
  const { orderId, widget } = await demoShop.buy('安溪铁观音');
  await widget.recordEvents();
  const first = await widget.choose('wechat');
  const firstAttempt = (await api.getOrder(orderId)).attempt!;
  await expect(widget.countdown).toHaveText(/^00:0[0-5]$/);

  await expect(widget.regenerate).toBeVisible({ timeout: 15_000 });
  await widget.expectStatus('qr-expired');
  await expect(widget.status).toHaveText('付款码已失效');
  await expect(widget.qr).toHaveCount(0);
  await widget.screenshotState('qr-expired');
  // an expired QR is not an expired order: no pay-qr-expired event
  expect(await widget.events('pay-qr-expired')).toHaveLength(0);
  expect((await api.getOrder(orderId)).status).toBe('open');

  await widget.regenerate.click();
  await expect(widget.qr).toBeVisible();
  const second = await widget.qrContent();
  expect(second).not.toBe(first);
  expect(await qrDecode(widget)).toBe(second);
  const secondAttempt = (await api.getOrder(orderId)).attempt!;
  expect(secondAttempt.qr?.content).toBe(second);
  expect(secondAttempt.id).not.toBe(firstAttempt.id);
  // the old code cannot be paid any more
  expect((await payer.act(first, 'pay')).ok).toBe(false);

  await payer.payInPage(second);
  await widget.expectStatus('paid');
  expect(await api.getOrder(orderId)).toMatchObject({ status: 'paid', attempt: { id: secondAttempt.id, status: 'paid' } });
});

test('switching channel closes the previous attempt, at the simulator too', async ({ demoShop, payer, api }) => {
  await demoShop.goto();
  const { orderId, widget } = await demoShop.buy('勐海普洱熟茶饼');
  const wechatQr = await widget.choose('wechat');
  const wechatAttempt = (await api.getOrder(orderId)).attempt!;
  expect(wechatAttempt).toMatchObject({ channel: 'wechat', status: 'pending' });

  const alipayQr = await widget.choose('alipay');
  expect(alipayQr).not.toBe(wechatQr);
  await expect(widget.channel('wechat')).toHaveAttribute('aria-pressed', 'false');
  const current = (await api.getOrder(orderId)).attempt!;
  expect(current).toMatchObject({ channel: 'alipay', status: 'pending' });
  expect(current.id).not.toBe(wechatAttempt.id);
  expect(current.outTradeNo).not.toBe(wechatAttempt.outTradeNo);

  // The simulator closed the first order: its payer page refuses to pay.
  await expect.poll(async () => (await payer.session(wechatQr)).state).toBe('closed');
  const old = await payer.open(wechatQr);
  await expect(old.payButton).toHaveCount(0);
  await expect(old.page.getByText('此订单不能再支付')).toBeVisible();
  const refused = await payer.act(wechatQr, 'pay');
  expect(refused).toMatchObject({ ok: false, reason: 'closed' });
  await old.page.close();

  await payer.pay(alipayQr);
  await widget.expectStatus('paid');
  expect(await api.getOrder(orderId)).toMatchObject({ status: 'paid', channel: 'alipay', attempt: { id: current.id, status: 'paid' } });
});

test('the BFF unreachable for a few seconds: the widget shows it, recovers by itself and still reaches paid', async ({ page, demoShop, payer, api }) => {
  const link = await BffLink.install(page, MAIN.url);
  await demoShop.goto();
  const { orderId, widget } = await demoShop.buy('西湖龙井');
  const qr = await widget.choose('wechat');

  await link.cut();
  await expect(widget.status).toContainText('网络异常，正在重试', { timeout: 5000 });
  await expect(widget.host.locator('[part="notice"]')).toBeVisible();
  // a network problem is not a payment problem: the code stays up
  await expect(widget.qr).toBeVisible();
  await widget.expectStatus('scan');
  await widget.screenshotState('network-error');

  // The payer pays while the widget cannot reach the BFF …
  await payer.pay(qr);
  await expect.poll(async () => (await api.getOrder(orderId)).status).toBe('paid');
  // The widget keeps retrying meanwhile: one more of its requests fails after the payment, and
  // it still says so (it cannot know).
  const droppedByPayment = link.dropped;
  await expect.poll(() => link.dropped, { timeout: 40_000 }).toBeGreaterThan(droppedByPayment);
  expect(link.dropped).toBeGreaterThan(1);
  await expect(widget.status).toContainText('网络异常');

  // … and once the BFF is reachable again the widget finds out by itself.
  link.restore();
  await widget.expectStatus('paid', 20_000);
  await expect(widget.status).toHaveText('支付成功');
  await expect(widget.host.locator('[part="notice"]')).toHaveCount(0);
});
