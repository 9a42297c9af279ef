/**
 * RSA PKCS#1 v1.5 signatures (SHA1withRSA for UMF, docs/providers/umf-mofun.md "Signing") and the
 * key formats merchants are actually handed:
 *
 * - private keys: PKCS#8 PEM (`BEGIN PRIVATE KEY`, also encrypted), PKCS#8 DER (UMF's
 *   `*.key.p8`), PKCS#1 PEM/DER (`BEGIN RSA PRIVATE KEY`), PKCS#12 (`.p12`/`.pfx`) with a
 *   passphrase, or bare Base64 of any DER form;
 * - public keys: SPKI PEM/DER (`BEGIN PUBLIC KEY`), PKCS#1 PEM/DER, an X.509 certificate in PEM
 *   or DER (only its public key is used: provider test certificates are long expired, so
 *   dates and chains are deliberately not checked — the key is pinned by configuration).
 *
 * node:crypto does the signing; node-forge only reads what node:crypto cannot (PKCS#12) and
 * writes the self-signed certificates the sandbox needs.
 */
import {
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import forge from 'node-forge';
import { cryptoRandom, type Random } from '../core/random';
import type { BinaryLike } from './digest';

export type RsaHash = 'sha1' | 'sha256';

export class KeyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFormatError';
  }
}

const bytesOf = (data: BinaryLike): Buffer => (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));

interface PemBlock {
  label: string;
  text: string;
}

function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ label: m[1] ?? '', text: m[0] });
  return out;
}

/** Bytes that are PEM text, bare Base64 text, or DER. */
function classify(material: BinaryLike): { pem: PemBlock[] } | { der: Buffer } {
  const buf = bytesOf(material);
  // DER always starts with a SEQUENCE tag (0x30); text never does ("0" is 0x30 too, so check
  // the whole buffer is printable before treating it as text).
  const text = buf.toString('latin1');
  const printable = /^[\x09\x0a\x0d\x20-\x7e]*$/.test(text);
  if (printable) {
    const blocks = pemBlocks(text);
    if (blocks.length) return { pem: blocks };
    const compact = text.replace(/\s+/g, '');
    if (compact.length >= 64 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return { der: Buffer.from(compact, 'base64') };
    throw new KeyFormatError('key material is text but neither PEM nor Base64 DER');
  }
  return { der: buf };
}

function requireRsa(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') throw new KeyFormatError(`${what} is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key, expected RSA`);
  return key;
}

function tryEach<T>(attempts: Array<[string, () => T]>, what: string): T {
  const failures: string[] = [];
  for (const [name, attempt] of attempts) {
    try {
      return attempt();
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new KeyFormatError(`could not read ${what} (${failures.join('; ')})`);
}

export interface LoadKeyOptions {
  /** for encrypted PKCS#8 and PKCS#12 */
  passphrase?: string;
}

/** Reads an RSA private key from any of the formats listed in the file comment. */
export function loadRsaPrivateKey(material: BinaryLike | KeyObject, opts: LoadKeyOptions = {}): KeyObject {
  if (isKeyObject(material)) {
    if (material.type !== 'private') throw new KeyFormatError('expected a private key');
    return requireRsa(material, 'the private key');
  }
  const kind = classify(material);
  const passphrase = opts.passphrase;
  if ('pem' in kind) {
    const block = kind.pem.find((b) => /PRIVATE KEY$/.test(b.label));
    if (!block) throw new KeyFormatError(`no private key in PEM (found ${kind.pem.map((b) => b.label).join(', ')})`);
    if (block.label === 'ENCRYPTED PRIVATE KEY' && passphrase === undefined) {
      throw new KeyFormatError('the PKCS#8 private key is encrypted: a passphrase is required');
    }
    return requireRsa(
      tryEach([['PEM', () => createPrivateKey({ key: block.text, format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) })]], 'the PEM private key'),
      'the private key',
    );
  }
  const der = kind.der;
  const key = tryEach<KeyObject>(
    [
      ['PKCS#8 DER', () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })],
      ['PKCS#1 DER', () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })],
      ...(passphrase !== undefined
        ? ([['encrypted PKCS#8 DER', () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase })]] as Array<[string, () => KeyObject]>)
        : []),
      ['PKCS#12', () => privateKeyFromPkcs12(der, passphrase ?? '')],
    ],
    'the private key (tried PKCS#8, PKCS#1, PKCS#12)',
  );
  return requireRsa(key, 'the private key');
}

/**
 * Reads an RSA public key: SPKI / PKCS#1 (PEM or DER), an X.509 certificate (PEM or DER; no
 * date or chain checks by design), or derives it from a private key given in any format
 * `loadRsaPrivateKey` reads (handy for `verify --key` with one's own key).
 */
