/**
 * Issue 5: inside the wallet apps and on mobile. Chromium with the apps' user agents, touch and
 * a phone viewport; the WeChat and Alipay bridges are the sandbox wallet's fakes
 * (`/sandbox/wallet/bridges.js`), which hand the page's parameters to the sandbox to be
 * verified (WeChat: exactly the six fields, `paySign` recomputed) before anything is paid.
 * The widget's own code is the shipped bundle, unchanged. Only the server's order status ever
 * makes the widget say paid.
 */
import type { Page, Request } from '@playwright/test';
import { expect } from '../fixtures';
import { expectWidgetStatus, openPhone, setPageVisible, statusTrail, tapWechatPayAndSignIn, test, walletCalls, type Phone } from '../fixtures/inapp';

const SIX = ['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp'];

/** The widget's status reads of one order (`GET {bff}/api/orders/{id}…`): all of them, and those on the wire now. */
function statusReads(page: Page, bffUrl: string, orderId: string) {
  const isRead = (r: Request) => r.method() === 'GET' && r.url().startsWith(`${bffUrl}/api/orders/${orderId}`);
  const all: string[] = [];
  const open = new Set<Request>();
  page.on('request', (r) => isRead(r) && (all.push(r.url()), open.add(r)));
  page.on('requestfinished', (r) => open.delete(r));
  page.on('requestfailed', (r) => open.delete(r));
  return { all, open };
}
let phone: Phone | undefined;
test.afterEach(async () => {
  await phone?.close();
  phone = undefined;
});

