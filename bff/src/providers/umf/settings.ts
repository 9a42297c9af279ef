/**
 * The settings both 联动优势 products share (umf-mofun and umf-sp: the same SHA1withRSA scheme and
 * the same kind of key material, keys.ts): the key and certificate settings with their start-up
 * check, the sandbox's throw-away keys, `describe()`'s key lines and the simulator's signing key.
 * Each product's module.ts adds its own identifiers, BASE_URL and timeouts around these.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../../core/log';
import { generateRsaTestIdentity } from '../../crypto/rsa';
import type { SandboxSettingsContext } from '../module';
import {
  describeRsaKey,
  loadUmfMerchantKey,
  loadUmfPlatformKey,
  loadUmfSandboxPlatformKey,
  samePublicKey,
  UmfKeyError,
  type UmfKeySettings,
} from './keys';

const optionalText = z.string().trim().min(1).optional();

/** The key settings (keys.ts reads them); spread into each product's settings object. */
export const umfKeySettingsShape = {
  /** merchant private key: PEM text or Base64 of DER (PKCS#8, PKCS#1, PKCS#12) */
  PRIVATE_KEY: optionalText,
  /** …or a file: UMF's `*.key.p8` (PKCS#8 DER), a PEM, or a `.p12`/`.pfx`; wins over PRIVATE_KEY */
  PRIVATE_KEY_FILE: optionalText,
  /** for an encrypted PKCS#8 or a PKCS#12 */
  PRIVATE_KEY_PASSPHRASE: z.string().min(1).optional(),
  /** UMF's platform certificate (X.509 PEM / Base64 DER) or public key PEM: pinned, dates not checked */
  PLATFORM_CERT: optionalText,
  /** …or a file (`.cer`/`.crt`/`.pem`, PEM or DER); wins over PLATFORM_CERT */
  PLATFORM_CERT_FILE: optionalText,
  /** sandbox only: the private half of PLATFORM_CERT, which the simulator signs with */
  SANDBOX_PLATFORM_PRIVATE_KEY: optionalText,
};

/**
 * The settings schema's `superRefine`: read the keys once at start-up, so a wrong path, format or
 * passphrase is a configuration error naming its setting instead of a failure at the first payment.
 */
export function checkUmfKeys(s: UmfKeySettings, ctx: z.RefinementCtx): void {
  const check = (load: () => unknown) => {
    try {
      load();
    } catch (e) {
      if (!(e instanceof UmfKeyError)) throw e;
      ctx.addIssue({ code: 'custom', path: [e.setting], message: e.message.slice(e.setting.length + 2) });
    }
  };
  check(() => loadUmfMerchantKey(s));
  check(() => loadUmfPlatformKey(s));
  check(() => loadUmfSandboxPlatformKey(s));
}

export interface UmfSandboxKeyNames {
  /** the provider id, for messages */
  provider: string;
  /** certificate common names (ASCII: node-forge writes non-ASCII names as broken DER) */
  merchantName: string;
  platformName: string;
  /** certificate dates are never checked (pinned keys); a fixed start keeps generation clock-free */
  notBefore: number;
}

/** One PEM block of the sandbox's platform bundle, trimmed as the settings schema trims. */
function pemBlock(bundle: string, label: 'CERTIFICATE' | 'PRIVATE KEY', provider: string): string {
  const m = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`).exec(bundle);
  if (!m) throw new Error(`sandbox secret ${provider}.PLATFORM_PEM has no ${label} block`);
  return m[0];
}

/**
 * The sandbox's throw-away keys: an RSA-1024 merchant key (UMF issues RSA-1024: 172-character
 * signatures within the seed's 256) and a platform key with a self-signed certificate.
 * `ctx.secret` namespaces by provider (kept as umf-sp.PRIVATE_KEY …). The platform's certificate
 * and private key are kept as one PEM bundle so that they can never come from two generations.
 */
export function umfSandboxKeys(
  ctx: SandboxSettingsContext,
  names: UmfSandboxKeyNames,
): Required<Pick<UmfKeySettings, 'PRIVATE_KEY' | 'PLATFORM_CERT' | 'SANDBOX_PLATFORM_PRIVATE_KEY'>> {
  const identity = (commonName: string) => generateRsaTestIdentity({ bits: 1024, notBefore: names.notBefore, validDays: 36_500, commonName });
  const platformPem = ctx.secret('PLATFORM_PEM', () => {
    const p = identity(names.platformName);
    return `${p.certificatePem.trim()}\n${p.privateKeyPem.trim()}\n`;
  });
  return {
    PRIVATE_KEY: ctx.secret('PRIVATE_KEY', () => identity(names.merchantName).privateKeyPem.trim()),
    PLATFORM_CERT: pemBlock(platformPem, 'CERTIFICATE', names.provider),
    SANDBOX_PLATFORM_PRIVATE_KEY: pemBlock(platformPem, 'PRIVATE KEY', names.provider),
  };
}

/** `describe()`'s key lines: where each key comes from and what it is, never the key itself. */
export function describeUmfKeys(config: UmfKeySettings): { private_key: string; platform_cert: string } {
  const key = (load: () => KeyObject) => {
    try {
      return describeRsaKey(load());
    } catch (e) {
      return `unusable (${(e as Error).message})`;
    }
  };
  return {
    private_key: `${config.PRIVATE_KEY_FILE ? `file ${config.PRIVATE_KEY_FILE}` : 'inline'}, ${key(() => loadUmfMerchantKey(config))}`,
    platform_cert: `${config.PLATFORM_CERT_FILE ? `file ${config.PLATFORM_CERT_FILE}` : 'inline'}, ${key(() => loadUmfPlatformKey(config))} (pinned; dates not checked)`,
  };
}

/**
 * The simulator's keys: the platform private key it signs with (`missing()` says why there is
 * none) and the merchant's PUBLIC key, all UMF would know. A platform key that does not belong
 * to PLATFORM_CERT is not fatal (BASE_URL may point elsewhere) but is warned about.
 */
export function umfSimulatorKeys(config: UmfKeySettings, log: Logger, missing: () => Error): { platformPrivateKey: KeyObject; merchantPublicKey: KeyObject } {
  const platformPrivateKey = loadUmfSandboxPlatformKey(config);
  if (!platformPrivateKey) throw missing();
  if (!samePublicKey(platformPrivateKey, loadUmfPlatformKey(config))) {
    log.warn('PLATFORM_CERT does not belong to SANDBOX_PLATFORM_PRIVATE_KEY: the connector will reject every simulator answer (set both, or neither, in the environment)');
  }
  return { platformPrivateKey, merchantPublicKey: createPublicKey(loadUmfMerchantKey(config)) };
}
