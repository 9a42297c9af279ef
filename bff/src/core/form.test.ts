import { describe, expect, it } from 'vitest';
import { parseForm } from './form';

describe('parseForm', () => {
  it('decodes values as browsers and providers encode them', () => {
    const r = parseForm('body=%E4%B8%80%E6%9D%AF+%E5%92%96%E5%95%A1&total_fee=1&empty=');
    expect(r).toEqual({ ok: true, fields: { body: '一杯 咖啡', total_fee: '1', empty: '' } });
  });

  it('keeps a field named __proto__ as a field (null-prototype map)', () => {
    const r = parseForm('a=1&__proto__=x&constructor=y');
    if (!r.ok) throw new Error(r.reason);
    expect(Object.getPrototypeOf(r.fields)).toBeNull();
    expect(Object.keys(r.fields)).toEqual(['a', '__proto__', 'constructor']);
    expect(r.fields.__proto__).toBe('x');
    // what a plain object does with it — the bug this reader exists for
    const plain: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams('a=1&__proto__=x')) plain[k] = v;
    expect(Object.keys(plain)).toEqual(['a']);
  });

  it('refuses a field sent twice, naming it (also when the copies are encoded differently)', () => {
    expect(parseForm('a=1&b=2&a=3')).toEqual({ ok: false, reason: 'field "a" appears more than once' });
    expect(parseForm('__proto__=1&__proto__=2')).toEqual({ ok: false, reason: 'field "__proto__" appears more than once' });
    expect(parseForm('total_fee=1&total%5Ffee=1')).toEqual({ ok: false, reason: 'field "total_fee" appears more than once' });
  });

  it('an empty text has no fields', () => {
    expect(parseForm('')).toEqual({ ok: true, fields: {} });
  });
});
