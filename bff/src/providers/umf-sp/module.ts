/**
 * 联动优势 服务商平台 (micropay) as a PayQR provider module: settings (`PAYQR_UMF_SP_*`), sandbox
 * defaults, and the factories for the connector, the simulator and the `pnpm payqr sign|verify`
 * tool.
 */
import { z } from 'zod';
import { cryptoRandom, randomString } from '../../core/random';
import type { ProviderModule } from '../module';
import type { SigningTool } from '../types';
import { loadUmfMerchantKey, loadUmfPlatformKey, UmfKeyError, type UmfKeySettings } from '../umf/keys';
import { checkUmfKeys, describeUmfKeys, umfKeySettingsShape, umfSandboxKeys, umfSimulatorKeys } from '../umf/settings';
import { umfSigningTool } from '../umf/signing-tool';
import { createUmfSpConnector } from './connector';
import { UMF_SP_FORMS } from './signature';
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

/**
 * `pnpm payqr sign|verify --provider umf-sp` (umf/signing-tool.ts, the same conventions as the
 * other UMF product):
 *
 * - `request` (default): `k=v&…` without `signature`, signed with the merchant key.
 * - `response`: the values `|`-joined without `signature` — UMF's answers.
 * - `notify`: `k=v&…` without `sign` — the backUrl notification; keys as for `response`.
 */
export function umfSpSigningTool(settings?: UmfKeySettings): SigningTool {
  return umfSigningTool(settings, { request: UMF_SP_FORMS.request, response: UMF_SP_FORMS.response, notify: UMF_SP_FORMS.notify });
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
