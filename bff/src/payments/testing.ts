/**
 * A scripted Connector for use-case tests: it answers what the test says and records every
 * call. Real connectors are tested against their simulators over HTTP (providers/*).
 * Its "signature" is the literal text `sig=valid` in the notification body.
 */
import type { AppConfig } from '../config/load';
import { DEFAULT_ROUTING } from '../config/load';
import type { RoutingTable } from '../config/env';
import { CHANNELS, SCENES, type ProviderId } from '../core/domain';
import { createLogger } from '../core/log';
import type { Ledger } from '../ledger/ledger';
import type {
  CloseResult,
  Connector,
  CreatePaymentInput,
  CreatePaymentResult,
  NotificationVerdict,
  ProviderPaymentStatus,
  QueryRef,
  RawNotification,
} from '../providers/types';
import type { PaymentContext } from './context';

export class ScriptedConnector implements Connector {
  readonly capabilities = CHANNELS.flatMap((channel) => SCENES.map((scene) => ({ channel, scene })));
  readonly outTradeNoRule = { minLength: 5, maxLength: 32, pattern: /^[A-Za-z0-9]+$/ };
  readonly querySchedule = { firstDelayMs: 5000, intervalMs: 5000, deadlineMs: 60_000 };
  readonly merchantId = 'M100';
  calls: Array<{ op: string; outTradeNo: string }> = [];
  nextCreate: (input: CreatePaymentInput) => CreatePaymentResult = (input) => ({
    outcome: 'created',
    action: { kind: 'qr', content: `https://pay.example/qr/${input.outTradeNo}` },
  });
  /** what queryPayment answers, per out_trade_no (default: pending) */
  statuses = new Map<string, Partial<ProviderPaymentStatus>>();
  closeAnswer: (ref: QueryRef) => CloseResult = () => ({ closed: true });
  reverseAnswer: (ref: QueryRef) => CloseResult = () => ({ closed: true });
  currencies = new Set(['CNY']);

  constructor(readonly id: ProviderId = 'chaoying') {}

  supportsCurrency(c: string) {
    return this.currencies.has(c);
  }
  async createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult> {
    this.calls.push({ op: 'create', outTradeNo: input.outTradeNo });
    return this.nextCreate(input);
  }
  async queryPayment(ref: QueryRef): Promise<ProviderPaymentStatus> {
    this.calls.push({ op: 'query', outTradeNo: ref.outTradeNo });
    return { state: 'pending', outTradeNo: ref.outTradeNo, ...this.statuses.get(ref.outTradeNo) };
  }
  async closePayment(ref: QueryRef): Promise<CloseResult> {
    this.calls.push({ op: 'close', outTradeNo: ref.outTradeNo });
    return this.closeAnswer(ref);
  }
  async reversePayment(ref: QueryRef): Promise<CloseResult> {
    this.calls.push({ op: 'reverse', outTradeNo: ref.outTradeNo });
    return this.reverseAnswer(ref);
  }
  async verifyNotification(raw: RawNotification): Promise<NotificationVerdict> {
    const text = Buffer.from(raw.body).toString('utf8');
    const p = new URLSearchParams(text);
    if (!p.has('sig')) return { ok: false, reason: 'missing_signature', detail: 'no sig' };
    if (p.get('sig') !== 'valid') return { ok: false, reason: 'bad_signature', detail: 'sig mismatch', outTradeNo: p.get('no') ?? undefined };
    return {
      ok: true,
      trust: p.get('trust') === 'hint' ? 'hint' : 'signed',
      status: {
        state: (p.get('state') ?? 'paid') as ProviderPaymentStatus['state'],
        outTradeNo: p.get('no') ?? '',
        ...(p.has('amount') ? { amount: Number(p.get('amount')) } : {}),
        merchantId: p.get('mch') ?? this.merchantId,
        providerTradeNo: 'TX' + (p.get('no') ?? ''),
      },
    };
  }
  notificationAck(kind: 'accepted' | 'rejected'): Response {
    return new Response(kind === 'accepted' ? 'success' : 'fail', { headers: { 'content-type': 'text/plain' } });
  }
  count(op: string) {
    return this.calls.filter((c) => c.op === op).length;
  }
}

export function testContext(
  ledger: Ledger,
  clock: PaymentContext['clock'],
  random: PaymentContext['random'],
  connectors: Connector[],
  config: Partial<Pick<AppConfig, 'routing' | 'orderTtlSeconds' | 'attemptTtlSeconds'>> = {},
): PaymentContext {
  const routing = {} as RoutingTable;
  for (const c of CHANNELS) for (const s of SCENES) routing[`${c}:${s}`] = (DEFAULT_ROUTING[`${c}:${s}`] ?? []).slice();
  return {
    config: {
      publicUrl: 'http://payqr.test',
      routing: config.routing ?? { ...routing, 'unionpay:qr': ['chaoying'], 'wechat:qr': ['chaoying'] },
      orderTtlSeconds: config.orderTtlSeconds ?? 900,
      attemptTtlSeconds: config.attemptTtlSeconds ?? 600,
      apiKey: 'sk_test_0123456789abcdefghijklmnop',
      mode: 'sandbox',
    },
    ledger,
    connectors: new Map(connectors.map((c) => [c.id, c])),
    clock,
    random,
    log: createLogger({ level: 'error' }),
  };
}

export function notification(fields: Record<string, string | number>): RawNotification {
  const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
  return { body: Buffer.from(body), contentType: 'application/x-www-form-urlencoded', headers: new Headers() };
}