test.describe('inside WeChat (MicroMessenger): official-account pay through chaoying JSPAY', () => {
  test('OAuth round trip for the openid, getBrandWCPayRequest with the six fields, paid by the server', async ({ browser, realShop, api }) => {
    phone = await openPhone(browser, realShop, 'wechat');
    const { page } = phone;
    const order = await api.createOrder({ amount: 1999, subject: 'E2E 微信内支付 WeChat in-app' });
    const widget = await phone.open({ order });
    await widget.recordEvents();

    // same tab: the BFF's helper → simulated WeChat authorize → callback → back to the shop page
    const shopUrl = page.url();
    const { hops, callbackLocation } = await tapWechatPayAndSignIn(page, widget);
    expect(hops.map((u) => new URL(u).pathname)).toEqual(['/api/wechat/oauth', '/sandbox/wechat/connect/oauth2/authorize', '/api/wechat/oauth/callback', new URL(shopUrl).pathname]);
    expect(new URL(hops[0]!).searchParams.get('return')).toBe(shopUrl);
    expect(callbackLocation).toMatch(new RegExp(`^${shopUrl}#payqr_openid=o[\\w-]{27}$`));
    expect(new URL(hops[1]!).searchParams.get('scope')).toBe('snsapi_base');
    await expectWidgetStatus(widget, 'paid');
    expect(new URL(page.url()).hash).toBe(''); // the openid left the address bar

    const calls = await walletCalls(page);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ bridge: 'wechat', method: 'getBrandWCPayRequest', result: { err_msg: 'get_brand_wcpay_request:ok' } });
    expect(Object.keys(calls[0]!.params).sort()).toEqual(SIX);

    const server = await api.getOrder(order.id);
    expect(server).toMatchObject({ status: 'paid', channel: 'wechat', attempt: { scene: 'jsapi', provider: 'chaoying', status: 'paid' } });
    expect(calls[0]!.params.package).toMatch(/^prepay_id=/);
    const trail = await statusTrail(widget);
    expect(trail).toContain('paying');
    expect(trail.at(-1)).toBe('paid');
    expect((await widget.events('pay-qr-paid')).length).toBe(1);
    await widget.screenshotState('inapp-wechat-paid');
    expect(phone.pageErrors).toEqual([]);
  });

  test('a bridge "ok" is not a payment: confirming until the server knows, then paid', async ({ browser, realShop, api }) => {
    // A bridge that says ok without paying anything (the sandbox bridges are not installed).
    phone = await openPhone(browser, realShop, 'wechat', { bridges: false });
    await phone.context.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      const calls: unknown[] = (w.__payqrWalletCalls = []);
      document.addEventListener('DOMContentLoaded', () => {
        w.WeixinJSBridge = {
          invoke: (method: string, params: unknown, cb: (r: { err_msg: string }) => void) => {
            calls.push({ bridge: 'wechat', method, params });
            setTimeout(() => cb({ err_msg: 'get_brand_wcpay_request:ok' }), 20);
          },
        };
        document.dispatchEvent(new Event('WeixinJSBridgeReady'));
      });
    });
    const order = await api.createOrder({ amount: 880 });
    const reads = statusReads(phone.page, api.url, order.id);
    const widget = await phone.open({ order });
    await tapWechatPayAndSignIn(phone.page, widget);
    await expectWidgetStatus(widget, 'confirming');
    await expect(widget.status).toHaveText('正在确认支付结果…');
    await widget.screenshotState('inapp-wechat-confirming');
    // The widget has had the server's word on the order as it stands (open, the attempt pending)
    // once it long-polls from that version: the bridge's "ok" still only makes it confirm.
    const { version, status } = await api.getOrder(order.id);
    expect(status).toBe('open');
    await expect.poll(() => reads.all.some((u) => new URL(u).searchParams.get('since') === String(version))).toBe(true);
    expect(await widget.host.evaluate((el) => (el as HTMLElement & { status: string }).status)).toBe('confirming');

    // now the real wallet pays with exactly what the page handed the bridge
    const [call] = await walletCalls(phone.page);
    const paid = await fetch(`${api.url}/sandbox/wallet/wechat/pay`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ params: call!.params, choice: 'ok' }) }).then((r) => r.json());
    expect(paid).toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
    await expectWidgetStatus(widget, 'paid');
  });

  test('cancelled in the payment sheet: back to choosing, the order still payable', async ({ browser, realShop, api }) => {
    phone = await openPhone(browser, realShop, 'wechat', { wallet: { wechat: 'cancel' } });
    const order = await api.createOrder({ amount: 1200 });
    const widget = await phone.open({ order });
    await widget.recordEvents();
    await tapWechatPayAndSignIn(phone.page, widget);
    await expect.poll(async () => (await walletCalls(phone!.page)).length).toBe(1);
    await expectWidgetStatus(widget, 'choose');
    await expect(widget.picker).toBeVisible();
    await expect(widget.qr).toHaveCount(0);
    expect((await walletCalls(phone.page))[0]!.result).toEqual({ err_msg: 'get_brand_wcpay_request:cancel' });
    expect((await api.getOrder(order.id)).status).toBe('open');
    expect(await widget.events('pay-qr-failed')).toEqual([]);
    await widget.screenshotState('inapp-wechat-cancelled');
  });

  test('failed in WeChat: failed with a retry, which pays again (no second sign-in)', async ({ browser, realShop, api }) => {
    phone = await openPhone(browser, realShop, 'wechat', { wallet: { wechat: 'fail' } });
    const order = await api.createOrder({ amount: 1500 });
    const widget = await phone.open({ order });
    await widget.recordEvents();
    await tapWechatPayAndSignIn(phone.page, widget);
    await expectWidgetStatus(widget, 'failed');
    await expect(widget.retry).toBeVisible();
    const failed = await widget.waitForEvent('pay-qr-failed');
    expect(failed.detail).toMatchObject({ orderId: order.id, status: 'failed', channel: 'wechat', error: { code: 'wallet_failed' } });
    await expect.poll(async () => (await api.getOrder(order.id)).attempt?.status).toBe('failed');
    await widget.screenshotState('inapp-wechat-failed');

    await phone.page.evaluate(() => ((window as unknown as { __payqrWallet: unknown }).__payqrWallet = { wechat: 'ok' }));
    const oauthAgain: string[] = [];
    phone.page.on('request', (r) => r.url().includes('/api/wechat/oauth') && oauthAgain.push(r.url()));
    await widget.retry.click();
    await expectWidgetStatus(widget, 'paid');
    expect(oauthAgain).toEqual([]);
    const calls = await walletCalls(phone.page);
    expect(calls.map((c) => c.result?.err_msg)).toEqual(['get_brand_wcpay_request:fail', 'get_brand_wcpay_request:ok']);
    expect(calls[1]!.params.package).not.toBe(calls[0]!.params.package); // a new attempt, a new prepay id
  });

  test('Alipay inside WeChat: the code, and "open this page in a browser"', async ({ browser, realShop, api }) => {
    phone = await openPhone(browser, realShop, 'wechat');
    const order = await api.createOrder();
    const widget = await phone.open({ order });
    await widget.channel('alipay').click();
    await expectWidgetStatus(widget, 'scan');
    await expect(widget.status).toHaveText('请点击右上角「···」在浏览器中打开，再用支付宝付款');
    await expect(widget.qr).toBeVisible();
    await widget.screenshotState('inapp-alipay-in-wechat');
  });
});

