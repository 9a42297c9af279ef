/**
 * Golden webhook vectors, made by the server's own signer (webhooks/signature.ts) and committed
 * where @payqr/node's tests read them (packages/node/src/webhooks.vectors.json). Here: the file
 * is exactly what the signer produces today, and the server's verifier and the SDK's
 * `constructEvent` give every vector the same verdict. So the SDK cannot drift from the scheme
 * PayQR signs with without this test failing.
 *
 * After a deliberate change to the vectors: UPDATE_WEBHOOK_VECTORS=1 pnpm --filter @payqr/bff
 * exec vitest run src/node-sdk/webhook-vectors.test.ts, and review the diff.
 */
import fs from 'node:fs';
import { PayQrSignatureVerificationError, webhooks } from '@payqr/node';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifyWebhook, WebhookSignatureError } from '../webhooks/signature';

const FILE = new URL('../../../packages/node/src/webhooks.vectors.json', import.meta.url);

const SECRET = 'whsec_test_0123456789abcdef';
const NEW_SECRET = 'whsec_rotated_fedcba9876543210';
const T = 1763776800; // 2025-11-22T02:00:00Z
const NOW = T * 1000 + 30_000;

const paid = JSON.stringify({
  id: 'evt_0mwr6vy80000hdkr0bpgi2uq',
  type: 'order.paid',
  created: T,
  data: {
    id: 'ord_0mwr6vy80000a1b2c3d4e5f6',
    merchantOrderId: 'A-10001',
    status: 'paid',
    amount: 1999,
    currency: 'CNY',
    subject: '乌龙茶 250g 🍵',
    expiresAt: '2025-11-22T02:15:00.000Z',
    paidAt: '2025-11-22T02:00:00.000Z',
    metadata: { cart: 'c1', gift: true },
    attempt: {
      id: 'att_0mwr6vy80000z9y8x7w6v5u4',
      outTradeNo: 'A1000101',
      provider: 'chaoying',
      channel: 'wechat',
      scene: 'qr',
      status: 'paid',
      amount: 1999,
      currency: 'CNY',
      providerTradeNo: '4200002025112200001',
      paidAt: '2025-11-22T02:00:00.000Z',
    },
  },
});
const expired = JSON.stringify({
  id: 'evt_0mwr6vy80001hdkr0bpgi2uq',
  type: 'order.expired',
  created: T,
  data: { id: 'ord_0mwr6vy80000a1b2c3d4e5f7', merchantOrderId: 'A-10002', status: 'expired', amount: 4250, currency: 'CNY', subject: '午市套餐', expiresAt: '2025-11-22T02:00:00.000Z' },
});

interface Vector {
  name: string;
  body: string;
  header: string;
  secret: string | string[];
  now: number;
  toleranceSeconds?: number;
  /** `valid`, or the reason code both verifiers give */
  expect: string;
}

