/** 汇收银's (assumed) MD5 signature, property-based (testing/signature-properties.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonNumberText, stringifyExactJson, type JsonWritable } from '../../core/strict-json';
import { fieldMap, fieldText, signatureProperties, withField } from '../testing/signature-properties';
import { HUISHOUYIN_SECRET_FIELD, huishouyinSign, verifyHuishouyinSign } from './signature';

const SECRET = 'PropertyTestAppSecret0123456789';

/** What 汇收银 puts on the wire: strings, numbers as their literal text (`11.00`), nested objects and arrays. */
const yuan = fc.tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 99 })).map(([y, f]) => new JsonNumberText(`${y}.${String(f).padStart(2, '0')}`));
const value: fc.Arbitrary<JsonWritable> = fc.oneof(
  { weight: 4, arbitrary: fieldText },
  { weight: 2, arbitrary: yuan },
  { weight: 1, arbitrary: fieldMap({ value: fc.oneof(fieldText, yuan), maxFields: 3 }) },
  { weight: 1, arbitrary: fc.array(fieldMap({ value: fc.oneof(fieldText, yuan), maxFields: 3 }), { minLength: 1, maxLength: 2 }) },
);
/** the rule leaves out sign and sign_type, and puts our secret in as app_sercet */
const EXCLUDE = ['sign', 'sign_type', HUISHOUYIN_SECRET_FIELD];

describe('huishouyin signature: properties', () => {
  signatureProperties<JsonWritable, string>({
    sign: (f) => huishouyinSign(f, SECRET),
    verify: (f, sign) => verifyHuishouyinSign(withField(f, 'sign', sign), SECRET) === 'valid',
    // a value as the signed string shows it: a string as is, a number or an object as its exact JSON
    fields: { exclude: EXCLUDE, value, render: (v) => (typeof v === 'string' ? v : stringifyExactJson(v)) },
    renames: true,
  });

  it('a received app_sercet field is refused, whatever it says (the secret never travels)', () => {
    fc.assert(
      fc.property(fieldMap({ exclude: EXCLUDE }), fieldText, (p, claimed) => {
        const sign = huishouyinSign(p, SECRET);
        expect(verifyHuishouyinSign(withField(withField(p, HUISHOUYIN_SECRET_FIELD, claimed), 'sign', sign), SECRET)).toBe('invalid');
        expect(verifyHuishouyinSign(withField(withField(p, HUISHOUYIN_SECRET_FIELD, SECRET), 'sign', sign), SECRET)).toBe('invalid');
      }),
    );
  });
});
