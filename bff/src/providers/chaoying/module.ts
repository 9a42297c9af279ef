/**
 * 超赢 as a PayQR provider module: settings (`PAYQR_CHAOYING_*`), sandbox defaults, and the
 * factories for the connector, the simulator and the `pnpm payqr sign|verify` tool.
 */
import { z } from 'zod';
import { cryptoRandom, randomString } from '../../core/random';
import { paramsObject } from '../signing-params';
import type { ProviderModule } from '../module';
import type { KeyMaterial, SigningTool } from '../types';
import { createChaoyingConnector } from './connector';
import { chaoyingCanonical, chaoyingSign, verifyChaoyingSignature } from './signature';
import { createChaoyingSimulator } from './simulator';

export const chaoyingSettingsSchema = z.object({
  /** 代理商编号 (agent_id), e.g. 13000000000000000 */
  AGENT_ID: z.string().trim().min(1).max(32),
  /** 超赢商户号 (mch_id) */
  MCH_ID: z.string().trim().min(1).max(32),
  /** 商户密钥: the MD5 signing key of the v2 gateway */
  KEY: z.string().trim().min(8, 'the merchant key (商户密钥), usually 32 characters'),
  /** e.g. https://pay.storepos.cn (the path /v2/UnifiedPay/Gateway is appended) */
  BASE_URL: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
  /** 调用方产品名称 (pid) */
  PID: z.string().trim().min(1).max(32).default('payqr'),
  /** WeChat AppId for JSPAY (sub_appid); WeChat in-app payments are offered only when set */
  SUB_APPID: z.string().trim().min(1).max(32).optional(),
  /** per-request timeout, ms */
  TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
});
export type ChaoyingConfig = z.infer<typeof chaoyingSettingsSchema>;

const DIGITS = '0123456789';

/** --key: a secret file's text, without the trailing newline editors add; none: the configured key. */
function keyText(key: KeyMaterial | undefined, configured: string | undefined): string {
  if (key) return Buffer.from(key.bytes).toString('utf8').trim();
  if (!configured) throw new Error('no key: pass --key <file with the 超赢 merchant key>');
  return configured;
}

/**
 * `pnpm payqr sign|verify --provider chaoying`. Requests, responses and notifications are all
 * signed the same way (MD5 with the merchant key), so the kind only documents intent.
 *
 * What `canonical` prints: the exact string that was MD5-hashed, with the merchant key shown
 * as the literal placeholder `<key>` — i.e. `…&total_fee=1&key=<key>`. An integrator settling a
 * "签名错误" dispute needs the exact bytes (order, empties dropped, `&key=` suffix) to compare
 * with what 超赢 support sends; the key itself must not land in terminals, CI logs or tickets.
 * Replacing `<key>` by the key gives byte-for-byte what was hashed.
 */
export function chaoyingSigningTool(configuredKey?: string): SigningTool {
  const printable = (fields: Record<string, unknown>) => `${chaoyingCanonical(fields)}&key=<key>`;
  return {
    kinds: ['request', 'response', 'notify'],
    defaultKind: 'request',
    sign(params, _kind, key) {
      const fields = paramsObject(params);
      return { canonical: printable(fields), signature: chaoyingSign(fields, keyText(key, configuredKey)) };
    },
    verify(params, signature, _kind, key) {
      const fields = { ...paramsObject(params), sign: signature };
      return { canonical: printable(fields), valid: verifyChaoyingSignature(fields, keyText(key, configuredKey)) === 'valid' };
    },
  };
}

export const chaoyingModule: ProviderModule<ChaoyingConfig> = {
  id: 'chaoying',
  envPrefix: 'PAYQR_CHAOYING_',
  settingsSchema: chaoyingSettingsSchema,
  sandboxSettings(ctx) {
    return {
      // ctx.secret namespaces by provider (kept as chaoying.KEY …)
      AGENT_ID: ctx.secret('AGENT_ID', () => `13${randomString(cryptoRandom, 15, DIGITS)}`),
      MCH_ID: ctx.secret('MCH_ID', () => randomString(cryptoRandom, 8, DIGITS)),
      KEY: ctx.secret('KEY', () => randomString(cryptoRandom, 32)),
      BASE_URL: ctx.simulatorBaseUrl.replace(/\/+$/, ''),
      PID: 'payqr',
      // The sandbox WeChat official account's AppId (also PAYQR_WECHAT_APP_ID's sandbox default,
      // see wechat/config.ts), so WeChat in-app payment (JSPAY) works out of the box.
      SUB_APPID: ctx.secret('SUB_APPID', () => `wx${randomString(cryptoRandom, 16, '0123456789abcdef')}`),
      TIMEOUT_MS: 10_000,
    };
  },
  describe(config) {
    return {
      agent_id: config.AGENT_ID,
      mch_id: config.MCH_ID,
      key: `set (${config.KEY.length} characters)`,
      gateway: `${config.BASE_URL}/v2/UnifiedPay/Gateway`,
      pid: config.PID,
      sub_appid: config.SUB_APPID ?? '(not set: WeChat JSAPI disabled)',
      timeout: `${config.TIMEOUT_MS} ms`,
    };
  },
  createConnector(config, deps) {
    return createChaoyingConnector(
      {
        merchant: { agentId: config.AGENT_ID, mchId: config.MCH_ID, pid: config.PID, ...(config.SUB_APPID ? { subAppId: config.SUB_APPID } : {}) },
        key: config.KEY,
        baseUrl: config.BASE_URL,
        timeoutMs: config.TIMEOUT_MS,
      },
      deps,
    );
  },
  createSimulator(config, deps) {
    return createChaoyingSimulator({ agentId: config.AGENT_ID, mchId: config.MCH_ID, key: config.KEY }, deps);
  },
  signingTool: (config) => chaoyingSigningTool(config.KEY),
};
