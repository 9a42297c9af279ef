import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random';
import { P12_PASSPHRASE } from './__fixtures__/constants';
import {
  KeyFormatError,
  generateRsaTestIdentity,
  loadRsaPrivateKey,
  loadRsaPublicKey,
  rsaSha1Sign,
  rsaSha1Verify,
  rsaSign,
  rsaVerify,
  toPkcs12Der,
} from './rsa';

const dir = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const fixture = (name: string) => readFileSync(join(dir, name));

for (const bits of [1024, 2048] as const) {
  const p = `rsa${bits}`;
  const golden = JSON.parse(fixture(`${p}.golden.json`).toString('utf8')) as { message: string; sha1: string; sha256: string };

  describe(`RSA-${bits} golden signatures`, () => {
    const privateForms: Array<[string, () => ReturnType<typeof loadRsaPrivateKey>]> = [
      ['PKCS#8 PEM', () => loadRsaPrivateKey(fixture(`${p}.pkcs8.pem`))],
      ['PKCS#8 PEM as a string', () => loadRsaPrivateKey(fixture(`${p}.pkcs8.pem`).toString('utf8'))],
      ['PKCS#8 DER', () => loadRsaPrivateKey(fixture(`${p}.pkcs8.der`))],
      ['PKCS#8 DER as bare Base64', () => loadRsaPrivateKey(fixture(`${p}.pkcs8.der`).toString('base64'))],
      ['PKCS#1 PEM', () => loadRsaPrivateKey(fixture(`${p}.pkcs1.pem`))],
      ['PKCS#12 (forge, 3DES)', () => loadRsaPrivateKey(fixture(`${p}.p12`), { passphrase: P12_PASSPHRASE })],
      ['PKCS#12 (OpenSSL 3, AES)', () => loadRsaPrivateKey(fixture(`${p}.openssl.p12`), { passphrase: P12_PASSPHRASE })],
    ];
    for (const [name, load] of privateForms) {
      it(`${name} signs exactly the golden SHA1withRSA and SHA256withRSA values`, () => {
        const key = load();
        expect(rsaSha1Sign(golden.message, key)).toBe(golden.sha1);
        expect(rsaSign('sha256', golden.message, key)).toBe(golden.sha256);
      });
    }

    const publicForms: Array<[string, string]> = [
      ['SPKI PEM', `${p}.spki.pem`],
      ['PKCS#1 public PEM', `${p}.pkcs1-public.pem`],
      ['certificate PEM', `${p}.cert.pem`],
      ['certificate DER', `${p}.cert.der`],
      ['private key (derived)', `${p}.pkcs8.der`],
    ];
    for (const [name, file] of publicForms) {
      it(`${name} verifies the golden signature and rejects a tampered message`, () => {
        const key = loadRsaPublicKey(fixture(file));
        expect(rsaSha1Verify(golden.message, golden.sha1, key)).toBe(true);
        expect(rsaVerify('sha256', golden.message, golden.sha256, key)).toBe(true);
        expect(rsaSha1Verify(`${golden.message}x`, golden.sha1, key)).toBe(false);
        expect(rsaSha1Verify(golden.message, golden.sha256, key)).toBe(false);
      });
    }

    it('agrees with an independent implementation (node-forge)', () => {
      const key = forge.pki.privateKeyFromPem(fixture(`${p}.pkcs1.pem`).toString('utf8'));
      const md = forge.md.sha1.create();
      md.update(golden.message, 'utf8');
      expect(forge.util.encode64(key.sign(md))).toBe(golden.sha1);
    });
  });
}

describe('key loading errors', () => {
  it('a wrong PKCS#12 passphrase is a clear error', () => {
    expect(() => loadRsaPrivateKey(fixture('rsa1024.p12'), { passphrase: 'wrong' })).toThrow(KeyFormatError);
  });
  it('garbage is a clear error', () => {
    expect(() => loadRsaPrivateKey('not a key')).toThrow(/neither PEM nor Base64/);
    expect(() => loadRsaPrivateKey(new Uint8Array([0x30, 1, 2, 3]))).toThrow(/could not read/);
    expect(() => loadRsaPublicKey(fixture('rsa1024.pkcs1.pem').toString().replace(/PRIVATE/g, 'SECRET'))).toThrow(KeyFormatError);
  });
  it('a public key is not accepted as a private key', () => {
    expect(() => loadRsaPrivateKey(fixture('rsa1024.spki.pem'))).toThrow(/no private key/);
  });
  it('verification never throws on malformed signatures', () => {
    const key = loadRsaPublicKey(fixture('rsa1024.cert.pem'));
    expect(rsaSha1Verify('x', '', key)).toBe(false);
    expect(rsaSha1Verify('x', '%%%not base64', key)).toBe(false);
    expect(rsaSha1Verify('x', 'AAAA', key)).toBe(false);
  });
});

describe('generateRsaTestIdentity', () => {
  it('makes a key pair and a self-signed certificate that round-trip through PKCS#12', () => {
    const id = generateRsaTestIdentity({ bits: 1024, notBefore: Date.UTC(2026, 0, 1), random: seededRandom(7) });
    const priv = loadRsaPrivateKey(id.privateKeyPem);
    const sig = rsaSha1Sign('hello', priv);
    expect(rsaSha1Verify('hello', sig, loadRsaPublicKey(id.certificatePem))).toBe(true);
    expect(rsaSha1Verify('hello', sig, loadRsaPublicKey(id.publicKeyPem))).toBe(true);
    const fromP12 = loadRsaPrivateKey(toPkcs12Der(id, 'pw'), { passphrase: 'pw' });
    expect(rsaSha1Sign('hello', fromP12)).toBe(sig);
    const cert = forge.pki.certificateFromPem(id.certificatePem);
    expect(cert.validity.notBefore.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(cert.verify(cert)).toBe(true);
  });
});

describe('generateRsaTestIdentity with a non-ASCII name', () => {
  it('produces a certificate node:crypto reads, with the name intact', async () => {
    const { X509Certificate } = await import('node:crypto');
    const id = generateRsaTestIdentity({ bits: 1024, notBefore: Date.UTC(2020, 0, 1), commonName: '联动优势 测试' });
    const cert = new X509Certificate(id.certificatePem);
    expect(cert.subject).toContain('联动优势 测试');
  });
});
