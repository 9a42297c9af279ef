import { describe, expect, it } from 'vitest';
import { JsonNumberText, parseExactJson, type ExactJsonObject } from '../../core/strict-json';
import { huishouyinSign, huishouyinStringToHash, verifyHuishouyinAnswer, verifyHuishouyinSign } from './signature';
import { SEED_PAY_REQUEST, SEED_PAY_RESPONSE } from './seed-examples';

const SECRET = 'TestSecret0123456789abcdefABCDEF';

// Golden vectors computed independently of this code:
//   python3 -c 'import hashlib; print(hashlib.md5(s.encode("utf-8")).hexdigest().upper())'
// on the exact strings below.
describe('huishouyin MD5 signature (assumed rule, docs/providers/huishouyin.md)', () => {
  it('flat request: app_sercet added, sign/sign_type/empties dropped, ASCII order, MD5 upper hex', () => {
    const fields = {
      sign_type: 'MD5',
      total_amount: '11.00',
      pay_code: '134567890123456700',
      order_id: '2017102100151091',
      app_id: 'bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF',
      sign: 'ignored',
      empty: '',
      nothing: null,
    };
    expect(huishouyinStringToHash(fields, SECRET)).toBe(
      'app_id=bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF&app_sercet=TestSecret0123456789abcdefABCDEF&order_id=2017102100151091&pay_code=134567890123456700&total_amount=11.00',
    );
    expect(huishouyinSign(fields, SECRET)).toBe('E817A9CF2C49FA26D7A880197041696E');
  });

  it("the seed's request example: nested store_info/goods_list as compact JSON, 11.00 and 3.00 as written", () => {
    const fields = parseExactJson(SEED_PAY_REQUEST) as ExactJsonObject;
    expect(huishouyinStringToHash(fields, SECRET)).toBe(
      'app_id=bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF&app_sercet=TestSecret0123456789abcdefABCDEF' +
        '&goods_list=[{"barcode":"6983748939221","title":"可口可乐300ml","num":2,"price":3.00}]' +
        '&order_id=2017102100151091&pay_code=5CDJVuPZ89l8hANqsJiU8zWDQ9rUATmg' +
        '&store_info={"store_id":"L4XYdVQWe0DROIQBxxtrYKWawTIrXofe","cashier_id":"5CDJVuPZ89l8hANqsJiU8zWDQ9rUATmg","waiter1_id":"HUpLsX7XQWFH3iktwFFMmi1GNdKH7Ef3","waiter2_id":"L4XYdVQWe0DROIQBxxtrYKWawTIrXofe","terminal_id":"bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF"}' +
        '&total_amount=11.00',
    );
    expect(huishouyinSign(fields, SECRET)).toBe('B36DE415192B2CB2CD7E632429AD3348');
    // The seed's own `sign` is a placeholder, not a signature (it is 32 letters, not hex).
    expect(verifyHuishouyinSign(fields, SECRET)).toBe('invalid');
  });

  it('a JSON number is signed as its literal text: 11.00 and "11.00" agree, 11 does not', () => {
    const base = { app_id: 'a', order_id: 'o' };
    expect(huishouyinSign({ ...base, total_amount: new JsonNumberText('11.00') }, SECRET)).toBe(huishouyinSign({ ...base, total_amount: '11.00' }, SECRET));
    expect(huishouyinSign({ ...base, total_amount: new JsonNumberText('11') }, SECRET)).not.toBe(huishouyinSign({ ...base, total_amount: '11.00' }, SECRET));
  });

  it('keeps "0", sorts byte-wise (upper case before lower), and cannot be fed a second secret', () => {
    expect(huishouyinStringToHash({ b: '0', B: '1', a_b: 'x', ab: 'y', sign_type: 'RSA' }, 'S')).toBe('B=1&a_b=x&ab=y&app_sercet=S&b=0');
    expect(huishouyinStringToHash({ app_sercet: 'attacker', x: '1' }, 'S')).toBe('app_sercet=S&x=1');
  });

  it('verifies: valid, missing, empty, wrong, case-insensitive hex, field added', () => {
    const fields = { app_id: 'a', order_id: 'PQ00001' };
    const sign = huishouyinSign(fields, SECRET);
    expect(verifyHuishouyinSign({ ...fields, sign }, SECRET)).toBe('valid');
    expect(verifyHuishouyinSign({ ...fields, sign: sign.toLowerCase() }, SECRET)).toBe('valid');
    expect(verifyHuishouyinSign({ ...fields, sign, sign_type: 'MD5' }, SECRET)).toBe('valid');
    expect(verifyHuishouyinSign(fields, SECRET)).toBe('missing');
    expect(verifyHuishouyinSign({ ...fields, sign: '' }, SECRET)).toBe('missing');
    expect(verifyHuishouyinSign({ ...fields, sign }, 'other secret')).toBe('invalid');
    expect(verifyHuishouyinSign({ ...fields, sign, extra: '1' }, SECRET)).toBe('invalid');
    expect(verifyHuishouyinSign({ ...fields, sign: new JsonNumberText('1') }, SECRET)).toBe('invalid');
  });

  describe('answers', () => {
    const seed = parseExactJson(SEED_PAY_RESPONSE) as ExactJsonObject;

    it("the seed's answers carry no sign: unsigned", () => {
      expect(verifyHuishouyinAnswer(seed, SECRET)).toBe('unsigned');
      expect(verifyHuishouyinAnswer({ ...seed, sign: '' }, SECRET)).toBe('unsigned');
      expect(verifyHuishouyinAnswer({ ...seed, sign: null }, SECRET)).toBe('unsigned');
    });

    it('a top-level sign covers code, msg and data (compact, numbers as written: golden vector)', () => {
      expect(huishouyinStringToHash(seed, SECRET)).toBe(
        'app_sercet=TestSecret0123456789abcdefABCDEF&code=1000' +
          '&data={"trade_no":"2017102100151091","order_id":"2017102100151091","pay_type":1,"order_status":1,"total_amount":11.0,"payable_amount":10.0,"real_amount":9.0,"voucher_list":[{"id":"2015102600073002039000002D5O","name":"XX超市5折优惠","type":"1","amount":10,"merchant_contribute":9,"other_contribute":1,"purchase_ant_contribute":0.82}]}' +
          '&msg=支付成功',
      );
      const signed = { ...seed, sign: '811A5C37E24DD4DE00140B1AD8BE3452' };
      expect(verifyHuishouyinAnswer(signed, SECRET)).toBe('valid');
      // the same answer as a server would print it: whitespace does not matter, the number text does
      const reparsed = parseExactJson(JSON.stringify(JSON.parse(SEED_PAY_RESPONSE))) as ExactJsonObject;
      expect(verifyHuishouyinAnswer({ ...reparsed, sign: signed.sign }, SECRET)).toBe('invalid'); // 11.0 became 11
    });

    it('a sign inside data covers data; a wrong one anywhere is invalid', () => {
      const data = seed.data as ExactJsonObject;
      const inner = { ...seed, data: { ...data, sign: huishouyinSign(data, SECRET) } };
      expect(verifyHuishouyinAnswer(inner, SECRET)).toBe('valid');
      expect(verifyHuishouyinAnswer({ ...inner, data: { ...inner.data, order_status: new JsonNumberText('0') } }, SECRET)).toBe('invalid');
      expect(verifyHuishouyinAnswer({ ...seed, sign: 'A'.repeat(32) }, SECRET)).toBe('invalid');
      const both = { ...inner, sign: huishouyinSign(inner, SECRET) };
      expect(verifyHuishouyinAnswer(both, SECRET)).toBe('valid');
      expect(verifyHuishouyinAnswer({ ...both, msg: 'changed' }, SECRET)).toBe('invalid');
    });
  });
});
