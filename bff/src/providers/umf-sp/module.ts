/**
 * 联动优势 服务商平台 (micropay) as a PayQR provider module: settings (`PAYQR_UMF_SP_*`), sandbox
 * defaults, and the factories for the connector, the simulator and the `pnpm payqr sign|verify`
 * tool.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { cryptoRandom, randomString } from '../../core/random';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import type { KeyMaterial, ProviderModule, SigningTool } from '../types';
import { loadUmfMerchantKey, loadUmfPlatformKey, loadUmfSandboxPlatformKey, UmfKeyError, type UmfKeySettings } from '../umf/keys';
import { checkUmfKeys, describeUmfKeys, umfKeySettingsShape, umfSandboxKeys, umfSimulatorKeys } from '../umf/settings';
import { createUmfSpConnector } from './connector';
import { umfSpCanonical, umfSpSign, umfSpSignatureField, verifyUmfSpSignature, type UmfSpMessage } from './signature';
import { createUmfSpSimulator } from './simulator';
import { UMF_SP_GOODS_ID_MAX, UMF_SP_PATHS } from './wire';

export const umfSpSettingsSchema = z
  .object({
    /** 代理商编号 (acqSpId, ≤ 10, assigned by UMF), e.g. Y000000001 */
    ACQ_SP_ID: z.string().trim().regex(/^[A-Za-z0-9]{1,10}$/, 'the 代理商编号 UMF assigned: at most 10 letters and digits, e.g. Y000000001'),
    /** 商户号 (acqMerId, ≤ 8, assigned by UMF), e.g. 30000064 */
    ACQ_MER_ID: z.string().trim().regex(/^[A-Za-z0-9]{1,8}$/, 'the 商户号 UMF assigned: at most 8 letters and digits, e.g. 30000064'),
    /** 交易服务根地址 (the paths /pay/micropay … are appended) */
    BASE_URL: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
    ...umfKeySettingsShape,
    /** 商品ID sent with every micropay (seed: goodsId, mandatory, ≤ 16) */
    GOODS_ID: z.string().trim().min(1).max(UMF_SP_GOODS_ID_MAX).default('payqr'),
    /** per-request timeout, ms */
    TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  })
  // Load the keys once at start-up so a bad key is a configuration error naming its setting.
  .superRefine(checkUmfKeys);
export type UmfSpConfig = z.infer<typeof umfSpSettingsSchema>;

const DIGITS = '0123456789';
/** Sandbox certificates are never date-checked (keys are pinned); a fixed start keeps generation clock-free. */
const SANDBOX_CERT_NOT_BEFORE = Date.UTC(2026, 0, 1);

function asFields(params: unknown): Record<string, unknown> {
  if (!params || typeof params !== 'object' || Array.isArray(params)) throw new Error('--params must be a JSON object of the wire fields');
  return params as Record<string, unknown>;
}

function isMessage(kind: string): kind is Exclude<UmfSpMessage, 'ack'> {
  return kind === 'request' || kind === 'response' || kind === 'notify';
}

/**
 * `pnpm payqr sign|verify --provider umf-sp` — the same conventions as the other UMF product:
 *
 * - `request` (default): `k=v&…` without `signature`, signed with the merchant key (`--key`, or
 *   the configured PRIVATE_KEY); verified with `--cert`/`--key` or the configured key's public half.
 * - `response`: the values `|`-joined without `signature` — UMF's answers; verified with `--cert`
 *   or the configured PLATFORM_CERT; signing needs the platform private key (`--key`, or the
 *   sandbox's SANDBOX_PLATFORM_PRIVATE_KEY).
 * - `notify`: `k=v&…` without `sign` — the backUrl notification; keys as for `response`.
 *
 * `canonical` is exactly the string that was signed (RSA: there is no secret in it).
 */
