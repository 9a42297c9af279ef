import { describe, expect, it } from 'vitest';
import { P12_PASSPHRASE } from '../../crypto/__fixtures__/constants';
import { loadUmfMerchantKey, loadUmfPlatformKey } from '../umf/keys';
import { umfMofunKvCanonical, umfMofunPipeCanonical, umfMofunSign, verifyUmfMofunSignature } from './signature';
import { fixture, FIXTURES, merchantKey, merchantPublicKey, platformKey, platformPrivateKey } from './test-keys';

/**
 * Golden vectors: each expected signature was computed independently of this code with
 *   printf '%s' "<canonical>" | openssl dgst -sha1 -sign <fixture>.pkcs1.pem | base64 -w0
 * over the committed throw-away fixture keys (PKCS#1 v1.5 is deterministic).
 */
const REQUEST = {
  // the seed's example values, with our optional fields
  amount: '99999',
  subMerId: '30000102',
  payType: 'WX',
  apiVersion: '1.0',
  reqDate: '20180313',
  partnerOrderId: 'HSAPI1520909695265',
  reqTime: '105455',
  proxyId: '0049',
  goodsInfo: '一杯咖啡 Latte',
  expairTime: '900',
  notifyUrl: 'https://pay.example.com/api/notify/umf-mofun',
  operator: '',
};
const REQUEST_CANONICAL =
  'amount=99999&apiVersion=1.0&expairTime=900&goodsInfo=一杯咖啡 Latte&notifyUrl=https://pay.example.com/api/notify/umf-mofun&partnerOrderId=HSAPI1520909695265&payType=WX&proxyId=0049&reqDate=20180313&reqTime=105455&subMerId=30000102';
const REQUEST_SIGN =
  'ED103w+BpgrVbOlE0N5MNu33camGt6gEIG53awWc2zpISfaUEV0OQlCmUcA+AcJAv2xSy5h9IkEarA1DeNdxW5Ne/M+DYeTsMx4yo3+5MS/VxVZt+KyUxRUmGX2dccqVGCfm4Y9+/356wE4DW07lGZXTx+62gvteYbVXTEfiS4M=';

const RESPONSE = {
  retCode: '0000',
  Memo: '成功',
  tradeNo: '2018031300012345',
  platDate: '20180313',
  amount: '99999',
  payType: 'YL',
  feeUrl: 'https://qr.95516.com/00010000/0123456789',
  partnerOrderId: 'HSAPI1520909695265',
};
// ASCII order puts the capitalised `Memo` first.
const RESPONSE_CANONICAL = '成功|99999|https://qr.95516.com/00010000/0123456789|HSAPI1520909695265|YL|20180313|0000|2018031300012345';
const RESPONSE_SIGN =
  'N7VI3nw2S+CtXhgOgcCjPUM17zpJq6/cWQ79IibWrosNKmVFR+pkot7Hx2yN+90WSpVsYwkHy2UomOV/xmr53N4NNH7T5PQUhi4B0A2h8GKHo9HJoj/fR9dLua0X+2/kE73drHuABLwHDjMTEipRYnmTE8rsZlGiT29m6Oon3gW4GM8piCGR4g6rmDMwnB6jBZWZJ08R9LjiNjsk1y3Q2Z8JFIsCfYuHP9yN3WAIO4Dde1xPLvWrM96t6fOxHfVbUyI+nMrrj7FJE+1DlM/HBY26VKF4JLblOf0qypUd0hf7Q0Li24JEW06fB8AJmMkuYILKdPrmYiwWkl7PX4cUqQ==';

const ACK = { funCode: 'PayResultNotify', reqDate: '20261122', reqTime: '100000', partnerOrderId: 'PQ20261122A1', orderDate: '20261122', retCode: '0000', retMsg: '成功' };
const ACK_CANONICAL = 'PayResultNotify|20261122|PQ20261122A1|20261122|100000|0000|成功';
const ACK_SIGN =
  'GPjYDQvXFXZinIieF+/7HtORjxcf4IvGiNtPymoJy2kkEOpArCOjHotJcxK/5IQmqfAT2OAuxc7ZgW0kDKPLZImpf8eeTqhRm9v6tDM+faEzNvUqArZiNzjX+axaeMR30iqgqtBS40BIQrPtTFj1rlofBzXfArH4xlsHPpeGz9c=';

const NOTIFICATION = {
  funCode: 'PayResultNotify',
  subMerId: '30000102',
  partnerOrderId: 'PQ20261122A1',
  orderDate: '20261122',
  amount: '1999',
  payType: 'WX',
  tradeState: 'TRADE_SUCCESS',
  tradeNo: '2026112200000001',
  platDate: '20261122',
  payDate: '20261122',
  payTime: '100503',
};
const NOTIFICATION_CANONICAL =
  'amount=1999&funCode=PayResultNotify&orderDate=20261122&partnerOrderId=PQ20261122A1&payDate=20261122&payTime=100503&payType=WX&platDate=20261122&subMerId=30000102&tradeNo=2026112200000001&tradeState=TRADE_SUCCESS';
