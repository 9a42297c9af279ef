import { describe, expect, it } from 'vitest';
import { P12_PASSPHRASE } from '../../crypto/__fixtures__/constants';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import { fixture } from '../testing/fixtures';
import { umfSpCanonical, umfSpSign, verifyUmfSpSignature } from './signature';


// Merchant: the committed RSA-1024 fixture (UMF issues RSA-1024); platform: the RSA-2048 one.
const merchantKey = loadRsaPrivateKey(fixture('rsa1024.pkcs8.der'));
const merchantCert = loadRsaPublicKey(fixture('rsa1024.cert.pem'));
const platformKey = loadRsaPrivateKey(fixture('rsa2048.pkcs8.pem'));
const platformCert = loadRsaPublicKey(fixture('rsa2048.cert.der'));

/** The seed's 商户请求报文示例 (its signature was made with UMF's test key, which we do not have). */
const SEED_REQUEST = {
  txnAmt: '1',
  orderNo: '20180122LDYF00008940',
  goodsId: 'goods',
  signature:
    'CBr2Dui55aRxyiUJoWCxckL8lWn7UeBxvAJFsV2hrtFDvVSOp4v4cgUPc1Nk3e1d+oitAhi9b3AAVSoAuEWV0fKKIQRwYTSPTzLbX9fLXq2KE423Km5GW5HWqpN8+guCH1UUpSlNVzVYax9h5D/n2YSWv/g6KWZYye+kEP8K3rA=',
  orderTime: '20180313105356',
  acqMerId: '30000064',
  acqSpId: 'Y000000001',
  orderType: 'wechat',
  authCode: '134919586213926735',
  goodsInfo: 'goods',
};

/*
 * Golden values computed independently of this code with the openssl CLI, e.g.
 *   printf '%s' "<canonical>" | openssl dgst -sha1 -sign rsa1024.pkcs8.pem | base64 -w0
 */
const GOLDEN = {
  request: {
    canonical:
      'acqMerId=30000064&acqSpId=Y000000001&authCode=134919586213926735&goodsId=goods&goodsInfo=goods&orderNo=20180122LDYF00008940&orderTime=20180313105356&orderType=wechat&txnAmt=1',
    signature:
      'AwTcjRh74rvnTlOekXKqChBMGRgWT38ILy+ig3HLTO89Rc+L+onHjtgcEXaNvepQepeIMigzdGjHm2zHhTfqSKRcu15GcM0bhexgeCuaUz00rkq5TzvQgS3TtsFWY5PJQaYB/R78LjMrrQEGLx0RoCYRFwSQEk4TinsuuvEh0xQ=',
  },
  response: {
    fields: {
      respCode: '00',
      respMsg: '支付成功',
      platDate: '20180313',
      orderNo: '20180122LDYF00008940',
      transactionId: '2018031312345678901234',
      paySeq: '2018031310535600000001',
      txnAmt: '1',
      depBankSeq: '4200000001201803131234567890',
      payerInfo: '',
    },
    canonical: '4200000001201803131234567890|20180122LDYF00008940|2018031310535600000001|20180313|00|支付成功|2018031312345678901234|1',
    signature:
      'okeIKN5PXhsJNwbMJ0lu7hQ24eZsisNN3LmY4eSPEACbKb4YVWMYb/bswQsQNwnXe8ZmJwmOWUtMoVwkJLqcaWmc4laQON40DN/8kR+qIe2ZIYusskOcbI1HRIJfdXDmslnFoO5BWpf+5llw+LPhoHF6eVm15LHTdvpVMlbvn3fp9QlDu2kZbw8d29PCCwcyJgnJRphbGM6x4Z8bLiPqxi7LBSF41qa3BsQG8s96xlSr4XcmmqXwWE/k0NW2LsOT9Cs7wQxhAuifYwxMgmF6gblSqf8Eszs8oR4PzwyZOKleHFFjKvtIfeXEdlnVP4x64Mb9MGDC4+VMq36rd1VtDA==',
  },
  notify: {
    fields: {
      acqMerId: '30000064',
      acqSpId: 'Y000000001',
      orderNo: '20180122LDYF00008940',
      orderType: 'wechat',
      respCode: '00',
      respMsg: '支付成功',
      transactionId: '2018031312345678901234',
      txnAmt: '1',
    },
    canonical: 'acqMerId=30000064&acqSpId=Y000000001&orderNo=20180122LDYF00008940&orderType=wechat&respCode=00&respMsg=支付成功&transactionId=2018031312345678901234&txnAmt=1',
    signature:
      '2GVAS96kZhac6k16rnvW/ynwd+hAzNkdHzh+VqfPvYJ43dUXPCYLsVE/1y9fnK50c5g0lRNz7sXdBUpEcjJ/6oPI/RpKhA98AAXroG54REBvUz1ArlERJcRdCV0Us2ydbbLrEZyMtaDzut4n+7SUujt7bNEoIE5dbGyGfrvxiWukN87yd5fiq4/y6ukAc9rMVufoOVxHnnQf4kDM4xcqFo/nAWBbQov75KV6ZtclWE4yjo3VxiLmKHdKQh5gkrW9ouxGybEJRrt2bLNSrwBnTG8m8ihbDxpM8G0MPeYfyP7cy3iJ8KVDzhLSn01+0Cb0jkeyCWjx3vm1ywMa4xZXnA==',
  },
  ack: {
    fields: { respCode: '00', respMsg: '成功', orderNo: '20180122LDYF00008940' },
    canonical: '20180122LDYF00008940|00|成功',
    signature:
      'pKlA0pH5jNb1btTGXMRgfFJQAFTDWsrZieEuClsejSNfIZHSZUeVNLPysawMD8qkJ7NAlVxCF8oYZ2tHiWB4RAw+xG/svxYY7vvcpQieIZGEv/i+bFlbl5x+HeEvkgzaoHH54QET5SkOiURkUprzWMbMTL1GP64uBe3WF/+6Tmo=',
  },
};

