/**
 * 联动优势 服务商平台 signatures (docs/providers/umf-sp.md "Signing": as umf-mofun). One algorithm,
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
 * The notification's `k=v&` form is assumed (the document shows no notification);
 * our reply follows the rule the answers obey — "whoever answers a request signs the `|`-joined
 * values" — which is also how 魔方 (umf-mofun) replies are signed.
 *
 * Always computed on the map as sent or as received (numbers in a JSON answer are signed as their
 * text), never on a re-serialised typed object, so fields UMF adds later stay covered. The
 * algorithm is umf/signature.ts (shared with umf-mofun); this file is the table above.
 */
import type { KeyObject } from 'node:crypto';
import { umfCanonical, umfSign, verifyUmfSignature, type UmfSignatureCheck, type UmfSignedForm } from '../umf/signature';

export type UmfSpMessage = 'request' | 'response' | 'notify' | 'ack';

export const UMF_SP_FORMS: Readonly<Record<UmfSpMessage, UmfSignedForm>> = {
  request: { pipe: false, field: 'signature' },
  response: { pipe: true, field: 'signature' },
  notify: { pipe: false, field: 'sign' },
  ack: { pipe: true, field: 'signature' },
};

/** Exactly the string that is signed for `message`. */
export function umfSpCanonical(fields: Readonly<Record<string, unknown>>, message: UmfSpMessage): string {
  return umfCanonical(fields, UMF_SP_FORMS[message]);
}

export function umfSpSign(fields: Readonly<Record<string, unknown>>, message: UmfSpMessage, privateKey: KeyObject): string {
  return umfSign(fields, UMF_SP_FORMS[message], privateKey);
}

export type UmfSpSignatureCheck = UmfSignatureCheck;

/** Verifies the signature field of a raw map (see umf/signature.ts: missing, invalid, valid). */
export function verifyUmfSpSignature(fields: Readonly<Record<string, unknown>>, message: UmfSpMessage, publicKey: KeyObject): UmfSpSignatureCheck {
  return verifyUmfSignature(fields, UMF_SP_FORMS[message], publicKey);
}
