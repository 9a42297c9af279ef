/**
 * The shared contract suite for micropay connectors (the cashier scans the payer's code: umf-sp,
 * huishouyin) — the micropay counterpart of `./contract-suite.ts`, which covers QR/H5 connectors
 * through the payer page. Same conventions, same harness (`ContractHarness`), over real loopback
 * HTTP against the provider's simulator:
 *
 * ```ts
 * micropayContractSuite({
 *   name: 'umf-sp wechat',
 *   channel: 'wechat',
 *   async setup({ requestTimeoutMs }) {
 *     const env = await startSandboxTestEnv({ timeScale: 0.01 });
 *     env.hub.register(createMySimulator(…, { ...env.deps, hub: env.hub }));
 *     const connector = createMyConnector({ baseUrl: env.simulatorBaseUrl('umf-sp'), timeoutMs: requestTimeoutMs, … }, env.deps);
 *     return { connector, hub: env.hub, receiver: env.receiver, clock: env.deps.clock,
 *              notifyUrl: env.notifyUrl('umf-sp'), teardown: env.close };
 *   },
 * });
 * ```
 *
 * What it covers, with the sandbox outcome table (sandbox/micropay-outcomes.ts: the code's last two
 * digits choose) — every simulator must follow it exactly:
 * - create → `paid` (…00), `failed` (…03), `unknown` with progress `paying` (…01) or
 *   `password_entry` (…02, …06) that the query then sees become paid / failed after the table's
 *   time (scaled by the hub), `unknown` forever (…04) until reversed, already paid (…05);
 * - a malformed code or a code of another wallet is refused and never reaches the provider;
 * - reverse (idempotent; before the final moment the order can never become paid; after a
 *   payment it refunds it and says so), close (unpaid → closed; paid → `alreadyPaid`);
 * - notifications of late results: valid, forged, missing signature, re-signed with a wrong
 *   amount / merchant / unknown order, duplicates, dropped (the query still finds the truth);
 * - a tampered answer, NEED_QUERY, HTTP 500, timeout → `unknown`; latency is harmless.
 *
 * The harness's clock must be the wall clock (the suite waits for scaled provider times in real
 * time), and the connector's request timeout `requestTimeoutMs`. The suite appends `/t<n>` to
 * `notifyUrl` per test so late retries of one test never reach another.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { Money } from '../../core/money';
import { micropayScenario, SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import type { CreatePaymentInput, CreatePaymentResult, ProviderPaymentStatus, QueryRef } from '../types';
import {
  acked,
  caseTest,
  deliveryOf,
  firstTryOver,
  merchantReceiver,
  NOTIFICATION_AND_FAULT_CASES,
  sharedNotificationCases,
  sleep,
  until,
  type ContractHarness,
  type ContractSuiteOptions,
  type Seen,
} from './contract-kit';

export const MICROPAY_CONTRACT_CASES = [
  'paid',
  'paying',
  'password',
  'canceled',
  'failed',
  'unknown',
  'alreadyPaid',
  'invalidAuthCode',
  'reverseBeforeFinal',
  'reverseAfterPaid',
  'closeUnpaid',
  'closeAfterPaid',
  'notFound',
  ...NOTIFICATION_AND_FAULT_CASES,
] as const;
export type MicropayContractCase = (typeof MICROPAY_CONTRACT_CASES)[number];

export interface MicropayContractOptions extends ContractSuiteOptions<MicropayContractCase> {
  /** the wallet whose sandbox codes are used (SANDBOX_AUTH_CODES) */
  channel: keyof typeof SANDBOX_AUTH_CODES;
  /** does the provider report `progress` on unknown outcomes and pending queries? default true */
  reportsProgress?: boolean;
}

