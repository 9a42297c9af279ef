/**
 * What the two shared contract suites (`./contract-suite.ts` for QR/H5 connectors,
 * `./micropay-contract-suite.ts` for micropay connectors) do the same way: the harness they run
 * against, declared skips, the merchant's minimal notification receiver, waiting, and the
 * notification cases whose only difference is how a paid order comes about (pay on the payer
 * page, or a payer code that pays late) and how long its notification may take.
 */
import { expect, it, type TestContext } from 'vitest';
import type { Clock } from '../../core/clock';
import type { Money } from '../../core/money';
import type { SandboxHub, TamperMode } from '../../sandbox/hub';
import type { Connector, CreatePaymentInput, NotificationVerdict } from '../types';
import { toRawNotification, type NotificationReceiver, type ReceivedNotification } from './receiver';

/** What a provider's contract test hands either suite: its connector against its own simulator. */
export interface ContractHarness {
  connector: Connector;
  hub: SandboxHub;
  receiver: NotificationReceiver;
  clock: Clock;
  /** base notify URL on the receiver (no query string); the suite appends `/t<n>` */
  notifyUrl: string;
  /** make a paid order refunded at the simulator (enables the `refunded` case) */
  refund?(outTradeNo: string): void | Promise<void>;
  teardown(): Promise<void>;
}

/** The cases both suites end with, in this order: notifications, then faults and tampering. */
export const NOTIFICATION_AND_FAULT_CASES = [
  'notifyValid',
  'notifyForged',
  'notifyMissingSignature',
  'notifyAddedField',
  'notifyAddedProtoField',
  'notifyWrongAmount',
  'notifyWrongMerchant',
  'notifyUnknownOrder',
  'notifyDuplicate',
  'notifyDropped',
  'responseTampered',
  'needQuery',
  'http500',
  'timeout',
  'latency',
] as const;

/** The options both suites take; each adds its own (channel, scene, progress …). */
export interface ContractSuiteOptions<C extends string> {
  /** shown in the test names, e.g. the provider id */
  name: string;
  /** once per file; the connector must give up on a request after `requestTimeoutMs` */
  setup(ctx: { requestTimeoutMs: number }): Promise<ContractHarness>;
  /** default ¥19.99 */
  money?: Money;
  /** `hint` for providers whose notifications carry no signature (huishouyin) */
  notificationTrust?: 'signed' | 'hint';
  /** order numbers within the provider's rule; default `<prefix><base36 time><seq>` (alphanumeric) */
  outTradeNo?(seq: number): string;
  /** cases the provider cannot express, with the reason (shown as a skipped test) */
  skip?: Partial<Record<C, string>>;
  /** default 500 */
  requestTimeoutMs?: number;
}

