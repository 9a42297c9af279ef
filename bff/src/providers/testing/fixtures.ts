/**
 * Shared test data for the provider tests: the committed key fixtures, and the usual attempt: ¥19.99 for 一杯咖啡 under PQ20261122A1, WeChat QR, created at
 * T0 and payable for 15 minutes. Each test file states only what differs (scene, notify URL,
 * payer code …) and each call its own overrides.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreatePaymentInput } from '../types';

/** The committed throw-away keys and certificates (crypto/__fixtures__), never generated per run. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'crypto', '__fixtures__');
export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

/** 2026-11-22 10:00:00 in Beijing (02:00 UTC): the provider tests' "now". */
export const T0 = Date.UTC(2026, 10, 22, 2, 0, 0);

const USUAL: CreatePaymentInput = {
  attemptId: 'att_1',
  outTradeNo: 'PQ20261122A1',
  money: { amount: 1999, currency: 'CNY' },
  subject: '一杯咖啡',
  channel: 'wechat',
  scene: 'qr',
  createdAt: T0,
  expiresAt: T0 + 15 * 60_000,
  notifyUrl: 'https://shop.example/api/notify',
};

/** A CreatePaymentInput builder: the usual attempt, then the file's `defaults`, then each call's overrides. */
export function paymentInputs(defaults: Partial<CreatePaymentInput>): (over?: Partial<CreatePaymentInput>) => CreatePaymentInput {
  return (over = {}) => ({ ...USUAL, ...defaults, ...over });
}
