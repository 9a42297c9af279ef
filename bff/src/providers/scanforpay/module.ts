/**
 * scanforpay as a PayQR provider module: settings (`PAYQR_SCANFORPAY_*`), sandbox defaults, and
 * the factories for the connector, the simulator and the `pnpm payqr sign|verify` tool.
 */
import { z } from 'zod';
import { currencySchema } from '../../core/money';
import { cryptoRandom, randomString } from '../../core/random';
import { ParamsText, paramsObject } from '../signing-params';
import type { ProviderModule } from '../module';
import type { KeyMaterial, SigningTool } from '../types';
import { createScanforpayConnector } from './connector';
import { scanforpaySign, verifyScanforpaySignature } from './signature';
import { createScanforpaySimulator } from './simulator';
import { SCANFORPAY_CREATE_PATH, SCANFORPAY_PARTNER_NO_MAX, SCANFORPAY_QUERY_PATH, SCANFORPAY_STORE_NO_MAX } from './wire';

export const scanforpaySettingsSchema = z.object({
  /** header.partnerNo: the partner account (seed example 10001) */
  PARTNER_NO: z.string().trim().min(1).max(SCANFORPAY_PARTNER_NO_MAX),
  /** body.storeNo 门店编号, 由scanforpay分配 (String(15)) */
  STORE_NO: z.string().trim().min(1).max(SCANFORPAY_STORE_NO_MAX),
  /** the partner's SHA-256 signing key */
  SIGN_KEY: z.string().trim().min(8, 'the scanforpay signing key (signKey) issued with the partner account'),
  /** e.g. https://pay.scanforpay.com (the paths /api/offline/create and /api/common/payQuery are appended) */
  BASE_URL: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
  /** the store's settlement currency: orderAmount is in its minor unit (CNY fen, JPY yen …) */
  CURRENCY: z
    .string()
    .trim()
    .transform((c) => c.toUpperCase())
    .pipe(currencySchema)
    .default('CNY'),
  /** per-request timeout, ms */
  TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
});
export type ScanforpayConfig = z.infer<typeof scanforpaySettingsSchema>;

const DIGITS = '0123456789';

/** --key: a secret file's text, without the trailing newline editors add; none: the configured key. */
function keyText(key: KeyMaterial | undefined, configured: string | undefined): string {
  if (key) return Buffer.from(key.bytes).toString('utf8').trim();
  if (!configured) throw new Error('no key: pass --key <file with the scanforpay signing key>');
  return configured;
}

/**
 * `--params` is the `request` object (kind request) or the `response` object (kinds response
 * and notify) — the value that is signed, not the whole envelope.
 */
function valueText(params: unknown, kind: string): string {
  const value = paramsObject(params);
  const keys = Object.keys(value);
  if (keys.includes('signature') && (keys.includes('request') || keys.includes('response'))) {
    throw new Error(`--params is a whole envelope: pass the value of its "${keys.includes('request') ? 'request' : 'response'}" member (what is signed), not the envelope`);
  }
  if (kind !== 'request' && kind !== 'response' && kind !== 'notify') throw new Error(`--kind: request, response or notify (got ${kind})`);
  // the exact text as given (without the file's surrounding white space), else compact JSON
  return params instanceof ParamsText ? params.text.trim() : JSON.stringify(value);
}

/**
 * `pnpm payqr sign|verify --provider scanforpay`. Requests, answers and notifications are all
 * signed the same way (SHA-256 of the value's JSON text followed by the key), so the kind only
 * says which value `--params` holds.
 *
 * What `canonical` prints: the exact string that was hashed — the `--params` text exactly as
 * given (only white space around it dropped: spacing, escapes like `\u4e2d`, number spelling
 * like `2000.0` and key order all kept, as scanforpay signs the exact `request`/`response`
 * substring), immediately followed by the key, shown as the literal placeholder `<signKey>` (as
 * chaoying prints `<key>`). Replacing `<signKey>` by the key gives byte for byte what was
 * hashed. So paste the value from the wire log; an object passed in code is signed as compact
 * JSON (JSON.stringify).
 */
export function scanforpaySigningTool(configuredKey?: string): SigningTool {
  const printable = (text: string) => `${text}<signKey>`;
  return {
    kinds: ['request', 'response', 'notify'],
    defaultKind: 'request',
    sign(params, kind, key) {
      const text = valueText(params, kind);
      return { canonical: printable(text), signature: scanforpaySign(text, keyText(key, configuredKey)) };
    },
    verify(params, signature, kind, key) {
      const text = valueText(params, kind);
      return { canonical: printable(text), valid: verifyScanforpaySignature(text, signature, keyText(key, configuredKey)) === 'valid' };
    },
  };
}

export const scanforpayModule: ProviderModule<ScanforpayConfig> = {
  id: 'scanforpay',
  envPrefix: 'PAYQR_SCANFORPAY_',
  settingsSchema: scanforpaySettingsSchema,
  sandboxSettings(ctx) {
    return {
      // ctx.secret namespaces by provider (kept as scanforpay.SIGN_KEY …)
      PARTNER_NO: ctx.secret('PARTNER_NO', () => `1${randomString(cryptoRandom, 4, DIGITS)}`),
      STORE_NO: ctx.secret('STORE_NO', () => `1${randomString(cryptoRandom, 14, DIGITS)}`),
      SIGN_KEY: ctx.secret('SIGN_KEY', () => randomString(cryptoRandom, 32)),
      BASE_URL: ctx.simulatorBaseUrl.replace(/\/+$/, ''),
      // not a secret: PAYQR_SCANFORPAY_CURRENCY=JPY turns the sandbox store into a yen store
      CURRENCY: 'CNY',
      TIMEOUT_MS: 10_000,
    };
  },
  describe(config) {
    return {
      partner_no: config.PARTNER_NO,
      store_no: config.STORE_NO,
      sign_key: `set (${config.SIGN_KEY.length} characters)`,
      create: `${config.BASE_URL}${SCANFORPAY_CREATE_PATH}`,
      query: `${config.BASE_URL}${SCANFORPAY_QUERY_PATH}`,
      currency: `${config.CURRENCY} (orders in other currencies are not routed here)`,
      timeout: `${config.TIMEOUT_MS} ms`,
    };
  },
  createConnector(config, deps) {
    return createScanforpayConnector(
      {
        merchant: { partnerNo: config.PARTNER_NO, storeNo: config.STORE_NO, currency: config.CURRENCY },
        signKey: config.SIGN_KEY,
        baseUrl: config.BASE_URL,
        timeoutMs: config.TIMEOUT_MS,
      },
      deps,
    );
  },
  createSimulator(config, deps) {
    return createScanforpaySimulator({ partnerNo: config.PARTNER_NO, storeNo: config.STORE_NO, signKey: config.SIGN_KEY, currency: config.CURRENCY }, deps);
  },
  signingTool: (config) => scanforpaySigningTool(config.SIGN_KEY),
};
