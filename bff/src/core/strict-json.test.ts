import { describe, expect, it } from 'vitest';
import {
  findMember,
  isJsonObject,
  jsonObjectMembers,
  JsonNumberText,
  JsonSyntaxError,
  MAX_JSON_DEPTH,
  parseExactJson,
  parseJson,
  scalarText,
  stringifyExactJson,
  type ExactJsonObject,
  type JsonObject,
} from './strict-json';

const n = (text: string) => new JsonNumberText(text);

/** The exact text of one top-level member's value (and a check that start/end say the same). */
const textOf = (doc: string, key: string) => {
  const r = jsonObjectMembers(doc);
  if (!r.ok) throw new Error(r.reason);
  const m = r.members.get(key);
  if (!m) throw new Error(`no member ${key}`);
  expect(doc.slice(m.start, m.end)).toBe(m.text);
  return m.text;
};

describe('parseJson / parseExactJson', () => {
  it('reads numbers as JS numbers, or keeps every number as its literal text', () => {
    const doc = '{"a":11.00,"b":11.0,"c":0.1,"d":-10,"e":1e3,"f":19.990000000000000001,"g":12345678901234567890.12}';
    expect(Object.values(parseJson(doc) as JsonObject)).toEqual([11, 11, 0.1, -10, 1000, 19.99, 12345678901234567000]);
    const exact = parseExactJson(doc) as ExactJsonObject;
    expect(Object.values(exact).map((x) => scalarText(x))).toEqual(['11.00', '11.0', '0.1', '-10', '1e3', '19.990000000000000001', '12345678901234567890.12']);
  });

  it('agrees with JSON.parse on every valid document', () => {
    const docs = [
      String.raw` { "response" : { "header" : { "respTime" : "2018-07-25T17:54:11+08:00" } , "body" : { "code" : 1 , "msg" : "成功\u0021" , "list":[ {"x":null} ] } } , "signature" : "a9" } `,
      '[1,-0,2.5e-3,"\\"\\\\\\/\\b\\f\\n\\r\\t",true,false,null,[],{}]',
      '"\\ud83d\\ude00 and a lone \\ud800"',
      '0',
    ];
    for (const doc of docs) expect(parseJson(doc)).toEqual(JSON.parse(doc));
  });

  it('writes compact JSON with numbers as their text, and round-trips', () => {
    const text = '{"s":"中文 \\"q\\" \\n","n":11.00,"a":[1,2.50,null,true,false],"o":{}}';
    expect(stringifyExactJson(parseExactJson(text))).toBe(text);
    expect(stringifyExactJson(parseExactJson('{ "total_amount" : 11.00 ,\n "goods_list": [ {"num": 2, "price": 3.00} ] }'))).toBe(
      '{"total_amount":11.00,"goods_list":[{"num":2,"price":3.00}]}',
    );
    expect(stringifyExactJson({ a: 'x', skipped: undefined, n: n('0.01') })).toBe('{"a":"x","n":0.01}');
  });

  it('refuses JS numbers on the way out (money never passes through a double)', () => {
    expect(() => stringifyExactJson({ total_amount: 11 } as never)).toThrow(/JsonNumberText/);
    expect(() => new JsonNumberText('11.')).toThrow();
    expect(() => new JsonNumberText('0x10')).toThrow();
  });

  it('builds null-prototype objects: "__proto__" is a member like any other, never the prototype', () => {
    for (const parse of [parseJson, parseExactJson]) {
      const v = parse('{"u":"\\u4e2d\\/","__proto__":{"polluted":1},"o":{"__proto__":"x"}}') as Record<string, unknown>;
      expect(Object.getPrototypeOf(v)).toBeNull();
      expect(Object.keys(v)).toEqual(['u', '__proto__', 'o']);
      expect(v.u).toBe('中/');
      expect(Object.getPrototypeOf(v.__proto__)).toBeNull();
      expect(Object.keys(v.__proto__ as object)).toEqual(['polluted']);
      expect(Object.keys(v.o as object)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(isJsonObject(v as never)).toBe(true);
    }
  });

  it('names what is wrong and where', () => {
    try {
      parseJson('{"a":1,"a":2}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JsonSyntaxError);
      expect((e as JsonSyntaxError).detail).toBe('member "a" appears twice');
      expect((e as JsonSyntaxError).position).toBe(7);
      expect((e as JsonSyntaxError).duplicate).toBe('a');
      expect((e as Error).message).toBe('member "a" appears twice (at offset 7)');
    }
  });

  it('findMember: where a member name occurs, as a dotted path', () => {
    const v = parseJson('{"a":[{"b":1},{"__proto__":{}}],"c":{"d":null}}');
    expect(findMember(v, '__proto__')).toBe('a.1.__proto__');
    expect(findMember(v, 'd')).toBe('c.d');
    expect(findMember(v, 'x')).toBeUndefined();
    expect(findMember(parseJson('"__proto__"'), '__proto__')).toBeUndefined();
  });

  it.each([
    ['an empty document', '', /unexpected end of the document/],
    ['a duplicate member', '{"a":1,"a":2}', /member "a" appears twice/],
    ['an escaped duplicate (names compare decoded)', '{"response":1,"respons\\u0065":2}', /member "response" appears twice/],
    ['a duplicate nested member', '{"response":{"body":{"code":1,"code":8}}}', /member "code" appears twice/],
    ['a duplicate "__proto__"', '{"__proto__":1,"__proto__":2}', /member "__proto__" appears twice/],
    ['a trailing comma', '{"a":1,}', /member name/],
    ['a missing comma', '{"code": 30\n"msg":"x"}', /expected ',' or '}'/],
    ['a leading zero', '{"a":01}', /expected ',' or '}'/],
    ['a bare fraction', '{"a":.5}', /unexpected character "\."/],
    ['a bare minus', '{"a":-}', /invalid number/],
    ['an array without commas', '[1 2]', /expected ',' or '\]'/],
    ['a single-quoted name', "{'a':1}", /member name/],
    ['an unquoted name', '{a:1}', /member name/],
    ['an unterminated string', '"unterminated', /unterminated string/],
    ['a raw tab in a string', '"tab\tinside"', /control character/],
    ['a raw newline in a string', '{"a":"x\ny"}', /control character/],
    ['a bad escape', '"bad \\x escape"', /invalid escape \\x/],
    ['a short \\u escape', '"\\u12"', /invalid \\u escape/],
    ['text after the value', '{"a":1} trailing', /unexpected text after the JSON value/],
    ['NaN', '{"a":NaN}', /unexpected character "N"/],
    ['a truncated literal', 'nul', /invalid literal/],
    ['a missing colon', '{"a" 1}', /expected ':' after "a"/],
    ['an unclosed object', '{"a":{"b":1}', /expected ',' or '}'/],
    ['a comment', '{"a":1 /* c */}', /expected ',' or '}'/],
  ])('refuses %s', (_name, text, message) => {
    for (const parse of [parseJson, parseExactJson]) {
      expect(() => parse(text)).toThrow(JsonSyntaxError);
      expect(() => parse(text)).toThrow(message);
    }
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} containers, accepts ${MAX_JSON_DEPTH}`, () => {
    const nested = (k: number) => `${'['.repeat(k)}1${']'.repeat(k)}`;
    expect(() => parseJson(nested(MAX_JSON_DEPTH + 1))).toThrow(/nested deeper than 64 levels/);
    expect(parseJson(nested(MAX_JSON_DEPTH))).toBeDefined();
  });
});

describe('jsonObjectMembers: the exact text of each top-level value', () => {
  it('keeps the whitespace, key order and spelling exactly as received', () => {
    const doc = '{\n  "response" : {"b": 1.0,\n\t"a":"x" } ,"signature":"ab"}\r\n';
    expect(textOf(doc, 'response')).toBe('{"b": 1.0,\n\t"a":"x" }');
    expect(textOf(doc, 'signature')).toBe('"ab"');
  });

  it('is not fooled by braces, quotes and key names inside strings', () => {
    const doc = String.raw`{"response":{"msg":"} \"signature\":\"x\" {","nested":{"a":[1,{"b":"]"}]}},"signature":"s"}`;
    expect(textOf(doc, 'response')).toBe(String.raw`{"msg":"} \"signature\":\"x\" {","nested":{"a":[1,{"b":"]"}]}}`);
    expect(textOf(doc, 'signature')).toBe('"s"');
  });

  it('keeps escapes verbatim (\\u4e2d stays six characters, \\/ stays escaped)', () => {
    const doc = String.raw`{"response":{"title":"\u4e2d\/文\\"},"signature":"s"}`;
    expect(textOf(doc, 'response')).toBe(String.raw`{"title":"\u4e2d\/文\\"}`);
  });

  it('lists the top level only, with each value parsed as well', () => {
    const r = jsonObjectMembers('{"signature":"s","other":{"response":1},"response":[1,2.50]}');
    expect(r.ok && [...r.members.keys()]).toEqual(['signature', 'other', 'response']);
    expect(r.ok && r.members.get('response')?.value).toEqual([1, 2.5]);
    const exact = jsonObjectMembers('{"response":[1,2.50]}', 'text');
    expect(exact.ok && exact.members.get('response')?.value).toEqual([n('1'), n('2.50')]);
  });

  it('returns every kind of value', () => {
    const all = jsonObjectMembers('{"s":"x","n":-1.5e+3,"t":true,"f":false,"z":null,"a":[],"o":{}}');
    expect(all.ok && [...all.members.values()].map((m) => m.text)).toEqual(['"x"', '-1.5e+3', 'true', 'false', 'null', '[]', '{}']);
  });

  it.each([
    ['an array document', '[{"response":1}]', /expected a JSON object/],
    ['an empty document', '', /expected a JSON object/],
    ['text after the object', '{"response":1} {"response":2}', /unexpected text after the JSON object/],
    ['a duplicate top-level member', '{"response":{"a":1},"response":{"a":2},"signature":"s"}', /"response" appears twice/],
  ])('refuses %s', (_name, doc, reason) => {
    const r = jsonObjectMembers(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
