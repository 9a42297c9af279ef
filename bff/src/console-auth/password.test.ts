import { describe, expect, it } from 'vitest';
import { formatScryptHash, hashPassword, isScryptHash, parseScryptHash, verifyPassword } from './password';

describe('console password hashes (scrypt, PHC string)', () => {
  it('matches RFC 7914’s scrypt test vector: ln is log2 N, r and p as given', async () => {
    // RFC 7914 §12: scrypt(P="pleaseletmein", S="SodiumChloride", N=16384, r=8, p=1, dkLen=64)
    const hash = Buffer.from(
      '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
      'hex',
    );
    const stored = { ln: 14, r: 8, p: 1, salt: Buffer.from('SodiumChloride'), hash };
    expect(await verifyPassword('pleaseletmein', stored)).toBe(true);
    expect(await verifyPassword('pleaseletmeim', stored)).toBe(false);
  });

  it('hashes in the documented format and verifies only the same password', async () => {
    const text = await hashPassword('correct horse battery staple', { ln: 14, r: 8, p: 1 });
    expect(text).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const parsed = parseScryptHash(text);
    if (!isScryptHash(parsed)) throw new Error(parsed.error);
    expect(formatScryptHash(parsed)).toBe(text);
    expect(await verifyPassword('correct horse battery staple', parsed)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', parsed)).toBe(false);
    expect(await verifyPassword('', parsed)).toBe(false);
    // a fresh salt every time
    expect(await hashPassword('correct horse battery staple', { ln: 14, r: 8, p: 1 })).not.toBe(text);
  });

  it('says what is wrong with a hash, and refuses one that would cost too much to check', () => {
    const salt = Buffer.alloc(16, 1).toString('base64').replace(/=+$/, '');
    const key = Buffer.alloc(32, 2).toString('base64').replace(/=+$/, '');
    expect(parseScryptHash(`$scrypt$ln=15,r=8,p=1$${salt}$${key}`)).toMatchObject({ ln: 15, r: 8, p: 1 });
    expect(parseScryptHash('hunter2hunter2')).toEqual({ error: expect.stringMatching(/^not a scrypt hash in the form \$scrypt\$ln=.*pnpm payqr console-hash/) });
    expect(parseScryptHash(`$scrypt$ln=9,r=8,p=1$${salt}$${key}`)).toEqual({ error: expect.stringMatching(/between 10 and 20/) });
    expect(parseScryptHash(`$scrypt$ln=20,r=8,p=1$${salt}$${key}`)).toEqual({ error: expect.stringMatching(/more than 256 MiB/) });
    expect(parseScryptHash(`$scrypt$ln=15,r=8,p=9$${salt}$${key}`)).toEqual({ error: expect.stringMatching(/p 1–4/) });
  });
});
