import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/env';
import { loadConfig } from '../../config/load';
import { seededRandom } from '../../core/random';
import { P12_PASSPHRASE } from '../../crypto/__fixtures__/constants';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import { SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import { fixture, FIXTURES } from '../testing/fixtures';
import { memorySecrets, moduleOnHub, smallPayment } from '../testing/module-kit';
import { samePublicKey } from '../umf/keys';
import { umfSpModule, umfSpSettingsSchema } from './module';
import { umfSpCanonical, umfSpSign } from './signature';

const fixturePath = (name: string) => path.join(FIXTURES, name);
const pem = (name: string) => fixture(name).toString('utf8');

const env = {
  ACQ_SP_ID: 'Y000000001',
  ACQ_MER_ID: '30000064',
  BASE_URL: 'https://umf.example/spapi/',
  // as a .env file holds it: one line with literal \n escapes
  PRIVATE_KEY: pem('rsa1024.pkcs8.pem').trim().replace(/\n/g, '\\n'),
  PLATFORM_CERT: pem('rsa2048.cert.pem'),
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const issuesOf = (raw: Record<string, unknown>) => {
  const r = umfSpSettingsSchema.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('umf-sp settings', () => {
  it('parses environment strings with defaults', () => {
    const c = umfSpSettingsSchema.parse({ ...env, TIMEOUT_MS: '3000' });
    expect(c).toMatchObject({ ACQ_SP_ID: 'Y000000001', ACQ_MER_ID: '30000064', BASE_URL: 'https://umf.example/spapi', GOODS_ID: 'payqr', TIMEOUT_MS: 3000 });
    expect(umfSpSettingsSchema.parse(env).TIMEOUT_MS).toBe(10_000);
  });

  it('reads keys from files in every format UMF merchants get', () => {
    const base = { ACQ_SP_ID: 'Y1', ACQ_MER_ID: '1', BASE_URL: 'https://umf.example' };
    for (const [key, extra] of [
      ['rsa1024.pkcs8.der', {}],
      ['rsa1024.pkcs1.pem', {}],
      ['rsa1024.p12', { PRIVATE_KEY_PASSPHRASE: P12_PASSPHRASE }],
    ] as const) {
      expect(issuesOf({ ...base, PRIVATE_KEY_FILE: fixturePath(key), PLATFORM_CERT_FILE: fixturePath('rsa2048.cert.der'), ...extra })).toEqual([]);
    }
    // Base64 of a DER key in the variable
    expect(issuesOf({ ...base, PRIVATE_KEY: fixture('rsa1024.pkcs8.der').toString('base64'), PLATFORM_CERT: pem('rsa2048.spki.pem') })).toEqual([]);
  });

  it('names the setting that is wrong, without key material', () => {
    expect(issuesOf({ ...env, PRIVATE_KEY: undefined, PLATFORM_CERT: undefined })).toEqual([
      'PRIVATE_KEY: the merchant private key is required (PRIVATE_KEY or PRIVATE_KEY_FILE)',
      "PLATFORM_CERT: UMF's platform certificate is required (PLATFORM_CERT or PLATFORM_CERT_FILE)",
    ]);
    expect(issuesOf({ ...env, PRIVATE_KEY: 'not a key' })[0]).toMatch(/^PRIVATE_KEY: not a usable RSA private key/);
    expect(issuesOf({ ...env, PRIVATE_KEY_FILE: '/nonexistent/umf.key.p8' })[0]).toMatch(/^PRIVATE_KEY_FILE: cannot read \/nonexistent\/umf.key.p8 \(ENOENT\)/);
    expect(issuesOf({ ...env, PRIVATE_KEY: undefined, PRIVATE_KEY_FILE: fixturePath('rsa1024.p12'), PRIVATE_KEY_PASSPHRASE: 'wrong' })[0]).toMatch(/^PRIVATE_KEY_FILE:/);
    expect(issuesOf({ ...env, ACQ_SP_ID: 'Y0000000001', ACQ_MER_ID: '300000645' }).map((i) => i.split(':')[0])).toEqual(['ACQ_SP_ID', 'ACQ_MER_ID']);
    for (const issue of issuesOf({ ...env, PLATFORM_CERT: 'garbage' })) expect(issue).not.toContain('BEGIN');
  });

  it('loadConfig reports them as PAYQR_UMF_SP_* in live mode', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-umfsp-'));
    dirs.push(dir);
    try {
      loadConfig(
        { PAYQR_MODE: 'live', PAYQR_DATA_DIR: dir, PAYQR_PUBLIC_URL: 'https://pay.example.com', PAYQR_API_KEY: 'k'.repeat(32), PAYQR_UMF_SP_ACQ_SP_ID: 'Y1', PAYQR_UMF_SP_ACQ_MER_ID: '1', PAYQR_UMF_SP_BASE_URL: 'https://umf.example', PAYQR_UMF_SP_PLATFORM_CERT: 'garbage' },
        [umfSpModule],
      );
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems.some((p) => p.startsWith('PAYQR_UMF_SP_PRIVATE_KEY: the merchant private key is required'))).toBe(true);
      expect(problems.some((p) => p.startsWith('PAYQR_UMF_SP_PLATFORM_CERT: not a usable certificate'))).toBe(true);
    }
  });
});

describe('umf-sp sandbox settings', () => {
  it('are generated once (RSA-1024 pairs, stable through ctx.secret) and point at the simulator', () => {
    const { store, ctx } = memorySecrets('http://127.0.0.1:3000/sandbox/umf-sp');
    const a = umfSpModule.sandboxSettings(ctx);
    const b = umfSpModule.sandboxSettings(ctx);
    expect(a).toEqual(b);
    expect(a.ACQ_SP_ID).toMatch(/^Y\d{9}$/);
    expect(a.ACQ_MER_ID).toMatch(/^\d{8}$/);
    expect(a.BASE_URL).toBe('http://127.0.0.1:3000/sandbox/umf-sp');
    expect([...store.keys()].sort()).toEqual(['ACQ_MER_ID', 'ACQ_SP_ID', 'PLATFORM_PEM', 'PRIVATE_KEY']);
    const parsed = umfSpSettingsSchema.parse(a);
    expect(parsed).toEqual(a);
    const merchant = loadRsaPrivateKey(a.PRIVATE_KEY!);
    const platform = loadRsaPrivateKey(a.SANDBOX_PLATFORM_PRIVATE_KEY!);
    expect(merchant.asymmetricKeyDetails?.modulusLength).toBe(1024);
    expect(samePublicKey(platform, loadRsaPublicKey(a.PLATFORM_CERT!))).toBe(true);
    expect(samePublicKey(platform, merchant)).toBe(false);
  });

  it('loadConfig: sandbox mode works from nothing, and a setting from the environment replaces the generated one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-umfsp-'));
    dirs.push(dir);
    const a = loadConfig({ PAYQR_DATA_DIR: dir }, [umfSpModule]);
    const b = loadConfig({ PAYQR_DATA_DIR: dir, PAYQR_UMF_SP_ACQ_MER_ID: '30000064' }, [umfSpModule]);
    expect(a.providers['umf-sp']?.settings).toMatchObject({ BASE_URL: 'http://127.0.0.1:3000/sandbox/umf-sp' });
    expect(b.providers['umf-sp']?.settings).toMatchObject({ ACQ_MER_ID: '30000064', PRIVATE_KEY: (a.providers['umf-sp']?.settings as { PRIVATE_KEY: string }).PRIVATE_KEY });
    expect(a.routing['unionpay:micropay']).toEqual(['umf-sp']);
  });
});

