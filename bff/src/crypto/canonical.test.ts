import { describe, expect, it } from 'vitest';
import { canonicalString, canonicalValuesString, renderCanonicalValue } from './canonical';

describe('canonicalString', () => {
  it('drops the signature and empty values, keeps "0", sorts ASCII by default', () => {
    expect(
      canonicalString({ b: '2', sign: 'XX', a: '1', empty: '', nil: null, undef: undefined, zero: '0', Z: 'upper', n0: 0 }),
    ).toBe('Z=upper&a=1&b=2&n0=0&zero=0');
  });

  it('orders case-insensitively on request (chaoying) with a deterministic tie-break', () => {
    const params = { b: '1', A: '2', a: '3', C: '4', sign_type: 'MD5', Sign: 'kept: only "sign" is the signature' };
    expect(canonicalString(params, { order: 'case-insensitive' })).toBe(
      'A=2&a=3&b=1&C=4&Sign=kept: only "sign" is the signature&sign_type=MD5',
    );
    expect(canonicalString(params)).toBe('A=2&C=4&Sign=kept: only "sign" is the signature&a=3&b=1&sign_type=MD5');
  });

  it('uses raw values: no URL encoding, UTF-8 text and JSON as they are', () => {
    expect(canonicalString({ notify_url: 'https://x.example/n?a=1&b=2', body: '测试 商品+1' })).toBe(
      'body=测试 商品+1&notify_url=https://x.example/n?a=1&b=2',
    );
  });

  it('renders nested objects and arrays as compact JSON text', () => {
    expect(canonicalString({ goods_detail: [{ goods_id: 'CY000', quantity: 1, price: 1 }], terminal_info: { device_type: '07' } })).toBe(
      'goods_detail=[{"goods_id":"CY000","quantity":1,"price":1}]&terminal_info={"device_type":"07"}',
    );
  });

  it('supports other signature field names and exclusions', () => {
    expect(canonicalString({ signature: 's', sign_type: 'MD5', a: '1' }, { signatureFields: ['signature'], exclude: ['sign_type'] })).toBe('a=1');
  });

  it('renders numbers and booleans as text, refuses non-finite numbers', () => {
    expect(renderCanonicalValue(1)).toBe('1');
    expect(renderCanonicalValue(false)).toBe('false');
    expect(() => renderCanonicalValue(Number.NaN)).toThrow();
  });
});

describe('canonicalValuesString', () => {
  it('joins the values only with | in ASCII key order', () => {
    expect(canonicalValuesString({ retMsg: '成功', retCode: '0000', sign: 'x', amount: '1', memo: '' })).toBe('1|0000|成功');
  });
});
