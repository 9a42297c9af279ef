import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, rawMember, topLevelMembers } from './raw-json';

const textOf = (doc: string, key: string) => {
  const r = rawMember(doc, key);
  if (!r.ok) throw new Error(r.reason);
  expect(doc.slice(r.member.start, r.member.end)).toBe(r.member.text);
  return r.member.text;
};

describe('rawMember: the exact text of a top-level value', () => {
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

  it('finds a member whatever the order of the others, and only at the top level', () => {
    const doc = '{"signature":"s","other":{"response":1},"response":[1,2]}';
    expect(textOf(doc, 'response')).toBe('[1,2]');
    expect(rawMember('{"other":{"response":1}}', 'response')).toEqual({ ok: false, reason: 'no top-level "response" member' });
  });

  it('returns every kind of value', () => {
    const doc = '{"s":"x","n":-1.5e+3,"t":true,"f":false,"z":null,"a":[],"o":{}}';
    const all = topLevelMembers(doc);
    expect(all.ok && [...all.members.values()].map((m) => m.text)).toEqual(['"x"', '-1.5e+3', 'true', 'false', 'null', '[]', '{}']);
  });

  it('compares member names decoded: an escaped duplicate is still a duplicate', () => {
    expect(rawMember('{"response":1,"respons\\u0065":2}', 'response')).toMatchObject({ ok: false, reason: expect.stringMatching(/"response" appears twice/) });
  });

  it.each([
    ['a duplicate top-level member', '{"response":{"a":1},"response":{"a":2},"signature":"s"}', /appears twice/],
    ['a duplicate nested member', '{"response":{"body":{"code":1,"code":8}}}', /"code" appears twice/],
    ['a trailing comma (the seed example slip)', '{"response":{"a":1,},"signature":"s"}', /member name/],
    ['a missing comma (the seed example slip)', '{"response":{"code": 30\n"msg":"x"}}', /expected ',' or '}'/],
    ['an array document', '[{"response":1}]', /expected a JSON object/],
    ['text after the object', '{"response":1} {"response":2}', /after the JSON object/],
    ['an unterminated string', '{"response":"abc', /unterminated/],
    ['a raw newline in a string', '{"response":"a\nb"}', /control character/],
    ['a bad escape', '{"response":"\\x41"}', /invalid escape/],
    ['a short \\u escape', '{"response":"\\u12"}', /\\u escape/],
    ['a leading zero', '{"response":012}', /expected ','/],
    ['a bare minus', '{"response":-}', /invalid number/],
    ['a single-quoted name', "{'response':1}", /member name/],
    ['NaN', '{"response":NaN}', /unexpected character/],
    ['a truncated literal', '{"response":tru}', /invalid literal/],
    ['an unclosed object', '{"response":{"a":1}', /expected ',' or '}'/],
    ['an empty document', '', /expected a JSON object/],
    ['a missing colon', '{"response" 1}', /expected ':'/],
  ])('refuses %s', (_name, doc, reason) => {
    const r = topLevelMembers(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, accepts ${MAX_JSON_DEPTH}`, () => {
    // the top-level object is level 1, each array one more
    const levels = (n: number) => `{"a":${'['.repeat(n - 1)}1${']'.repeat(n - 1)}}`;
    expect(topLevelMembers(levels(MAX_JSON_DEPTH + 1))).toMatchObject({ ok: false, reason: expect.stringMatching(/nested deeper/) });
    expect(topLevelMembers(levels(MAX_JSON_DEPTH)).ok).toBe(true);
  });

  it('agrees with JSON.parse on what the member text means', () => {
    const doc = String.raw` { "response" : { "header" : { "respTime" : "2018-07-25T17:54:11+08:00" } , "body" : { "code" : 1 , "msg" : "成功\u0021" , "list":[ {"x":null} ] } } , "signature" : "a9" } `;
    const text = textOf(doc, 'response');
    expect(JSON.parse(text)).toEqual((JSON.parse(doc) as { response: unknown }).response);
  });
});
