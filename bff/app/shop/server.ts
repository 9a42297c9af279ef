/**
 * Server-side pieces of the demo shop (sandbox mode only). The shop talks to PayQR the way any
 * shop's server does: over HTTP with @payqr/node and the API key. In this demo the shop is served
 * by PayQR's own process, so it calls itself on `config.internalUrl`; a real shop uses its PayQR
 * URL and its `PAYQR_API_KEY`.
 */
import { PayQr, PayQrNotFoundError, type Order } from '@payqr/node';
import { cookies, headers } from 'next/headers';
import { getApp } from '../../src/next/app-instance';
import { checkoutCookieName } from '../../src/shop/catalog';
import { checkoutCookieKey, readCheckoutCookie } from '../../src/shop/checkout-cookie';

export interface ShopBackend {
  payqr: PayQr;
  /** signs the checkout cookie (checkout-cookie.ts) */
  cookieKey: Buffer;
  /** PayQR's URL as browsers reach it (the sandbox panel's links) */
  publicUrl: string;
}

/** The demo shop's server, or undefined outside sandbox mode (the demo has no login). */
export async function shopBackend(): Promise<ShopBackend | undefined> {
  const app = await getApp();
  if (app.config.mode !== 'sandbox') return undefined;
  return {
    payqr: new PayQr({ baseUrl: app.config.internalUrl, apiKey: app.config.apiKey }),
    cookieKey: checkoutCookieKey(app.config.apiKey),
    publicUrl: app.config.publicUrl,
  };
}

/**
 * The order as the shop server sees it — only for the browser holding that checkout's cookie.
 * Undefined when the cookie is missing or not this shop's for this order, or PayQR has no such
 * order; any other PayQR failure is thrown (the page says the shop failed, not "not found").
 */
export async function readCheckout(shop: ShopBackend, orderId: string): Promise<{ view: Order; secret: string } | undefined> {
  const secret = readCheckoutCookie(shop.cookieKey, orderId, (await cookies()).get(checkoutCookieName(orderId))?.value);
  if (!secret) return undefined;
  try {
    return { view: await shop.payqr.orders.retrieve(orderId), secret };
  } catch (err) {
    if (err instanceof PayQrNotFoundError) return undefined;
    throw err;
  }
}

/** This request's own origin (the widget's `endpoint`): the BFF serves the shop. */
export async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = (h.get('x-forwarded-proto') ?? 'http').split(',')[0]!.trim();
  return `${proto}://${host}`;
}
