/**
 * `pnpm payqr sign|verify|doctor`, run in-process. The canonical string must be exactly what
 * was signed (integrators settle "签名错误" disputes with it), keys load in every format the
 * contract names, and bad arguments say what is wrong with a non-zero exit status.
 */
import { createHash, createVerify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app';
import { loadConfig } from '../config/load';
import { createLogger } from '../core/log';
import { P12_PASSPHRASE } from '../crypto/__fixtures__/constants';
import { PROVIDER_MODULES } from '../providers/registry';
import { startLoopbackServer, type LoopbackServer } from '../providers/testing/loopback';
import { isScryptHash, parseScryptHash, verifyPassword } from '../console-auth/password';
import { run, type Io } from './main';

const FIXTURES = path.join(__dirname, '../crypto/__fixtures__');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function io(env: Record<string, string> = {}, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    readStdin: async () => Buffer.from(stdin),
    env: { PAYQR_DATA_DIR: dir, ...env },
    cwd: dir,
    fetch: globalThis.fetch,
  };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

function file(name: string, content: string | Buffer) {
  fs.writeFileSync(path.join(dir, name), content);
  return name; // relative: resolved against the caller's directory (INIT_CWD)
}

const chaoyingParams = { method: 'PreOrder_WECHAT', mch_id: '10001', out_trade_no: 'A1000101', total_fee: '1999', body: '乌龙茶', attach: '' };

describe('payqr sign / verify', () => {
  it('chaoying: prints the exact hashed string (key shown as <key>) and a signature verify accepts', async () => {
    const keyFile = file('cy.key', 'k'.repeat(32) + '\n');
    const params = file('cy.json', JSON.stringify(chaoyingParams));
    const s = io();
    expect(await run(['sign', '--provider', 'chaoying', '--params', params, '--key', keyFile], s.io)).toBe(0);
    const signed = JSON.parse(s.out()) as { canonical: string; signature: string };
    expect(signed.canonical).toBe('body=乌龙茶&mch_id=10001&method=PreOrder_WECHAT&out_trade_no=A1000101&total_fee=1999&key=<key>');
    const expected = createHash('md5').update(signed.canonical.replace('<key>', 'k'.repeat(32)), 'utf8').digest('hex').toUpperCase();
    expect(signed.signature).toBe(expected);

    const ok = io();
    expect(await run(['verify', '--provider', 'chaoying', '--params', params, '--key', keyFile, '--signature', signed.signature], ok.io)).toBe(0);
    expect(JSON.parse(ok.out())).toMatchObject({ valid: true });
    const bad = io();
    expect(await run(['verify', '--provider', 'chaoying', '--params', params, '--key', keyFile, '--signature', '0'.repeat(32)], bad.io)).toBe(1);
    expect(JSON.parse(bad.out())).toMatchObject({ valid: false, canonical: signed.canonical });
  });

  it('reads --params from stdin and falls back to the sandbox key without --key', async () => {
    const s = io({}, JSON.stringify(chaoyingParams));
    expect(await run(['sign', '--provider', 'chaoying', '--params', '-'], s.io)).toBe(0);
    const { signature } = JSON.parse(s.out()) as { signature: string };
    const v = io({}, JSON.stringify(chaoyingParams));
    expect(await run(['verify', '--provider', 'chaoying', '--params', '-', '--signature', signature], v.io)).toBe(0);
  });

  it('umf-mofun: the same SHA1withRSA signature from PKCS#8 PEM, PKCS#8 DER, PKCS#1 PEM and PKCS#12 with passphrase; verify with the certificate', async () => {
    const params = file('umf.json', JSON.stringify({ partnerOrderId: 'A1000101', amount: '1999', payType: 'WX', goodsInfo: '乌龙茶', sign: 'ignored' }));
    const sigs: string[] = [];
    let canonical = '';
    for (const [key, extra] of [
      ['rsa1024.pkcs8.pem', []],
      ['rsa1024.pkcs8.der', []],
      ['rsa1024.pkcs1.pem', []],
      ['rsa1024.p12', ['--passphrase', P12_PASSPHRASE]],
    ] as const) {
      const s = io();
      const code = await run(['sign', '--provider', 'umf-mofun', '--params', params, '--key', path.join(FIXTURES, key), ...extra], s.io);
      expect(code, s.err()).toBe(0);
      const r = JSON.parse(s.out()) as { canonical: string; signature: string };
      sigs.push(r.signature);
      canonical = r.canonical;
    }
    expect(new Set(sigs).size).toBe(1);
    expect(canonical).toBe('amount=1999&goodsInfo=乌龙茶&partnerOrderId=A1000101&payType=WX');
    // independently: node:crypto with the certificate's public key
    const cert = fs.readFileSync(path.join(FIXTURES, 'rsa1024.cert.pem'));
    expect(createVerify('RSA-SHA1').update(canonical, 'utf8').verify(cert, sigs[0]!, 'base64')).toBe(true);
    const v = io();
    expect(await run(['verify', '--provider', 'umf-mofun', '--params', params, '--cert', path.join(FIXTURES, 'rsa1024.cert.der'), '--signature', sigs[0]!], v.io)).toBe(0);
  });

  it('umf-mofun: a wrong PKCS#12 passphrase is a clear error, not a crash', async () => {
    const params = file('umf2.json', JSON.stringify({ amount: '1' }));
    const s = io();
    expect(await run(['sign', '--provider', 'umf-mofun', '--params', params, '--key', path.join(FIXTURES, 'rsa1024.p12'), '--passphrase', 'wrong'], s.io)).toBe(2);
    expect(s.err()).toMatch(/passphrase|PKCS#12|decrypt/i);
    expect(s.err()).not.toMatch(/PRIVATE KEY/);
  });

  it.each(['umf-sp', 'scanforpay', 'huishouyin'])('%s: signs with the sandbox key and verifies its own signature', async (provider) => {
    const params =
      provider === 'scanforpay'
        ? { header: { partnerNo: '10001', signType: 'SHA256', version: '1.0' }, body: { storeNo: '100010000000002', partnerOrderNo: 'A1000101', wallet: 'Alipay', orderAmount: 2000 } }
        : provider === 'umf-sp'
          ? { orderNo: 'A1000101', txnAmt: '1999', orderType: 'wechat', authCode: '134567890123456700' }
          : { app_id: 'app', order_id: 'A1000101', total_amount: '19.99', pay_code: '134567890123456700', sign_type: 'MD5' };
    const p = file(`${provider}.json`, JSON.stringify(params));
    const s = io();
    expect(await run(['sign', '--provider', provider, '--params', p], s.io), s.err()).toBe(0);
    const { signature, canonical } = JSON.parse(s.out()) as { signature: string; canonical: string };
    expect(canonical.length).toBeGreaterThan(10);
    const v = io();
    expect(await run(['verify', '--provider', provider, '--params', p, '--signature', signature], v.io), v.err()).toBe(0);
    const w = io();
    expect(await run(['verify', '--provider', provider, '--params', p, '--signature', signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA')], w.io)).toBe(1);
  });

  it('huishouyin: a JSON number is signed as written (11.00 stays 11.00, as on 汇收银\'s wire)', async () => {
    const p = file('hsy-number.json', '{"app_id":"app","order_id":"A1000101","total_amount":11.00,"real_amount":9.0}\n');
    const s = io();
    expect(await run(['sign', '--provider', 'huishouyin', '--params', p], s.io), s.err()).toBe(0);
    const { canonical } = JSON.parse(s.out()) as { canonical: string };
    expect(canonical).toContain('total_amount=11.00');
    expect(canonical).toContain('real_amount=9.0');
  });

  it('scanforpay: the value is hashed exactly as given (spacing, escapes, number spelling), not re-serialised', async () => {
    const text = '{ "header": {"partnerNo":"10001"},\n  "body": {"subject":"\\u4e2d","orderAmount":2000.0} }';
    const p = file('sfp-exact.json', `${text}\n`);
    const s = io();
    expect(await run(['sign', '--provider', 'scanforpay', '--params', p], s.io), s.err()).toBe(0);
    const { canonical } = JSON.parse(s.out()) as { canonical: string };
    expect(canonical).toBe(`${text}<signKey>`);
  });

  it.each([
    [['sign', '--params', 'x.json'], /--provider is required/],
    [['sign', '--provider', 'paypal', '--params', 'x.json'], /--provider: one of chaoying/],
    [['sign', '--provider', 'chaoying'], /--params is required/],
    [['sign', '--provider', 'chaoying', '--params', 'missing.json'], /--params: no such file/],
    [['verify', '--provider', 'chaoying', '--params', '-'], /--signature is required/],
    [['sign', '--provider', 'chaoying', '--params', '-', '--frobnicate'], /frobnicate/],
    [['launch'], /unknown command "launch"/],
  ])('bad arguments %j → exit 2 with a message naming the problem', async (argv, message) => {
    const s = io({}, '{}');
    expect(await run(argv as string[], s.io)).toBe(2);
    expect(s.err()).toMatch(message);
  });

  it('--params that is not a JSON object is refused with the reason', async () => {
    const s = io({}, '[1,2]');
    expect(await run(['sign', '--provider', 'chaoying', '--params', '-'], s.io)).toBe(2);
    expect(s.err()).toMatch(/--params: expected a JSON object/);
  });
});

describe('payqr doctor', () => {
  let server: LoopbackServer;
  let app: App;
  let appDir: string;
  beforeAll(async () => {
    appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-doctor-'));
    let current: App | undefined;
    server = await startLoopbackServer((req) => (current ? current.fetch(req) : new Response('', { status: 503 })));
    const config = loadConfig({ PORT: String(server.port), PAYQR_DATA_DIR: appDir, PAYQR_PUBLIC_URL: server.url }, PROVIDER_MODULES);
    app = await createApp(config, { log: createLogger({ level: 'error' }) });
    current = app;
  });
  afterAll(async () => {
    await app.close();
    await server.close();
    fs.rmSync(appDir, { recursive: true, force: true });
  });

  it('checks configuration, database, keys and reachability of every provider', async () => {
    const s = io({ PORT: String(server.port), PAYQR_DATA_DIR: appDir, PAYQR_PUBLIC_URL: server.url });
    const code = await run(['doctor'], s.io);
    const out = s.out();
    expect(out, out).not.toMatch(/✗/);
    expect(code).toBe(0);
    for (const p of ['chaoying', 'umf-mofun', 'scanforpay', 'umf-sp', 'huishouyin']) {
      expect(out).toMatch(new RegExp(`✓ ${p} keys`));
      expect(out).toMatch(new RegExp(`✓ ${p} reachable`));
    }
    expect(out).toMatch(/✓ database SQLite/);
    expect(out).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
    // the WeChat OAuth helper: the AppId, never the AppSecret
    expect(out).toMatch(/✓ WeChat OAuth \(official-account pay\) — sandbox simulator — app_id=wx[0-9a-f]{16} app_secret=set \(32 characters\)/);
    expect(out).not.toContain(app.wechat!.appSecret);
    // the console: on, with where its password comes from — never the password itself
    expect(out).toMatch(/✓ operator console on — sandbox password \(kept in the data dir, printed at start-up\), sessions last 28800 s/);
    expect(out).not.toContain((app.config.console!.password as { plain: string }).plain);
  });

  it('a half-configured WeChat OAuth is ✗ naming the missing setting', async () => {
    const s = io({ PORT: String(server.port), PAYQR_DATA_DIR: appDir, PAYQR_PUBLIC_URL: server.url, PAYQR_WECHAT_APP_SECRET: 'short' });
    expect(await run(['doctor'], s.io)).toBe(1);
    expect(s.out()).toMatch(/✗ WeChat OAuth\n {4}PAYQR_WECHAT_APP_SECRET: the AppSecret: 32 letters or digits/);
  });

  it('reports configuration problems and exits 1', async () => {
    const s = io({ PAYQR_MODE: 'live', PAYQR_DATA_DIR: appDir });
    expect(await run(['doctor'], s.io)).toBe(1);
    expect(s.out()).toMatch(/✗ configuration/);
    expect(s.out()).toMatch(/PAYQR_API_KEY: required in live mode/);
  });

  it('a provider nobody answers for is ✗ with a hint', async () => {
    const s = io({ PORT: '1', PAYQR_DATA_DIR: appDir });
    expect(await run(['doctor'], s.io)).toBe(1);
    expect(s.out()).toMatch(/✗ chaoying reachable — http:\/\/127\.0\.0\.1:1\/sandbox\/chaoying: .*is the server running/);
  });
});

describe('payqr console-hash', () => {
  it('prints only the scrypt hash of the password on stdin, which verifies it', async () => {
    const s = io({}, 'a long console password\n');
    expect(await run(['console-hash', '--cost', '14'], s.io)).toBe(0);
    const line = s.out().trim();
    expect(s.out().split('\n').filter(Boolean)).toHaveLength(1);
    expect(line).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
    expect(s.err()).toMatch(/PAYQR_CONSOLE_PASSWORD_HASH='<the line above>'/);
    const parsed = parseScryptHash(line);
    if (!isScryptHash(parsed)) throw new Error(parsed.error);
    expect(await verifyPassword('a long console password', parsed)).toBe(true);
    expect(s.out()).not.toContain('a long console password');
  });

  it('refuses a password PAYQR_CONSOLE_PASSWORD would refuse', async () => {
    const s = io({}, 'short\n');
    expect(await run(['console-hash'], s.io)).toBe(2);
    expect(s.err()).toMatch(/at least 12 characters/);
    expect(s.out()).toBe('');
  });
});