function buildVectors(): Vector[] {
  const h = (secrets: string | string[], body: string, t = T) => signatureHeader(secrets, body, t);
  const one = h(SECRET, paid);
  const v1 = one.split(',v1=')[1]!;
  return [
    { name: 'one secret', body: paid, header: one, secret: SECRET, now: NOW, expect: 'valid' },
    { name: 'another event type', body: expired, header: h(SECRET, expired), secret: SECRET, now: NOW, expect: 'valid' },
    { name: 'rotation: two v1, the second is ours', body: paid, header: h([NEW_SECRET, SECRET], paid), secret: SECRET, now: NOW, expect: 'valid' },
    { name: 'rotation: we hold the old and the new secret', body: paid, header: h(NEW_SECRET, paid), secret: [SECRET, NEW_SECRET], now: NOW, expect: 'valid' },
    { name: 'spaces, upper-case hex and an unknown scheme', body: paid, header: ` t=${T} , v0=abc, v1=${v1.toUpperCase()} `, secret: SECRET, now: NOW, expect: 'valid' },
    { name: 'exactly the tolerance old', body: paid, header: one, secret: SECRET, now: (T + 300) * 1000, expect: 'valid' },
    { name: 'a wider tolerance', body: paid, header: one, secret: SECRET, now: (T + 3600) * 1000, toleranceSeconds: 3600, expect: 'valid' },
    { name: 'tampered body (amount)', body: paid.replace('"amount":1999', '"amount":1'), header: one, secret: SECRET, now: NOW, expect: 'signature_mismatch' },
    { name: 're-serialised JSON', body: JSON.stringify(JSON.parse(paid), null, 2), header: one, secret: SECRET, now: NOW, expect: 'signature_mismatch' },
    { name: 'wrong secret', body: paid, header: one, secret: 'whsec_wrong_000000000000000000', now: NOW, expect: 'signature_mismatch' },
    { name: 'another body\'s signature', body: paid, header: `t=${T},v1=${h(SECRET, expired).split(',v1=')[1]}`, secret: SECRET, now: NOW, expect: 'signature_mismatch' },
    { name: '301 s old', body: paid, header: one, secret: SECRET, now: (T + 301) * 1000, expect: 'timestamp_outside_tolerance' },
    { name: '301 s in the future', body: paid, header: one, secret: SECRET, now: (T - 301) * 1000, expect: 'timestamp_outside_tolerance' },
    { name: 'no v1', body: paid, header: `t=${T},v0=${v1}`, secret: SECRET, now: NOW, expect: 'no_v1_signature' },
    { name: 't is not digits', body: paid, header: `t=${T}x,v1=${v1}`, secret: SECRET, now: NOW, expect: 'malformed_header' },
    { name: 'two t', body: paid, header: `t=${T},t=${T},v1=${v1}`, secret: SECRET, now: NOW, expect: 'malformed_header' },
    { name: 'v1 too short', body: paid, header: `t=${T},v1=${v1.slice(2)}`, secret: SECRET, now: NOW, expect: 'malformed_header' },
    { name: 'not key=value', body: paid, header: `${T},${v1}`, secret: SECRET, now: NOW, expect: 'malformed_header' },
    { name: 'no t', body: paid, header: `v1=${v1}`, secret: SECRET, now: NOW, expect: 'malformed_header' },
    { name: 'empty header', body: paid, header: '', secret: SECRET, now: NOW, expect: 'missing_header' },
  ];
}

const verdict = (fn: () => unknown): string => {
  try {
    fn();
    return 'valid';
  } catch (err) {
    if (err instanceof WebhookSignatureError) return err.reason;
    if (err instanceof PayQrSignatureVerificationError) return err.code;
    throw err;
  }
};

describe('webhook golden vectors (packages/node/src/webhooks.vectors.json)', () => {
  const vectors = buildVectors();
  if (process.env.UPDATE_WEBHOOK_VECTORS) {
    fs.writeFileSync(
      FILE,
      `${JSON.stringify({ comment: 'Made by PayQR\'s webhook signer: bff/src/node-sdk/webhook-vectors.test.ts (do not edit by hand).', vectors }, null, 2)}\n`,
    );
  }

  it('the committed file is what the server\'s signer produces', () => {
    const committed = JSON.parse(fs.readFileSync(FILE, 'utf8')) as { vectors: Vector[] };
    expect(committed.vectors).toEqual(vectors);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s: the server and @payqr/node agree', (_name, v) => {
    const server = verdict(() =>
      verifyWebhook({ rawBody: v.body, header: v.header, secret: v.secret, now: v.now, ...(v.toleranceSeconds ? { toleranceSeconds: v.toleranceSeconds } : {}) }),
    );
    const sdk = verdict(() => webhooks.constructEvent(v.body, v.header, v.secret, { now: v.now, toleranceSeconds: v.toleranceSeconds }));
    expect(server).toBe(v.expect);
    expect(sdk).toBe(v.expect);
  });

  it('@payqr/node signs test headers exactly as the server signs', () => {
    expect(webhooks.generateTestHeader({ payload: paid, secret: [NEW_SECRET, SECRET], timestamp: T })).toBe(signatureHeader([NEW_SECRET, SECRET], paid, T));
    expect(webhooks.generateTestHeader({ payload: Buffer.from(expired), secret: SECRET, timestamp: T })).toBe(signatureHeader(SECRET, expired, T));
  });
});
