/**
 * 超赢 MD5 signature (docs/providers/chaoying.md "Signing"; the SwiftPass / WeChat v2 MD5 family):
 *
 *   canonical = k=v&… over every received/sent field except `sign`, empty values dropped,
 *               keys sorted case-insensitively, raw values (no URL encoding)
 *   sign      = upper-hex MD5( canonical + "&key=" + merchant key )
 *
 * `sign_type`, when present, is a field like any other and therefore signed. The same rule
 * signs requests, responses and notifications — always computed on the map as sent or as
 * received, never on a re-serialised typed object.
 */
import { canonicalString } from '../../crypto/canonical';
import { md5UpperHex, timingSafeEqualString } from '../../crypto/digest';

export function chaoyingCanonical(fields: Readonly<Record<string, unknown>>): string {
  return canonicalString(fields, { order: 'case-insensitive', signatureFields: ['sign'] });
}

/** The exact string that is hashed, secret included: never log or print it as is. */
export function chaoyingStringToHash(fields: Readonly<Record<string, unknown>>, key: string): string {
  return `${chaoyingCanonical(fields)}&key=${key}`;
}

export function chaoyingSign(fields: Readonly<Record<string, unknown>>, key: string): string {
  return md5UpperHex(chaoyingStringToHash(fields, key));
}

export type ChaoyingSignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Verifies the `sign` of a raw field map. A missing or empty `sign` is `missing` (a failed
 * verification, reported separately for diagnostics). The comparison is constant-time and
 * ignores hex case (MD5 hex is case-insensitive; the doc says upper case).
 */
export function verifyChaoyingSignature(fields: Readonly<Record<string, unknown>>, key: string): ChaoyingSignatureCheck {
  const received = fields.sign;
  if (received === undefined || received === null || received === '') return 'missing';
  if (typeof received !== 'string') return 'invalid';
  return timingSafeEqualString(received.toUpperCase(), chaoyingSign(fields, key)) ? 'valid' : 'invalid';
}
