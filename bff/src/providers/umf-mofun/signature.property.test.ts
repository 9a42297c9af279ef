/** 联动优势 魔方's SHA1withRSA signatures, property-based (testing/signature-properties.ts). */
import { describe } from 'vitest';
import { signatureProperties, withField } from '../testing/signature-properties';
import { umfMofunSign, verifyUmfMofunSignature } from './signature';
import { merchantKey, merchantPublicKey, platformKey, platformPrivateKey } from './test-keys';

describe('umf-mofun signature: properties', () => {
  describe('k=v form (our requests, UMF’s 3.1 notification)', () => {
    signatureProperties({
      sign: (f) => umfMofunSign(f, 'kv', merchantKey),
      verify: (f, sign) => verifyUmfMofunSignature(withField(f, 'sign', sign), 'kv', merchantPublicKey) === 'valid',
      fields: { exclude: ['sign'] },
      renames: true,
      numRuns: 60,
    });
  });

  // Values only: a field renamed to a name that sorts to the same place signs the same string —
  // the form's own limit (docs/providers/umf-mofun.md), so no renaming property here.
  describe('| form (UMF’s answers, our notification reply)', () => {
    signatureProperties({
      sign: (f) => umfMofunSign(f, 'pipe', platformPrivateKey),
      verify: (f, sign) => verifyUmfMofunSignature(withField(f, 'sign', sign), 'pipe', platformKey) === 'valid',
      fields: { exclude: ['sign'] },
      numRuns: 60,
    });
  });
});
