/** 超赢's MD5 signature, property-based (testing/signature-properties.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { fieldMap, oneChange, signatureProperties, withField } from '../testing/signature-properties';
import { createChaoyingConnector } from './connector';
import { chaoyingSign, verifyChaoyingSignature } from './signature';

const KEY = 'PropertyTestKey0123456789abcdef';

describe('chaoying signature: properties', () => {
  signatureProperties({
    sign: (f) => chaoyingSign(f, KEY),
    verify: (f, sign) => verifyChaoyingSignature(withField(f, 'sign', sign), KEY) === 'valid',
    fields: { exclude: ['sign'] },
    renames: true,
  });

  // The same over the wire: a form notification, parsed by the connector, then verified.
  const connector = createChaoyingConnector(
    { merchant: { agentId: '13000000000000000', mchId: '00000001', pid: 'payqr' }, key: KEY, baseUrl: 'https://pay.storepos.example' },
    { clock: new FakeClock(0), random: seededRandom(1), fetch: globalThis.fetch, log: memoryLogger() },
  );
  const notify = (fields: Record<string, string>, sign: string) =>
    connector.verifyNotification({
      body: new TextEncoder().encode(new URLSearchParams([...Object.entries(fields), ['sign', sign]]).toString()),
      contentType: 'application/x-www-form-urlencoded',
      headers: new Headers(),
    });

  it('a signed form notification passes the signature check; with one field added, changed or removed on the wire it does not', async () => {
    const maps = fieldMap({ exclude: ['sign'] });
    await fc.assert(
      fc.asyncProperty(
        maps.chain((p) => fc.constantFrom('added', 'changed', 'removed', 'renamed' as const).chain((kind) => oneChange(p, kind, { exclude: ['sign'] }).map((c) => ({ p, ...c })))),
        async ({ p, map, what }) => {
          const sign = chaoyingSign(p, KEY);
          const genuine = await notify(p, sign);
          // the signature holds (the fields may still be unusable as a payment: malformed, never a signature reason)
          if (!genuine.ok) expect(genuine.reason).toBe('malformed');
          expect(await notify(map, sign), what).toMatchObject({ ok: false, reason: 'bad_signature' });
        },
      ),
    );
  });
});