export interface Seen {
  n: ReceivedNotification;
  verdict: NotificationVerdict;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * `it`, for a named case: a provider declares the cases its protocol cannot express, with the
 * reason; the reason is shown in the report so a skip is never silent.
 */
export function caseTest<C extends string>(skip: Partial<Record<C, string>> | undefined) {
  return (c: C, title: string, fn: (ctx: TestContext) => Promise<void>) => {
    const why = skip?.[c];
    if (why) it.skip(`${title} — skipped: ${why}`, fn);
    else it(title, fn);
  };
}

/** Has the provider's delivery of this order's notification been acknowledged? */
export const acked = (h: ContractHarness, outTradeNo: string) => h.hub.deliveries(h.connector.id).some((d) => d.outTradeNo === outTradeNo && d.acked);

/** The simulator's notification delivery for this order (the hub's log of every try), if it made one. */
export const deliveryOf = (h: ContractHarness, outTradeNo: string) => h.hub.deliveries(h.connector.id).find((d) => d.outTradeNo === outTradeNo);

/**
 * Waits until the simulator's first try to deliver this order's notification is over: answered,
 * failed or dropped. A try is logged only once every copy it sent was answered, so from then on
 * "what arrived" is known — no fixed sleep before asserting what did not.
 */
export async function firstTryOver(h: ContractHarness, outTradeNo: string, timeoutMs?: number): Promise<void> {
  await until(() => (deliveryOf(h, outTradeNo)?.attempts.length ?? 0) >= 1, `the first try to deliver ${outTradeNo}'s notification`, timeoutMs);
}

/**
 * The suite's notification receiver: every notification is verified by the connector and
 * recorded with its verdict, then answered the way the minimum merchant would — accept only our
 * own order at our amount for our merchant id (`ours`: order number → amount; the ledger does the
 * real matching).
 */
export function merchantReceiver(harness: () => ContractHarness, ours: ReadonlyMap<string, number>) {
  let seen: Seen[] = [];
  return {
    /** beforeEach: forget what was seen, clear the faults and the receiver, answer as a merchant. */
    reset(): void {
      const h = harness();
      seen = [];
      h.hub.faults.clear();
      h.receiver.clear();
      h.receiver.respondWith(async (n) => {
        const verdict = await h.connector.verifyNotification(toRawNotification(n));
        seen.push({ n, verdict });
        const good =
          verdict.ok &&
          ours.get(verdict.status.outTradeNo) === verdict.status.amount &&
          (verdict.status.merchantId === undefined || verdict.status.merchantId === h.connector.merchantId);
        return h.connector.notificationAck(good ? 'accepted' : 'rejected', { outTradeNo: verdict.ok ? verdict.status.outTradeNo : undefined });
      });
    },
    /** the notifications received so far whose request matches `pred` */
    seen: (pred: (n: ReceivedNotification) => boolean): Seen[] => seen.filter((s) => pred(s.n)),
  };
}

export type SharedNotificationCase =
  | 'notifyValid'
  | 'notifyForged'
  | 'notifyMissingSignature'
  | 'notifyAddedField'
  | 'notifyAddedProtoField'
  | 'notifyWrongAmount'
  | 'notifyWrongMerchant'
  | 'notifyUnknownOrder'
  | 'notifyDuplicate';

/** The shared notification cases' test names, the same in both suites. */
export const SHARED_NOTIFICATION_TITLES: Readonly<Record<SharedNotificationCase, string>> = {
  notifyValid: 'a genuine notification verifies, says paid with our amount and merchant, and our ack stops the retries',
  notifyForged: 'altered after signing (amount) → bad_signature',
  notifyMissingSignature: 'without its signature → missing_signature',
  notifyAddedField: 'a field the signature does not cover, appended after signing → refused',
  notifyAddedProtoField: 'a field named __proto__, appended after signing → refused (it must not vanish before the signature check)',
  notifyWrongAmount: 'valid signature, wrong amount → verifies and reports the amount it carries',
  notifyWrongMerchant: 'valid signature, another merchant id → verifies and reports that merchant id',
  notifyUnknownOrder: 'valid signature, an order we never created → verifies and reports that order number',
  notifyDuplicate: 'duplicated notifications each verify to the same status',
};

export interface PaidOrder {
  input: CreatePaymentInput;
  notifications(): Seen[];
}

/**
 * The notification cases both suites run the same way: the genuine one, tampered copies (each
 * followed by the provider's retry with the genuine one) and duplicates. `paidOrder` makes an order that is paid
 * and notified; `waitFor` waits until it has `count` notifications; `titles` are each suite's
 * own test names.
 */
export function sharedNotificationCases<M extends PaidOrder>(opts: {
  test: (c: SharedNotificationCase, title: string, fn: (ctx: TestContext) => Promise<void>) => void;
  harness: () => ContractHarness;
  money: Money;
  ours: ReadonlyMap<string, number>;
  trust: 'signed' | 'hint';
  paidOrder(): Promise<M>;
  waitFor(m: M, count: number, what: string): Promise<void>;
}): void {
  const { test, harness, money, ours } = opts;
  const titles = SHARED_NOTIFICATION_TITLES;

  test('notifyValid', titles.notifyValid, async () => {
    const h = harness();
    const m = await opts.paidOrder();
    await opts.waitFor(m, 1, 'the notification');
    const v = m.notifications()[0]!.verdict;
    expect(v).toMatchObject({ ok: true, trust: opts.trust, status: { state: 'paid', outTradeNo: m.input.outTradeNo, amount: money.amount } });
    if (v.ok && v.status.merchantId !== undefined) expect(v.status.merchantId).toBe(h.connector.merchantId);
    await until(() => acked(h, m.input.outTradeNo), 'the delivery to be acknowledged');
    // acknowledged on its first try, one copy: the provider stops, nothing more can arrive
    expect(deliveryOf(h, m.input.outTradeNo)).toMatchObject({ state: 'acked', attempts: [{ copies: 1, acked: true }] });
    expect(m.notifications()).toHaveLength(1);
  });

  const tampered = (c: SharedNotificationCase, mode: TamperMode, check: (v: NotificationVerdict, m: M) => void) =>
    test(c, titles[c], async () => {
      const h = harness();
      h.hub.faults.set(h.connector.id, { tamperNotifications: 1, tamperMode: mode });
      const m = await opts.paidOrder();
      // the tampered copy first, then the provider's retry with the genuine one
      await opts.waitFor(m, 2, 'the tampered notification and the genuine retry');
      const [first, second] = m.notifications();
      check(first!.verdict, m);
      // exactly the reject the receiver sent, with the same context (an ack may name the order it answers)
      const rejected = h.connector.notificationAck('rejected', { outTradeNo: first!.verdict.ok ? first!.verdict.status.outTradeNo : undefined });
      expect(first!.n.answered?.text).toBe(await rejected.text());
      expect(second!.verdict).toMatchObject({ ok: true, status: { state: 'paid', outTradeNo: m.input.outTradeNo, amount: money.amount } });
      await until(() => acked(h, m.input.outTradeNo), 'the genuine retry to be acknowledged');
    });

  if (opts.trust === 'signed') {
    tampered('notifyForged', 'amount', (v) => {
      expect(v).toMatchObject({ ok: false, reason: 'bad_signature' });
    });
    tampered('notifyMissingSignature', 'strip-signature', (v) => {
      expect(v).toMatchObject({ ok: false, reason: 'missing_signature' });
    });
    // Every signed provider's signature covers every field it sends: one more is refused, never
    // read (a bad signature where the field enters the signed string, malformed where it cannot).
    const refused = (v: NotificationVerdict) => {
      expect(v.ok, JSON.stringify(v)).toBe(false);
      if (!v.ok) expect(['bad_signature', 'malformed']).toContain(v.reason);
    };
    tampered('notifyAddedField', 'added-field', refused);
    tampered('notifyAddedProtoField', 'added-proto-field', refused);
  }
  tampered('notifyWrongAmount', 'resigned-amount', (v, m) => {
    expect(v).toMatchObject({ ok: true, status: { outTradeNo: m.input.outTradeNo } });
    if (v.ok) expect(v.status.amount).not.toBe(money.amount);
  });
  tampered('notifyWrongMerchant', 'resigned-merchant', (v, m) => {
    expect(v).toMatchObject({ ok: true, status: { outTradeNo: m.input.outTradeNo } });
    if (v.ok) expect(v.status.merchantId).not.toBe(harness().connector.merchantId);
  });
  tampered('notifyUnknownOrder', 'resigned-order', (v, m) => {
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.status.outTradeNo).not.toBe(m.input.outTradeNo);
      expect(ours.has(v.status.outTradeNo)).toBe(false);
    }
  });

  test('notifyDuplicate', titles.notifyDuplicate, async () => {
    const h = harness();
    h.hub.faults.set(h.connector.id, { duplicateNotifications: 2 });
    const m = await opts.paidOrder();
    await opts.waitFor(m, 3, 'three copies');
    const statuses = m.notifications().map((s) => (s.verdict.ok ? s.verdict.status : s.verdict));
    for (const s of statuses) expect(s).toEqual(statuses[0]);
    expect(statuses[0]).toMatchObject({ state: 'paid', outTradeNo: m.input.outTradeNo, amount: money.amount });
    await until(() => acked(h, m.input.outTradeNo), 'acknowledged');
  });
}
