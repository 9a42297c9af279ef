import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  parseSignatureHeader,
  signatureHeader,
  signPayload,
  verifyWebhook,
  WebhookSignatureError,
  type VerifyWebhookOptions,
} from './signature';

const SECRET = 'whsec_test_0123456789abcdef';
const T = 1763776800; // 2025-11-22T02:00:00Z
const BODY = '{"id":"evt_test","type":"order.paid","created":1763776800,"data":{"amount":1999,"currency":"CNY"}}';
// Computed outside this code base: printf '%s' "1763776800.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
const BODY_V1 = '7a004782720d141041e8cd9ad46fdd2f7e1a079adc6ee7341587c7d0b18e2393';
const UTF8_BODY = '{"subject":"乌龙茶"}';
const UTF8_V1 = '25466fd81a4f1ff9c34ea2fc1233f47a000ff1574e692051253fe095c6a66fef';
const NOW = T * 1000 + 30_000;

function failure(opts: Partial<VerifyWebhookOptions>): WebhookSignatureError {
  try {
    verifyWebhook({ rawBody: BODY, header: `t=${T},v1=${BODY_V1}`, secret: SECRET, now: NOW, ...opts });
  } catch (e) {
    if (e instanceof WebhookSignatureError) return e;
    throw e;
  }
  throw new Error('expected verification to fail');
}

describe('signPayload: golden vectors', () => {
  it('matches literal values computed with openssl', () => {
    expect(signPayload(SECRET, BODY, T)).toBe(BODY_V1);
    expect(signPayload(SECRET, UTF8_BODY, T)).toBe(UTF8_V1);
  });

  it('signs the UTF-8 bytes: string and Buffer bodies give the same value', () => {
    expect(signPayload(SECRET, Buffer.from(UTF8_BODY, 'utf8'), T)).toBe(UTF8_V1);
    expect(signPayload(SECRET, new Uint8Array(Buffer.from(BODY)), T)).toBe(BODY_V1);
  });

  it('is HMAC-SHA256(secret, "<t>.<raw body>") computed independently with node:crypto', () => {
    for (const [body, t] of [['', 0], ['{}', 1], [BODY, T], ['x'.repeat(10_000), 9_999_999_999]] as const) {
      const expected = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
      expect(signPayload(SECRET, body, t)).toBe(expected);
    }
  });

  it('builds the header with one v1 per secret (rotation)', () => {
    expect(signatureHeader(SECRET, BODY, T)).toBe(`t=${T},v1=${BODY_V1}`);
    const h = signatureHeader(['whsec_new_secret_abcdefgh', SECRET], BODY, T);
    expect(h).toBe(`t=${T},v1=${signPayload('whsec_new_secret_abcdefgh', BODY, T)},v1=${BODY_V1}`);
  });

  it('refuses parsed bodies and bad timestamps', () => {
    expect(() => signPayload(SECRET, { a: 1 } as unknown as string, T)).toThrow(/raw request body/);
    expect(() => signPayload(SECRET, BODY, 1.5)).toThrow(/unix seconds/);
    expect(() => signPayload('', BODY, T)).toThrow(/secret/);
  });
});

describe('parseSignatureHeader', () => {
  it('reads t and every v1, ignores other schemes, tolerates spaces around items', () => {
    const other = 'a'.repeat(64);
    expect(parseSignatureHeader(` t=${T}, v1=${BODY_V1.toUpperCase()} ,v0=legacy,v1=${other}`)).toEqual({
      timestamp: T,
      signatures: [BODY_V1, other],
    });
    expect(parseSignatureHeader([`t=${T},v1=${BODY_V1}`]).timestamp).toBe(T);
  });

  it.each([
    ['', 'missing_header'],
    [`v1=${BODY_V1}`, 'malformed_header'],
    [`t=${T}`, 'no_v1_signature'],
    [`t=${T},v0=${BODY_V1}`, 'no_v1_signature'],
    [`t=${T},t=${T},v1=${BODY_V1}`, 'malformed_header'],
    [`t=abc,v1=${BODY_V1}`, 'malformed_header'],
    [`t=-5,v1=${BODY_V1}`, 'malformed_header'],
    [`t=${T},v1=${BODY_V1.slice(1)}`, 'malformed_header'],
    [`t=${T},v1=${'z'.repeat(64)}`, 'malformed_header'],
    [`t=${T},,v1=${BODY_V1}`, 'malformed_header'],
    [`t=${T};v1=${BODY_V1}`, 'malformed_header'],
    [`T=${T},v1=${BODY_V1}`, 'malformed_header'],
  ])('%j → %s', (header, reason) => {
    expect(() => parseSignatureHeader(header)).toThrow(WebhookSignatureError);
    try {
      parseSignatureHeader(header);
    } catch (e) {
      expect((e as WebhookSignatureError).reason).toBe(reason);
    }
  });

  it('a missing or doubled header is named', () => {
    expect(() => parseSignatureHeader(undefined)).toThrow(/No PayQR-Signature header/);
    expect(() => parseSignatureHeader(['t=1', 't=2'])).toThrow(/2 PayQR-Signature headers/);
  });
});