export function umfSpSigningTool(settings?: UmfKeySettings): SigningTool {
  const kindOf = (kind: string): Exclude<UmfSpMessage, 'ack'> => {
    if (!isMessage(kind)) throw new Error('--kind: request, response or notify');
    return kind;
  };
  const privateKey = (kind: Exclude<UmfSpMessage, 'ack'>, key: KeyMaterial | undefined) => {
    if (key) return loadRsaPrivateKey(key.bytes, key.passphrase !== undefined ? { passphrase: key.passphrase } : {});
    if (kind === 'request') {
      if (!settings) throw new Error('no key: pass --key <the merchant private key>');
      return loadUmfMerchantKey(settings);
    }
    const sandbox = settings ? loadUmfSandboxPlatformKey(settings) : undefined;
    if (!sandbox) throw new Error(`signing a ${kind} needs UMF's private key: pass --key (only the sandbox has one configured)`);
    return sandbox;
  };
  const publicKey = (kind: Exclude<UmfSpMessage, 'ack'>, key: KeyMaterial | undefined) => {
    if (key) return loadRsaPublicKey(key.bytes, key.passphrase !== undefined ? { passphrase: key.passphrase } : {});
    if (!settings) throw new Error('no key: pass --cert <certificate or public key>');
    return kind === 'request' ? createPublicKey(loadUmfMerchantKey(settings)) : loadUmfPlatformKey(settings);
  };
  return {
    kinds: ['request', 'response', 'notify'],
    defaultKind: 'request',
    sign(params, kind, key) {
      const message = kindOf(kind);
      const fields = asFields(params);
      return { canonical: umfSpCanonical(fields, message), signature: umfSpSign(fields, message, privateKey(message, key)) };
    },
    verify(params, signature, kind, key) {
      const message = kindOf(kind);
      const fields = { ...asFields(params), [umfSpSignatureField(message)]: signature };
      return { canonical: umfSpCanonical(fields, message), valid: verifyUmfSpSignature(fields, message, publicKey(message, key)) === 'valid' };
    },
  };
}

export const umfSpModule: ProviderModule<UmfSpConfig> = {
  id: 'umf-sp',
  envPrefix: 'PAYQR_UMF_SP_',
  settingsSchema: umfSpSettingsSchema,
  sandboxSettings(ctx) {
    // The same scheme as umf-mofun (umf/settings.ts); ASCII certificate names.
    const keys = umfSandboxKeys(ctx, {
      provider: 'umf-sp',
      merchantName: 'PayQR sandbox merchant (umf-sp)',
      platformName: 'PayQR sandbox UMF platform (umf-sp)',
      notBefore: SANDBOX_CERT_NOT_BEFORE,
    });
    return {
      ACQ_SP_ID: ctx.secret('ACQ_SP_ID', () => `Y${randomString(cryptoRandom, 9, DIGITS)}`),
      ACQ_MER_ID: ctx.secret('ACQ_MER_ID', () => randomString(cryptoRandom, 8, DIGITS)),
      BASE_URL: ctx.simulatorBaseUrl.replace(/\/+$/, ''),
      ...keys,
      GOODS_ID: 'payqr',
      TIMEOUT_MS: 10_000,
    };
  },
  describe(config) {
    return {
      acq_sp_id: config.ACQ_SP_ID,
      acq_mer_id: config.ACQ_MER_ID,
      base_url: config.BASE_URL,
      micropay: `${config.BASE_URL}${UMF_SP_PATHS.micropay}`,
      ...describeUmfKeys(config),
      goods_id: config.GOODS_ID,
      timeout: `${config.TIMEOUT_MS} ms`,
    };
  },
  createConnector(config, deps) {
    return createUmfSpConnector(
      {
        merchant: { acqSpId: config.ACQ_SP_ID, acqMerId: config.ACQ_MER_ID, goodsId: config.GOODS_ID },
        merchantKey: loadUmfMerchantKey(config),
        platformKey: loadUmfPlatformKey(config),
        baseUrl: config.BASE_URL,
        timeoutMs: config.TIMEOUT_MS,
      },
      deps,
    );
  },
  createSimulator(config, deps) {
    const keys = umfSimulatorKeys(
      config,
      deps.log,
      () => new UmfKeyError('SANDBOX_PLATFORM_PRIVATE_KEY', 'the umf-sp simulator needs the private half of PLATFORM_CERT to sign its answers'),
    );
    return createUmfSpSimulator({ acqSpId: config.ACQ_SP_ID, acqMerId: config.ACQ_MER_ID, ...keys }, deps);
  },
  signingTool: (config) => umfSpSigningTool(config),
};