export function micropayContractSuite(opts: MicropayContractOptions): void {
  const requestTimeoutMs = opts.requestTimeoutMs ?? 500;
  const money: Money = opts.money ?? { amount: 1999, currency: 'CNY' };
  const codes = SANDBOX_AUTH_CODES[opts.channel];
  const reportsProgress = opts.reportsProgress ?? true;
  const runId = Date.now().toString(36);
  let seq = 0;
  let h: ContractHarness;
  /** our orders: what the receiver's mini-ledger accepts */
  const ours = new Map<string, number>();
  const receiver = merchantReceiver(() => h, ours);

  const newOutTradeNo = () => (opts.outTradeNo ? opts.outTradeNo(++seq) : `PQM${runId}${String(++seq).padStart(4, '0')}`);

  const test = caseTest<MicropayContractCase>(opts.skip);

  interface Made {
    input: CreatePaymentInput;
    ref: QueryRef;
    result: CreatePaymentResult;
    notifications(): Seen[];
  }

  function newInput(authCode: string): CreatePaymentInput {
    const outTradeNo = newOutTradeNo();
    const now = h.clock.now();
    ours.set(outTradeNo, money.amount);
    return {
      attemptId: `att_micropay${seq}`,
      outTradeNo,
      money,
      subject: `付款码测试 micropay ${seq}`,
      channel: opts.channel,
      scene: 'micropay',
      createdAt: now,
      expiresAt: now + 15 * 60_000,
      notifyUrl: `${h.notifyUrl}/t${seq}`,
      clientIp: '127.0.0.1',
      authCode,
    };
  }

  async function pay(authCode: string, input = newInput(authCode)): Promise<Made> {
    const result = await h.connector.createPayment(input);
    const path = new URL(input.notifyUrl).pathname;
    return {
      input,
      result,
      ref: { outTradeNo: input.outTradeNo, createdAt: input.createdAt, channel: input.channel, scene: 'micropay' },
      notifications: () => receiver.seen((n) => n.path === path),
    };
  }

  /** The provider time of a code's scenario, in wall-clock ms (the harness clock is the wall clock). */
  const finalAfter = (authCode: string): number => {
    const s = micropayScenario(authCode);
    return s.kind === 'paying' ? h.hub.scale(s.finalAfterMs) : 0;
  };

  async function queryUntil(ref: QueryRef, pred: (s: ProviderPaymentStatus) => boolean, what: string, timeoutMs: number): Promise<ProviderPaymentStatus> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const st = await h.connector.queryPayment(ref);
      if (pred(st)) return st;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last status ${JSON.stringify(st)}`);
      await sleep(10);
    }
  }

  const reverse = (ref: QueryRef) => {
    const r = h.connector.reversePayment?.bind(h.connector);
    if (!r) throw new Error(`${opts.name}: a micropay connector must implement reversePayment (docs/providers/README.md "Micropay (cashier) state machine")`);
    return r(ref);
  };

  /**
   * The first query of a payment the sandbox payer finishes `finalAfter(code)` after it started:
   * it must say pending when it was answered within that window — measured, since under load a
   * loopback round trip can outlast a window the time scale made 50 ms short. Later, the payer
   * may have finished: then it says pending or the final state, nothing else.
   */
  async function firstQuery(m: Made, started: number, code: string, final: 'paid' | 'failed'): Promise<ProviderPaymentStatus> {
    const st = await h.connector.queryPayment(m.ref);
    if (performance.now() - started < finalAfter(code)) expect(st.state).toBe('pending');
    else expect(['pending', final]).toContain(st.state);
    return st;
  }

  function expectUnknown(m: Made, progress: 'paying' | 'password_entry' | undefined): void {
    expect(m.result, JSON.stringify(m.result)).toMatchObject({ outcome: 'unknown' });
    if (m.result.outcome === 'unknown' && reportsProgress && progress) expect(m.result.progress).toBe(progress);
  }

  function expectPaid(st: ProviderPaymentStatus, m: Made): void {
    expect(st).toMatchObject({ state: 'paid', outTradeNo: m.input.outTradeNo, amount: money.amount });
    if (st.merchantId !== undefined) expect(st.merchantId).toBe(h.connector.merchantId);
  }

  describe(`${opts.name}: micropay connector contract`, () => {
    beforeAll(async () => {
      h = await opts.setup({ requestTimeoutMs });
      if (!h.connector.capabilities.some((c) => c.channel === opts.channel && c.scene === 'micropay')) {
        throw new Error(`${opts.name}: the connector offers no ${opts.channel} × micropay capability`);
      }
    });
    afterAll(async () => {
      await h?.teardown();
    });
    beforeEach(() => receiver.reset());
    afterEach(() => {
      h.hub.faults.clear();
    });

    describe('outcomes chosen by the payer code (sandbox/micropay-outcomes.ts)', () => {
      test('paid', '…00 → paid at once with our amount and the provider trade number; the query agrees', async () => {
        const m = await pay(codes.paid);
        expect(m.result, JSON.stringify(m.result)).toMatchObject({ outcome: 'paid' });
        if (m.result.outcome !== 'paid') return;
        expectPaid(m.result.status, m);
        expect(m.result.status.providerTradeNo).toBeTruthy();
        if (m.result.status.paidAt !== undefined) expect(Math.abs(m.result.status.paidAt - h.clock.now())).toBeLessThan(60_000);
        expectPaid(await h.connector.queryPayment(m.ref), m);
      });

      test('paying', '…01 → unknown (paying); the query says pending, then paid after the scaled 5 s', async () => {
        const started = performance.now();
        const m = await pay(codes.paying);
        expectUnknown(m, 'paying');
        const first = await firstQuery(m, started, codes.paying, 'paid');
        if (reportsProgress && first.state === 'pending') expect(first.progress).toBe('paying');
        expectPaid(await queryUntil(m.ref, (s) => s.state !== 'pending', 'paid', finalAfter(codes.paying) + 3000), m);
      });

      test('password', '…02 → unknown (password entry); pending while the payer types, then paid after the scaled 10 s', async () => {
        const started = performance.now();
        const m = await pay(codes.password);
        expectUnknown(m, 'password_entry');
        const first = await firstQuery(m, started, codes.password, 'paid');
        if (reportsProgress && first.progress !== undefined) expect(first.progress).toBe('password_entry');
        expectPaid(await queryUntil(m.ref, (s) => s.state !== 'pending', 'paid', finalAfter(codes.password) + 3000), m);
      });

      test('canceled', '…06 → unknown (password entry), then failed: the payer cancelled', async () => {
        const m = await pay(codes.canceled);
        expectUnknown(m, 'password_entry');
        const st = await queryUntil(m.ref, (s) => s.state !== 'pending', 'a final state', finalAfter(codes.canceled) + 3000);
        expect(st).toMatchObject({ state: 'failed', outTradeNo: m.input.outTradeNo });
      });

      test('failed', '…03 → failed at once with the provider code; the query says failed', async () => {
        const m = await pay(codes.failed);
        expect(m.result, JSON.stringify(m.result)).toMatchObject({ outcome: 'failed', code: expect.any(String), message: expect.any(String) });
        expect(await h.connector.queryPayment(m.ref)).toMatchObject({ state: 'failed', outTradeNo: m.input.outTradeNo });
      });

      test('unknown', '…04 → unknown forever; reverse closes it (idempotently) and it can never be paid', async () => {
        const m = await pay(codes.unknown);
        expectUnknown(m, undefined);
        await sleep(h.hub.scale(10_000) + 50);
        expect((await h.connector.queryPayment(m.ref)).state).toBe('pending');
        const r = await reverse(m.ref);
        expect(r).toMatchObject({ closed: true });
        expect(r.alreadyPaid).toBeUndefined();
        expect(await reverse(m.ref)).toMatchObject({ closed: true });
        expect((await h.connector.queryPayment(m.ref)).state).toBe('closed');
        // the same order number scanned again with a paying code: never paid
        const again = await pay(codes.paid, { ...m.input });
        expect(again.result.outcome).not.toBe('paid');
        expect((await h.connector.queryPayment(m.ref)).state).toBe('closed');
      });

      test('alreadyPaid', '…05 (already paid) → paid, at once or after the query', async () => {
        const m = await pay(codes.alreadyPaid);
        expect(['paid', 'unknown']).toContain(m.result.outcome);
        if (m.result.outcome === 'paid') expectPaid(m.result.status, m);
        expectPaid(await h.connector.queryPayment(m.ref), m);
      });

      test('invalidAuthCode', 'a malformed code, or a code of another wallet, is refused and never reaches the provider', async () => {
        const other = opts.channel === 'wechat' ? SANDBOX_AUTH_CODES.alipay.paid : SANDBOX_AUTH_CODES.wechat.paid;
        // no wallet's codes start with 99; a letter is never part of a code
        for (const code of [`99${codes.paid.slice(2)}`, `${codes.paid.slice(0, -1)}x`, other]) {
          const input = newInput(code);
          let result: CreatePaymentResult | undefined;
          try {
            result = await h.connector.createPayment(input);
          } catch {
            result = undefined; // refusing by throwing is fine too
          }
          if (result) expect(result.outcome).toBe('failed');
          expect((await h.connector.queryPayment({ outTradeNo: input.outTradeNo, createdAt: input.createdAt, channel: opts.channel, scene: 'micropay' })).state).toBe('not_found');
        }
      });
    });

    describe('reverse and close', () => {
      test('reverseBeforeFinal', 'a reverse before the payer finishes wins for good: never paid, no paid notification', async () => {
        const m = await pay(codes.paying);
        expectUnknown(m, 'paying');
        expect(await reverse(m.ref)).toMatchObject({ closed: true });
        await sleep(finalAfter(codes.paying) + 100);
        expect((await h.connector.queryPayment(m.ref)).state).toBe('closed');
        for (const s of m.notifications()) if (s.verdict.ok) expect(s.verdict.status.state).not.toBe('paid');
      });

      test('reverseAfterPaid', 'a reverse of a paid order refunds it and says it had been paid', async () => {
        const m = await pay(codes.paid);
        expect(m.result.outcome).toBe('paid');
        const r = await reverse(m.ref);
        expect(r.closed).toBe(true);
        expect(r.alreadyPaid).toMatchObject({ outTradeNo: m.input.outTradeNo });
        expect(r.detail).toBeTruthy();
        expect(['closed', 'refunded']).toContain((await h.connector.queryPayment(m.ref)).state);
        expect(await reverse(m.ref)).toMatchObject({ closed: true });
      });

      test('closeUnpaid', 'close of an unfinished order → closed, and it is never paid', async () => {
        const m = await pay(codes.password);
        const c = await h.connector.closePayment(m.ref);
        expect(c).toMatchObject({ closed: true });
        expect(c.alreadyPaid).toBeUndefined();
        await sleep(finalAfter(codes.password) + 100);
        expect((await h.connector.queryPayment(m.ref)).state).toBe('closed');
      });

      test('closeAfterPaid', 'close of a paid order → not closed, alreadyPaid with the amount', async () => {
        const m = await pay(codes.paid);
        const c = await h.connector.closePayment(m.ref);
        expect(c.closed).toBe(false);
        expect(c.alreadyPaid).toMatchObject({ state: 'paid', outTradeNo: m.input.outTradeNo, amount: money.amount });
      });

      test('notFound', 'query of an order the provider never saw → not_found', async () => {
        const outTradeNo = newOutTradeNo();
        expect(await h.connector.queryPayment({ outTradeNo, createdAt: h.clock.now(), channel: opts.channel, scene: 'micropay' })).toMatchObject({ state: 'not_found', outTradeNo });
      });
    });

    describe('notifications of late results', () => {
      const trust = opts.notificationTrust ?? 'signed';
      const late = async (): Promise<Made> => {
        const m = await pay(codes.paying);
        expectUnknown(m, 'paying');
        return m;
      };
      const wait = (m: Made, count: number, what: string) => until(() => m.notifications().length >= count, what, finalAfter(codes.paying) + 5000);


      sharedNotificationCases({
        test,
        harness: () => h,
        money,
        ours,
        trust,
        paidOrder: late,
        waitFor: wait,
      });

      test('notifyDropped', 'with every notification dropped, the query still establishes paid', async () => {
        h.hub.faults.set(h.connector.id, { dropNotifications: true });
        const m = await late();
        expectPaid(await queryUntil(m.ref, (s) => s.state !== 'pending', 'paid', finalAfter(codes.paying) + 3000), m);
        await firstTryOver(h, m.input.outTradeNo);
        expect(deliveryOf(h, m.input.outTradeNo)?.attempts.every((a) => a.dropped && a.copies === 0)).toBe(true);
        expect(m.notifications()).toHaveLength(0);
      });
    });

    describe('faults and tampering', () => {
      test('responseTampered', 'an answer altered after signing is never trusted (create → unknown, query → unknown)', async () => {
        h.hub.faults.set(h.connector.id, { tamperResponses: 1 });
        const m = await pay(codes.paid);
        expect(m.result.outcome).toBe('unknown');
        if (m.result.outcome === 'unknown') expect(m.result.reason).toMatch(/signature/i);
        h.hub.faults.set(h.connector.id, { tamperResponses: 1 });
        expect((await h.connector.queryPayment(m.ref)).state).toBe('unknown');
        expectPaid(await h.connector.queryPayment(m.ref), m);
      });

      test('needQuery', 'a "result unknown" answer → unknown; the query then finds the payment', async () => {
        h.hub.faults.set(h.connector.id, { needQuery: 1 });
        const m = await pay(codes.paid);
        expect(m.result.outcome).toBe('unknown');
        expectPaid(await h.connector.queryPayment(m.ref), m);
      });

      test('http500', 'HTTP 500 → unknown, for create and for query (nothing was processed)', async () => {
        h.hub.faults.set(h.connector.id, { http500: 1 });
        const m = await pay(codes.paid);
        expect(m.result.outcome).toBe('unknown');
        h.hub.faults.set(h.connector.id, { http500: 1 });
        expect((await h.connector.queryPayment(m.ref)).state).toBe('unknown');
        expect((await h.connector.queryPayment(m.ref)).state).toBe('not_found');
      });

      test('timeout', 'no answer within the timeout → unknown, promptly; the query finds what happened', async () => {
        h.hub.faults.set(h.connector.id, { timeout: 1 });
        const started = performance.now();
        const m = await pay(codes.paid);
        expect(m.result.outcome).toBe('unknown');
        expect(performance.now() - started).toBeLessThan(requestTimeoutMs + 3000);
        expectPaid(await h.connector.queryPayment(m.ref), m);
      });

      test('latency', 'latency below the timeout is harmless', async () => {
        h.hub.faults.set(h.connector.id, { latencyMs: Math.floor(requestTimeoutMs / 5) });
        expect((await pay(codes.paid)).result.outcome).toBe('paid');
      });
    });
  });
}

