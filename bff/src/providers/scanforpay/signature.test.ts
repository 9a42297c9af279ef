import { describe, expect, it } from 'vitest';
import { envelopeText, openEnvelope, sealEnvelope, verifyEnvelope } from './envelope';
import {
  SEED_FAILURE_RESPONSE,
  SEED_FAILURE_RESPONSE_VERBATIM,
  SEED_REQUEST,
  SEED_SUCCESS_RESPONSE,
  SEED_SUCCESS_RESPONSE_VERBATIM,
} from './seed-examples';
import { scanforpaySign, scanforpayStringToHash, verifyScanforpaySignature } from './signature';

const KEY = '0123456789abcdef0123456789abcdef';

/** The seed's request value, compact, as we would serialise it. */
const SEED_REQUEST_COMPACT =
  '{"header":{"requestTime":"2018-07-25T17:53:52+08:00","partnerNo":"10001","signType":"SHA256","version":"1.0","reqMsgId":"615c1195-0cd0-421c-b612-538bf03eabc7"},"body":{"storeNo":"100010000000002","partnerOrderNo":"p20180725175352983070","wallet":"Alipay","orderAmount":2000,"orderTitle":"Consume","operatorId":"211918"}}';

// Golden vectors computed independently: python3 -c 'import hashlib; print(hashlib.sha256((text + key).encode()).hexdigest())'
const GOLDEN: ReadonlyArray<readonly [string, string, string, string]> = [
  ['empty text, the key alone', '', KEY, '3eb1bd439947eb762998e566ccc2e099c791118b2f40579cc4f7da2b5061b7f9'],
  ["the seed's request value, compact", SEED_REQUEST_COMPACT, KEY, '7af8e7fca5a6b5762f0cf23837fa3446290ced0feadf7f26edd2ac27644f3bc8'],
  ['UTF-8 text (Chinese title)', '{"body":{"orderTitle":"一杯咖啡"}}', KEY, 'f7acebb0ca265abcec3dc822dd10f84c7d86284c7896ad25dd2b973b24cf9177'],
  ['pretty-printed text (whitespace is signed)', '{\n  "header": {"partnerNo": "10001"},\n  "body": {"code": 1}\n}', KEY, '982b247dae877df5afa5585de805a2fe75beda3f1e1ff12abde6e420cf533342'],
  ['SHA-256("abc") (FIPS 180-2 vector: text "ab", key "c")', 'ab', 'c', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
];

describe('scanforpay SHA-256 signature', () => {
  it.each(GOLDEN)('golden vector: %s', (_name, text, key, expected) => {
    expect(scanforpaySign(text, key)).toBe(expected);
    expect(verifyScanforpaySignature(text, expected, key)).toBe('valid');
    expect(verifyScanforpaySignature(text, expected.toUpperCase(), key)).toBe('valid');
  });

  it('hashes the value text followed directly by the key (no separator)', () => {
    expect(scanforpayStringToHash('{"a":1}', 'K')).toBe('{"a":1}K');
  });

  it('reports missing, empty, non-string and wrong signatures', () => {
    const text = '{"a":1}';
    const sig = scanforpaySign(text, KEY);
    expect(verifyScanforpaySignature(text, undefined, KEY)).toBe('missing');
    expect(verifyScanforpaySignature(text, null, KEY)).toBe('missing');
    expect(verifyScanforpaySignature(text, '', KEY)).toBe('missing');
    expect(verifyScanforpaySignature(text, 12, KEY)).toBe('invalid');
    expect(verifyScanforpaySignature(text, sig.slice(1), KEY)).toBe('invalid');
    expect(verifyScanforpaySignature(text, sig, 'another key')).toBe('invalid');
    expect(verifyScanforpaySignature('{"a": 1}', sig, KEY)).toBe('invalid'); // one space changes the bytes
    expect(verifyScanforpaySignature('{"a":1.0}', sig, KEY)).toBe('invalid'); // same number, other text
  });
});

describe('scanforpay envelope', () => {
  it('seals by concatenation around the one serialisation that was hashed', () => {
    const value = JSON.parse(SEED_REQUEST_COMPACT) as object;
    const sealed = sealEnvelope('request', value, KEY);
    expect(sealed.valueText).toBe(SEED_REQUEST_COMPACT);
    expect(sealed.signature).toBe('7af8e7fca5a6b5762f0cf23837fa3446290ced0feadf7f26edd2ac27644f3bc8');
    expect(sealed.text).toBe(`{"request":${SEED_REQUEST_COMPACT},"signature":"${sealed.signature}"}`);
    const opened = openEnvelope(sealed.text, 'request');
    expect(opened.ok && verifyEnvelope(opened, KEY)).toBe('valid');
  });

  it('verifies on the exact received text: pretty-printed answers verify, re-serialising would not', () => {
    const pretty = '{\n  "header": {"partnerNo": "10001"},\n  "body": {"code": 1}\n}';
    const doc = `{ "response" : ${pretty} ,\n "signature": "982b247dae877df5afa5585de805a2fe75beda3f1e1ff12abde6e420cf533342" }`;
    const opened = openEnvelope(doc, 'response');
    if (!opened.ok) throw new Error(opened.reason);
    expect(opened.valueText).toBe(pretty);
    expect(verifyEnvelope(opened, KEY)).toBe('valid');
    expect(verifyScanforpaySignature(JSON.stringify(opened.value), opened.signature, KEY)).toBe('invalid');
  });

  it('reads the seed examples once their comma slips are fixed, and refuses them verbatim', () => {
    for (const [verbatim, fixed] of [
      [SEED_SUCCESS_RESPONSE_VERBATIM, SEED_SUCCESS_RESPONSE],
      [SEED_FAILURE_RESPONSE_VERBATIM, SEED_FAILURE_RESPONSE],
    ] as const) {
      expect(openEnvelope(verbatim, 'response')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a JSON envelope/) });
      const opened = openEnvelope(fixed, 'response');
      expect(opened.ok).toBe(true);
      // The seed's signing key is unpublished: a correct implementation cannot verify these.
      if (opened.ok) expect(verifyEnvelope(opened, KEY)).toBe('invalid');
    }
    const failure = openEnvelope(SEED_FAILURE_RESPONSE, 'response');
    expect(failure.ok && failure.value).toMatchObject({ body: { code: 30, msg: '订单不存在' } });
    const request = openEnvelope(SEED_REQUEST, 'request');
    expect(request.ok && JSON.stringify(request.value)).toBe(SEED_REQUEST_COMPACT);
  });

  it('reports a missing signature member, a missing value and a duplicated member', () => {
    const v = '{"body":{"code":1}}';
    expect(openEnvelope(envelopeText('response', v, undefined), 'response')).toMatchObject({ ok: true, signature: undefined });
    expect(openEnvelope(envelopeText('response', v, 'ab'), 'request')).toEqual({ ok: false, reason: 'no "request" member in the envelope' });
    const sig = scanforpaySign(v, KEY);
    const twice = `{"response":${v},"response":{"body":{"code":8}},"signature":"${sig}"}`;
    expect(openEnvelope(twice, 'response')).toMatchObject({ ok: false, reason: expect.stringMatching(/appears twice/) });
  });
});
