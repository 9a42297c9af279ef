import { describe, expect, it } from 'vitest';
import { SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import { memorySecrets, moduleOnHub, smallPayment } from '../testing/module-kit';
import { huishouyinModule, huishouyinSettingsSchema } from './module';
import { huishouyinSign } from './signature';

const env = {
  APP_ID: 'bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF',
  APP_SECRET: 'ModuleTestSecret0123456789abcdef',
  BASE_URL: 'https://api.huishouyin.cn/',
};

describe('huishouyin module', () => {
  it('parses settings from environment strings with defaults', () => {
    expect(huishouyinSettingsSchema.parse({ ...env, TIMEOUT_MS: '3000', STORE_ID: ' S01 ' })).toEqual({ ...env, BASE_URL: 'https://api.huishouyin.cn', TIMEOUT_MS: 3000, STORE_ID: 'S01' });
    const bad = huishouyinSettingsSchema.safeParse({ ...env, APP_ID: 'A'.repeat(33), APP_SECRET: 'short', TIMEOUT_MS: '10' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['APP_ID', 'APP_SECRET', 'TIMEOUT_MS']);
  });

  it('BASE_URL: https, or plain http to loopback only (the answers are unsigned: TLS authenticates them)', () => {
    for (const ok of ['https://api.huishouyin.cn', 'http://127.0.0.1:3000/sandbox/huishouyin', 'http://localhost:3000/x', 'http://[::1]:3000']) {
      expect(huishouyinSettingsSchema.safeParse({ ...env, BASE_URL: ok }).success, ok).toBe(true);
    }
    for (const bad of ['http://api.huishouyin.cn', 'http://192.168.1.20:3000/sandbox/huishouyin', 'http://127.0.0.1.evil.example', 'ftp://api.huishouyin.cn', 'api.huishouyin.cn']) {
      const r = huishouyinSettingsSchema.safeParse({ ...env, BASE_URL: bad });
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['BASE_URL']);
    }
    expect(huishouyinSettingsSchema.safeParse({ ...env, BASE_URL: 'http://api.huishouyin.cn' }).error?.issues[0]?.message).toMatch(/TLS/);
  });

  it('generates stable sandbox settings through ctx.secret and points at the simulator', () => {
    const { store, ctx } = memorySecrets('http://127.0.0.1:3000/sandbox/huishouyin/');
    const a = huishouyinModule.sandboxSettings(ctx);
    expect(huishouyinModule.sandboxSettings(ctx)).toEqual(a);
    expect(a.APP_ID).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a.APP_SECRET).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a.BASE_URL).toBe('http://127.0.0.1:3000/sandbox/huishouyin');
    expect(huishouyinSettingsSchema.parse(a)).toEqual(a);
    expect([...store.keys()].sort()).toEqual(['APP_ID', 'APP_SECRET']);
  });

  it('describes the configuration without revealing the secret', () => {
    const d = huishouyinModule.describe(huishouyinSettingsSchema.parse({ ...env, STORE_ID: 'S01' }));
    expect(JSON.stringify(d)).not.toContain(env.APP_SECRET);
    expect(d).toMatchObject({ app_id: env.APP_ID, gateway: 'https://api.huishouyin.cn/pay/qrcode', app_secret: 'set (32 characters)', store_info: '{"store_id":"S01"}' });
    expect(d.webhook).toMatch(/unsigned/);
  });

  it('signing tool: prints exactly the hashed string with the secret as <key>, signs and verifies', () => {
    const tool = huishouyinModule.signingTool!(huishouyinSettingsSchema.parse(env));
    const params = {
      app_id: env.APP_ID,
      sign_type: 'MD5',
      order_id: '2017102100151091',
      pay_code: '134567890123456700',
      total_amount: '11.00',
      store_info: { store_id: 'S01' },
      empty: '',
      sign: 'ignored',
    };
    const fileKey = { bytes: new TextEncoder().encode('FileSecret0123456789\n') };
    const signed = tool.sign(params, 'request', fileKey);
    expect(signed.canonical).toBe(
      `app_id=${env.APP_ID}&app_sercet=<key>&order_id=2017102100151091&pay_code=134567890123456700&store_info={"store_id":"S01"}&total_amount=11.00`,
    );
    // replacing <key> by the secret gives byte for byte what was hashed
    expect(signed.signature).toBe(huishouyinSign(params, 'FileSecret0123456789'));
    expect(tool.verify(params, signed.signature, 'request', fileKey)).toEqual({ canonical: signed.canonical, valid: true });
    expect(tool.verify(params, signed.signature, 'request', undefined).valid).toBe(false);
    expect(tool.sign(params, 'request').signature).toBe(huishouyinSign(params, env.APP_SECRET));
    expect(tool.kinds).toEqual(['request', 'response']);
    expect(JSON.stringify(signed)).not.toContain('FileSecret');
    // JSON numbers from --params are signed as their shortest text
    expect(tool.sign({ code: 1000, data: { total_amount: 11.5 } }, 'response').canonical).toBe('app_sercet=<key>&code=1000&data={"total_amount":11.5}');
    expect(() => tool.sign([1], 'request')).toThrow(/JSON object/);
  });

  it('creates a connector and a simulator that agree (the simulator webhooks PayQR’s own notify URL)', async () => {
    const config = huishouyinSettingsSchema.parse({ ...env, BASE_URL: 'http://127.0.0.1:9/sandbox/huishouyin', STORE_ID: 'S01', TERMINAL_ID: 'T01' });
    const posted: string[] = [];
    const webhookFetch = (async (url: string | URL | Request) => {
      posted.push(String(url));
      return new Response('success');
    }) as typeof fetch;
    const { clock, log, hub, connector } = moduleOnHub(huishouyinModule, config, { fetch: webhookFetch, publicUrl: 'http://payqr.test' });
    expect(connector.merchantId).toBe(env.APP_ID);
    const r = await connector.createPayment(
      smallPayment(clock.now(), { channel: 'alipay', scene: 'micropay', notifyUrl: 'http://payqr.test/api/notify/huishouyin', authCode: SANDBOX_AUTH_CODES.alipay.paid }),
    );
    expect(r).toMatchObject({ outcome: 'paid', status: { amount: 1, extra: { payType: 'alipay' } } });
    for (let i = 0; i < 5; i++) await new Promise((res) => setImmediate(res));
    expect(posted).toEqual(['http://payqr.test/api/notify/huishouyin']);
    expect(log.lines.join('\n')).not.toContain(env.APP_SECRET);
    hub.stop();
  });
});
