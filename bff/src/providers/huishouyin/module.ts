/**
 * 汇收银/联富通 as a PayQR provider module: settings (`PAYQR_HUISHOUYIN_*`), sandbox defaults,
 * and the factories for the connector, the simulator and the `pnpm payqr sign|verify` tool.
 */
import { z } from 'zod';
import { cryptoRandom, randomString } from '../../core/random';
import { ParamsText, paramsObject } from '../signing-params';
import type { ProviderModule } from '../module';
import type { KeyMaterial, SigningTool } from '../types';
import { createHuishouyinConnector } from './connector';
import { JsonNumberText, parseExactJson, type JsonWritable } from '../../core/strict-json';
import { huishouyinSign, huishouyinStringToHash, verifyHuishouyinSign } from './signature';
import { createHuishouyinSimulator } from './simulator';
import { HUISHOUYIN_PATHS } from './wire';

/**
 * The answers are unsigned (docs/providers/huishouyin.md "Trust"), so only TLS authenticates them:
 * plain http is allowed to loopback hosts only (the built-in sandbox, a local tunnel).
 */
function httpsOrLoopback(u: string): boolean {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return true; // not a URL at all: the url check already says so
  }
  if (url.protocol === 'https:') return true;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export const huishouyinSettingsSchema = z.object({
  /** 应用ID (app_id), ≤ 32 characters */
  APP_ID: z.string().trim().min(1).max(32),
  /** app secret: the `app_sercet` of the (assumed) MD5 sign rule */
  APP_SECRET: z.string().trim().min(8, 'the app secret, usually 32 characters'),
  /** e.g. https://api.huishouyin.cn (the paths /pay/qrcode … are appended) */
  BASE_URL: z
    .url({ protocol: /^https?$/ })
    .refine(httpsOrLoopback, { message: '汇收银 answers are unsigned, so only TLS authenticates them: use https (plain http only to 127.0.0.1 / localhost)' })
    .transform((u) => u.replace(/\/+$/, '')),
  /** per-request timeout, ms */
  TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  /** store_info.store_id (门店id), sent when set */
  STORE_ID: z.string().trim().min(1).max(64).optional(),
  /** store_info.terminal_id (终端id), sent when set */
  TERMINAL_ID: z.string().trim().min(1).max(64).optional(),
});
export type HuishouyinConfig = z.infer<typeof huishouyinSettingsSchema>;

/** --key: a secret file's text, without the trailing newline editors add; none: the configured secret. */
function secretText(key: KeyMaterial | undefined, configured: string | undefined): string {
  if (key) return Buffer.from(key.bytes).toString('utf8').trim();
  if (!configured) throw new Error('no key: pass --key <file with the 汇收银 app secret>');
  return configured;
}

/**
 * From the CLI, `--params` is read as exact JSON: a number is signed as written (`11.00` stays
 * `11.00`). An object passed in code has doubles: each is signed as its shortest text.
 */
function toWritable(v: unknown): JsonWritable {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot sign ${v}`);
    return new JsonNumberText(String(v).replace('e+', 'e'));
  }
  if (Array.isArray(v)) return v.map(toWritable);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toWritable(x)]));
  throw new Error(`cannot sign a ${typeof v}`);
}

function asFields(params: unknown): Record<string, JsonWritable> {
  if (params instanceof ParamsText) {
    paramsObject(params); // the same errors as every tool: not JSON, not an object
    return parseExactJson(params.text) as Record<string, JsonWritable>; // 11.00 stays 11.00
  }
  return toWritable(paramsObject(params)) as Record<string, JsonWritable>;
}

/**
 * `pnpm payqr sign|verify --provider huishouyin`. Requests and (should they ever be signed)
 * answers follow the same assumed rule; for an answer pass `{code, msg, data}` (a top-level sign)
 * or `data` (a sign inside it). The webhook is unsigned: there is no `notify` kind.
 *
 * What `canonical` prints: the exact string that was MD5-hashed, with the secret shown as the
 * literal placeholder `<key>` (chaoying's convention) in the position the secret takes —
 * `app_id=…&app_sercet=<key>&order_id=…`. Replacing `<key>` by the secret gives byte for byte
 * what was hashed; the secret itself never lands in terminals, CI logs or tickets.
 */
export function huishouyinSigningTool(configuredSecret?: string): SigningTool {
  const printable = (fields: Record<string, JsonWritable>) => huishouyinStringToHash(fields, '<key>');
  return {
    kinds: ['request', 'response'],
    defaultKind: 'request',
    sign(params, _kind, key) {
      const fields = asFields(params);
      return { canonical: printable(fields), signature: huishouyinSign(fields, secretText(key, configuredSecret)) };
    },
    verify(params, signature, _kind, key) {
      const fields = { ...asFields(params), sign: signature };
      return { canonical: printable(fields), valid: verifyHuishouyinSign(fields, secretText(key, configuredSecret)) === 'valid' };
    },
  };
}

export const huishouyinModule: ProviderModule<HuishouyinConfig> = {
  id: 'huishouyin',
  envPrefix: 'PAYQR_HUISHOUYIN_',
  settingsSchema: huishouyinSettingsSchema,
  sandboxSettings(ctx) {
    return {
      // ctx.secret namespaces by provider (kept as huishouyin.APP_ID …); the seed's app_id is 32 alphanumerics
      APP_ID: ctx.secret('APP_ID', () => randomString(cryptoRandom, 32)),
      APP_SECRET: ctx.secret('APP_SECRET', () => randomString(cryptoRandom, 32)),
      BASE_URL: ctx.simulatorBaseUrl.replace(/\/+$/, ''),
      TIMEOUT_MS: 10_000,
    };
  },
  describe(config) {
    return {
      app_id: config.APP_ID,
      app_secret: `set (${config.APP_SECRET.length} characters)`,
      gateway: `${config.BASE_URL}${HUISHOUYIN_PATHS.pay}`,
      sign: 'MD5 with app_sercet (assumed rule, see providers/huishouyin/signature.ts)',
      webhook: 'unsigned (hint only): set the notify URL {PAYQR_PUBLIC_URL}/api/notify/huishouyin in the 汇收银 merchant backend',
      store_info: config.STORE_ID || config.TERMINAL_ID ? JSON.stringify({ store_id: config.STORE_ID, terminal_id: config.TERMINAL_ID }) : '(not sent)',
      timeout: `${config.TIMEOUT_MS} ms`,
    };
  },
  createConnector(config, deps) {
    const storeInfo = {
      ...(config.STORE_ID ? { store_id: config.STORE_ID } : {}),
      ...(config.TERMINAL_ID ? { terminal_id: config.TERMINAL_ID } : {}),
    };
    return createHuishouyinConnector(
      {
        merchant: { appId: config.APP_ID, ...(Object.keys(storeInfo).length ? { storeInfo } : {}) },
        appSecret: config.APP_SECRET,
        baseUrl: config.BASE_URL,
        timeoutMs: config.TIMEOUT_MS,
      },
      deps,
    );
  },
  createSimulator(config, deps) {
    // The webhook URL lives in 汇收银's merchant backend, not in the request: the sandbox's
    // "backend" points it at this PayQR's own notification endpoint.
    return createHuishouyinSimulator(
      { appId: config.APP_ID, appSecret: config.APP_SECRET, notifyUrl: `${deps.hub.publicUrl}/api/notify/huishouyin` },
      deps,
    );
  },
  signingTool: (config) => huishouyinSigningTool(config.APP_SECRET),
};
