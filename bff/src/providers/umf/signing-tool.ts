/**
 * `pnpm payqr sign|verify` for both 联动优势 products (umf-mofun, umf-sp): the same conventions,
 * only the product's table of forms differs (its signature.ts). The printed `canonical` is
 * exactly the string that is SHA1withRSA-signed (UTF-8; RSA: there is no secret in it).
 *
 * - `request` (default): signed with the merchant key — `--key` (any private key format:
 *   PKCS#8 DER/PEM, PKCS#1 PEM, PKCS#12 with `--passphrase`), or the configured PRIVATE_KEY;
 *   verified with `--cert`/`--key` (a certificate, a public key, or a private key's public half)
 *   or the configured key's public half.
 * - `response` and `notify`: UMF's messages — verified with `--cert` or the configured
 *   PLATFORM_CERT; signing one needs the platform private key (`--key`, or the sandbox's
 *   SANDBOX_PLATFORM_PRIVATE_KEY: only the sandbox has one).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import { paramsObject } from '../signing-params';
import type { KeyMaterial, SigningTool } from '../types';
import { loadUmfMerchantKey, loadUmfPlatformKey, loadUmfSandboxPlatformKey, type UmfKeySettings } from './keys';
import { umfCanonical, umfSign, verifyUmfSignature, type UmfSignedForm } from './signature';

export type UmfToolKind = 'request' | 'response' | 'notify';

export function umfSigningTool(settings: UmfKeySettings | undefined, forms: Readonly<Record<UmfToolKind, UmfSignedForm>>): SigningTool {
  const formOf = (kind: string): UmfSignedForm => {
    if (kind !== 'request' && kind !== 'response' && kind !== 'notify') throw new Error(`--kind: request, response or notify (got ${kind})`);
    return forms[kind];
  };
  const passphraseOf = (key: KeyMaterial) => (key.passphrase !== undefined ? { passphrase: key.passphrase } : {});
  const privateKey = (kind: string, key: KeyMaterial | undefined): KeyObject => {
    if (key) return loadRsaPrivateKey(key.bytes, passphraseOf(key));
    if (kind === 'request') {
      if (!settings) throw new Error('no key: pass --key <merchant private key file>');
      return loadUmfMerchantKey(settings);
    }
    const sandbox = settings ? loadUmfSandboxPlatformKey(settings) : undefined;
    if (!sandbox) throw new Error(`no key: ${kind} messages are signed by UMF; pass --key <private key file> to sign one yourself (only the sandbox has one configured)`);
    return sandbox;
  };
  const publicKey = (kind: string, key: KeyMaterial | undefined): KeyObject => {
    if (key) return loadRsaPublicKey(key.bytes, passphraseOf(key));
    if (!settings) throw new Error('no key: pass --cert <certificate or public key file>');
    return kind === 'request' ? createPublicKey(loadUmfMerchantKey(settings)) : loadUmfPlatformKey(settings);
  };
  return {
    kinds: ['request', 'response', 'notify'],
    defaultKind: 'request',
    sign(params, kind, key) {
      const form = formOf(kind);
      const fields = paramsObject(params);
      return { canonical: umfCanonical(fields, form), signature: umfSign(fields, form, privateKey(kind, key)) };
    },
    verify(params, signature, kind, key) {
      const form = formOf(kind);
      const fields = { ...paramsObject(params), [form.field]: signature };
      return { canonical: umfCanonical(fields, form), valid: verifyUmfSignature(fields, form, publicKey(kind, key)) === 'valid' };
    },
  };
}
