/**
 * 联动优势 signatures (docs/providers/umf-mofun.md "Signing"). One algorithm, SHA1withRSA (RSA PKCS#1
 * v1.5 over SHA-1, Base64 — 172 characters with UMF's RSA-1024 keys), over two canonical forms:
 *
 * - **k=v** — requests (signed by the merchant's private key) and the 3.1 notification (signed
 *   by UMF's platform key): every field except `sign`, empty values dropped, keys in ASCII
 *   order, `k=v` joined with `&`, raw UTF-8 values (no URL encoding).
 * - **pipe** — UMF's answers (platform key) and our reply to a notification (merchant key):
 *   the same fields in the same order, but the **values only**, joined with `|`.
 *
 * Always computed on the map as sent or as received (numbers in a JSON answer are signed as
 * their text), never on a re-serialised typed object. The algorithm is umf/signature.ts (shared
 * with umf-sp); this file is 魔方's table of forms, all with the field `sign`.
 */
import type { KeyObject } from 'node:crypto';
import { umfCanonical, umfSign, verifyUmfSignature, type UmfSignatureCheck, type UmfSignedForm } from '../umf/signature';

export type UmfMofunForm = 'kv' | 'pipe';

export const UMF_MOFUN_FORMS: Readonly<Record<UmfMofunForm, UmfSignedForm>> = { kv: { pipe: false, field: 'sign' }, pipe: { pipe: true, field: 'sign' } };

/** `a=1&b=2`: requests and notifications. */
export function umfMofunKvCanonical(fields: Readonly<Record<string, unknown>>): string {
  return umfCanonical(fields, UMF_MOFUN_FORMS.kv);
}

/** `1|2`: answers, and our notification reply. */
export function umfMofunPipeCanonical(fields: Readonly<Record<string, unknown>>): string {
  return umfCanonical(fields, UMF_MOFUN_FORMS.pipe);
}

export function umfMofunSign(fields: Readonly<Record<string, unknown>>, form: UmfMofunForm, privateKey: KeyObject): string {
  return umfSign(fields, UMF_MOFUN_FORMS[form], privateKey);
}

export type UmfMofunSignatureCheck = UmfSignatureCheck;

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
  return verifyUmfSignature(fields, UMF_MOFUN_FORMS[form], publicKey);
}
