/**
 * The demo cashier (`/cashier`) with `<pay-scan>` and a SIMULATED keyboard-wedge scanner (the
 * payer's code typed as a 5 ms key burst + Enter): every sandbox outcome of the payer code's last
 * two digits (fixtures/cashier.ts `cashierOutcomeTests`), here on umf-sp by the default routing
 * and in cashier-huishouyin.spec.ts on huishouyin by PAYQR_ROUTING, each state saved to
 * e2e/screenshots/cashier-<provider>-<state>.png. Then, on umf-sp, what
 * the till must never do: take a person's typing for a scan, send a code no wallet issues, let the
 * API key or a whole payer code out.
 *
 * Timing: the cashier servers run provider time 1:1 (fixtures/cashier.ts). The provider's own
 * query deadline (60 s, not scaled in the sandbox) is not waited for: "unknown → reversed" uses
 * the till's sandbox "scan deadline" (the order's attempt TTL, 8 s), after which PayQR reverses
 * the unknown scan exactly as at the provider deadline. One test also waits out the real 60 s one.
 */
// The table the sandbox simulators follow, straight from the BFF (one source of truth).
import { SANDBOX_AUTH_CODES as SANDBOX_CODES } from '../../bff/src/sandbox/micropay-outcomes';
import { cashierOutcomeTests, expect, test } from '../fixtures/cashier';

test.use({ cashierProvider: 'umf-sp' });
cashierOutcomeTests('umf-sp');

test.describe('cashier: what the till must not do', () => {
  test('a person typing the digits on the page is not a scanner; typing into the 付款码 field + Enter is', async ({ cashier, page }) => {
    await cashier.newSale({ amount: '1.00' });
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
    await page.keyboard.type(SANDBOX_CODES.wechat.paid, { delay: 120 });
    await page.keyboard.press('Enter');
    // A scan would have moved the element to `submitting` in that Enter's own keydown handler;
    // that no POST went out is checked at the end, after the real one.
    expect(await cashier.currentStatus()).toBe('ready');

    await cashier.codeField.click();
    await cashier.codeField.pressSequentially(SANDBOX_CODES.unionpay.paid, { delay: 60 });
    await cashier.codeField.press('Enter');
    await cashier.expectStatus('paid');
    await expect(cashier.status).toContainText('银联云闪付');
    expect(posts).toEqual([`${cashier.server.url}/cashier/api/scan`]);
  });

  test('a code no wallet issues is refused at once, without a request', async ({ cashier, page }) => {
    await cashier.newSale({ amount: '1.00' });
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
    await cashier.scan('993456789012345678');
    await expect(cashier.alert).toContainText('不是有效的付款码');
    await expect(cashier.codeField).toHaveAttribute('aria-invalid', 'true');
    await cashier.shoot('cashier-invalid-code');
    expect(posts).toEqual([]);
  });

  test('the sandbox table\'s 扫码 buttons scan like a scanner, and the page speaks English with lang=en', async ({ cashier, page }) => {
    await cashier.newSale({ amount: '2.00', lang: 'en' });
    await expect(cashier.status).toContainText("Scan the customer's payment code");
    await page.getByRole('button', { name: '扫码 支付宝 …02' }).click();
    await expect(cashier.status).toContainText('Customer is entering their password…', { timeout: 9000 });
    await cashier.shootPage('cashier-page-en-password');
    await cashier.expectStatus('paid');
    await expect(cashier.status).toContainText('Payment received');
  });

  test('the API key never reaches the browser: not in the page, not in a request, not in an answer', async ({ cashier, page }) => {
    const seen: Array<{ url: string; auth: string | undefined; body: string }> = [];
    page.on('response', async (r) => {
      const body = r.request().resourceType() === 'image' ? '' : await r.text().catch(() => '');
      seen.push({ url: r.url(), auth: r.request().headers().authorization, body });
    });
    await cashier.newSale({ basket: '生鲜一篮' });
    await cashier.scan(SANDBOX_CODES.wechat.paid);
    await cashier.expectStatus('paid');
    await cashier.shootPage('cashier-page-paid');
    expect(await page.content()).not.toContain(cashier.server.apiKey);
    const widget = await (await page.request.get(`${cashier.server.url}/widget/pay-scan.js`)).text();
    expect(widget).not.toContain(cashier.server.apiKey);
    expect(seen.some((s) => s.url.endsWith('/widget/pay-scan.js'))).toBe(true);
    for (const s of seen) {
      expect(s.auth, s.url).toBeUndefined();
      expect(s.body, s.url).not.toContain(cashier.server.apiKey);
      expect(new URL(s.url).pathname, 'the browser never calls PayQR\'s API').not.toMatch(/^\/api\/orders/);
    }
    expect(seen.filter((s) => s.url.includes('/cashier/api/scan')).length).toBeGreaterThan(0);
  });
});

test.describe('cashier: the provider\'s own 60 s deadline (real time, about 65 s)', () => {
  test('…04 unknown forever with no scan deadline: reversed when umf-sp\'s 60 s query window ends', async ({ cashier }) => {
    test.setTimeout(120_000);
    const orderId = await cashier.newSale({ amount: '9.00' });
    const started = Date.now();
    await cashier.scan(SANDBOX_CODES.alipay.unknown);
    await cashier.expectStatus('paying', 10_000);
    await cashier.expectStatus('reversed', 90_000);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(55);
    const order = await cashier.server.api.getOrder(orderId);
    expect(order.attempt).toMatchObject({ status: 'failed', failure: { code: expect.stringMatching(/^REVERSED/), message: 'QUERY_DEADLINE' } });
    await cashier.shoot('cashier-umf-sp-reversed-at-query-deadline');
  });
});
