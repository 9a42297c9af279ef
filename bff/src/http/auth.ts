/**
 * Credentials: the shop server's API key, or an order's client secret (the widget).
 * Both are compared in constant time; an API key never belongs in a browser.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { unauthorized } from '../core/errors';

export function bearerToken(req: Request): string | undefined {
  const h = req.headers.get('authorization');
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality of two secrets of any length (compares their digests). */
export function secretEquals(a: string, b: string): boolean {
  return timingSafeEqual(sha(a), sha(b));
}

export function requireApiKey(req: Request, apiKey: string): void {
  const token = bearerToken(req);
  if (!token) throw unauthorized('Missing API key: send "Authorization: Bearer <PAYQR_API_KEY>" from your server.');
  if (!apiKey || !secretEquals(token, apiKey)) throw unauthorized('Invalid API key.');
}