test.describe('inside Alipay (AlipayClient): tradePay through chaoying JSPAY', () => {
  test('9000: paid (by the server), with the payer’s buyer-id', async ({ browser, realShop, api }) => {
    phone = await openPhone(browser, realShop, 'alipay');
    const order = await api.createOrder({ amount: 2600 });
    const widget = await phone.open({ order, attributes: { 'buyer-id': '2088000000000001' } });
    await widget.channel('alipay').click();
    await expectWidgetStatus(widget, 'paid');
    const [call] = await walletCalls(phone.page);
    expect(call).toMatchObject({ bridge: 'alipay', method: 'tradePay', params: { tradeNO: expect.stringMatching(/^\d+$/) }, result: { resultCode: '9000' } });
    expect(await api.getOrder(order.id)).toMatchObject({ status: 'paid', channel: 'alipay', attempt: { scene: 'jsapi' } });
  });

  test('6004 (result unknown): confirming until the server confirms the payment', async ({ browser, realShop, api }) => {
    phone = await openPhone(browser, realShop, 'alipay', { wallet: { alipay: '6004', settleAfterMs: 2500 } });
    const order = await api.createOrder({ amount: 3300 });
    const widget = await phone.open({ order, attributes: { 'buyer-id': '2088000000000001' } });
    await widget.channel('alipay').click();
    await expectWidgetStatus(widget, 'confirming');
    await expect(widget.status).toHaveText('正在确认支付结果…');
    expect((await api.getOrder(order.id)).status).toBe('open');
    await widget.screenshotState('inapp-alipay-confirming');
    await expectWidgetStatus(widget, 'paid');
    expect((await walletCalls(phone.page))[0]!.result).toMatchObject({ resultCode: '6004' });
  });
});