export function loadRsaPublicKey(material: BinaryLike | KeyObject, opts: LoadKeyOptions = {}): KeyObject {
  if (isKeyObject(material)) return requireRsa(material.type === 'private' ? createPublicKey(material) : material, 'the public key');
  const kind = classify(material);
  if ('pem' in kind) {
    const cert = kind.pem.find((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
    if (cert) {
      const text = cert.text.replace(/(BEGIN|END) (X509|TRUSTED) CERTIFICATE/g, '$1 CERTIFICATE');
      return requireRsa(new X509Certificate(text).publicKey, 'the certificate key');
    }
    const pub = kind.pem.find((b) => b.label === 'PUBLIC KEY' || b.label === 'RSA PUBLIC KEY');
    if (pub) return requireRsa(createPublicKey({ key: pub.text, format: 'pem' }), 'the public key');
    if (kind.pem.some((b) => /PRIVATE KEY$/.test(b.label))) return createPublicKey(loadRsaPrivateKey(material, opts));
    throw new KeyFormatError(`no public key or certificate in PEM (found ${kind.pem.map((b) => b.label).join(', ')})`);
  }
  const der = kind.der;
  const key = tryEach<KeyObject>(
    [
      ['X.509 DER', () => new X509Certificate(der).publicKey],
      ['SPKI DER', () => createPublicKey({ key: der, format: 'der', type: 'spki' })],
      ['PKCS#1 DER', () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' })],
      ['private key', () => createPublicKey(loadRsaPrivateKey(der, opts))],
    ],
    'the public key (tried X.509, SPKI, PKCS#1, private key forms)',
  );
  return requireRsa(key, 'the public key');
}

function isKeyObject(v: unknown): v is KeyObject {
  return typeof v === 'object' && v !== null && 'asymmetricKeyType' in v && 'export' in v && !(v instanceof Uint8Array);
}

/** PKCS#12 through node-forge (node:crypto cannot read it); accepts legacy 3DES/RC2 and PBES2/AES. */
function privateKeyFromPkcs12(der: Buffer, passphrase: string): KeyObject {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  const shrouded = forge.pki.oids.pkcs8ShroudedKeyBag as string;
  const plain = forge.pki.oids.keyBag as string;
  const bags = [
    ...(p12.getBags({ bagType: shrouded })[shrouded] ?? []),
    ...(p12.getBags({ bagType: plain })[plain] ?? []),
  ];
  const forgeKey = bags.find((b) => b.key)?.key;
  if (!forgeKey) throw new Error('the PKCS#12 file holds no private key (or the passphrase is wrong)');
  return createPrivateKey({ key: forge.pki.privateKeyToPem(forgeKey as forge.pki.rsa.PrivateKey), format: 'pem' });
}

/** RSA PKCS#1 v1.5 signature, Base64. Deterministic: same key + same bytes → same signature. */
export function rsaSign(hash: RsaHash, data: BinaryLike, privateKey: KeyObject): string {
  return cryptoSign(hash, bytesOf(data), privateKey).toString('base64');
}

/** Verifies a Base64 RSA PKCS#1 v1.5 signature. Never throws: malformed input is `false`. */
export function rsaVerify(hash: RsaHash, data: BinaryLike, signatureBase64: string, publicKey: KeyObject): boolean {
  const compact = signatureBase64.replace(/\s+/g, '');
  if (!compact || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return false;
  try {
    return cryptoVerify(hash, bytesOf(data), publicKey, Buffer.from(compact, 'base64'));
  } catch {
    return false;
  }
}

/** SHA1withRSA (UMF). */
export const rsaSha1Sign = (data: BinaryLike, privateKey: KeyObject): string => rsaSign('sha1', data, privateKey);
export const rsaSha1Verify = (data: BinaryLike, signatureBase64: string, publicKey: KeyObject): boolean =>
  rsaVerify('sha1', data, signatureBase64, publicKey);

/** A throw-away RSA key pair with a self-signed certificate, for the sandbox and tests. */
export interface RsaTestIdentity {
  /** PKCS#8 PEM */
  privateKeyPem: string;
  /** SPKI PEM */
  publicKeyPem: string;
  /** self-signed X.509 PEM (SHA-256) */
  certificatePem: string;
}

export interface RsaTestIdentityOptions {
  bits?: 1024 | 2048;
  commonName?: string;
  /** certificate validity start, epoch ms (inject the clock's `now()`) */
  notBefore: number;
  validDays?: number;
  random?: Random;
}

export function generateRsaTestIdentity(opts: RsaTestIdentityOptions): RsaTestIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: opts.bits ?? 2048, publicExponent: 0x10001 });
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const forgePrivate = forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }).toString());
  const forgePublic = forge.pki.publicKeyFromPem(publicKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forgePublic;
  // Positive serial: clear the top bit of the first byte.
  const serial = Buffer.from((opts.random ?? cryptoRandom).bytes(16));
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(opts.notBefore);
  cert.validity.notAfter = new Date(opts.notBefore + (opts.validDays ?? 3650) * 86_400_000);
  const attrs = [
    // As a UTF8String: node-forge's default tag makes non-ASCII names (e.g. 联动优势) into a
    // certificate node:crypto cannot read.
    { name: 'commonName', value: opts.commonName ?? 'PayQR sandbox', valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
    { name: 'organizationName', value: 'PayQR sandbox (throw-away test key)' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true }]);
  cert.sign(forgePrivate, forge.md.sha256.create());
  return { privateKeyPem, publicKeyPem, certificatePem: forge.pki.certificateToPem(cert) };
}

/** PKCS#12 (3DES, as the providers' tools still produce) of an identity, DER bytes. */
export function toPkcs12Der(identity: Pick<RsaTestIdentity, 'privateKeyPem' | 'certificatePem'>, passphrase: string): Uint8Array {
  const key = forge.pki.privateKeyFromPem(
    createPrivateKey(identity.privateKeyPem).export({ format: 'pem', type: 'pkcs1' }).toString(),
  );
  const cert = forge.pki.certificateFromPem(identity.certificatePem);
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** PEM → DER for a certificate (tests, and operators converting `.cer` files). */
export function certificatePemToDer(pem: string): Uint8Array {
  return new X509Certificate(pem).raw;
}
