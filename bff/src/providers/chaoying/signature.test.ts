import { describe, expect, it } from 'vitest';
import { chaoyingCanonical, chaoyingSign, chaoyingStringToHash, verifyChaoyingSignature } from './signature';

/** Split a published canonical string back into fields (no value in these vectors holds '&'). */
const fieldsOf = (canonical: string) => Object.fromEntries(canonical.split('&').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));

// docs/providers/chaoying.md "Test vectors": SwiftPass-family MD5, chaoying's algorithm.
const VECTOR_KEY = '979da4cfccbae7923641daa5dd7047c2';
const VECTORS = [
  [
    'auth_code=131969896307360385&body=测试商品&charset=UTF-8&mch_create_ip=127.0.0.1&mch_id=QRA29045311KKR1&nonce_str=UhxOr4kzerPGku9wCaVQyfd1zisoAnAm&op_device_id=123&out_trade_no=pos-qra-20240106163401&service=unified.trade.micropay&sign_type=MD5&terminal_info={"device_type":"07","terminal_id":"123"}&total_fee=1',
    'DB571C2F75C657B42485CD07470F0FB9',
  ],
  [
    'charset=UTF-8&code=9999999&err_code=NOAUTH&err_msg=此商家涉嫌违规，收款功能已被限制，暂无法支付。商家可以登录微信商户平台/微信支付商家助手小程序查看原因和解决方案。&mch_id=QRA29045311KKR1&need_query=N&nonce_str=UhxOr4kzerPGku9wCaVQyfd1zisoAnAm&result_code=1&sign_type=MD5&status=0&transaction_id=95516000379952690603566602920171&version=2.0',
    '4B9B2AA73A05CBC32CFDCB4456E12EBA',
  ],
] as const;

describe('chaoying MD5 signature', () => {
  for (const [canonical, expected] of VECTORS) {
    it(`reproduces the published vector ${expected}`, () => {
      const fields = { ...fieldsOf(canonical), sign: 'ignored', empty: '' };
      expect(chaoyingCanonical(fields)).toBe(canonical);
      expect(chaoyingSign(fields, VECTOR_KEY)).toBe(expected);
      expect(verifyChaoyingSignature({ ...fields, sign: expected }, VECTOR_KEY)).toBe('valid');
      expect(verifyChaoyingSignature({ ...fields, sign: expected.toLowerCase() }, VECTOR_KEY)).toBe('valid');
    });
  }

  it("signs the seed's request example (independently computed MD5)", () => {
    const fields = {
      method: 'PreOrder_WECHAT',
      agent_id: '13000000000000000',
      version: '1.0',
      pid: 'yunpos',
      mch_id: '00000001',
      trade_type: 'NATIVE',
      body: '超赢支付',
      out_trade_no: '1497769914931',
      total_fee: '4',
      goods_tag: 'CY_PROMOTION_001',
      goods_detail:
        '[{"goods_id":"CY000000","goods_name":"促销单品-CY00000000000","quantity":1,"price":2},{"goods_id":"CY000001","goods_name":"促销单品-CY00000000001","quantity":1,"price":2}]',
    };
    // python3: hashlib.md5(canonical + "&key=…").hexdigest().upper()
    expect(chaoyingSign(fields, '0123456789abcdefABCDEF0123456789')).toBe('38EEB41E50DB28F7BAA80711A09127C3');
  });

  it('sorts keys case-insensitively and appends &key=', () => {
    expect(chaoyingStringToHash({ b: '1', A: '2', c: '', sign: 'x', Sign_Type: 'MD5' }, 'K')).toBe('A=2&b=1&Sign_Type=MD5&key=K');
  });

  it('reports missing, empty and wrong signatures', () => {
    const fields = { a: '1' };
    const sign = chaoyingSign(fields, 'K');
    expect(verifyChaoyingSignature({ ...fields, sign }, 'K')).toBe('valid');
    expect(verifyChaoyingSignature(fields, 'K')).toBe('missing');
    expect(verifyChaoyingSignature({ ...fields, sign: '' }, 'K')).toBe('missing');
    expect(verifyChaoyingSignature({ ...fields, sign }, 'other key')).toBe('invalid');
    expect(verifyChaoyingSignature({ ...fields, sign: sign.slice(1) }, 'K')).toBe('invalid');
    expect(verifyChaoyingSignature({ a: '2', sign }, 'K')).toBe('invalid');
    expect(verifyChaoyingSignature({ ...fields, extra: 'added later', sign }, 'K')).toBe('invalid');
    expect(verifyChaoyingSignature({ ...fields, sign: 12 }, 'K')).toBe('invalid');
  });
});
