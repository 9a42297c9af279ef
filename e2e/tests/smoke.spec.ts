import { expect, test } from '../fixtures';

test('infrastructure: servers are up, the widget loads on another origin and pays', async ({ api, altApi, shopPage, payer }) => {
  expect((await api.health()).status).toBe('ok');
  expect((await altApi.health()).status).toBe('ok');
  const order = await api.createOrder();
  const widget = await shopPage.open({ order });
  await expect(widget.picker).toBeVisible();
  const content = await widget.choose('wechat');
  expect(content).toMatch(/^http:\/\/127\.0\.0\.1:3210\/sandbox\/pay\//);
  await payer.pay(content);
  await widget.expectStatus('paid');
});
