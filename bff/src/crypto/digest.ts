/**
 * Hashes used by provider signatures, on UTF-8 bytes (docs/providers/README.md "Signatures").
 * Strings are always encoded as UTF-8: `body=测试商品` must hash the same on every platform.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type BinaryLike = string | Uint8Array;

const bytesOf = (data: BinaryLike): Uint8Array => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data);

/** MD5, upper-case hex (chaoying and the SwiftPass family, huishouyin). */
export function md5UpperHex(data: BinaryLike): string {
  return createHash('md5').update(bytesOf(data)).digest('hex').toUpperCase();
}

/** SHA-256, lower-case hex (scanforpay). */
export function sha256Hex(data: BinaryLike): string {
  return createHash('sha256').update(bytesOf(data)).digest('hex');
}

/** HMAC-SHA256, lower-case hex (PayQR's own shop webhooks). */
export function hmacSha256Hex(key: BinaryLike, data: BinaryLike): string {
  return createHmac('sha256', bytesOf(key)).update(bytesOf(data)).digest('hex');
}

/**
 * Constant-time string equality that is safe for different lengths: both sides are first
 * reduced to fixed-size digests, so neither the position of the first difference nor the
 * expected length leaks through timing. Case-sensitive: normalise (e.g. upper-case hex)
 * before calling when the scheme is case-insensitive.
 */
export function timingSafeEqualString(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