describe('umf-sp signatures: golden vectors (committed fixture keys, openssl-computed)', () => {
  it('request: the seed example → k=v& in ASCII order without `signature`, SHA1withRSA with the merchant key', () => {
    expect(umfSpCanonical(SEED_REQUEST, 'request')).toBe(GOLDEN.request.canonical);
    expect(umfSpSign(SEED_REQUEST, 'request', merchantKey)).toBe(GOLDEN.request.signature);
    expect(GOLDEN.request.signature).toHaveLength(172); // RSA-1024: within the seed's 256
    expect(verifyUmfSpSignature({ ...SEED_REQUEST, signature: GOLDEN.request.signature }, 'request', merchantCert)).toBe('valid');
    // the seed's own signature was made with another (UMF test) key
    expect(verifyUmfSpSignature(SEED_REQUEST, 'request', merchantCert)).toBe('invalid');
  });

  it('every private-key format UMF merchants get signs the same bytes', () => {
    for (const key of [
      loadRsaPrivateKey(fixture('rsa1024.pkcs8.pem')),
      loadRsaPrivateKey(fixture('rsa1024.pkcs1.pem')),
      loadRsaPrivateKey(fixture('rsa1024.p12'), { passphrase: P12_PASSPHRASE }),
      loadRsaPrivateKey(fixture('rsa1024.openssl.p12'), { passphrase: P12_PASSPHRASE }),
    ]) {
      expect(umfSpSign(SEED_REQUEST, 'request', key)).toBe(GOLDEN.request.signature);
    }
  });

  it('response: the values only, `|`-joined in key order, empties dropped, verified with the platform certificate', () => {
    const { fields, canonical, signature } = GOLDEN.response;
    expect(umfSpCanonical(fields, 'response')).toBe(canonical);
    expect(umfSpSign(fields, 'response', platformKey)).toBe(signature);
    expect(verifyUmfSpSignature({ ...fields, signature }, 'response', platformCert)).toBe('valid');
    expect(verifyUmfSpSignature({ ...fields, signature, txnAmt: '100' }, 'response', platformCert)).toBe('invalid');
    expect(verifyUmfSpSignature({ ...fields, signature, extra: 'x' }, 'response', platformCert)).toBe('invalid');
    expect(verifyUmfSpSignature({ ...fields, signature }, 'response', merchantCert)).toBe('invalid');
    // a JSON number is verified by its text
    expect(verifyUmfSpSignature({ ...fields, txnAmt: 1, signature }, 'response', platformCert)).toBe('valid');
  });

  it('notification: k=v& without `sign` (assumed form), platform key', () => {
    const { fields, canonical, signature } = GOLDEN.notify;
    expect(umfSpCanonical({ ...fields, sign: 'x', empty: '' }, 'notify')).toBe(canonical);
    expect(umfSpSign(fields, 'notify', platformKey)).toBe(signature);
    expect(verifyUmfSpSignature({ ...fields, sign: signature }, 'notify', platformCert)).toBe('valid');
    // the signature lives in `sign`, not `signature`
    expect(verifyUmfSpSignature({ ...fields, signature }, 'notify', platformCert)).toBe('missing');
  });

  it('our notification reply: `|` values, merchant key, field `signature`', () => {
    const { fields, canonical, signature } = GOLDEN.ack;
    expect(umfSpCanonical(fields, 'ack')).toBe(canonical);
    expect(umfSpSign(fields, 'ack', merchantKey)).toBe(signature);
    expect(verifyUmfSpSignature({ ...fields, signature }, 'ack', merchantCert)).toBe('valid');
  });

  it('a missing, empty or non-string signature is never valid', () => {
    const { fields, signature } = GOLDEN.response;
    expect(verifyUmfSpSignature(fields, 'response', platformCert)).toBe('missing');
    expect(verifyUmfSpSignature({ ...fields, signature: '' }, 'response', platformCert)).toBe('missing');
    expect(verifyUmfSpSignature({ ...fields, signature: null }, 'response', platformCert)).toBe('missing');
    expect(verifyUmfSpSignature({ ...fields, signature: 42 }, 'response', platformCert)).toBe('invalid');
    expect(verifyUmfSpSignature({ ...fields, signature: 'not base64!' }, 'response', platformCert)).toBe('invalid');
    expect(verifyUmfSpSignature({ ...fields, signature: signature.slice(0, -4) }, 'response', platformCert)).toBe('invalid');
  });
});
