/**
 * The order itself runs out (the shortest order lifetime is 60 s): the widget says so, fires
 * `pay-qr-expired`, and the code can no longer be paid. In its own file so that this minute
 * runs beside the other specs rather than after them.
 */
import { expect, test } from '../fixtures';

test('the order runs out (expiresInSeconds 60) → expired, pay-qr-expired fires', async ({ api, shopPage, payer }) => {
  test.setTimeout(120_000);
  const order = await api.createOrder({ expiresInSeconds: 60 });
  const widget = await shopPage.open({ order });
  await widget.recordEvents();
  const qr = await widget.choose('wechat');
  await widget.expectStatus('expired', 75_000);
  await expect(widget.status).toHaveText('订单已过期');
  await widget.waitForEvent('pay-qr-expired');
  await expect(widget.qr).toHaveCount(0);
  await widget.screenshotState('expired');
  expect((await api.getOrder(order.id)).status).toBe('expired');
  expect((await payer.act(qr, 'pay')).ok).toBe(false);
});
