/**
 * 联动优势 魔方 as a PayQR provider module: settings (`PAYQR_UMF_MOFUN_*`), sandbox defaults
 * (throw-away RSA-1024 keys for the merchant and for the platform, with a self-signed platform
 * certificate), and the factories for the connector, the simulator and the
 * `pnpm payqr sign|verify --provider umf-mofun` tool.
 */
import { z } from 'zod';
import { cryptoRandom, randomString } from '../../core/random';
import type { ProviderModule } from '../module';
import type { SigningTool } from '../types';
import { loadUmfMerchantKey, loadUmfPlatformKey, type UmfKeySettings } from '../umf/keys';
import { checkUmfKeys, describeUmfKeys, umfKeySettingsShape, umfSandboxKeys, umfSimulatorKeys } from '../umf/settings';
import { umfSigningTool } from '../umf/signing-tool';
import { createUmfMofunConnector } from './connector';
import { UMF_MOFUN_FORMS } from './signature';
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

/**
 * `pnpm payqr sign|verify --provider umf-mofun` (umf/signing-tool.ts): `k=v&…` for `request` and
 * `notify`, the `|`-joined values for `response` (also the form of our notification reply), all
 * with the field `sign`.
 */
export function umfMofunSigningTool(config?: UmfKeySettings): SigningTool {
  return umfSigningTool(config, { request: UMF_MOFUN_FORMS.kv, response: UMF_MOFUN_FORMS.pipe, notify: UMF_MOFUN_FORMS.kv });
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
