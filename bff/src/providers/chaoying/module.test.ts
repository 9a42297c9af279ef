import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { createSandboxHub } from '../../sandbox/hub';
import { chaoyingModule, chaoyingSettingsSchema } from './module';
import { chaoyingSign } from './signature';

const env = {
  AGENT_ID: '13000000000000000',
  MCH_ID: '00000001',
  KEY: 'ModuleTestKey0123456789abcdefABC',
  BASE_URL: 'https://pay.storepos.cn/',
};

describe('chaoying module', () => {
  it('parses settings from environment strings with defaults', () => {
    expect(chaoyingSettingsSchema.parse({ ...env, TIMEOUT_MS: '3000' })).toEqual({ ...env, BASE_URL: 'https://pay.storepos.cn', PID: 'payqr', TIMEOUT_MS: 3000 });
    const bad = chaoyingSettingsSchema.safeParse({ ...env, BASE_URL: 'ftp://x', KEY: 'short' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['BASE_URL', 'KEY']);
  });

  it('generates stable sandbox settings through ctx.secret and points at the simulator', () => {
    const store = new Map<string, string>();
    const ctx = {
      simulatorBaseUrl: 'http://127.0.0.1:3000/sandbox/chaoying',
      secret: (name: string, gen: () => string) => store.get(name) ?? (store.set(name, gen()), store.get(name)!),
    };
    const a = chaoyingModule.sandboxSettings(ctx);
    const b = chaoyingModule.sandboxSettings(ctx);
    expect(a).toEqual(b);
    expect(a.KEY).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a.AGENT_ID).toMatch(/^13\d{15}$/);
    expect(a.MCH_ID).toMatch(/^\d{8}$/);
    expect(a.BASE_URL).toBe('http://127.0.0.1:3000/sandbox/chaoying');
    expect(chaoyingSettingsSchema.parse(a)).toEqual(a);
    expect(a.SUB_APPID).toMatch(/^wx[0-9a-f]{16}$/);
    expect([...store.keys()].sort()).toEqual(['AGENT_ID', 'KEY', 'MCH_ID', 'SUB_APPID']);
  });

  it('describes the configuration without revealing the key', () => {
    const d = chaoyingModule.describe(chaoyingSettingsSchema.parse(env));
    expect(JSON.stringify(d)).not.toContain(env.KEY);
    expect(d.gateway).toBe('https://pay.storepos.cn/v2/UnifiedPay/Gateway');
  });

  it('signing tool: prints the exact hashed string with the key as <key>, signs and verifies', () => {
    const tool = chaoyingModule.signingTool!(chaoyingSettingsSchema.parse(env));
    const params = { method: 'PreOrder_WECHAT', total_fee: 1, Body: '超赢支付', empty: '', sign: 'ignored' };
    const fileKey = { bytes: new TextEncoder().encode('FileKey\n') };
    const signed = tool.sign(params, 'request', fileKey);
    expect(signed.canonical).toBe('Body=超赢支付&method=PreOrder_WECHAT&total_fee=1&key=<key>');
    expect(signed.signature).toBe(chaoyingSign(params, 'FileKey'));
    expect(tool.verify(params, signed.signature, 'notify', fileKey)).toEqual({ canonical: signed.canonical, valid: true });
    expect(tool.verify(params, signed.signature, 'notify', undefined).valid).toBe(false);
    // without --key: the configured key
    expect(tool.sign(params, 'request').signature).toBe(chaoyingSign(params, env.KEY));
    expect(tool.kinds).toEqual(['request', 'response', 'notify']);
    expect(() => tool.sign([1], 'request')).toThrow(/JSON object/);
  });

  it('creates a connector and a simulator that agree', async () => {
    const config = chaoyingSettingsSchema.parse({ ...env, BASE_URL: 'http://sandbox.test/sandbox/chaoying' });
    const clock = new FakeClock();
    const log = memoryLogger();
    const hub = createSandboxHub({ clock, random: seededRandom(2), fetch: globalThis.fetch, log, publicUrl: 'http://sandbox.test' });
    hub.register(chaoyingModule.createSimulator!(config, { clock, random: seededRandom(3), fetch: globalThis.fetch, log, hub }));
    const viaHub = (async (url: string | URL | Request, init?: RequestInit) => hub.handle(new Request(url, init))) as typeof fetch;
    const connector = chaoyingModule.createConnector(config, { clock, random: seededRandom(4), fetch: viaHub, log });
    expect(connector.merchantId).toBe('00000001');
    const r = await connector.createPayment({
      attemptId: 'att_m',
      outTradeNo: 'PQM00001',
      money: { amount: 1, currency: 'CNY' },
      subject: 's',
      channel: 'ecny',
      scene: 'qr',
      createdAt: clock.now(),
      expiresAt: clock.now() + 60_000,
      notifyUrl: 'http://shop.test/n',
    });
    expect(r).toMatchObject({ outcome: 'created', action: { kind: 'qr', content: expect.stringMatching(/^http:\/\/sandbox\.test\/sandbox\/pay\//) } });
    hub.stop();
  });
});
