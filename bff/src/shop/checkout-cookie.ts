/**
 * The demo shop's checkout cookie: which browser owns which order. Its value is the order's
 * client secret (the page hands it to `<pay-qr>`) and a MAC over the order id and that secret,
 * keyed by the shop server's own key — so the shop knows the browser holding it bought this
 * order without asking PayQR anything but the order itself (with its API key, through
 * @payqr/node). A real shop keeps this in its session; the idea is the same: the server decides
 * whose checkout it is, the browser only carries a value it cannot forge.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const CONTEXT = 'payqr demo shop: checkout cookie v1';

/** The MAC key, derived from the shop server's secret (here: its PayQR API key) for this use only. */
export function checkoutCookieKey(shopServerSecret: string): Buffer {
  return createHmac('sha256', shopServerSecret).update(CONTEXT).digest();
}

const mac = (key: Buffer, orderId: string, clientSecret: string) =>
  createHmac('sha256', key).update(`${orderId}\n${clientSecret}`).digest('base64url');

/** `<client secret>.<mac>` (cookie-safe characters only). */
export function checkoutCookieValue(key: Buffer, orderId: string, clientSecret: string): string {
  return `${clientSecret}.${mac(key, orderId, clientSecret)}`;
}

/** The client secret if the cookie was made by this shop for this order; otherwise undefined. */
export function readCheckoutCookie(key: Buffer, orderId: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const secret = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'utf8');
  const expected = Buffer.from(mac(key, orderId, secret), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected) ? secret : undefined;
}
