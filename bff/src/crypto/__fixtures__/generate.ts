/**
 * Generates the throw-away RSA fixtures beside this file. Run ONCE (results are committed so
 * the golden signatures stay fixed): `pnpm tsx src/crypto/__fixtures__/generate.ts`.
 * These keys protect nothing; never put a real merchant key in this folder.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRsaTestIdentity, rsaSign, toPkcs12Der, certificatePemToDer } from '../rsa';
import { GOLDEN_MESSAGE, P12_PASSPHRASE } from './constants';

const here = dirname(fileURLToPath(import.meta.url));
const out = (name: string, data: string | Uint8Array) => writeFileSync(join(here, name), data);

for (const bits of [1024, 2048] as const) {
  const id = generateRsaTestIdentity({ bits, notBefore: Date.UTC(2026, 0, 1), commonName: `PayQR test fixture RSA-${bits}` });
  const key = createPrivateKey(id.privateKeyPem);
  const p = `rsa${bits}`;
  out(`${p}.pkcs8.pem`, id.privateKeyPem);
  out(`${p}.pkcs8.der`, key.export({ format: 'der', type: 'pkcs8' }));
  out(`${p}.pkcs1.pem`, key.export({ format: 'pem', type: 'pkcs1' }).toString());
  out(`${p}.p12`, toPkcs12Der(id, P12_PASSPHRASE));
  out(`${p}.cert.pem`, id.certificatePem);
  out(`${p}.cert.der`, certificatePemToDer(id.certificatePem));
  out(`${p}.spki.pem`, id.publicKeyPem);
  out(`${p}.pkcs1-public.pem`, createPublicKey(key).export({ format: 'pem', type: 'pkcs1' }).toString());
  // A PKCS#12 as current OpenSSL writes it (PBES2/AES-256), to prove forge reads both.
  try {
    execFileSync('openssl', [
      'pkcs12', '-export', '-inkey', join(here, `${p}.pkcs8.pem`), '-in', join(here, `${p}.cert.pem`),
      '-out', join(here, `${p}.openssl.p12`), '-passout', `pass:${P12_PASSPHRASE}`,
    ]);
  } catch (e) {
    console.warn(`openssl not available, ${p}.openssl.p12 not written: ${(e as Error).message}`);
  }
  out(
    `${p}.golden.json`,
    `${JSON.stringify({ message: GOLDEN_MESSAGE, sha1: rsaSign('sha1', GOLDEN_MESSAGE, key), sha256: rsaSign('sha256', GOLDEN_MESSAGE, key) }, null, 2)}\n`,
  );
}