describe('verifyWebhook', () => {
  const header = `t=${T},v1=${BODY_V1}`;

  it('accepts the raw body as a string or bytes', () => {
    expect(verifyWebhook({ rawBody: BODY, header, secret: SECRET, now: NOW })).toEqual({ timestamp: T });
    expect(verifyWebhook({ rawBody: Buffer.from(BODY), header, secret: SECRET, now: NOW }).timestamp).toBe(T);
    expect(verifyWebhook({ rawBody: new TextEncoder().encode(BODY), header, secret: SECRET, now: NOW }).timestamp).toBe(T);
  });

  it('insists on the raw body, not a parsed object', () => {
    const e = failure({ rawBody: JSON.parse(BODY) as string });
    expect(e.reason).toBe('raw_body_required');
    expect(e.message).toMatch(/parsed object/);
  });

  it('a re-serialised body does not verify, and the message says why', () => {
    const e = failure({ rawBody: JSON.stringify(JSON.parse(BODY), null, 2) });
    expect(e.reason).toBe('signature_mismatch');
    expect(e.message).toMatch(/raw request body exactly as received/);
    expect(e.timestamp).toBe(T);
  });

  it('rejects a wrong secret, a tampered body and a signature for another timestamp', () => {
    expect(failure({ secret: 'whsec_other_0123456789' }).reason).toBe('signature_mismatch');
    expect(failure({ rawBody: BODY.replace('1999', '1') }).reason).toBe('signature_mismatch');
    expect(failure({ header: `t=${T + 1},v1=${BODY_V1}` }).reason).toBe('signature_mismatch');
  });

  it('accepts any v1 for any of the given secrets (rotation on either side)', () => {
    const newSecret = 'whsec_new_secret_abcdefgh';
    const rotating = signatureHeader([newSecret, SECRET], BODY, T);
    expect(verifyWebhook({ rawBody: BODY, header: rotating, secret: SECRET, now: NOW }).timestamp).toBe(T);
    expect(verifyWebhook({ rawBody: BODY, header: rotating, secret: newSecret, now: NOW }).timestamp).toBe(T);
    expect(verifyWebhook({ rawBody: BODY, header, secret: [newSecret, SECRET], now: NOW }).timestamp).toBe(T);
    expect(failure({ header: signatureHeader(newSecret, BODY, T) }).reason).toBe('signature_mismatch');
  });

  it('rejects stale and future timestamps outside the tolerance (default 300 s)', () => {
    expect(verifyWebhook({ rawBody: BODY, header, secret: SECRET, now: (T + 300) * 1000 }).timestamp).toBe(T);
    const stale = failure({ now: (T + 301) * 1000 });
    expect(stale.reason).toBe('timestamp_outside_tolerance');
    expect(stale.message).toMatch(/301 s old/);
    const future = failure({ now: (T - 301) * 1000 });
    expect(future.message).toMatch(/in the future/);
    expect(failure({ now: (T + 60) * 1000, toleranceSeconds: 30 }).reason).toBe('timestamp_outside_tolerance');
    expect(verifyWebhook({ rawBody: BODY, header, secret: SECRET, now: 0, toleranceSeconds: Infinity }).timestamp).toBe(T);
  });

  it('checks the timestamp before the signature, and the header before either', () => {
    expect(failure({ header: `t=${T},v1=${'0'.repeat(64)}`, now: (T + 1000) * 1000 }).reason).toBe('timestamp_outside_tolerance');
    expect(failure({ header: 'garbage' }).reason).toBe('malformed_header');
    expect(failure({ header: undefined }).reason).toBe('missing_header');
    expect(failure({ secret: '' }).reason).toBe('secret_required');
    expect(failure({ secret: [] }).reason).toBe('secret_required');
  });

  it('never repeats the secret or a signature in its messages', () => {
    const cases: Array<Partial<VerifyWebhookOptions>> = [
      { secret: 'whsec_other_0123456789' },
      { now: 0 },
      { header: `t=${T},v1=${BODY_V1}x` },
      { rawBody: 'tampered' },
    ];
    for (const c of cases) {
      const e = failure(c);
      expect(e.message).not.toContain(SECRET);
      expect(e.message).not.toContain('whsec_other');
      expect(e.message).not.toContain(BODY_V1.slice(0, 16));
    }
  });
});
