/**
 * 联动优势 魔方 as a PayQR provider module: settings (`PAYQR_UMF_MOFUN_*`), sandbox defaults
 * (throw-away RSA-1024 keys for the merchant and for the platform, with a self-signed platform
 * certificate), and the factories for the connector, the simulator and the
 * `pnpm payqr sign|verify --provider umf-mofun` tool.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { cryptoRandom, randomString } from '../../core/random';
import { generateRsaTestIdentity, loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import type { KeyMaterial, ProviderModule, SigningTool } from '../types';
import { createUmfMofunConnector } from './connector';
import {
  describeRsaKey,
  loadUmfMofunMerchantKey,
  loadUmfMofunPlatformKey,
  loadUmfMofunSandboxPlatformKey,
  samePublicKey,
  UmfMofunKeyError,
  type UmfMofunKeySettings,
} from './keys';
import { umfMofunCanonical, umfMofunSign, verifyUmfMofunSignature, type UmfMofunForm } from './signature';
import { createUmfMofunSimulator } from './simulator';
import { UMF_MOFUN_ACTIVESCAN_PATH } from './wire';

const optionalText = z.string().trim().min(1).optional();

export const umfMofunSettingsSchema = z
  .object({
    /** 集成商ID (proxyId, seed: 4), "同魔方平台登录账号" */
    PROXY_ID: z.string().trim().regex(/^[A-Za-z0-9]{1,4}$/, 'the 4-character 集成商ID (proxyId), e.g. 0049'),
    /** 商户号 (subMerId, seed: 8), 联动平台分配 */
    SUB_MER_ID: z.string().trim().regex(/^[A-Za-z0-9]{1,8}$/, 'the 8-character 商户号 (subMerId), e.g. 30000102'),
    /** e.g. https://mofunapi.umfintech.com (the paths /in-pay-client/api/… are appended) */
    BASE_URL: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
    /** merchant private key: PEM text or Base64 of DER (PKCS#8, PKCS#1, PKCS#12) */
    PRIVATE_KEY: optionalText,
    /** path of the merchant private key file (UMF's *.key.p8, a PEM, or a .p12/.pfx); wins over PRIVATE_KEY */
    PRIVATE_KEY_FILE: optionalText,
    /** for PKCS#12 or an encrypted PKCS#8 key */
    PRIVATE_KEY_PASSPHRASE: z.string().min(1).optional(),
    /** UMF's platform certificate (X.509 PEM or Base64 DER) or its public key PEM */
    PLATFORM_CERT: optionalText,
    /** path of UMF's platform certificate (.cer/.crt/.pem, PEM or DER) or public key; wins over PLATFORM_CERT */
    PLATFORM_CERT_FILE: optionalText,
    /** sandbox only: the private key the simulator signs with (generated with PLATFORM_CERT) */
    SANDBOX_PLATFORM_PRIVATE_KEY: optionalText,
    /** per-request timeout, ms */
    TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  })
  .superRefine((s, ctx) => {
    // Read the keys once at start-up, so a wrong path, format or passphrase is reported with
    // the setting's name instead of at the first payment.
    const check = (load: () => unknown) => {
      try {
        load();
      } catch (e) {
        if (!(e instanceof UmfMofunKeyError)) throw e;
        ctx.addIssue({ code: 'custom', path: [e.setting], message: e.message.slice(e.setting.length + 2) });
      }
    };
    check(() => loadUmfMofunMerchantKey(s));
    check(() => loadUmfMofunPlatformKey(s));
    check(() => loadUmfMofunSandboxPlatformKey(s));
  });
export type UmfMofunConfig = z.infer<typeof umfMofunSettingsSchema>;

const DIGITS = '0123456789';
/** certificate dates are never checked (pinned key); a fixed start keeps generation clock-free */
const SANDBOX_CERT_NOT_BEFORE = Date.UTC(2024, 0, 1);

