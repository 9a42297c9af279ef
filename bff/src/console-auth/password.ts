/**
 * The console password as a scrypt hash (node:crypto), in the PHC string format:
 *
 *   $scrypt$ln=15,r=8,p=1$<salt>$<hash>
 *
 * `ln` is log2 of scrypt's cost N, `r` the block size, `p` the parallelism; salt and hash are
 * standard base64 without padding (salt 16 bytes, hash 32 bytes from `hashPassword`). This is
 * what `PAYQR_CONSOLE_PASSWORD_HASH` holds and `pnpm payqr console-hash` prints. Verifying
 * uses the parameters written in the hash, bounded so a hash cannot ask for more than 256 MiB.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptHash {
  ln: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/**
 * ln=15, r=8, p=1: 32 MiB and ≈ 50–100 ms per check on a small server. OWASP suggests ln=17
 * (128 MiB); we stay at 32 MiB so concurrent sign-ins cannot exhaust a small instance's memory,
 * and the sign-in limiter (limiter.ts) bounds how many guesses are tried at all.
 */
export const DEFAULT_COST = { ln: 15, r: 8, p: 1 } as const;
const MAX_MEMORY = 256 * 1024 * 1024;

export const HASH_FORMAT = '$scrypt$ln=<log2 N>,r=<block size>,p=<parallelism>$<salt, base64>$<hash, base64>';

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22,88})\$([A-Za-z0-9+/]{43,88})$/;

/** Parse a hash string; a message says what is wrong with it. */
export function parseScryptHash(text: string): ScryptHash | { error: string } {
  const m = PHC.exec(text.trim());
  if (!m) return { error: `not a scrypt hash in the form ${HASH_FORMAT} (make one with: pnpm payqr console-hash)` };
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ln < 10 || ln > 20) return { error: `ln=${ln}: the cost must be between 10 and 20` };
  if (r < 1 || r > 32 || p < 1 || p > 4) return { error: `r=${r}, p=${p}: r must be 1–32 and p 1–4` };
  if (128 * 2 ** ln * r > MAX_MEMORY) return { error: `ln=${ln}, r=${r}: needs more than 256 MiB per check` };
  const salt = Buffer.from(m[4]!, 'base64');
  const hash = Buffer.from(m[5]!, 'base64');
  if (salt.length < 16) return { error: 'the salt must be at least 16 bytes' };
  if (hash.length < 32) return { error: 'the hash must be at least 32 bytes' };
  return { ln, r, p, salt, hash };
}

export function isScryptHash(v: ScryptHash | { error: string }): v is ScryptHash {
  return !('error' in v);
}

export function formatScryptHash(h: ScryptHash): string {
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$scrypt$ln=${h.ln},r=${h.r},p=${h.p}$${b64(h.salt)}$${b64(h.hash)}`;
}

function scrypt(password: string, salt: Buffer, keylen: number, cost: { ln: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** cost.ln, r: cost.r, p: cost.p, maxmem: 2 * 128 * 2 ** cost.ln * cost.r * cost.p };
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, cost: { ln: number; r: number; p: number } = DEFAULT_COST, salt: Buffer = randomBytes(16)): Promise<string> {
  const hash = await scrypt(password, salt, 32, cost);
  return formatScryptHash({ ...cost, salt, hash });
}

/** Constant-time: the whole derived key is compared with timingSafeEqual. */
export async function verifyPassword(candidate: string, stored: ScryptHash): Promise<boolean> {
  const derived = await scrypt(candidate, stored.salt, stored.hash.length, stored);
  return timingSafeEqual(derived, stored.hash);
}
