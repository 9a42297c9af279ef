import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { memoryLogger } from '../core/log';
import { seededRandom } from '../core/random';
import { createWechatOAuthSimulator, WECHAT_CODE_TTL_MS } from './simulator';

const APP_ID = 'wx0123456789abcdef';
const SECRET = '0123456789abcdef0123456789abcdef';
const WECHAT_UA = 'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';

function setup() {
  const clock = new FakeClock();
  const sim = createWechatOAuthSimulator({ appId: APP_ID, appSecret: SECRET, oauthOrigins: ['https://pay.example.com'], clock, random: seededRandom(3), log: memoryLogger() });
  const authorize = (params: Record<string, string>, headers: Record<string, string> = { 'user-agent': WECHAT_UA }) =>
    sim.handle(new Request(`http://sandbox.test/sandbox/wechat/connect/oauth2/authorize?${new URLSearchParams(params)}#wechat_redirect`, { headers }), '/connect/oauth2/authorize');
  const token = async (params: Record<string, string>) => {
    const res = await sim.handle(new Request(`http://sandbox.test/sandbox/wechat/sns/oauth2/access_token?${new URLSearchParams(params)}`), '/sns/oauth2/access_token');
    expect(res.status).toBe(200); // WeChat answers errors with 200 and {errcode, errmsg}
    return (await res.json()) as Record<string, unknown>;
  };
  const good = { appid: APP_ID, redirect_uri: 'https://pay.example.com/api/wechat/oauth/callback?return=x', response_type: 'code', scope: 'snsapi_base', state: 'v1abc' };
  const codeFrom = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('code')!;
  return { clock, sim, authorize, token, good, codeFrom };
}

describe('WeChat OAuth simulator', () => {
  it('snsapi_base is silent: 302 back to redirect_uri with a code and the state, keeping its query', async () => {
    const { authorize, good } = setup();
    const res = await authorize(good);
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe('https://pay.example.com/api/wechat/oauth/callback');
    expect(back.searchParams.get('return')).toBe('x');
    expect(back.searchParams.get('state')).toBe('v1abc');
    expect(back.searchParams.get('code')).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('exchanges the code once for {access_token, expires_in, refresh_token, openid, scope}', async () => {
    const { authorize, token, good, codeFrom, sim } = setup();
    const code = codeFrom(await authorize(good));
    const answer = await token({ appid: APP_ID, secret: SECRET, code, grant_type: 'authorization_code' });
    expect(answer).toMatchObject({ expires_in: 7200, openid: sim.openidFor('sandbox-user'), scope: 'snsapi_base' });
    expect(Object.keys(answer).sort()).toEqual(['access_token', 'expires_in', 'openid', 'refresh_token', 'scope']);
    expect(await token({ appid: APP_ID, secret: SECRET, code, grant_type: 'authorization_code' })).toMatchObject({ errcode: 40163, errmsg: expect.stringMatching(/^code been used, rid: /) });
  });

  it('gives each user a stable openid of WeChat’s shape, chosen by the payqr_wechat_user cookie', async () => {
    const { authorize, token, good, codeFrom, sim } = setup();
    const openid = async (cookie?: string) =>
      (await token({ appid: APP_ID, secret: SECRET, code: codeFrom(await authorize(good, { 'user-agent': WECHAT_UA, ...(cookie ? { cookie } : {}) })), grant_type: 'authorization_code' })).openid;
    const alice1 = await openid('payqr_wechat_user=alice');
    expect(alice1).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(await openid('theme=dark; payqr_wechat_user=alice')).toBe(alice1);
    expect(await openid('payqr_wechat_user=bob')).not.toBe(alice1);
    expect(await openid()).toBe(sim.openidFor('sandbox-user'));
  });

  it('answers WeChat’s errcodes for a wrong appid, secret, grant_type, or a missing, unknown or stale code', async () => {
    const { authorize, token, good, codeFrom, clock } = setup();
    const code = codeFrom(await authorize(good));
    const base = { appid: APP_ID, secret: SECRET, code, grant_type: 'authorization_code' };
    expect(await token({ ...base, appid: 'wx0000000000000000' })).toMatchObject({ errcode: 40013 });
    expect(await token({ ...base, secret: 'x'.repeat(32) })).toMatchObject({ errcode: 40125, errmsg: expect.stringContaining('invalid appsecret') });
    expect(await token({ ...base, grant_type: 'client_credential' })).toMatchObject({ errcode: 40002 });
    expect(await token({ appid: APP_ID, secret: SECRET, grant_type: 'authorization_code' })).toMatchObject({ errcode: 41008 });
    expect(await token({ ...base, code: 'nope' })).toMatchObject({ errcode: 40029 });
    clock.advance(WECHAT_CODE_TTL_MS + 1);
    expect(await token(base)).toMatchObject({ errcode: 40029 });
  });

  it('shows WeChat’s error page for a foreign redirect domain, a wrong appid or scope, and outside WeChat', async () => {
    const { authorize, good } = setup();
    const text = async (res: Response) => {
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      return res.text();
    };
    expect(await text(await authorize({ ...good, redirect_uri: 'https://evil.example/cb' }))).toContain('10003');
    expect(await text(await authorize({ ...good, appid: 'wx1111111111111111' }))).toContain('10016');
    expect(await text(await authorize({ ...good, scope: 'snsapi_login' }))).toContain('10005');
    expect(await text(await authorize(good, { 'user-agent': 'Mozilla/5.0 (iPhone) Mobile Safari' }))).toContain('请在微信客户端打开链接');
  });
});
