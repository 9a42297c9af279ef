import { describe, expect, it } from 'vitest';
import { memorySecrets, moduleOnHub, smallPayment } from '../testing/module-kit';
import { openEnvelope, sealEnvelope } from './envelope';
import { scanforpayModule, scanforpaySettingsSchema } from './module';
import { scanforpaySign } from './signature';

const env = {
  PARTNER_NO: '10001',
  STORE_NO: '100010000000002',
  SIGN_KEY: 'ModuleTestKey0123456789abcdefABC',
  BASE_URL: 'https://pay.scanforpay.com/',
};

describe('scanforpay module', () => {
  it('parses settings from environment strings with defaults (CNY store, 10 s)', () => {
    expect(scanforpaySettingsSchema.parse({ ...env, TIMEOUT_MS: '3000' })).toEqual({ ...env, BASE_URL: 'https://pay.scanforpay.com', CURRENCY: 'CNY', TIMEOUT_MS: 3000 });
    expect(scanforpaySettingsSchema.parse({ ...env, CURRENCY: 'jpy' }).CURRENCY).toBe('JPY');
    const bad = scanforpaySettingsSchema.safeParse({ ...env, BASE_URL: 'ftp://x', SIGN_KEY: 'short', STORE_NO: '1'.repeat(16), CURRENCY: 'XYZ' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['BASE_URL', 'CURRENCY', 'SIGN_KEY', 'STORE_NO']);
  });

  it('generates stable sandbox settings through ctx.secret and points at the simulator', () => {
    const { store, ctx } = memorySecrets('http://127.0.0.1:3000/sandbox/scanforpay/');
    const a = scanforpayModule.sandboxSettings(ctx);
    expect(scanforpayModule.sandboxSettings(ctx)).toEqual(a);
    expect(a.SIGN_KEY).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a.PARTNER_NO).toMatch(/^1\d{4}$/);
    expect(a.STORE_NO).toMatch(/^1\d{14}$/);
    expect(a).toMatchObject({ BASE_URL: 'http://127.0.0.1:3000/sandbox/scanforpay', CURRENCY: 'CNY', TIMEOUT_MS: 10_000 });
    expect(scanforpaySettingsSchema.parse(a)).toEqual(a);
    expect([...store.keys()].sort()).toEqual(['PARTNER_NO', 'SIGN_KEY', 'STORE_NO']);
    // what config/load.ts does with PAYQR_SCANFORPAY_CURRENCY=JPY in sandbox mode
    expect(scanforpaySettingsSchema.parse({ ...a, CURRENCY: 'JPY' }).CURRENCY).toBe('JPY');
  });

  it('describes the configuration without revealing the key', () => {
    const d = scanforpayModule.describe(scanforpaySettingsSchema.parse(env));
    expect(JSON.stringify(d)).not.toContain(env.SIGN_KEY);
    expect(d).toMatchObject({ create: 'https://pay.scanforpay.com/api/offline/create', query: 'https://pay.scanforpay.com/api/common/payQuery', partner_no: '10001', store_no: env.STORE_NO });
    expect(d.currency).toMatch(/^CNY/);
  });

  it('signing tool: canonical is the compact JSON text then <signKey>, exactly what was hashed', () => {
    const tool = scanforpayModule.signingTool!(scanforpaySettingsSchema.parse(env));
    const params = { header: { partnerNo: '10001', signType: 'SHA256' }, body: { storeNo: env.STORE_NO, orderAmount: 2000, orderTitle: '一杯咖啡' } };
    const compact = '{"header":{"partnerNo":"10001","signType":"SHA256"},"body":{"storeNo":"100010000000002","orderAmount":2000,"orderTitle":"一杯咖啡"}}';
    const fileKey = { bytes: new TextEncoder().encode('FileKey0123\n') };
    const signed = tool.sign(params, 'request', fileKey);
    expect(signed.canonical).toBe(`${compact}<signKey>`);
    expect(signed.canonical.replace('<signKey>', 'FileKey0123')).toBe(`${compact}FileKey0123`);
    expect(signed.signature).toBe(scanforpaySign(compact, 'FileKey0123'));
    // the same value the connector seals
    expect(signed.signature).toBe(sealEnvelope('request', params, 'FileKey0123').signature);
    expect(tool.verify(params, signed.signature, 'notify', fileKey)).toEqual({ canonical: signed.canonical, valid: true });
    expect(tool.verify(params, signed.signature.toUpperCase(), 'response', fileKey).valid).toBe(true);
    expect(tool.verify(params, signed.signature, 'request', undefined).valid).toBe(false);
    // without --key: the configured key
    expect(tool.sign(params, 'request').signature).toBe(scanforpaySign(compact, env.SIGN_KEY));
    expect(tool.kinds).toEqual(['request', 'response', 'notify']);
    expect(tool.defaultKind).toBe('request');
  });

  it('signing tool: verifies an answer taken from the wire when it was compact, and explains a whole envelope', () => {
    const tool = scanforpayModule.signingTool!(scanforpaySettingsSchema.parse(env));
    const wire = sealEnvelope('response', { header: { partnerNo: '10001' }, body: { code: 1, msg: 'success' } }, env.SIGN_KEY);
    const opened = openEnvelope(wire.text, 'response');
    if (!opened.ok) throw new Error(opened.reason);
    expect(tool.verify(opened.value, wire.signature, 'response').valid).toBe(true);
    expect(() => tool.sign(JSON.parse(wire.text), 'response')).toThrow(/whole envelope: pass the value of its "response" member/);
    expect(() => tool.sign([1], 'request')).toThrow(/JSON object/);
  });

  it('creates a connector and a simulator that agree (JPY store)', async () => {
    const config = scanforpaySettingsSchema.parse({ ...env, CURRENCY: 'JPY', BASE_URL: 'http://sandbox.test/sandbox/scanforpay' });
    const { clock, log, hub, connector } = moduleOnHub(scanforpayModule, config);
    expect(connector.merchantId).toBe(env.STORE_NO);
    expect(connector.supportsCurrency('JPY')).toBe(true);
    expect(connector.supportsCurrency('CNY')).toBe(false);
    const r = await connector.createPayment(smallPayment(clock.now(), { money: { amount: 2000, currency: 'JPY' }, channel: 'wechat', scene: 'qr', notifyUrl: 'http://shop.test/n' }));
    expect(r).toMatchObject({ outcome: 'created', action: { kind: 'qr', content: expect.stringMatching(/^http:\/\/sandbox\.test\/sandbox\/pay\//) } });
    expect(hub.findPayerSession('scanforpay', 'PQM00001')?.money).toEqual({ amount: 2000, currency: 'JPY' });
    expect(log.lines.join('\n')).not.toContain(env.SIGN_KEY);
    hub.stop();
  });
});
