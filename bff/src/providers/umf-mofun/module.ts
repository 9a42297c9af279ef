/**
 * 联动优势 魔方 as a PayQR provider module: settings (`PAYQR_UMF_MOFUN_*`), sandbox defaults
 * (throw-away RSA-1024 keys for the merchant and for the platform, with a self-signed platform
 * certificate), and the factories for the connector, the simulator and the
 * `pnpm payqr sign|verify --provider umf-mofun` tool.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { cryptoRandom, randomString } from '../../core/random';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import type { KeyMaterial, ProviderModule, SigningTool } from '../types';
import { loadUmfMerchantKey, loadUmfPlatformKey, loadUmfSandboxPlatformKey, type UmfKeySettings } from '../umf/keys';
import { checkUmfKeys, describeUmfKeys, umfKeySettingsShape, umfSandboxKeys, umfSimulatorKeys } from '../umf/settings';
import { createUmfMofunConnector } from './connector';
import { umfMofunCanonical, umfMofunSign, verifyUmfMofunSignature, type UmfMofunForm } from './signature';
import { createUmfMofunSimulator } from './simulator';
import { UMF_MOFUN_ACTIVESCAN_PATH } from './wire';

export const umfMofunSettingsSchema = z
  .object({
    /** 集成商ID (proxyId, seed: 4), "同魔方平台登录账号" */
    PROXY_ID: z.string().trim().regex(/^[A-Za-z0-9]{1,4}$/, 'the 4-character 集成商ID (proxyId), e.g. 0049'),
    /** 商户号 (subMerId, seed: 8), 联动平台分配 */
    SUB_MER_ID: z.string().trim().regex(/^[A-Za-z0-9]{1,8}$/, 'the 8-character 商户号 (subMerId), e.g. 30000102'),
    /** e.g. https://mofunapi.umfintech.com (the paths /in-pay-client/api/… are appended) */
    BASE_URL: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
    ...umfKeySettingsShape,
    /** per-request timeout, ms */
    TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  })
  // Read the keys once at start-up, so a wrong path, format or passphrase is reported with
  // the setting's name instead of at the first payment.
  .superRefine(checkUmfKeys);
export type UmfMofunConfig = z.infer<typeof umfMofunSettingsSchema>;

const DIGITS = '0123456789';
/** certificate dates are never checked (pinned key); a fixed start keeps generation clock-free */
const SANDBOX_CERT_NOT_BEFORE = Date.UTC(2024, 0, 1);

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
export function umfMofunSigningTool(config?: UmfKeySettings): SigningTool {
  const privateKeyFor = (kind: string, key: KeyMaterial | undefined): KeyObject => {
    if (key) return loadRsaPrivateKey(key.bytes, key.passphrase ? { passphrase: key.passphrase } : {});
    if (kind === 'request') {
      if (!config) throw new Error('no key: pass --key <merchant private key file>');
      return loadUmfMerchantKey(config);
    }
    const sandbox = config ? loadUmfSandboxPlatformKey(config) : undefined;
    if (!sandbox) throw new Error(`no key: ${kind} messages are signed by UMF; pass --key <private key file> to sign one yourself`);
    return sandbox;
  };
  const publicKeyFor = (kind: string, key: KeyMaterial | undefined): KeyObject => {
    if (key) return loadRsaPublicKey(key.bytes, key.passphrase ? { passphrase: key.passphrase } : {});
    if (!config) throw new Error('no key: pass --cert <certificate or public key file>');
    return kind === 'request' ? createPublicKey(loadUmfMerchantKey(config)) : loadUmfPlatformKey(config);
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
    const keys = umfSandboxKeys(ctx, {
      provider: 'umf-mofun',
      merchantName: 'PayQR sandbox merchant',
      platformName: 'UMF mofun sandbox platform',
      notBefore: SANDBOX_CERT_NOT_BEFORE,
    });
    return {
      PROXY_ID: ctx.secret('PROXY_ID', () => randomString(cryptoRandom, 4, DIGITS)),
      SUB_MER_ID: ctx.secret('SUB_MER_ID', () => `3${randomString(cryptoRandom, 7, DIGITS)}`),
      BASE_URL: ctx.simulatorBaseUrl.replace(/\/+$/, ''),
      ...keys,
      TIMEOUT_MS: 10_000,
    };
  },
  describe(config) {
    return {
      proxy_id: config.PROXY_ID,
      sub_mer_id: config.SUB_MER_ID,
      base_url: config.BASE_URL,
      activescan: `${config.BASE_URL}${UMF_MOFUN_ACTIVESCAN_PATH}`,
      ...describeUmfKeys(config),
      timeout: `${config.TIMEOUT_MS} ms`,
    };
  },
  createConnector(config, deps) {
    const merchantKey = loadUmfMerchantKey(config);
    const bits = merchantKey.asymmetricKeyDetails?.modulusLength;
    if (bits !== undefined && bits !== 1024) {
      // seed sign: 256 characters — an RSA-1024 signature is 172 in Base64, RSA-2048 is 344.
      deps.log.warn(`merchant key is RSA-${bits}: UMF issues RSA-1024 keys and its sign field holds 256 characters`);
    }
    return createUmfMofunConnector(
      {
        merchant: { proxyId: config.PROXY_ID, subMerId: config.SUB_MER_ID },
        merchantKey,
        platformKey: loadUmfPlatformKey(config),
        baseUrl: config.BASE_URL,
        timeoutMs: config.TIMEOUT_MS,
      },
      deps,
    );
  },
  createSimulator(config, deps) {
    const keys = umfSimulatorKeys(config, deps.log, () => new Error('the umf-mofun simulator needs SANDBOX_PLATFORM_PRIVATE_KEY (generated in sandbox mode)'));
    // The simulator knows only the merchant's PUBLIC key, as UMF would.
    return createUmfMofunSimulator({ proxyId: config.PROXY_ID, subMerId: config.SUB_MER_ID, ...keys }, deps);
  },
  signingTool: (config) => umfMofunSigningTool(config),
};
