/**
 * Server-side pieces of the demo shop (sandbox mode only): the checkout cookie and reading an
 * order for the page that owns it.
 */
import { cookies, headers } from 'next/headers';
import { getApp } from '../../src/next/app-instance';
import { getOrder, loadOrderFor } from '../../src/payments/orders';
import type { OrderView } from '../../src/payments/views';
import { checkoutCookieName } from '../../src/shop/catalog';

export async function sandboxApp() {
  const app = await getApp();
  return app.config.mode === 'sandbox' ? app : undefined;
}

/**
 * The order as the shop server sees it — only for the browser holding that checkout's cookie
 * (its client secret, checked like the widget's). Undefined when the cookie is missing or wrong.
 */
export async function readCheckout(orderId: string): Promise<{ view: OrderView; secret: string } | undefined> {
  const app = await sandboxApp();
  if (!app) return undefined;
  const secret = (await cookies()).get(checkoutCookieName(orderId))?.value;
  if (!secret) return undefined;
  try {
    await loadOrderFor(app.ctx, orderId, { kind: 'client', secret });
  } catch {
    return undefined;
  }
  return { view: await getOrder(app.ctx, orderId, { kind: 'shop' }), secret };
}

/** This request's own origin (the widget's `endpoint`): the BFF serves the shop. */
export async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = (h.get('x-forwarded-proto') ?? 'http').split(',')[0]!.trim();
  return `${proto}://${host}`;
}
