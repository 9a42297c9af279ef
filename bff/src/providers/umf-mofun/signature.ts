/**
 * 联动优势 signatures (providers.md "umf-mofun", doc). One algorithm, SHA1withRSA (RSA PKCS#1
 * v1.5 over SHA-1, Base64 — 172 characters with UMF's RSA-1024 keys), over two canonical forms:
 *
 * - **k=v** — requests (signed by the merchant's private key) and the 3.1 notification (signed
 *   by UMF's platform key): every field except `sign`, empty values dropped, keys in ASCII
 *   order, `k=v` joined with `&`, raw UTF-8 values (no URL encoding).
 * - **pipe** — UMF's answers (platform key) and our reply to a notification (merchant key):
 *   the same fields in the same order, but the **values only**, joined with `|`.
 *
 * Always computed on the map as sent or as received (numbers in a JSON answer are signed as
 * their text), never on a re-serialised typed object.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalString, canonicalValuesString } from '../../crypto/canonical';
import { rsaSha1Sign, rsaSha1Verify } from '../../crypto/rsa';

const OPTIONS = { order: 'ascii', signatureFields: ['sign'] } as const;

/** `a=1&b=2`: requests and notifications. */
export function umfMofunKvCanonical(fields: Readonly<Record<string, unknown>>): string {
  return canonicalString(fields, OPTIONS);
}

/** `1|2`: answers, and our notification reply. */
export function umfMofunPipeCanonical(fields: Readonly<Record<string, unknown>>): string {
  return canonicalValuesString(fields, OPTIONS);
}

export type UmfMofunForm = 'kv' | 'pipe';

export function umfMofunCanonical(fields: Readonly<Record<string, unknown>>, form: UmfMofunForm): string {
  return form === 'kv' ? umfMofunKvCanonical(fields) : umfMofunPipeCanonical(fields);
}

export function umfMofunSign(fields: Readonly<Record<string, unknown>>, form: UmfMofunForm, privateKey: KeyObject): string {
  return rsaSha1Sign(umfMofunCanonical(fields, form), privateKey);
}

export type UmfMofunSignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Verifies the `sign` of a raw field map. A missing or empty `sign` is `missing` (a failed
 * verification, reported separately for diagnostics); a non-string `sign` is `invalid`.
 * The public key is pinned by configuration: no certificate dates or chains are involved.
 */
export function verifyUmfMofunSignature(
  fields: Readonly<Record<string, unknown>>,
  form: UmfMofunForm,
  publicKey: KeyObject,
): UmfMofunSignatureCheck {
  const received = fields.sign;
  if (received === undefined || received === null || received === '') return 'missing';
  if (typeof received !== 'string') return 'invalid';
  return rsaSha1Verify(umfMofunCanonical(fields, form), received, publicKey) ? 'valid' : 'invalid';
}
