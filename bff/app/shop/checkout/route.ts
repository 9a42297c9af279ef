/**
 * "Buy": the demo shop's server creates the order at PayQR (@payqr/node, API key). The browser
 * sends a product id; the price comes from the catalogue. The client secret goes into an
 * httpOnly cookie scoped to that order's page, signed by the shop (checkout-cookie.ts), and the
 * browser is sent there.
 */
import { randomBytes } from 'node:crypto';
import { PayQrError } from '@payqr/node';
import { checkoutCookieName, demoMerchantOrderId, demoMetadata, findProduct, parseDemoOptions } from '../../../src/shop/catalog';
import { checkoutCookieValue } from '../../../src/shop/checkout-cookie';
import { shopBackend } from '../server';

export const dynamic = 'force-dynamic';

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

export async function POST(req: Request): Promise<Response> {
  const shop = await shopBackend();
  if (!shop) return text(404, 'The demo shop runs only in sandbox mode.');
  const form = await req.formData().catch(() => undefined);
  const product = findProduct(form?.get('product'));
  if (!form || !product) return text(400, 'Unknown product.');
  const options = parseDemoOptions(form);
  const now = Date.now();
  try {
    const order = await shop.payqr.orders.create({
      merchantOrderId: demoMerchantOrderId(now, randomBytes(4).toString('hex').toUpperCase()),
      amount: product.amount,
      subject: `${product.name} ${product.weight}`,
      ...(options.ttl ? { attemptTtlSeconds: options.ttl } : {}),
      metadata: demoMetadata(product, options),
    });
    const secure = (req.headers.get('x-forwarded-proto') ?? new URL(req.url).protocol).startsWith('https');
    const maxAge = Math.max(60, Math.ceil((Date.parse(order.expiresAt) - now) / 1000) + 3600);
    const cookie = [
      `${checkoutCookieName(order.id)}=${checkoutCookieValue(shop.cookieKey, order.id, order.clientSecret)}`,
      `Path=/shop/orders/${order.id}`,
      'HttpOnly',
      'SameSite=Lax',
      `Max-Age=${maxAge}`,
      ...(secure ? ['Secure'] : []),
    ].join('; ');
    return new Response(null, {
      status: 303,
      headers: { location: `/shop/orders/${order.id}`, 'set-cookie': cookie, 'cache-control': 'no-store' },
    });
  } catch (err) {
    // a refusal passes through (400, 409 …); no answer from PayQR is the shop's 502
    if (err instanceof PayQrError) {
      const refused = err.status !== undefined && err.status >= 400 && err.status < 500;
      return text(refused ? err.status! : 502, `Could not create the order: ${err.message}`);
    }
    throw err;
  }
}