const NOTIFICATION_SIGN =
  'oNzJXn8B2IWyAkAajZ580s1NhXJ2aLuwcPHQsvUQEZpzXc7eIr9KrPvLgirEar4IQ17QNfx1GbbORvwv/TwoxRwjPVvGgHukd7GthB31iQ1Se8ibFmWbWG3ABHkVyX3x0h9EsO+CTiwjIoSG1lnH6iBVGSB4Gvt/zavxCfBTt0wAdFGDn6WfnY+VeLN9G7xIeOgBHB1vqVHcX2lrGhERlLtKqcIEe3eBANBErbSz9qMQ6aupr3kGVdfI588cUuT2IMudAitB5/waS08F0NgutZEkjkZGQLl2RDhkfSsiXVmbvqlck03UHiCaCAf6foIti3vsO1X0wwnzSUXxSu7lnQ==';

describe('umf-mofun signatures: golden vectors (openssl, fixture keys)', () => {
  it('request: k=v in ASCII order, empties dropped, SHA1withRSA with the merchant key (172 characters)', () => {
    expect(umfMofunKvCanonical({ ...REQUEST, sign: 'ignored' })).toBe(REQUEST_CANONICAL);
    const sign = umfMofunSign(REQUEST, 'kv', merchantKey);
    expect(sign).toBe(REQUEST_SIGN);
    expect(sign).toHaveLength(172);
    expect(verifyUmfMofunSignature({ ...REQUEST, sign }, 'kv', merchantPublicKey)).toBe('valid');
  });

  it('response: the values only, |-joined, verified with the platform certificate', () => {
    expect(umfMofunPipeCanonical({ ...RESPONSE, sign: 'x', empty: '' })).toBe(RESPONSE_CANONICAL);
    expect(umfMofunSign(RESPONSE, 'pipe', platformPrivateKey)).toBe(RESPONSE_SIGN);
    expect(verifyUmfMofunSignature({ ...RESPONSE, sign: RESPONSE_SIGN }, 'pipe', platformKey)).toBe('valid');
    // the same map in the k=v form is a different message
    expect(verifyUmfMofunSignature({ ...RESPONSE, sign: RESPONSE_SIGN }, 'kv', platformKey)).toBe('invalid');
  });

  it('our notification reply: |-joined values signed by the merchant', () => {
    expect(umfMofunPipeCanonical(ACK)).toBe(ACK_CANONICAL);
    expect(umfMofunSign(ACK, 'pipe', merchantKey)).toBe(ACK_SIGN);
  });

  it('notification: k=v (not the | form) verified with the platform certificate', () => {
    expect(umfMofunKvCanonical(NOTIFICATION)).toBe(NOTIFICATION_CANONICAL);
    expect(verifyUmfMofunSignature({ ...NOTIFICATION, sign: NOTIFICATION_SIGN }, 'kv', platformKey)).toBe('valid');
    expect(verifyUmfMofunSignature({ ...NOTIFICATION, sign: NOTIFICATION_SIGN }, 'pipe', platformKey)).toBe('invalid');
  });

  it('signs numbers in a JSON map as their text', () => {
    const sign = umfMofunSign({ ...RESPONSE, amount: 99999 }, 'pipe', platformPrivateKey);
    expect(sign).toBe(RESPONSE_SIGN);
  });

  it('reports missing, empty, non-string and wrong signatures', () => {
    const f = { ...RESPONSE };
    expect(verifyUmfMofunSignature(f, 'pipe', platformKey)).toBe('missing');
    expect(verifyUmfMofunSignature({ ...f, sign: '' }, 'pipe', platformKey)).toBe('missing');
    expect(verifyUmfMofunSignature({ ...f, sign: null }, 'pipe', platformKey)).toBe('missing');
    expect(verifyUmfMofunSignature({ ...f, sign: 12 }, 'pipe', platformKey)).toBe('invalid');
    expect(verifyUmfMofunSignature({ ...f, sign: 'not base64 !' }, 'pipe', platformKey)).toBe('invalid');
    expect(verifyUmfMofunSignature({ ...f, sign: RESPONSE_SIGN }, 'pipe', merchantPublicKey)).toBe('invalid');
    expect(verifyUmfMofunSignature({ ...f, amount: '1', sign: RESPONSE_SIGN }, 'pipe', platformKey)).toBe('invalid');
    expect(verifyUmfMofunSignature({ ...f, added: 'later', sign: RESPONSE_SIGN }, 'pipe', platformKey)).toBe('invalid');
    // an added empty field is not signed, so it changes nothing
    expect(verifyUmfMofunSignature({ ...f, added: '', sign: RESPONSE_SIGN }, 'pipe', platformKey)).toBe('valid');
  });
});

