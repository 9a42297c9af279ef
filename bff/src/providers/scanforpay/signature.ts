/**
 * scanforpay SHA-256 signature (docs/providers/scanforpay.md "Signing"):
 *
 *   signature = lower-case hex SHA-256( exact JSON text of the "request" value + signKey )
 *
 * and the same over the exact text of the `"response"` value for answers and notifications.
 * There is no canonical form: the text *is* the canonical string. Requests are therefore
 * serialised once and the envelope is built around that very text (envelope.ts); answers and
 * notifications are verified on the substring received (core/strict-json.ts), never on a
 * re-serialised object, so fields the provider adds later are covered too.
 */
import { sha256Hex, timingSafeEqualString } from '../../crypto/digest';

/** `header.signType` (seed: "SHA256"). */
export const SCANFORPAY_SIGN_TYPE = 'SHA256';

/** The exact string that is hashed, secret included: never log or print it as is. */
export function scanforpayStringToHash(valueText: string, signKey: string): string {
  return `${valueText}${signKey}`;
}

export function scanforpaySign(valueText: string, signKey: string): string {
  return sha256Hex(scanforpayStringToHash(valueText, signKey));
}

export type ScanforpaySignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Verifies `signature` (the envelope's `"signature"` value, as parsed) against the exact value
 * text. Absent, `null` or `""` is `missing` (a failed verification, reported separately for
 * diagnostics); a non-string is `invalid`. Constant-time; hex case is ignored (the seed's
 * examples are lower case, and a hex digest means the same in either case).
 */
export function verifyScanforpaySignature(valueText: string, signature: unknown, signKey: string): ScanforpaySignatureCheck {
  if (signature === undefined || signature === null || signature === '') return 'missing';
  if (typeof signature !== 'string') return 'invalid';
  return timingSafeEqualString(signature.toLowerCase(), scanforpaySign(valueText, signKey)) ? 'valid' : 'invalid';
}