/** One PEM block of a bundle (the sandbox keeps the platform key and certificate together), trimmed as the settings schema trims. */
function pemBlock(bundle: string, label: 'CERTIFICATE' | 'PRIVATE KEY'): string {
  const m = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`).exec(bundle);
  if (!m) throw new Error(`sandbox secret umf-mofun.PLATFORM_PEM has no ${label} block`);
  return m[0];
}

function asFields(params: unknown): Record<string, unknown> {
  if (!params || typeof params !== 'object' || Array.isArray(params)) throw new Error('--params must be a JSON object of the wire fields');
  return params as Record<string, unknown>;
}

/** kind → canonical form: requests and notifications are `k=v`, answers (and our replies) `|` */
const FORM: Record<string, UmfMofunForm> = { request: 'kv', notify: 'kv', response: 'pipe' };

function formOf(kind: string): UmfMofunForm {
  const form = FORM[kind];
  if (!form) throw new Error(`--kind: request, response or notify (got ${kind})`);
  return form;
}

/**
 * `pnpm payqr sign|verify --provider umf-mofun`. The printed `canonical` is exactly the string
 * that is SHA1withRSA-signed (UTF-8): `k=v&…` for `request` and `notify`, the `|`-joined values
 * for `response` (also the form of our notification reply).
 *
 * - sign: `--key` any private key format (PKCS#8 DER/PEM, PKCS#1 PEM, PKCS#12 with
 *   `--passphrase`); without it, `request` uses the configured merchant key and `response` /
 *   `notify` the sandbox platform key (only the sandbox has one).
 * - verify: `--cert`/`--key` a certificate (PEM/DER), a public key, or a private key (its public
 *   half); without it, `request` uses the configured merchant key and `response` / `notify` the
 *   configured platform certificate.
 */
export function umfMofunSigningTool(config?: UmfMofunKeySettings): SigningTool {
  const privateKeyFor = (kind: string, key: KeyMaterial | undefined): KeyObject => {
    if (key) return loadRsaPrivateKey(key.bytes, key.passphrase ? { passphrase: key.passphrase } : {});
    if (kind === 'request') {
      if (!config) throw new Error('no key: pass --key <merchant private key file>');
      return loadUmfMofunMerchantKey(config);
    }
    const sandbox = config ? loadUmfMofunSandboxPlatformKey(config) : undefined;
    if (!sandbox) throw new Error(`no key: ${kind} messages are signed by UMF; pass --key <private key file> to sign one yourself`);
    return sandbox;
  };
  const publicKeyFor = (kind: string, key: KeyMaterial | undefined): KeyObject => {
    if (key) return loadRsaPublicKey(key.bytes, key.passphrase ? { passphrase: key.passphrase } : {});
    if (!config) throw new Error('no key: pass --cert <certificate or public key file>');
    return kind === 'request' ? createPublicKey(loadUmfMofunMerchantKey(config)) : loadUmfMofunPlatformKey(config);
  };
  return {
    kinds: ['request', 'response', 'notify'],
    defaultKind: 'request',
    sign(params, kind, key) {
      const fields = asFields(params);
      const form = formOf(kind);
      return { canonical: umfMofunCanonical(fields, form), signature: umfMofunSign(fields, form, privateKeyFor(kind, key)) };
    },
    verify(params, signature, kind, key) {
      const fields = { ...asFields(params), sign: signature };
      const form = formOf(kind);
      return { canonical: umfMofunCanonical(fields, form), valid: verifyUmfMofunSignature(fields, form, publicKeyFor(kind, key)) === 'valid' };
    },
  };
}

export const umfMofunModule: ProviderModule<UmfMofunConfig> = {
  id: 'umf-mofun',
  envPrefix: 'PAYQR_UMF_MOFUN_',
  settingsSchema: umfMofunSettingsSchema,
  sandboxSettings(ctx) {
    const identity = (commonName: string) => generateRsaTestIdentity({ bits: 1024, notBefore: SANDBOX_CERT_NOT_BEFORE, validDays: 36_500, commonName });
    // ctx.secret namespaces by provider (kept as umf-mofun.PRIVATE_KEY …). The platform's key and
    // certificate are stored as one PEM bundle so that they can never come from two generations.
    const platformPem = ctx.secret('PLATFORM_PEM', () => {
      const p = identity('UMF mofun sandbox platform');
      return `${p.certificatePem.trim()}\n${p.privateKeyPem.trim()}\n`;
    });
    return {
      PROXY_ID: ctx.secret('PROXY_ID', () => randomString(cryptoRandom, 4, DIGITS)),
      SUB_MER_ID: ctx.secret('SUB_MER_ID', () => `3${randomString(cryptoRandom, 7, DIGITS)}`),
      BASE_URL: ctx.simulatorBaseUrl.replace(/\/+$/, ''),
      PRIVATE_KEY: ctx.secret('PRIVATE_KEY', () => identity('PayQR sandbox merchant').privateKeyPem.trim()),
      PLATFORM_CERT: pemBlock(platformPem, 'CERTIFICATE'),
      SANDBOX_PLATFORM_PRIVATE_KEY: pemBlock(platformPem, 'PRIVATE KEY'),
      TIMEOUT_MS: 10_000,
    };
  },
  describe(config) {
    const key = (load: () => KeyObject) => {
      try {
        return describeRsaKey(load());
      } catch (e) {
        return `unusable (${(e as Error).message})`;
      }
    };
    return {
      proxy_id: config.PROXY_ID,
      sub_mer_id: config.SUB_MER_ID,
      base_url: config.BASE_URL,
      activescan: `${config.BASE_URL}${UMF_MOFUN_ACTIVESCAN_PATH}`,
      private_key: `${config.PRIVATE_KEY_FILE ? `file ${config.PRIVATE_KEY_FILE}` : 'inline'}, ${key(() => loadUmfMofunMerchantKey(config))}`,
      platform_cert: `${config.PLATFORM_CERT_FILE ? `file ${config.PLATFORM_CERT_FILE}` : 'inline'}, ${key(() => loadUmfMofunPlatformKey(config))} (pinned; dates not checked)`,
      timeout: `${config.TIMEOUT_MS} ms`,
    };
  },
  createConnector(config, deps) {
    const merchantKey = loadUmfMofunMerchantKey(config);
    const bits = merchantKey.asymmetricKeyDetails?.modulusLength;
    if (bits !== undefined && bits !== 1024) {
      // seed sign: 256 characters — an RSA-1024 signature is 172 in Base64, RSA-2048 is 344.
      deps.log.warn(`merchant key is RSA-${bits}: UMF issues RSA-1024 keys and its sign field holds 256 characters`);
    }
    return createUmfMofunConnector(
      {
        merchant: { proxyId: config.PROXY_ID, subMerId: config.SUB_MER_ID },
        merchantKey,
        platformKey: loadUmfMofunPlatformKey(config),
        baseUrl: config.BASE_URL,
        timeoutMs: config.TIMEOUT_MS,
      },
      deps,
    );
  },
  createSimulator(config, deps) {
    const platformPrivateKey = loadUmfMofunSandboxPlatformKey(config);
    if (!platformPrivateKey) throw new Error('the umf-mofun simulator needs SANDBOX_PLATFORM_PRIVATE_KEY (generated in sandbox mode)');
    if (!samePublicKey(platformPrivateKey, loadUmfMofunPlatformKey(config))) {
      deps.log.warn('PLATFORM_CERT does not belong to SANDBOX_PLATFORM_PRIVATE_KEY: the connector will reject every simulator answer');
    }
    return createUmfMofunSimulator(
      {
        proxyId: config.PROXY_ID,
        subMerId: config.SUB_MER_ID,
        // The simulator knows only the merchant's PUBLIC key, as UMF would.
        merchantPublicKey: createPublicKey(loadUmfMofunMerchantKey(config)),
        platformPrivateKey,
      },
      deps,
    );
  },
  signingTool: (config) => umfMofunSigningTool(config),
};
