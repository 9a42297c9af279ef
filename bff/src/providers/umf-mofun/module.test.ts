import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load';
import { FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { P12_PASSPHRASE } from '../../crypto/__fixtures__/constants';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import { memorySecrets as memorySecretsAt, moduleOnHub, smallPayment } from '../testing/module-kit';
import { toRawNotification } from '../testing/receiver';
import { samePublicKey } from '../umf/keys';
import { umfMofunModule, umfMofunSettingsSchema, umfMofunSigningTool, type UmfMofunConfig } from './module';
import { umfMofunSign } from './signature';
import { fixture, FIXTURES, merchantKey, platformPrivateKey } from './test-keys';

const env = {
  PROXY_ID: '0049',
  SUB_MER_ID: '30000102',
  BASE_URL: 'https://mofunapi.umfintech.com/',
  PRIVATE_KEY_FILE: `${FIXTURES}/rsa1024.pkcs8.der`,
  PLATFORM_CERT_FILE: `${FIXTURES}/rsa2048.cert.der`,
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const memorySecrets = (simulatorBaseUrl = 'http://127.0.0.1:3000/sandbox/umf-mofun') => memorySecretsAt(simulatorBaseUrl);

describe('umf-mofun module: settings', () => {
  it('parses settings from environment strings, with defaults', () => {
    expect(umfMofunSettingsSchema.parse({ ...env, TIMEOUT_MS: '3000' })).toEqual({ ...env, BASE_URL: 'https://mofunapi.umfintech.com', TIMEOUT_MS: 3000 });
  });

  it('reports each problem under its own setting, keys included, without echoing key material', () => {
    const pem = fixture('rsa1024.pkcs8.pem').toString('utf8');
    const bad = umfMofunSettingsSchema.safeParse({
      PROXY_ID: '00491',
      SUB_MER_ID: '300-0102',
      BASE_URL: 'ftp://x',
      PRIVATE_KEY_FILE: `${FIXTURES}/rsa1024.p12`, // no passphrase
      PLATFORM_CERT: pem.slice(0, 200),
    });
    expect(bad.success).toBe(false);
    const issues = Object.fromEntries((bad.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
    expect(Object.keys(issues).sort()).toEqual(['BASE_URL', 'PLATFORM_CERT', 'PRIVATE_KEY_FILE', 'PROXY_ID', 'SUB_MER_ID']);
    expect(issues.PRIVATE_KEY_FILE).toMatch(/^not a usable RSA private key/);
    expect(JSON.stringify(issues)).not.toContain(pem.split('\n')[1]);
    const none = umfMofunSettingsSchema.safeParse({ PROXY_ID: '0049', SUB_MER_ID: '30000102', BASE_URL: 'https://x.example' });
    expect(none.error?.issues.map((i) => i.path[0]).sort()).toEqual(['PLATFORM_CERT', 'PRIVATE_KEY']);
  });

  it('accepts a PKCS#12 merchant key with its passphrase', () => {
    expect(umfMofunSettingsSchema.safeParse({ ...env, PRIVATE_KEY_FILE: `${FIXTURES}/rsa1024.openssl.p12`, PRIVATE_KEY_PASSPHRASE: P12_PASSPHRASE }).success).toBe(true);
  });

  it('generates stable sandbox settings (RSA-1024 merchant and platform keys, a self-signed platform certificate) through ctx.secret', () => {
    const { store, ctx } = memorySecrets();
    const a = umfMofunModule.sandboxSettings(ctx);
    const b = umfMofunModule.sandboxSettings(ctx);
    expect(a).toEqual(b);
    expect([...store.keys()].sort()).toEqual(['PLATFORM_PEM', 'PRIVATE_KEY', 'PROXY_ID', 'SUB_MER_ID']);
    expect(a.PROXY_ID).toMatch(/^\d{4}$/);
    expect(a.SUB_MER_ID).toMatch(/^3\d{7}$/);
    expect(a.BASE_URL).toBe('http://127.0.0.1:3000/sandbox/umf-mofun');
    expect(a.PRIVATE_KEY).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(a.PLATFORM_CERT).toMatch(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/);
    expect(umfMofunSettingsSchema.parse(a)).toEqual(a);
    const merchant = loadRsaPrivateKey(a.PRIVATE_KEY!);
    const platform = loadRsaPrivateKey(a.SANDBOX_PLATFORM_PRIVATE_KEY!);
    expect(merchant.asymmetricKeyDetails?.modulusLength).toBe(1024);
    expect(platform.asymmetricKeyDetails?.modulusLength).toBe(1024);
    expect(samePublicKey(platform, loadRsaPublicKey(a.PLATFORM_CERT!))).toBe(true);
    expect(samePublicKey(platform, merchant)).toBe(false);
  });

  it('in sandbox mode a key file from the environment replaces the generated key, and the simulator trusts it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-umf-'));
    dirs.push(dir);
    const config = loadConfig({ PAYQR_DATA_DIR: dir, PAYQR_PUBLIC_URL: 'http://sandbox.test', PAYQR_UMF_MOFUN_PRIVATE_KEY_FILE: env.PRIVATE_KEY_FILE }, [umfMofunModule]);
    const settings = config.providers['umf-mofun']?.settings as UmfMofunConfig;
    expect(settings.PRIVATE_KEY_FILE).toBe(env.PRIVATE_KEY_FILE);
    expect(settings.PRIVATE_KEY).toMatch(/BEGIN PRIVATE KEY/); // still generated, but the file wins
    expect(umfMofunSigningTool(settings).sign({ a: '1' }, 'request').signature).toBe(umfMofunSign({ a: '1' }, 'kv', merchantKey));
    // the generated secrets survive a restart
    const again = loadConfig({ PAYQR_DATA_DIR: dir, PAYQR_PUBLIC_URL: 'http://sandbox.test' }, [umfMofunModule]);
    expect((again.providers['umf-mofun']?.settings as UmfMofunConfig).PLATFORM_CERT).toBe(settings.PLATFORM_CERT);
  });

  it('describes the configuration (key sizes, pinned certificate) without revealing any key', () => {
    const { ctx } = memorySecrets();
    const sandbox = umfMofunSettingsSchema.parse(umfMofunModule.sandboxSettings(ctx));
    const d = umfMofunModule.describe(sandbox);
    expect(d).toMatchObject({ proxy_id: sandbox.PROXY_ID, sub_mer_id: sandbox.SUB_MER_ID, base_url: sandbox.BASE_URL, private_key: 'inline, RSA-1024', timeout: '10000 ms' });
    expect(d.activescan).toBe('http://127.0.0.1:3000/sandbox/umf-mofun/in-pay-client/api/activescan');
    expect(d.platform_cert).toMatch(/^inline, RSA-1024 \(pinned; dates not checked\)$/);
    const text = JSON.stringify(d);
    for (const pem of [sandbox.PRIVATE_KEY!, sandbox.SANDBOX_PLATFORM_PRIVATE_KEY!]) expect(text).not.toContain(pem.split('\n')[1]);
    expect(umfMofunModule.describe(umfMofunSettingsSchema.parse(env)).private_key).toBe(`file ${env.PRIVATE_KEY_FILE}, RSA-1024`);
  });
});

describe('umf-mofun module: signing tool (pnpm payqr sign|verify)', () => {
  const request = { partnerOrderId: 'PQ1', amount: '1', payType: 'YL', goodsInfo: '测试', operator: '', sign: 'ignored' };
  const tool = umfMofunSigningTool(umfMofunSettingsSchema.parse(env));
  const material = (name: string, passphrase?: string) => ({ bytes: new Uint8Array(fixture(name)), ...(passphrase ? { passphrase } : {}) });

  it('request: prints the exact k=v string and signs it with --key in any format, or the configured key', () => {
    const expected = umfMofunSign(request, 'kv', merchantKey);
    for (const key of [material('rsa1024.pkcs8.der'), material('rsa1024.pkcs8.pem'), material('rsa1024.pkcs1.pem'), material('rsa1024.p12', P12_PASSPHRASE), undefined]) {
      expect(tool.sign(request, 'request', key)).toEqual({ canonical: 'amount=1&goodsInfo=测试&partnerOrderId=PQ1&payType=YL', signature: expected });
    }
    expect(tool.verify(request, expected, 'request')).toEqual({ canonical: 'amount=1&goodsInfo=测试&partnerOrderId=PQ1&payType=YL', valid: true });
    expect(tool.verify(request, expected, 'request', material('rsa1024.cert.pem')).valid).toBe(true);
    expect(tool.verify(request, expected, 'request', material('rsa2048.cert.pem')).valid).toBe(false);
    expect(tool.verify({ ...request, amount: '2' }, expected, 'request').valid).toBe(false);
    expect(() => tool.sign(request, 'request', material('rsa1024.p12', 'wrong'))).toThrow();
  });

  it('response: the |-joined values, verified with --cert (PEM, DER, public key) or the configured platform certificate', () => {
    const answer = { retCode: '0000', Memo: '成功', feeUrl: 'https://qr.95516.com/1', empty: '' };
    const signature = umfMofunSign(answer, 'pipe', platformPrivateKey);
    expect(tool.sign(answer, 'response', material('rsa2048.pkcs8.pem'))).toEqual({ canonical: '成功|https://qr.95516.com/1|0000', signature });
    for (const cert of [material('rsa2048.cert.pem'), material('rsa2048.cert.der'), material('rsa2048.spki.pem'), undefined]) {
      expect(tool.verify(answer, signature, 'response', cert)).toEqual({ canonical: '成功|https://qr.95516.com/1|0000', valid: true });
    }
    expect(tool.verify(answer, signature, 'notify').valid).toBe(false); // the k=v form is another message
    // outside the sandbox nobody holds UMF's key: signing a response needs --key
    expect(() => tool.sign(answer, 'response')).toThrow(/pass --key/);
  });

  it('notify: k=v, verified with the platform certificate', () => {
    const n = { funCode: 'PayResultNotify', partnerOrderId: 'PQ1', amount: 1999, tradeState: 'TRADE_SUCCESS' };
    const signature = umfMofunSign(n, 'kv', platformPrivateKey);
    expect(tool.verify(n, signature, 'notify')).toEqual({ canonical: 'amount=1999&funCode=PayResultNotify&partnerOrderId=PQ1&tradeState=TRADE_SUCCESS', valid: true });
    expect(tool.kinds).toEqual(['request', 'response', 'notify']);
    expect(tool.defaultKind).toBe('request');
    expect(() => tool.sign([1], 'request')).toThrow(/JSON object/);
    expect(() => tool.sign(n, 'refund')).toThrow(/--kind/);
  });

  it('in the sandbox, response and notify are signed with the generated platform key', () => {
    const { ctx } = memorySecrets();
    const sandbox = umfMofunSettingsSchema.parse(umfMofunModule.sandboxSettings(ctx));
    const sandboxTool = umfMofunModule.signingTool!(sandbox);
    const signed = sandboxTool.sign({ retCode: '0000' }, 'response');
    expect(sandboxTool.verify({ retCode: '0000' }, signed.signature, 'response').valid).toBe(true);
  });
});

describe('umf-mofun module: connector and simulator agree', () => {
  it('sandbox settings → create, pay, notification, accepted reply', async () => {
    const { ctx } = memorySecrets('http://sandbox.test/sandbox/umf-mofun');
    const config = umfMofunSettingsSchema.parse(umfMofunModule.sandboxSettings(ctx));
    const replies: string[] = [];
    // the shop's notify endpoint, in-process: verify, then the connector's reply
    const shop = (async (url: string | URL | Request, init?: RequestInit) => {
      const req = new Request(url, init);
      const body = new Uint8Array(await req.arrayBuffer());
      const v = await connector.verifyNotification(toRawNotification({ seq: 0, path: '/n', method: 'POST', contentType: req.headers.get('content-type') ?? '', headers: req.headers, body, text: '' }));
      const res = connector.notificationAck(v.ok ? 'accepted' : 'rejected', { outTradeNo: v.ok ? v.status.outTradeNo : undefined });
      replies.push(await res.clone().text());
      return res;
    }) as typeof globalThis.fetch;
    const { clock, hub, connector } = moduleOnHub(umfMofunModule, config, { fetch: shop });
    expect(connector.merchantId).toBe(config.SUB_MER_ID);

    const r = await connector.createPayment(smallPayment(clock.now(), { channel: 'unionpay', scene: 'qr', notifyUrl: 'http://shop.test/api/notify/umf-mofun' }));
    expect(r).toMatchObject({ outcome: 'created', action: { kind: 'qr', content: expect.stringMatching(/^http:\/\/sandbox\.test\/sandbox\/pay\//) } });
    await hub.actOnPayerSession(hub.findPayerSession('umf-mofun', 'PQM00001')!.id, 'pay');
    expect(hub.deliveries('umf-mofun')).toHaveLength(1);
    for (let i = 0; i < 20 && !hub.deliveries('umf-mofun')[0]?.acked; i++) await new Promise((res) => setImmediate(res));
    expect(hub.deliveries('umf-mofun')[0]).toMatchObject({ state: 'acked' });
    expect(JSON.parse(replies[0]!)).toMatchObject({ retCode: '0000', partnerOrderId: 'PQM00001', orderDate: '20261122' });
    expect(await connector.queryPayment({ outTradeNo: 'PQM00001', createdAt: clock.now(), channel: 'unionpay', scene: 'qr' })).toMatchObject({ state: 'paid', amount: 1 });
    hub.stop();
  });

  it('warns when the merchant key is not RSA-1024 (UMF sign field: 256 characters)', () => {
    const log = memoryLogger();
    umfMofunModule.createConnector(umfMofunSettingsSchema.parse({ ...env, PRIVATE_KEY_FILE: `${FIXTURES}/rsa2048.pkcs8.der` }), {
      clock: new FakeClock(),
      random: seededRandom(1),
      fetch: globalThis.fetch,
      log,
    });
    expect(log.lines.some((l) => /RSA-2048/.test(l))).toBe(true);
  });
});
