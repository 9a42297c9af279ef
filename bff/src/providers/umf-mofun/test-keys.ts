/**
 * Test keys for umf-mofun's tests: the committed throw-away fixtures in crypto/__fixtures__
 * (never generated per run, so golden signatures stay fixed). The merchant is RSA-1024 as UMF
 * issues; the platform uses the RSA-2048 fixture so that a key mix-up can never verify.
 */
import { createPublicKey } from 'node:crypto';
import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import { fixture } from '../testing/fixtures';

export { fixture, FIXTURES } from '../testing/fixtures';

export const merchantKey = loadRsaPrivateKey(fixture('rsa1024.pkcs8.pem'));
export const merchantPublicKey = createPublicKey(merchantKey);
export const platformPrivateKey = loadRsaPrivateKey(fixture('rsa2048.pkcs8.pem'));
export const platformKey = loadRsaPublicKey(fixture('rsa2048.cert.pem'));

export const MERCHANT = { proxyId: '0049', subMerId: '30000102' } as const;
