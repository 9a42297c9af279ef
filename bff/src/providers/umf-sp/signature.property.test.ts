/** 联动优势 服务商平台's SHA1withRSA signatures, property-based (testing/signature-properties.ts). */
import { describe } from 'vitest';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import { fixture } from '../testing/fixtures';
import { signatureProperties, withField } from '../testing/signature-properties';
import { UMF_SP_FORMS, umfSpSign, verifyUmfSpSignature, type UmfSpMessage } from './signature';

const merchantKey = loadRsaPrivateKey(fixture('rsa1024.pkcs8.der'));
const merchantCert = loadRsaPublicKey(fixture('rsa1024.cert.pem'));
const platformKey = loadRsaPrivateKey(fixture('rsa2048.pkcs8.pem'));
const platformCert = loadRsaPublicKey(fixture('rsa2048.cert.der'));

/** Who signs each message: we sign requests and our replies, UMF its answers and notifications. */
const KEYS: Record<UmfSpMessage, { sign: typeof merchantKey; verify: typeof merchantCert }> = {
  request: { sign: merchantKey, verify: merchantCert },
  ack: { sign: merchantKey, verify: merchantCert },
  response: { sign: platformKey, verify: platformCert },
  notify: { sign: platformKey, verify: platformCert },
};

describe('umf-sp signature: properties', () => {
  for (const message of ['request', 'response', 'notify', 'ack'] as const) {
    const form = UMF_SP_FORMS[message];
    describe(`${message} (${form.pipe ? '| form' : 'k=v form'}, field ${form.field})`, () => {
      signatureProperties({
        sign: (f) => umfSpSign(f, message, KEYS[message].sign),
        verify: (f, signature) => verifyUmfSpSignature(withField(f, form.field, signature), message, KEYS[message].verify) === 'valid',
        // both names excluded: a message carries one of them, and `sign` ≠ `signature` is its own rule
        fields: { exclude: ['sign', 'signature'] },
        // values only (`|`): a rename that keeps the key order signs the same string
        renames: !form.pipe,
        numRuns: 40,
      });
    });
  }
});
