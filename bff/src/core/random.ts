import { randomBytes } from 'node:crypto';

/** Randomness is injected where tests need repeatable ids, nonces and secrets. */
export interface Random {
  bytes(n: number): Uint8Array;
}

export const cryptoRandom: Random = { bytes: (n) => randomBytes(n) };

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Uniform string over an alphabet (rejection sampling, no modulo bias). */
export function randomString(random: Random, length: number, alphabet = ALNUM): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const b of random.bytes(length * 2)) {
      if (b < limit) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export function randomHex(random: Random, bytes: number): string {
  return Buffer.from(random.bytes(bytes)).toString('hex');
}

/** Public ids: prefix + 24 lower-case alphanumerics (≈124 bits). e.g. ord_k3…, att_… */
export function newId(random: Random, prefix: 'ord' | 'att' | 'evt' | 'ntf' | 'whk' | 'req'): string {
  return `${prefix}_${randomString(random, 24, LOWER_ALNUM)}`;
}

let lastSortableMs = -1;
let sortableSeq = 0;

/**
 * Ids that sort by creation time (events are delivered and listed in that order, notifications
 * listed): prefix + 9 base-36 digits of epoch ms + 4 of a per-millisecond counter + 11 random.
 */
export function newSortableId(random: Random, prefix: 'evt' | 'ntf', now: number): string {
  if (now === lastSortableMs) sortableSeq++;
  else {
    lastSortableMs = now;
    sortableSeq = 0;
  }
  const counter = sortableSeq.toString(36).padStart(4, '0');
  return `${prefix}_${now.toString(36).padStart(9, '0')}${counter}${randomString(random, 11, LOWER_ALNUM)}`;
}

/** A deterministic Random for tests: a counter-based byte stream. */
export function seededRandom(seed = 1): Random {
  let state = seed >>> 0 || 1;
  return {
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        // xorshift32
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        out[i] = state & 0xff;
      }
      return out;
    },
  };
}
