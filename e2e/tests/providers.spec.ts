/**
 * Issue 4 (desktop part): one QR payment through each QR provider, end to end — the widget on a
 * shop page, the QR decoded from pixels equals the attempt's `qr.content`, the payer pays, the
 * provider's notification settles the order.
 *
 * main server (default routing): chaoying for wechat/alipay/ecny, umf-mofun for unionpay.
 * alt server (`wechat:qr=umf-mofun,scanforpay; alipay:qr=scanforpay`): umf-mofun for wechat,
 * scanforpay for alipay, and scanforpay for wechat when umf-mofun does not answer (fault).
 * Serial: faults on the alt server must not meet another test's attempt.
 */
import { ALT, expect, MAIN, qrDecode, test, type ApiClient, type Channel, type E2eServer, type PayQrWidget, type ProviderId, type ShopPage, type Payer } from '../fixtures';

test.describe.configure({ mode: 'serial' });

async function payThrough(
  { api, shopPage, payer }: { api: ApiClient; shopPage: ShopPage; payer: Payer },
  server: E2eServer,
  channel: Channel,
  provider: ProviderId,
): Promise<PayQrWidget> {
  const order = await api.createOrder({ amount: 888, subject: `E2E ${provider} ${channel}` });
  const widget = await shopPage.open({ order, server });
  const content = await widget.choose(channel);
  expect(await qrDecode(widget)).toBe(content);
  const attempt = (await api.getOrder(order.id)).attempt!;
  expect(attempt).toMatchObject({ provider, channel, status: 'pending', qr: { content } });
  expect(content.startsWith(`${server.url}/sandbox/pay/`)).toBe(true);
  const session = await payer.session(content);
  expect(session).toMatchObject({ provider, outTradeNo: attempt.outTradeNo, amount: 888, currency: 'CNY', state: 'open' });

  const phone = await payer.open(content);
  await phone.pay();
  await phone.page.close();
  await widget.expectStatus('paid');
  const paid = await api.waitForOrderStatus(order.id, 'paid');
  expect(paid).toMatchObject({ channel, attempt: { id: attempt.id, provider, status: 'paid' } });
  return widget;
}

const MAIN_ROUTES: Array<[Channel, ProviderId]> = [
  ['wechat', 'chaoying'],
  ['alipay', 'chaoying'],
  ['ecny', 'chaoying'],
  ['unionpay', 'umf-mofun'],
];

for (const [channel, provider] of MAIN_ROUTES) {
  test(`${provider}: ${channel} QR payment (default routing)`, async ({ api, shopPage, payer }) => {
    const widget = await payThrough({ api, shopPage, payer }, MAIN, channel, provider);
    if (channel === 'unionpay') await widget.screenshotState('paid-unionpay');
  });
}

test.describe('alt routing', () => {
  test.afterEach(async ({ altApi }) => {
    await altApi.clearFaults();
  });

  test('umf-mofun: wechat QR payment (PAYQR_ROUTING wechat:qr=umf-mofun,…)', async ({ altApi, shopPage, payer }) => {
    await payThrough({ api: altApi, shopPage, payer }, ALT, 'wechat', 'umf-mofun');
  });

  test('scanforpay: alipay QR payment (PAYQR_ROUTING alipay:qr=scanforpay)', async ({ altApi, shopPage, payer }) => {
    const widget = await payThrough({ api: altApi, shopPage, payer }, ALT, 'alipay', 'scanforpay');
    await widget.screenshotState('paid-scanforpay-alipay');
  });

  test('scanforpay: wechat QR payment when umf-mofun does not answer (fallback to the next provider)', async ({ altApi, shopPage, payer }) => {
    await altApi.setFaults('umf-mofun', { http500: true });
    await payThrough({ api: altApi, shopPage, payer }, ALT, 'wechat', 'scanforpay');
  });
});
