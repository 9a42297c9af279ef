/**
 * 联动优势 服务商平台 signatures (providers.md "umf-sp": doc, "as umf-mofun"). One algorithm,
 * SHA1withRSA (RSA PKCS#1 v1.5 over SHA-1, Base64 — 172 characters with UMF's RSA-1024 keys), over
 * two canonical forms, always with empty values dropped and keys in ASCII order:
 *
 * | message                              | form                | field dropped / carrying it | key                 |
 * |--------------------------------------|---------------------|-----------------------------|---------------------|
 * | our requests (micropay, query, …)    | `k=v&k=v` (doc)     | `signature`                 | merchant private    |
 * | UMF's answers                        | `v|v` values (doc)  | `signature`                 | UMF platform cert   |
 * | UMF's backUrl notification           | `k=v&k=v` (assumed) | `sign`                      | UMF platform cert   |
 * | our reply to a notification          | `v|v` (assumed)     | `signature`                 | merchant private    |
 *
 * The notification's `k=v&` form is providers.md's assumption (the seed shows no notification);
 * our reply follows the rule the answers obey — "whoever answers a request signs the `|`-joined
 * values" — which is also how 魔方 (umf-mofun) replies are signed.
 *
 * Always computed on the map as sent or as received (numbers in a JSON answer are signed as their
 * text), never on a re-serialised typed object, so fields UMF adds later stay covered.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalString, canonicalValuesString } from '../../crypto/canonical';
import { rsaSha1Sign, rsaSha1Verify } from '../../crypto/rsa';

export type UmfSpMessage = 'request' | 'response' | 'notify' | 'ack';

const FORM: Record<UmfSpMessage, { pipe: boolean; field: 'signature' | 'sign' }> = {
  request: { pipe: false, field: 'signature' },
  response: { pipe: true, field: 'signature' },
  notify: { pipe: false, field: 'sign' },
  ack: { pipe: true, field: 'signature' },
};

/** The field that carries the signature of this kind of message. */
export const umfSpSignatureField = (message: UmfSpMessage): 'signature' | 'sign' => FORM[message].field;

/** Exactly the string that is signed for `message`. */
export function umfSpCanonical(fields: Readonly<Record<string, unknown>>, message: UmfSpMessage): string {
  const f = FORM[message];
  const opts = { order: 'ascii', signatureFields: [f.field] } as const;
  return f.pipe ? canonicalValuesString(fields, opts) : canonicalString(fields, opts);
}

export function umfSpSign(fields: Readonly<Record<string, unknown>>, message: UmfSpMessage, privateKey: KeyObject): string {
  return rsaSha1Sign(umfSpCanonical(fields, message), privateKey);
}

export type UmfSpSignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Verifies the signature field of a raw map. A missing or empty signature is `missing` (a failed
 * verification, reported separately for diagnostics); a non-string one is `invalid`. The public
 * key is pinned by configuration: no certificate dates or chains are involved.
 */
export function verifyUmfSpSignature(fields: Readonly<Record<string, unknown>>, message: UmfSpMessage, publicKey: KeyObject): UmfSpSignatureCheck {
  const received = fields[FORM[message].field];
  if (received === undefined || received === null || received === '') return 'missing';
  if (typeof received !== 'string') return 'invalid';
  return rsaSha1Verify(umfSpCanonical(fields, message), received, publicKey) ? 'valid' : 'invalid';
}