describe('umf-sp module', () => {
  const config = umfSpSettingsSchema.parse(env);

  it('describes the configuration without revealing keys', () => {
    const d = umfSpModule.describe(config);
    expect(d).toMatchObject({
      acq_sp_id: 'Y000000001',
      acq_mer_id: '30000064',
      base_url: 'https://umf.example/spapi',
      micropay: 'https://umf.example/spapi/pay/micropay',
      private_key: 'inline, RSA-1024',
      platform_cert: 'inline, RSA-2048 (pinned; dates not checked)',
    });
    expect(JSON.stringify(d)).not.toMatch(/BEGIN|MII/);
    const fromFiles = umfSpModule.describe(umfSpSettingsSchema.parse({ ...env, PRIVATE_KEY: undefined, PRIVATE_KEY_FILE: fixturePath('rsa1024.pkcs8.der') }));
    expect(fromFiles.private_key).toBe(`file ${fixturePath('rsa1024.pkcs8.der')}, RSA-1024`);
  });

  it('signing tool, request (default): k=v& without signature, the configured merchant key or --key', () => {
    const tool = umfSpModule.signingTool!(config);
    expect(tool.kinds).toEqual(['request', 'response', 'notify']);
    expect(tool.defaultKind).toBe('request');
    const params = { orderNo: 'PQ1', txnAmt: '1', goodsInfo: '咖啡', empty: '', signature: 'ignored' };
    const s = tool.sign(params, 'request');
    expect(s.canonical).toBe('goodsInfo=咖啡&orderNo=PQ1&txnAmt=1');
    expect(s.signature).toBe(umfSpSign(params, 'request', loadRsaPrivateKey(fixture('rsa1024.pkcs8.pem'))));
    // --key in another format, same key: same signature
    expect(tool.sign(params, 'request', { bytes: fixture('rsa1024.p12'), passphrase: P12_PASSPHRASE }).signature).toBe(s.signature);
    expect(tool.verify(params, s.signature, 'request')).toEqual({ canonical: s.canonical, valid: true });
    expect(tool.verify(params, s.signature, 'request', { bytes: fixture('rsa1024.cert.der') }).valid).toBe(true);
    expect(tool.verify({ ...params, txnAmt: '2' }, s.signature, 'request').valid).toBe(false);
  });

  it('signing tool, response (| values) and notify (k=v& without sign): verified with the platform cert', () => {
    const tool = umfSpModule.signingTool!(config);
    const answer = { respCode: '00', respMsg: '成功', orderNo: 'PQ1', signature: 'x' };
    const platformKey = { bytes: fixture('rsa2048.pkcs8.der') };
    const r = tool.sign(answer, 'response', platformKey);
    expect(r.canonical).toBe('PQ1|00|成功');
    expect(r.canonical).toBe(umfSpCanonical(answer, 'response'));
    expect(tool.verify(answer, r.signature, 'response')).toEqual({ canonical: 'PQ1|00|成功', valid: true });
    const note = { orderNo: 'PQ1', respCode: '00', sign: 'x' };
    const n = tool.sign(note, 'notify', platformKey);
    expect(n.canonical).toBe('orderNo=PQ1&respCode=00');
    expect(tool.verify(note, n.signature, 'notify').valid).toBe(true);
    expect(tool.verify(note, n.signature, 'response').valid).toBe(false);
    // live configuration: no platform private key to sign with
    expect(() => tool.sign(answer, 'response')).toThrow(/pass --key/);
    expect(() => tool.sign(answer, 'ack')).toThrow(/--kind/);
    expect(() => tool.sign([1], 'request')).toThrow(/JSON object/);
  });

  it('creates a connector and a simulator that agree; warns about a simulator key that does not match the certificate', async () => {
    const sandbox = umfSpSettingsSchema.parse(umfSpModule.sandboxSettings(memorySecrets('http://sandbox.test/sandbox/umf-sp').ctx));
    const { clock, log, hub, connector } = moduleOnHub(umfSpModule, sandbox);
    expect(connector.merchantId).toBe(sandbox.ACQ_MER_ID);
    const r = await connector.createPayment(smallPayment(clock.now(), { channel: 'unionpay', scene: 'micropay', notifyUrl: 'http://shop.test/n', authCode: SANDBOX_AUTH_CODES.unionpay.paid }));
    expect(r).toMatchObject({ outcome: 'paid', status: { amount: 1 } });
    hub.stop();

    const mismatched = { ...sandbox, SANDBOX_PLATFORM_PRIVATE_KEY: pem('rsa1024.pkcs8.pem') };
    umfSpModule.createSimulator!(mismatched, { clock, random: seededRandom(3), fetch: globalThis.fetch, log, hub });
    expect(log.lines.some((l) => l.includes('PLATFORM_CERT does not belong to SANDBOX_PLATFORM_PRIVATE_KEY'))).toBe(true);
    const live = umfSpSettingsSchema.parse(env);
    expect(() => umfSpModule.createSimulator!(live, { clock, random: seededRandom(3), fetch: globalThis.fetch, log, hub })).toThrow(/SANDBOX_PLATFORM_PRIVATE_KEY/);
  });
});
