import { describe, expect, it } from 'vitest';
import { canonicalString } from './canonical';
import { hmacSha256Hex, md5UpperHex, sha256Hex, timingSafeEqualString } from './digest';

// docs/providers/chaoying.md "Test vectors": SwiftPass-family MD5 (chaoying's algorithm).
const KEY = '979da4cfccbae7923641daa5dd7047c2';
const REQUEST =
  'auth_code=131969896307360385&body=测试商品&charset=UTF-8&mch_create_ip=127.0.0.1&mch_id=QRA29045311KKR1&nonce_str=UhxOr4kzerPGku9wCaVQyfd1zisoAnAm&op_device_id=123&out_trade_no=pos-qra-20240106163401&service=unified.trade.micropay&sign_type=MD5&terminal_info={"device_type":"07","terminal_id":"123"}&total_fee=1';
const RESPONSE =
  'charset=UTF-8&code=9999999&err_code=NOAUTH&err_msg=此商家涉嫌违规，收款功能已被限制，暂无法支付。商家可以登录微信商户平台/微信支付商家助手小程序查看原因和解决方案。&mch_id=QRA29045311KKR1&need_query=N&nonce_str=UhxOr4kzerPGku9wCaVQyfd1zisoAnAm&result_code=1&sign_type=MD5&status=0&transaction_id=95516000379952690603566602920171&version=2.0';

describe('SwiftPass-family MD5 vectors', () => {
  it('reproduces the request signature', () => {
    expect(md5UpperHex(`${REQUEST}&key=${KEY}`)).toBe('DB571C2F75C657B42485CD07470F0FB9');
  });

  it('reproduces the response signature', () => {
    expect(md5UpperHex(`${RESPONSE}&key=${KEY}`)).toBe('4B9B2AA73A05CBC32CFDCB4456E12EBA');
  });

  it('rebuilds the request canonical string from a shuffled field map with empties and sign', () => {
    const fields = {
      total_fee: '1',
      terminal_info: '{"device_type":"07","terminal_id":"123"}',
      sign: 'DB571C2F75C657B42485CD07470F0FB9',
      service: 'unified.trade.micropay',
      out_trade_no: 'pos-qra-20240106163401',
      op_device_id: '123',
      nonce_str: 'UhxOr4kzerPGku9wCaVQyfd1zisoAnAm',
      mch_id: 'QRA29045311KKR1',
      mch_create_ip: '127.0.0.1',
      charset: 'UTF-8',
      body: '测试商品',
      auth_code: '131969896307360385',
      sign_type: 'MD5',
      attach: '',
      device_info: null,
    };
    expect(canonicalString(fields, { order: 'case-insensitive' })).toBe(REQUEST);
    expect(canonicalString(fields)).toBe(REQUEST);
  });
});

describe('other digests', () => {
  it('SHA-256 and HMAC-SHA256 known answers', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // RFC 4231 test case 2
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(md5UpperHex('')).toBe('D41D8CD98F00B204E9800998ECF8427E');
  });

  it('timingSafeEqualString compares any lengths without throwing', () => {
    expect(timingSafeEqualString('ABC', 'ABC')).toBe(true);
    expect(timingSafeEqualString('ABC', 'ABD')).toBe(false);
    expect(timingSafeEqualString('ABC', 'ABCD')).toBe(false);
    expect(timingSafeEqualString('', '')).toBe(true);
    expect(timingSafeEqualString('', 'x')).toBe(false);
  });
});
