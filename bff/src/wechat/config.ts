/**
 * WeChat official-account settings for the OAuth helper (`/api/wechat/oauth`), validated once
 * at start-up like the rest of the configuration (contract.md "Configuration"):
 *
 * - `PAYQR_WECHAT_APP_ID`: the official account's AppId (`wx…`), the same one chaoying uses as
 *   `sub_appid` (`PAYQR_CHAOYING_SUB_APPID`) — openids belong to one AppId.
 * - `PAYQR_WECHAT_APP_SECRET`: its AppSecret. Server-side only: it goes into the code exchange
 *   and into the key that signs `state`, never into a URL a browser sees, a response or a log.
 * - `PAYQR_WECHAT_OAUTH_BASE_URL` (browser-facing, default `https://open.weixin.qq.com`) and
 *   `PAYQR_WECHAT_API_BASE_URL` (server-facing, default `https://api.weixin.qq.com`).
 *
 * Sandbox mode needs none of them: the AppId is chaoying's generated sandbox SUB_APPID, the
 * secret is generated once and kept with the other sandbox keys, and both base URLs point at
 * the WeChat OAuth simulator (`/sandbox/wechat`, wechat/simulator.ts). Live mode without an
 * AppId has no OAuth helper (the endpoints answer "not configured").
 */
import { createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config/env';
import type { AppConfig } from '../config/load';
import { SecretStore } from '../config/sandbox-secrets';

export const WECHAT_OAUTH_BASE_URL = 'https://open.weixin.qq.com';
export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';

export interface WechatConfig {
  appId: string;
  /** never log, print or send to a browser */
  appSecret: string;
  /** `{oauthBaseUrl}/connect/oauth2/authorize` — the browser goes there */
  oauthBaseUrl: string;
  /** `{apiBaseUrl}/sns/oauth2/access_token` — the server calls it */
  apiBaseUrl: string;
  /** HMAC key for `state`, derived from the AppSecret (no extra setting to manage) */
  stateKey: Buffer;
  /** how long a started OAuth round trip may take */
  stateTtlSeconds: number;
  sandbox: boolean;
}

const httpUrl = (what: string) =>
  z
    .url({ protocol: /^https?$/, message: `${what}: an absolute http(s) URL` })
    .transform((u) => u.replace(/\/+$/, ''));

export const wechatEnvSchema = z.object({
  PAYQR_WECHAT_APP_ID: z
    .string()
    .trim()
    .regex(/^wx[0-9A-Za-z]{16}$/, 'the official account AppId: "wx" and 16 letters or digits, e.g. wx1234567890abcdef')
    .optional(),
  PAYQR_WECHAT_APP_SECRET: z.string().trim().regex(/^[0-9A-Za-z]{32}$/, 'the AppSecret: 32 letters or digits (公众号后台 → 基本配置)').optional(),
  PAYQR_WECHAT_OAUTH_BASE_URL: httpUrl('PAYQR_WECHAT_OAUTH_BASE_URL').optional(),
  PAYQR_WECHAT_API_BASE_URL: httpUrl('PAYQR_WECHAT_API_BASE_URL').optional(),
});

/** the `state` HMAC key: HMAC-SHA256(AppSecret, label), so rotating the secret rotates it */
export function deriveStateKey(appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update('payqr:wechat-oauth-state:v1').digest();
}

type AppPart = Pick<AppConfig, 'mode' | 'publicUrl' | 'internalUrl' | 'dataDir' | 'providers'>;

export function loadWechatConfig(env: Record<string, string | undefined>, app: AppPart): WechatConfig | undefined {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('PAYQR_WECHAT_') && v !== undefined && v !== ''));
  const parsed = wechatEnvSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`));
  const e = parsed.data;

  if (app.mode === 'live') {
    if (!e.PAYQR_WECHAT_APP_ID && !e.PAYQR_WECHAT_APP_SECRET) return undefined;
    const problems: string[] = [];
    if (!e.PAYQR_WECHAT_APP_ID) problems.push('PAYQR_WECHAT_APP_ID: required with PAYQR_WECHAT_APP_SECRET (the official account AppId)');
    if (!e.PAYQR_WECHAT_APP_SECRET) problems.push('PAYQR_WECHAT_APP_SECRET: required with PAYQR_WECHAT_APP_ID (WeChat OAuth exchanges the code with it)');
    if (problems.length) throw new ConfigError(problems);
    return build(e.PAYQR_WECHAT_APP_ID!, e.PAYQR_WECHAT_APP_SECRET!, e.PAYQR_WECHAT_OAUTH_BASE_URL ?? WECHAT_OAUTH_BASE_URL, e.PAYQR_WECHAT_API_BASE_URL ?? WECHAT_API_BASE_URL, false);
  }

  const secrets = new SecretStore(path.join(app.dataDir, 'sandbox-secrets.json'));
  const chaoyingAppId = (app.providers.chaoying?.settings as { SUB_APPID?: string } | undefined)?.SUB_APPID;
  const appId = e.PAYQR_WECHAT_APP_ID ?? chaoyingAppId ?? secrets.get('wechat.APP_ID', () => `wx${randomBytes(8).toString('hex')}`);
  const appSecret = e.PAYQR_WECHAT_APP_SECRET ?? secrets.get('wechat.APP_SECRET', () => randomBytes(16).toString('hex'));
  secrets.flush();
  return build(
    appId,
    appSecret,
    e.PAYQR_WECHAT_OAUTH_BASE_URL ?? `${app.publicUrl}/sandbox/wechat`,
    e.PAYQR_WECHAT_API_BASE_URL ?? `${app.internalUrl}/sandbox/wechat`,
    true,
  );
}

function build(appId: string, appSecret: string, oauthBaseUrl: string, apiBaseUrl: string, sandbox: boolean): WechatConfig {
  return { appId, appSecret, oauthBaseUrl, apiBaseUrl, stateKey: deriveStateKey(appSecret), stateTtlSeconds: 600, sandbox };
}

/** For start-up lines and `doctor`: never the secret. */
export function describeWechat(c: WechatConfig | undefined): Record<string, string> {
  if (!c) return { oauth: 'not configured (set PAYQR_WECHAT_APP_ID and PAYQR_WECHAT_APP_SECRET for WeChat in-app payment)' };
  return { app_id: c.appId, app_secret: `set (${c.appSecret.length} characters)`, authorize: `${c.oauthBaseUrl}/connect/oauth2/authorize`, token: `${c.apiBaseUrl}/sns/oauth2/access_token` };
}
