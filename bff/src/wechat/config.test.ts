import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/env';
import { describeWechat, loadWechatConfig, WECHAT_API_BASE_URL, WECHAT_OAUTH_BASE_URL } from './config';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const app = (mode: 'sandbox' | 'live', subAppId?: string) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-wxcfg-'));
  dirs.push(dataDir);
  return { mode, publicUrl: 'https://pay.example.com', internalUrl: 'http://127.0.0.1:3000', dataDir, providers: subAppId ? { chaoying: { module: {} as never, settings: { SUB_APPID: subAppId } } } : {} };
};
const ID = 'wx0123456789abcdef';
const SECRET = '0123456789abcdef0123456789abcdef';

describe('WeChat configuration', () => {
  it('live: off without settings, both AppId and AppSecret together, WeChat’s own URLs by default', () => {
    expect(loadWechatConfig({}, app('live'))).toBeUndefined();
    expect(() => loadWechatConfig({ PAYQR_WECHAT_APP_ID: ID }, app('live'))).toThrow(/PAYQR_WECHAT_APP_SECRET: required/);
    expect(() => loadWechatConfig({ PAYQR_WECHAT_APP_SECRET: SECRET }, app('live'))).toThrow(/PAYQR_WECHAT_APP_ID: required/);
    const c = loadWechatConfig({ PAYQR_WECHAT_APP_ID: ID, PAYQR_WECHAT_APP_SECRET: SECRET }, app('live'))!;
    expect(c).toMatchObject({ appId: ID, oauthBaseUrl: WECHAT_OAUTH_BASE_URL, apiBaseUrl: WECHAT_API_BASE_URL, sandbox: false });
  });

  it('says which variable is wrong and how', () => {
    try {
      loadWechatConfig({ PAYQR_WECHAT_APP_ID: 'gh_123', PAYQR_WECHAT_APP_SECRET: 'short', PAYQR_WECHAT_API_BASE_URL: 'ftp://x' }, app('live'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PAYQR_WECHAT_APP_ID: the official account AppId/);
      expect(problems).toMatch(/PAYQR_WECHAT_APP_SECRET: the AppSecret/);
      expect(problems).toMatch(/PAYQR_WECHAT_API_BASE_URL/);
      expect(problems).not.toContain('short');
    }
  });

  it('sandbox: chaoying’s SUB_APPID, a generated secret kept across restarts, the simulator’s URLs', () => {
    const a = app('sandbox', 'wxaaaaaaaaaaaaaaaa');
    const first = loadWechatConfig({}, a)!;
    expect(first).toMatchObject({ appId: 'wxaaaaaaaaaaaaaaaa', oauthBaseUrl: 'https://pay.example.com/sandbox/wechat', apiBaseUrl: 'http://127.0.0.1:3000/sandbox/wechat', sandbox: true });
    expect(first.appSecret).toMatch(/^[0-9a-f]{32}$/);
    expect(loadWechatConfig({}, a)!.appSecret).toBe(first.appSecret);
    expect(loadWechatConfig({ PAYQR_WECHAT_APP_ID: ID }, a)!.appId).toBe(ID);
  });

  it('describes itself without the secret', () => {
    const c = loadWechatConfig({ PAYQR_WECHAT_APP_ID: ID, PAYQR_WECHAT_APP_SECRET: SECRET }, app('live'))!;
    expect(JSON.stringify(describeWechat(c))).not.toContain(SECRET);
    expect(describeWechat(undefined).oauth).toMatch(/not configured/);
  });
});