test.describe('in a mobile browser: hand-over by link', () => {
  test('Alipay: a real <a href> to the h5 URL; following it lands on the sandbox payer page', async ({ browser, realShop, api }) => {
    phone = await openPhone(browser, realShop, 'iphoneSafari');
    const order = await api.createOrder({ amount: 1888 });
    const widget = await phone.open({ order });
    const shopUrl = phone.page.url();
    await widget.channel('alipay').click();
    await expectWidgetStatus(widget, 'handoff');
    const link = widget.host.getByRole('link', { name: '打开支付宝付款' });
    await expect(link).toBeVisible();
    const href = await link.getAttribute('href');
    expect(href).toBe((await api.getOrder(order.id)).attempt?.h5?.url);
    expect(href).toMatch(new RegExp(`^${api.url}/sandbox/pay/`));
    expect(await link.getAttribute('target')).toBeNull();
    await expect(widget.status).toHaveText('点击按钮前往支付宝付款，完成后返回此页面');
    await widget.screenshotState('inapp-mobile-handoff');

    const popups: unknown[] = [];
    phone.page.on('popup', (p) => popups.push(p));
    await link.tap();
    await phone.page.waitForURL(`${href}`);
    await expect(phone.page.getByRole('button', { name: /^支付 Pay/ })).toBeVisible();
    expect(popups).toEqual([]); // same tab, no window.open
    await phone.page.getByRole('button', { name: /^支付 Pay/ }).tap();
    await expect(phone.page.getByRole('status')).toContainText('支付成功');
    await phone.page.goto(shopUrl); // back to the shop
    await expectWidgetStatus(widget, 'paid');
  });

  test('leaving for the wallet app and coming back: the status is checked at once', async ({ browser, realShop, api, payer }) => {
    phone = await openPhone(browser, realShop, 'androidChrome');
    const order = await api.createOrder({ amount: 990 });
    const reads = statusReads(phone.page, api.url, order.id);
    const widget = await phone.open({ order });
    await widget.channel('alipay').click();
    await expectWidgetStatus(widget, 'handoff');
    const url = (await api.getOrder(order.id)).attempt!.h5!.url;

    await setPageVisible(phone.page, false); // the wallet app is in front
    await expect.poll(() => reads.open.size).toBe(0); // the long-poll on the wire was dropped
    const readsWhenHidden = reads.all.length;
    await payer.pay(url); // the payment happens there
    await api.waitForOrderStatus(order.id, 'paid');
    // Hidden, the widget asked nothing, so it cannot know yet.
    expect(reads.all).toHaveLength(readsWhenHidden);
    expect(await widget.host.evaluate((el) => (el as HTMLElement & { status: string }).status)).toBe('handoff');

    const checked = phone.page.waitForRequest((r) => r.url().startsWith(`${api.url}/api/orders/${order.id}`) && r.method() === 'GET', { timeout: 2000 });
    const back = Date.now();
    await setPageVisible(phone.page, true);
    await checked;
    await expectWidgetStatus(widget, 'paid', 3000);
    expect(Date.now() - back).toBeLessThan(3000); // not the next 25 s long-poll
  });

  test('e-CNY and UnionPay hand over by link; WeChat Pay shows the code with "long-press to save, scan in WeChat"', async ({ browser, realShop, api }) => {
    phone = await openPhone(browser, realShop, 'iphoneSafari');
    const order = await api.createOrder({ amount: 4200 });
    const widget = await phone.open({ order });

    await widget.channel('ecny').click();
    await expect(widget.host.getByRole('link', { name: '打开数字人民币付款' })).toHaveAttribute('href', /\/sandbox\/pay\//);
    expect(await api.getOrder(order.id)).toMatchObject({ attempt: { channel: 'ecny', scene: 'h5', provider: 'chaoying' } });

    await widget.channel('unionpay').click();
    await expect(widget.host.getByRole('link', { name: '打开银联云闪付付款' })).toHaveAttribute('href', /\/sandbox\/pay\//);
    expect(await api.getOrder(order.id)).toMatchObject({ attempt: { channel: 'unionpay', scene: 'h5', provider: 'umf-mofun' } });

    await widget.channel('wechat').click();
    await expectWidgetStatus(widget, 'scan');
    await expect(widget.status).toHaveText('长按保存二维码，在微信中扫一扫');
    // a PNG image on phones, so a long press can save it; the same text as the vector code
    const img = widget.host.locator('img[part~="qr"]');
    await expect(img).toBeVisible();
    expect(await img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await img.getAttribute('data-qr-content')).toBe((await api.getOrder(order.id)).attempt?.qr?.content);
    expect(await img.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    await widget.screenshotState('inapp-mobile-wechat-qr');
  });
});

test('inside a UnionPay app (CloudPay): UnionPay opens its pay URL by link', async ({ browser, realShop, api }) => {
  phone = await openPhone(browser, realShop, 'cloudpay');
  const order = await api.createOrder({ amount: 1000 });
  const widget = await phone.open({ order });
  await widget.channel('unionpay').click();
  await expectWidgetStatus(widget, 'handoff');
  await expect(widget.host.getByRole('link', { name: '打开银联云闪付付款' })).toBeVisible();
  expect(await api.getOrder(order.id)).toMatchObject({ attempt: { channel: 'unionpay', scene: 'jsapi', provider: 'umf-mofun' } });
});

test('on a desktop nothing changes: a QR code, no in-app chunk', async ({ page, api, shopPage }) => {
  const chunks: string[] = [];
  page.on('request', (r) => /\/widget\/.*\.js$/.test(r.url()) && chunks.push(new URL(r.url()).pathname));
  const order = await api.createOrder();
  const widget = await shopPage.open({ order });
  await widget.choose('alipay');
  expect((await api.getOrder(order.id)).attempt?.scene).toBe('qr');
  expect(chunks.some((c) => c.includes('in-app'))).toBe(false);
});