describe('umf-mofun keys: every accepted format signs the same golden request', () => {
  const file = (name: string) => `${FIXTURES}/${name}`;
  const merchantForms: Array<[string, Parameters<typeof loadUmfMerchantKey>[0]]> = [
    ['PKCS#8 PEM file', { PRIVATE_KEY_FILE: file('rsa1024.pkcs8.pem') }],
    ['PKCS#8 DER file (UMF *.key.p8)', { PRIVATE_KEY_FILE: file('rsa1024.pkcs8.der') }],
    ['PKCS#1 PEM file', { PRIVATE_KEY_FILE: file('rsa1024.pkcs1.pem') }],
    ['PKCS#12 file + passphrase (3DES)', { PRIVATE_KEY_FILE: file('rsa1024.p12'), PRIVATE_KEY_PASSPHRASE: P12_PASSPHRASE }],
    ['PKCS#12 file + passphrase (OpenSSL 3, AES)', { PRIVATE_KEY_FILE: file('rsa1024.openssl.p12'), PRIVATE_KEY_PASSPHRASE: P12_PASSPHRASE }],
    ['PEM text', { PRIVATE_KEY: fixture('rsa1024.pkcs8.pem').toString('utf8') }],
    ['PEM text with literal \\n escapes (.env style)', { PRIVATE_KEY: fixture('rsa1024.pkcs1.pem').toString('utf8').trim().replace(/\n/g, '\\n') }],
    ['Base64 of PKCS#8 DER', { PRIVATE_KEY: fixture('rsa1024.pkcs8.der').toString('base64') }],
    ['Base64 of PKCS#12 + passphrase', { PRIVATE_KEY: fixture('rsa1024.p12').toString('base64'), PRIVATE_KEY_PASSPHRASE: P12_PASSPHRASE }],
  ];
  for (const [name, settings] of merchantForms) {
    it(`merchant key as ${name}`, () => {
      expect(umfMofunSign(REQUEST, 'kv', loadUmfMerchantKey(settings))).toBe(REQUEST_SIGN);
    });
  }

  it('the file wins over inline text', () => {
    const key = loadUmfMerchantKey({ PRIVATE_KEY: fixture('rsa2048.pkcs8.pem').toString('utf8'), PRIVATE_KEY_FILE: file('rsa1024.pkcs8.der') });
    expect(umfMofunSign(REQUEST, 'kv', key)).toBe(REQUEST_SIGN);
  });

  const platformForms: Array<[string, Parameters<typeof loadUmfPlatformKey>[0]]> = [
    ['certificate PEM file', { PLATFORM_CERT_FILE: file('rsa2048.cert.pem') }],
    ['certificate DER file (.cer)', { PLATFORM_CERT_FILE: file('rsa2048.cert.der') }],
    ['public key PEM file', { PLATFORM_CERT_FILE: file('rsa2048.spki.pem') }],
    ['PKCS#1 public key PEM text', { PLATFORM_CERT: fixture('rsa2048.pkcs1-public.pem').toString('utf8') }],
    ['certificate PEM text', { PLATFORM_CERT: fixture('rsa2048.cert.pem').toString('utf8') }],
    ['Base64 of the certificate DER', { PLATFORM_CERT: fixture('rsa2048.cert.der').toString('base64') }],
  ];
  for (const [name, settings] of platformForms) {
    it(`platform certificate as ${name}`, () => {
      expect(verifyUmfMofunSignature({ ...RESPONSE, sign: RESPONSE_SIGN }, 'pipe', loadUmfPlatformKey(settings))).toBe('valid');
    });
  }

  it('names the setting and never echoes key material when a key cannot be used', () => {
    const pem = fixture('rsa1024.pkcs8.pem').toString('utf8');
    expect(() => loadUmfMerchantKey({})).toThrow(/^PRIVATE_KEY: .*required/);
    expect(() => loadUmfMerchantKey({ PRIVATE_KEY_FILE: '/nonexistent/merchant.key.p8' })).toThrow(/^PRIVATE_KEY_FILE: cannot read \/nonexistent\/merchant\.key\.p8 \(ENOENT\)/);
    expect(() => loadUmfMerchantKey({ PRIVATE_KEY_FILE: file('rsa1024.p12'), PRIVATE_KEY_PASSPHRASE: 'wrong' })).toThrow(/^PRIVATE_KEY_FILE: not a usable/);
    expect(() => loadUmfMerchantKey({ PRIVATE_KEY: 'not a key' })).toThrow(/^PRIVATE_KEY: not a usable/);
    expect(() => loadUmfPlatformKey({ PLATFORM_CERT: 'garbage' })).toThrow(/^PLATFORM_CERT: not a usable/);
    expect(() => loadUmfPlatformKey({})).toThrow(/^PLATFORM_CERT: .*required/);
    let message = '';
    try {
      loadUmfPlatformKey({ PLATFORM_CERT: pem.replaceAll('PRIVATE KEY', 'PUBLIC KEY') });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^PLATFORM_CERT: not a usable/);
    expect(message).not.toContain(pem.split('\n')[1]);
  });
});
