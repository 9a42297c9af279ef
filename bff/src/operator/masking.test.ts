import { describe, expect, it } from 'vitest';
import { maskBody, maskUrl } from './masking';

const SIG = 'Hk3xQ2pL9s0Vb8nYt7mR6cE5aW4zU3iO2pA1sD0fG9hJ8kL7zX6cV5bN4mQ3wE2rT1yU0iO9pA8sD7fG6hJ5kL4zX3cV2bN1mQ0wE9rT8yU7iO6pA5sD4fG3hJ2kL1zX0cV9bN8mQ7wE6rT5yU4iO3pA2sD1fG0hJ9kL8zX7cV6bN5mQ4wE3rT2yU1iO0p==';

describe('masking what operators see of a notification body', () => {
  it('form (超赢, 联动): signature, payer identity and codes masked; everything else byte for byte', () => {
    const body = 'state=0&result_code=0&mch_id=100000001&out_trade_no=A1000101&total_fee=1999&sub_openid=oUpF8uMuAJO_M2pxb1Q9zNjWeS6o&buyer_logon_id=li%40example.com&auth_code=134567890123456700&sign=9A0A8659F005D6984697E2CA0A9CF3B7';
    expect(maskBody(body)).toBe(
      'state=0&result_code=0&mch_id=100000001&out_trade_no=A1000101&total_fee=1999&sub_openid=oUpF%E2%80%A6eS6o' +
        '&buyer_logon_id=li%40e%E2%80%A6.com&auth_code=1345%E2%80%A66700&sign=9A0A%E2%80%A6(32%20chars%2C%20masked)',
    );
  });

  it('JSON (scanforpay, 汇收银): masked values replaced in place, the rest exactly as sent (11.00 stays 11.00)', () => {
    const body = `{"response":{"header":{"partnerNo":"P1","signType":"SHA256"},"body":{"partnerOrderNo":"A1000101","orderAmount":11.00,"payerInfo":{"openid":"o7Abcdefghij","bank":"CMB"}}},"signature":"${SIG}"}`;
    expect(maskBody(body)).toBe(
      `{"response":{"header":{"partnerNo":"P1","signType":"SHA256"},"body":{"partnerOrderNo":"A1000101","orderAmount":11.00,"payerInfo":"{\\"op…MB\\"}"}},"signature":"Hk3x…(${SIG.length} chars, masked)"}`,
    );
    expect(maskBody('{ "sign" : "abcdef", "app_secret": "s3cr3t", "access_token": 12345, "note": "sign: here" }')).toBe(
      '{ "sign" : "abcd…(6 chars, masked)", "app_secret": "***", "access_token": "***", "note": "sign: here" }',
    );
  });

  it('XML: masked inside the element, CDATA or not', () => {
    expect(maskBody('<xml><return_code><![CDATA[SUCCESS]]></return_code><sign><![CDATA[C380BEC2BFD727A4B6845133519F3AD6]]></sign><openid>oUpF8uMuAJO_M2pxb1Q9zNjWeS6o</openid></xml>')).toBe(
      '<xml><return_code><![CDATA[SUCCESS]]></return_code><sign><![CDATA[C380…(32 chars, masked)]]></sign><openid>oUpF…eS6o</openid></xml>',
    );
  });

  it('leaves text it cannot read, and invalid JSON, as it is', () => {
    expect(maskBody('not a known format at all')).toBe('not a known format at all');
    expect(maskBody('{"sign": "abc"')).toBe('{"sign": "abc"');
  });
});

describe('masking webhook targets', () => {
  it('masks query values and credentials in the URL, keeps where it goes', () => {
    expect(maskUrl('https://shop.example/hooks/payqr?token=shop-secret&v=2')).toBe('https://shop.example/hooks/payqr?token=***&v=***');
    expect(maskUrl('https://user:pw@shop.example/hooks')).toBe('https://***@shop.example/hooks');
    expect(maskUrl('https://shop.example/hooks')).toBe('https://shop.example/hooks');
    expect(maskUrl(null)).toBeNull();
  });
});
