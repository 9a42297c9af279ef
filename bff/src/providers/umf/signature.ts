/**
 * 联动优势's one signature algorithm, shared by both products (umf-mofun, umf-sp): SHA1withRSA
 * (RSA PKCS#1 v1.5 over SHA-1, Base64 — 172 characters with UMF's RSA-1024 keys) over one of two
 * canonical forms, always with empty values dropped and keys in ASCII order:
 *
 * - `k=v` — `k=v` joined with `&`, raw UTF-8 values (no URL encoding);
 * - pipe — the same fields in the same order, but the **values only**, joined with `|`.
 *
 * Which messages use which form, and which field carries the signature (`sign` or `signature`),
 * is each product's own table (its signature.ts). Always computed on the map as sent or as
 * received (numbers in a JSON answer are signed as their text), never on a re-serialised typed
 * object.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalString, canonicalValuesString } from '../../crypto/canonical';
import { rsaSha1Sign, rsaSha1Verify } from '../../crypto/rsa';

/** How one kind of message is signed: `|`-joined values or `k=v&`, and the field carrying the signature. */
export interface UmfSignedForm {
  pipe: boolean;
  field: 'sign' | 'signature';
}

export type UmfSignatureCheck = 'valid' | 'missing' | 'invalid';

/** Exactly the string that is signed. */
export function umfCanonical(fields: Readonly<Record<string, unknown>>, form: UmfSignedForm): string {
  const opts = { order: 'ascii', signatureFields: [form.field] } as const;
  return form.pipe ? canonicalValuesString(fields, opts) : canonicalString(fields, opts);
}

export function umfSign(fields: Readonly<Record<string, unknown>>, form: UmfSignedForm, privateKey: KeyObject): string {
  return rsaSha1Sign(umfCanonical(fields, form), privateKey);
}

/**
 * Verifies the signature field of a raw map. A missing or empty signature is `missing` (a failed
 * verification, reported separately for diagnostics); a non-string one is `invalid`. The public
 * key is pinned by configuration: no certificate dates or chains are involved.
 */
export function verifyUmfSignature(fields: Readonly<Record<string, unknown>>, form: UmfSignedForm, publicKey: KeyObject): UmfSignatureCheck {
  const received = fields[form.field];
  if (received === undefined || received === null || received === '') return 'missing';
  if (typeof received !== 'string') return 'invalid';
  return rsaSha1Verify(umfCanonical(fields, form), received, publicKey) ? 'valid' : 'invalid';
}

/** `fields` with their signature added, in the form's field (answers, notifications, our replies). */
export function umfSigned(fields: Readonly<Record<string, string>>, form: UmfSignedForm, privateKey: KeyObject): Record<string, string> {
  return { ...fields, [form.field]: umfSign(fields, form, privateKey) };
}
