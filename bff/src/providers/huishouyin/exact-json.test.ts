import { describe, expect, it } from 'vitest';
import { ExactJsonError, isJsonObject, JsonNumberText, parseExactJson, scalarText, stringifyExactJson, type ExactJsonObject } from './exact-json';
import { SEED_PAY_REQUEST, SEED_PAY_RESPONSE } from './seed-examples';

const n = (text: string) => new JsonNumberText(text);

describe('exact JSON', () => {
  it('keeps every number as its literal text', () => {
    const v = parseExactJson('{"a":11.00,"b":11.0,"c":0.1,"d":-10,"e":1e3,"f":19.990000000000000001,"g":12345678901234567890.12}') as ExactJsonObject;
    expect(Object.values(v).map((x) => scalarText(x))).toEqual(['11.00', '11.0', '0.1', '-10', '1e3', '19.990000000000000001', '12345678901234567890.12']);
  });

  it('reads the seed examples (amounts as written)', () => {
    const req = parseExactJson(SEED_PAY_REQUEST) as ExactJsonObject;
    expect(scalarText(req.total_amount)).toBe('11.00');
    expect(req.goods_list).toEqual([{ barcode: '6983748939221', title: '可口可乐300ml', num: n('2'), price: n('3.00') }]);
    const res = parseExactJson(SEED_PAY_RESPONSE) as ExactJsonObject;
    expect(isJsonObject(res.data) && scalarText(res.data.total_amount)).toBe('11.0');
  });

  it('writes compact JSON with numbers as their text, and round-trips', () => {
    const text = '{"s":"中文 \\"q\\" \\n","n":11.00,"a":[1,2.50,null,true,false],"o":{}}';
    const v = parseExactJson(text);
    expect(stringifyExactJson(v)).toBe('{"s":"中文 \\"q\\" \\n","n":11.00,"a":[1,2.50,null,true,false],"o":{}}');
    expect(stringifyExactJson(parseExactJson(SEED_PAY_REQUEST))).toBe(
      '{"app_id":"bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF","sign":"L4XYdVQWe0DROIQBxxtrYKWawTIrXofe","sign_type":"MD5","order_id":"2017102100151091","pay_code":"5CDJVuPZ89l8hANqsJiU8zWDQ9rUATmg","total_amount":11.00,"store_info":{"store_id":"L4XYdVQWe0DROIQBxxtrYKWawTIrXofe","cashier_id":"5CDJVuPZ89l8hANqsJiU8zWDQ9rUATmg","waiter1_id":"HUpLsX7XQWFH3iktwFFMmi1GNdKH7Ef3","waiter2_id":"L4XYdVQWe0DROIQBxxtrYKWawTIrXofe","terminal_id":"bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF"},"goods_list":[{"barcode":"6983748939221","title":"可口可乐300ml","num":2,"price":3.00}]}',
    );
    expect(stringifyExactJson({ a: 'x', skipped: undefined, n: n('0.01') })).toBe('{"a":"x","n":0.01}');
  });

  it('refuses JS numbers on the way out (money never passes through a double)', () => {
    expect(() => stringifyExactJson({ total_amount: 11 } as never)).toThrow(/JsonNumberText/);
    expect(() => new JsonNumberText('11.')).toThrow();
    expect(() => new JsonNumberText('0x10')).toThrow();
  });

  it('decodes escapes, and treats "__proto__" as data', () => {
    const v = parseExactJson('{"u":"\\u4e2d\\/","__proto__":{"polluted":1}}') as ExactJsonObject;
    expect(v.u).toBe('中/');
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['u', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['', /end of input/],
    ['{"a":1,}', /member name/],
    ['{"a":1,"a":2}', /duplicate member "a"/],
    ['{"a":01}', /","/],
    ['{"a":.5}', /unexpected token/],
    ['[1 2]', /","/],
    ["{'a':1}", /member name/],
    ['{a:1}', /member name/],
    ['"unterminated', /unterminated string/],
    ['"tab\tinside"', /control character/],
    ['"bad \\x escape"', /invalid string escape/],
    ['{"a":1} trailing', /after the JSON value/],
    ['nul', /unexpected token/],
    ['['.repeat(70) + ']'.repeat(70), /nesting/],
  ])('refuses %j', (text, message) => {
    expect(() => parseExactJson(text)).toThrow(ExactJsonError);
    expect(() => parseExactJson(text)).toThrow(message);
  });
});
