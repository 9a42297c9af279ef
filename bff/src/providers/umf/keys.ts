/**
 * The keys both 联动优势 products need (umf-mofun, env `PAYQR_UMF_MOFUN_*`, and umf-sp, env
 * `PAYQR_UMF_SP_*`): the same names and rules, since UMF hands out the same kind of material:
 *
 * - the merchant's private key — `PRIVATE_KEY` (PEM text, or Base64 of a DER file) or
 *   `PRIVATE_KEY_FILE` (a path); PKCS#8 DER/PEM (UMF ships `*.key.p8`), PKCS#1 PEM, or PKCS#12
 *   with `PRIVATE_KEY_PASSPHRASE`. The file wins when both are set (sandbox mode generates
 *   `PRIVATE_KEY`; a file given in the environment replaces it).
 * - UMF's platform certificate — `PLATFORM_CERT` / `PLATFORM_CERT_FILE`: an X.509 certificate
 *   (PEM or DER) or a public key PEM. Only its key is used: it is pinned by this configuration,
 *   and UMF's test certificates are long expired, so dates and chains are not checked.
 * - sandbox only: `SANDBOX_PLATFORM_PRIVATE_KEY`, the private half the simulator signs with.
 *
 * Errors name the setting and never include key material.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';

export interface UmfKeySettings {
  PRIVATE_KEY?: string | undefined;
  PRIVATE_KEY_FILE?: string | undefined;
  PRIVATE_KEY_PASSPHRASE?: string | undefined;
  PLATFORM_CERT?: string | undefined;
  PLATFORM_CERT_FILE?: string | undefined;
  SANDBOX_PLATFORM_PRIVATE_KEY?: string | undefined;
}

export class UmfKeyError extends Error {
  constructor(
    readonly setting: keyof UmfKeySettings,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'UmfKeyError';
  }
}

/**
 * Key text from an environment variable: PEM (also with the literal `\n` escapes that .env
 * files and container UIs produce) or bare Base64 of DER.
 */
export function keyTextBytes(text: string): Buffer {
  const normalised = text.includes('-----BEGIN') ? text.replace(/\\r\\n|\\n/g, '\n') : text;
  return Buffer.from(normalised.trim(), 'utf8');
}

function read(setting: keyof UmfKeySettings, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UmfKeyError(setting, `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function attempt<T>(setting: keyof UmfKeySettings, what: string, load: () => T): T {
  try {
    return load();
  } catch (e) {
    throw new UmfKeyError(setting, `not a usable ${what}: ${(e as Error).message}`);
  }
}

export function loadUmfMerchantKey(s: UmfKeySettings): KeyObject {
  const passphrase = s.PRIVATE_KEY_PASSPHRASE ? { passphrase: s.PRIVATE_KEY_PASSPHRASE } : {};
  if (s.PRIVATE_KEY_FILE) {
    const bytes = read('PRIVATE_KEY_FILE', s.PRIVATE_KEY_FILE);
    return attempt('PRIVATE_KEY_FILE', 'RSA private key (PKCS#8 DER/PEM, PKCS#1 PEM, PKCS#12 + PRIVATE_KEY_PASSPHRASE)', () => loadRsaPrivateKey(bytes, passphrase));
  }
  if (s.PRIVATE_KEY) {
    const bytes = keyTextBytes(s.PRIVATE_KEY);
    return attempt('PRIVATE_KEY', 'RSA private key (PEM text or Base64 of PKCS#8 / PKCS#12 DER)', () => loadRsaPrivateKey(bytes, passphrase));
  }
  throw new UmfKeyError('PRIVATE_KEY', 'the merchant private key is required (PRIVATE_KEY or PRIVATE_KEY_FILE)');
}

export function loadUmfPlatformKey(s: UmfKeySettings): KeyObject {
  if (s.PLATFORM_CERT_FILE) {
    const bytes = read('PLATFORM_CERT_FILE', s.PLATFORM_CERT_FILE);
    return attempt('PLATFORM_CERT_FILE', 'certificate or public key (X.509 PEM/DER, public key PEM)', () => loadRsaPublicKey(bytes));
  }
  if (s.PLATFORM_CERT) {
    const bytes = keyTextBytes(s.PLATFORM_CERT);
    return attempt('PLATFORM_CERT', 'certificate or public key (X.509 PEM, Base64 DER, public key PEM)', () => loadRsaPublicKey(bytes));
  }
  throw new UmfKeyError('PLATFORM_CERT', "UMF's platform certificate is required (PLATFORM_CERT or PLATFORM_CERT_FILE)");
}

/** The simulator's signing key (sandbox mode); undefined when not configured. */
export function loadUmfSandboxPlatformKey(s: UmfKeySettings): KeyObject | undefined {
  if (!s.SANDBOX_PLATFORM_PRIVATE_KEY) return undefined;
  const bytes = keyTextBytes(s.SANDBOX_PLATFORM_PRIVATE_KEY);
  return attempt('SANDBOX_PLATFORM_PRIVATE_KEY', 'RSA private key', () => loadRsaPrivateKey(bytes));
}

/** "RSA-1024" — for `doctor` and warnings; never the key itself. */
export function describeRsaKey(key: KeyObject): string {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return bits ? `RSA-${bits}` : 'RSA';
}

/** Do two keys share the same public half? (sandbox sanity check) */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const spki = (k: KeyObject) => (k.type === 'private' ? createPublicKey(k) : k).export({ format: 'der', type: 'spki' });
  return spki(a).equals(spki(b));
}
