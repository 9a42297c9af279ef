/**
 * `webhooks.constructEvent` against the golden vectors PayQR's own signer made
 * (webhooks.vectors.json; the BFF test that writes it checks the server's verifier agrees), plus
 * what the vectors cannot say: byte bodies, the returned event, and misuse.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PayQrError, PayQrSignatureVerificationError, webhooks, type PayQrEvent } from './index.ts';

interface Vector {
  name: string;
  body: string;
  header: string;
  secret: string | string[];
  now: number;
  toleranceSeconds?: number;
  expect: string;
}
const { vectors } = JSON.parse(fs.readFileSync(new URL('./webhooks.vectors.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

const failure = (fn: () => unknown): PayQrSignatureVerificationError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof PayQrSignatureVerificationError) return err;
    throw err;
  }
  throw new Error('expected verification to fail');
};

const SECRET = 'whsec_test_0123456789abcdef';
const base = vectors.find((v) => v.name === 'one secret')!;

describe('golden vectors', () => {
  it('the file has the cases this suite relies on', () => {
    const expects = new Set(vectors.map((v) => v.expect));
    for (const e of ['valid', 'signature_mismatch', 'timestamp_outside_tolerance', 'malformed_header', 'no_v1_signature', 'missing_header']) expect(expects).toContain(e);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const run = () => webhooks.constructEvent(v.body, v.header, v.secret, { now: v.now, toleranceSeconds: v.toleranceSeconds });
    if (v.expect === 'valid') {
      expect(run()).toEqual(JSON.parse(v.body));
      // the same bytes as a Buffer and as a plain Uint8Array
      expect(webhooks.constructEvent(Buffer.from(v.body), v.header, v.secret, { now: v.now, toleranceSeconds: v.toleranceSeconds }).id).toBe(JSON.parse(v.body).id);
      expect(webhooks.constructEvent(new Uint8Array(Buffer.from(v.body)), v.header, v.secret, { now: v.now, toleranceSeconds: v.toleranceSeconds }).id).toBeTruthy();
    } else {
      const err = failure(run);
      expect(err.code).toBe(v.expect);
      expect(err).toBeInstanceOf(PayQrError);
      expect(err.status).toBeUndefined();
      // never repeats a secret or a signature
      for (const s of [v.secret].flat()) expect(err.message).not.toContain(s);
      for (const sig of v.header.match(/[0-9a-f]{64}/gi) ?? []) expect(err.message).not.toContain(sig);
    }
  });
});

describe('constructEvent', () => {
  it('returns the typed event: switch on type', () => {
    const event: PayQrEvent = webhooks.constructEvent(base.body, base.header, SECRET, { now: base.now });
    if (event.type !== 'order.paid') throw new Error(`expected order.paid, got ${event.type}`);
    // typed: data.attempt is there on order.paid
    expect(event.data.attempt.providerTradeNo).toBe('4200002025112200001');
    expect(event.data).toMatchObject({ merchantOrderId: 'A-10001', amount: 1999, currency: 'CNY', subject: '乌龙茶 250g 🍵' });
  });

  it('both directions of clock skew, and the timestamp on the error', () => {
    const t = Number(/t=(\d+)/.exec(base.header)![1]);
    const old = failure(() => webhooks.constructEvent(base.body, base.header, SECRET, { now: (t + 301) * 1000 }));
    expect(old.message).toMatch(/301 s old/);
    expect(old.timestamp).toBe(t);
    const ahead = failure(() => webhooks.constructEvent(base.body, base.header, SECRET, { now: (t - 301) * 1000 }));
    expect(ahead.message).toMatch(/301 s in the future/);
    expect(webhooks.constructEvent(base.body, base.header, SECRET, { now: (t - 300) * 1000 }).id).toBeTruthy();
    expect(webhooks.constructEvent(base.body, base.header, SECRET, { now: (t + 10 ** 8) * 1000, toleranceSeconds: Infinity }).id).toBeTruthy();
    expect(() => webhooks.constructEvent(base.body, base.header, SECRET, { toleranceSeconds: -1 })).toThrow(RangeError);
  });

  it('defaults to the real clock: a fresh signature verifies, the vector of 2025 does not', () => {
    const header = webhooks.generateTestHeader({ payload: base.body, secret: SECRET });
    expect(webhooks.constructEvent(base.body, header, SECRET).id).toBe(JSON.parse(base.body).id);
    expect(failure(() => webhooks.constructEvent(base.body, base.header, SECRET)).code).toBe('timestamp_outside_tolerance');
  });

  it('insists on the raw body and a secret', () => {
    const parsed = JSON.parse(base.body) as unknown;
    const err = failure(() => webhooks.constructEvent(parsed as string, base.header, SECRET, { now: base.now }));
    expect(err.code).toBe('raw_body_required');
    expect(err.message).toMatch(/parsed object/);
    expect(failure(() => webhooks.constructEvent(null as unknown as string, base.header, SECRET)).code).toBe('raw_body_required');
    expect(failure(() => webhooks.constructEvent(base.body, base.header, '', { now: base.now })).code).toBe('secret_required');
    expect(failure(() => webhooks.constructEvent(base.body, base.header, [], { now: base.now })).code).toBe('secret_required');
    expect(failure(() => webhooks.constructEvent(base.body, base.header, undefined as unknown as string)).code).toBe('secret_required');
  });

  it('takes Node\'s header value as it comes: undefined, or an array of one', () => {
    expect(failure(() => webhooks.constructEvent(base.body, undefined, SECRET)).code).toBe('missing_header');
    expect(failure(() => webhooks.constructEvent(base.body, [], SECRET)).code).toBe('missing_header');
    expect(webhooks.constructEvent(base.body, [base.header], SECRET, { now: base.now }).id).toBeTruthy();
    expect(failure(() => webhooks.constructEvent(base.body, [base.header, base.header], SECRET, { now: base.now })).code).toBe('malformed_header');
  });

  it('a correctly signed body that is not a PayQR event is refused (invalid_payload)', () => {
    const t = Math.floor(Date.now() / 1000);
    for (const body of ['not json', '[]', '{"id":"evt_1","type":"order.paid"}']) {
      const header = `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
      expect(failure(() => webhooks.constructEvent(body, header, SECRET)).code).toBe('invalid_payload');
    }
  });

  it('generateTestHeader signs with every secret given, in order', () => {
    const header = webhooks.generateTestHeader({ payload: base.body, secret: ['whsec_a_000000000000', SECRET], timestamp: 1763776800 });
    expect(header.split(',')).toHaveLength(3);
    // what PayQR's signer made for the same body, secret and time
    expect(webhooks.generateTestHeader({ payload: base.body, secret: SECRET, timestamp: 1763776800 })).toBe(base.header);
    expect(webhooks.constructEvent(base.body, header, 'whsec_a_000000000000', { now: base.now }).id).toBeTruthy();
    expect(() => webhooks.generateTestHeader({ payload: base.body, secret: '' })).toThrow(PayQrSignatureVerificationError);
  });
});
