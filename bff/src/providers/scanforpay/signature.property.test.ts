/** scanforpay's SHA-256 over the exact value text, property-based (testing/signature-properties.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldMap, fieldName, fieldText, signatureProperties, type FieldMap } from '../testing/signature-properties';
import { envelopeText, openEnvelope, sealEnvelope, verifyEnvelope } from './envelope';

const KEY = 'PropertyTestSignKey0123456789abcdef';
const HEADER = { partnerNo: '10001', respTime: '2018-07-25T17:54:11+08:00', signType: 'SHA256', version: '1.0', reqMsgId: 'a47ceb57-9c1c-4190-88ec-30ae1e413d89' };
const BODY = { code: 1, msg: 'success', partnerOrderNo: 'p20180725175352983070', orderAmount: 2000 };

/** strings and integers, as the provider document's JSON carries them */
const value: fc.Arbitrary<string | number> = fc.oneof(fieldText, fc.integer());

/** the received envelope, opened and verified as the connector does */
function verifies(response: object, signature: string): boolean {
  const opened = openEnvelope(envelopeText('response', JSON.stringify(response), signature), 'response');
  return opened.ok && verifyEnvelope(opened, KEY) === 'valid';
}

describe('scanforpay signature: properties', () => {
  describe('over the body', () => {
    signatureProperties<string | number, string>({
      sign: (body) => sealEnvelope('response', { header: HEADER, body }, KEY).signature,
      verify: (body, signature) => verifies({ header: HEADER, body }, signature),
      fields: { value },
      renames: true,
    });
  });

  describe('over the header', () => {
    signatureProperties<string | number, string>({
      sign: (header) => sealEnvelope('response', { header, body: BODY }, KEY).signature,
      verify: (header, signature) => verifies({ header, body: BODY }, signature),
      fields: { value },
      renames: true,
    });
  });

  it('a member added beside "response" is refused: the signature does not cover it', () => {
    fc.assert(
      fc.property(fieldMap<string | number>({ value }), fieldName(['response', 'signature']), value, (body: FieldMap<string | number>, name, extra) => {
        const sealed = sealEnvelope('response', { header: HEADER, body }, KEY);
        const text = `${sealed.text.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(extra)}}`;
        expect(openEnvelope(text, 'response')).toEqual({ ok: false, reason: `member ${JSON.stringify(name)} beside "response" is not covered by the signature` });
      }),
    );
  });
});
