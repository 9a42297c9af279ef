/**
 * The shared connector contract suite (after stripe-node's shared suites): one set of
 * behaviours every provider connector must show against its own simulator, over real loopback
 * HTTP, with the sandbox hub's faults. Run it from `providers/<id>/<id>.contract.test.ts`:
 *
 * ```ts
 * connectorContractSuite({
 *   name: 'chaoying',
 *   async setup({ requestTimeoutMs }) {
 *     const env = await startSandboxTestEnv();            // ./sandbox-env.ts
 *     env.hub.register(createMySimulator(…, { ...env.deps, hub: env.hub }));
 *     const connector = createMyConnector({ baseUrl: env.simulatorBaseUrl('chaoying'), timeoutMs: requestTimeoutMs, … }, env.deps);
 *     return { connector, hub: env.hub, receiver: env.receiver, clock: env.deps.clock,
 *              notifyUrl: env.notifyUrl('chaoying'), teardown: env.close };
 *   },
 * });
 * ```
 *
 * What it covers: create → payer action (the hub's payer page); status mapping (pending, paid
 * after Pay, failed after Decline, closed after close, not_found, refunded when the harness can
 * refund); close, and close of an order paid meanwhile (`alreadyPaid`); notifications — valid,
 * forged (bad signature), missing signature, valid signature but wrong amount / wrong merchant /
 * unknown order, duplicates, dropped (the query still finds the truth); a tampered response
 * signature; NEED_QUERY, HTTP 500, timeout → `unknown`; latency below the timeout is harmless.
 *
 * It checks the *connector's* verdicts. Matching a notification against the ledger (amount,
 * merchant, known order) is the payments layer's job; the suite's notification receiver only
 * does the minimum a merchant must do to decide which ack to send.
 *
 * Conventions a harness must follow: the connector's request timeout is `requestTimeoutMs`; the
 * simulator supports the hub faults (`withGatewayFaults`, `needQuery`, `tamperResponses`, and a
 * `tamper` callback on its deliveries); the suite appends `/t<n>` to `notifyUrl` per test so late
 * retries of one test never reach another (the receiver must accept any path below it).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { Channel } from '../../core/domain';
import { formatMoney, type Money } from '../../core/money';
import type { Connector, CreatePaymentInput, QueryRef } from '../types';
import {
  acked,
  caseTest,
  deliveryOf,
  firstTryOver,
  merchantReceiver,
  NOTIFICATION_AND_FAULT_CASES,
  sharedNotificationCases,
  until,
  type ContractHarness,
  type ContractSuiteOptions,
  type Seen,
} from './contract-kit';

export const CONTRACT_CASES = [
  'create',
  'pending',
  'paid',
  'failed',
  'closed',
  'closeAfterPaid',
  'notFound',
  'refunded',
  ...NOTIFICATION_AND_FAULT_CASES,
] as const;
export type ContractCase = (typeof CONTRACT_CASES)[number];

export interface ConnectorContractOptions extends ContractSuiteOptions<ContractCase> {
  /** default: the first channel the connector offers with scene `qr` */
  channel?: Channel;
  /** `qr` (default) or `h5`: both hand the payer a URL (the sandbox payer page) */
  scene?: 'qr' | 'h5';
}

export function connectorContractSuite(opts: ConnectorContractOptions): void {
  const requestTimeoutMs = opts.requestTimeoutMs ?? 500;
  const money: Money = opts.money ?? { amount: 1999, currency: 'CNY' };
  const runId = Date.now().toString(36);
  let seq = 0;
  let h: ContractHarness;
  let channel: Channel;
  /** our orders: what the receiver's mini-ledger accepts */
  const ours = new Map<string, number>();
  const receiver = merchantReceiver(() => h, ours);

  const newOutTradeNo = () => (opts.outTradeNo ? opts.outTradeNo(++seq) : `PQC${runId}${String(++seq).padStart(4, '0')}`);

  const test = caseTest<ContractCase>(opts.skip);

  interface Made {
    input: CreatePaymentInput;
    ref: QueryRef;
    /** this test's notifications, by the notify path */
    notifications(): Seen[];
  }

  async function create(): Promise<Made & { result: Awaited<ReturnType<Connector['createPayment']>> }> {
    const outTradeNo = newOutTradeNo();
    const now = h.clock.now();
    const path = `/t${seq}`;
    const input: CreatePaymentInput = {
      attemptId: `att_contract${seq}`,
      outTradeNo,
      money,
      subject: `合约测试 contract ${seq}`,
      channel,
      scene: opts.scene ?? 'qr',
      createdAt: now,
      expiresAt: now + 15 * 60_000,
      notifyUrl: `${h.notifyUrl}${path}`,
      clientIp: '127.0.0.1',
    };
    ours.set(outTradeNo, money.amount);
    const result = await h.connector.createPayment(input);
    return {
      input,
      result,
      ref: { outTradeNo, createdAt: now, channel, scene: input.scene },
      notifications: () => receiver.seen((n) => n.path.endsWith(path)),
    };
  }

  async function createOk(): Promise<Made & { result: Awaited<ReturnType<Connector['createPayment']>> }> {
    const m = await create();
    expect(m.result, JSON.stringify(m.result)).toMatchObject({ outcome: 'created' });
    return m;
  }

  /** press a button on the payer page, over HTTP, as a phone would (JSON variant) */
  async function act(outTradeNo: string, action: 'pay' | 'decline'): Promise<{ status: number; body: { ok?: boolean; state?: string } }> {
    const session = h.hub.findPayerSession(h.connector.id, outTradeNo);
    expect(session, `payer session for ${outTradeNo}`).toBeDefined();
    const res = await fetch(session!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action }) });
    return { status: res.status, body: (await res.json()) as { ok?: boolean; state?: string } };
  }

  async function pay(outTradeNo: string): Promise<void> {
    const r = await act(outTradeNo, 'pay');
    expect(r.body, JSON.stringify(r.body)).toMatchObject({ ok: true, state: 'paid' });
  }

  describe(`${opts.name}: connector contract`, () => {
    beforeAll(async () => {
      h = await opts.setup({ requestTimeoutMs });
      const c = opts.channel ?? h.connector.capabilities.find((cap) => cap.scene === 'qr')?.channel;
      if (!c) throw new Error(`${opts.name}: the connector offers no qr capability; pass channel`);
      channel = c;
    });
    afterAll(async () => {
      await h?.teardown();
    });
    beforeEach(() => receiver.reset());
    afterEach(() => {
      h.hub.faults.clear();
    });

    describe('create and status mapping', () => {
      test('create', 'create → a payer action that opens the sandbox payer page', async () => {
        const m = await createOk();
        if (m.result.outcome !== 'created') return;
        const action = m.result.action;
        const url = action.kind === 'qr' ? action.content : action.kind === 'h5' ? action.url : undefined;
        expect(url, `a URL-carrying action, got ${JSON.stringify(action)}`).toBeDefined();
        const session = h.hub.findPayerSession(h.connector.id, m.input.outTradeNo);
        expect(session).toMatchObject({ url, state: 'open', money, channel });
        const page = await fetch(url!);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(formatMoney(money).replace('¥', ''));
      });

      test('pending', 'an unpaid order queries as pending, with our amount and merchant id', async () => {
        const m = await createOk();
        const st = await h.connector.queryPayment(m.ref);
        expect(st).toMatchObject({ state: 'pending', outTradeNo: m.input.outTradeNo });
        if (st.amount !== undefined) expect(st.amount).toBe(money.amount);
        if (st.merchantId !== undefined) expect(st.merchantId).toBe(h.connector.merchantId);
      });

      test('paid', 'Pay on the payer page → query says paid (amount, merchant, provider trade no, paid time)', async () => {
        const m = await createOk();
        const before = h.clock.now();
        await pay(m.input.outTradeNo);
        const st = await h.connector.queryPayment(m.ref);
        expect(st).toMatchObject({ state: 'paid', outTradeNo: m.input.outTradeNo, amount: money.amount, merchantId: h.connector.merchantId });
        expect(st.providerTradeNo).toBeTruthy();
        if (st.paidAt !== undefined) expect(Math.abs(st.paidAt - before)).toBeLessThan(60_000);
      });

      test('failed', 'Decline on the payer page → query says failed', async () => {
        const m = await createOk();
        const r = await act(m.input.outTradeNo, 'decline');
        expect(r.body).toMatchObject({ ok: true, state: 'declined' });
        expect(await h.connector.queryPayment(m.ref)).toMatchObject({ state: 'failed', outTradeNo: m.input.outTradeNo });
        // A provider may notify the failure (its simulator then logged a delivery when the payer
        // declined); if it does, the verdict says failed (never paid).
        if (deliveryOf(h, m.input.outTradeNo)) {
          await firstTryOver(h, m.input.outTradeNo);
          expect(m.notifications().length).toBeGreaterThan(0);
        }
        for (const s of m.notifications()) {
          expect(s.verdict.ok).toBe(true);
          if (s.verdict.ok) expect(s.verdict.status.state).not.toBe('paid');
        }
      });

      test('closed', 'close → closed, query says closed, and the payer page refuses to pay', async () => {
        const m = await createOk();
        const c = await h.connector.closePayment(m.ref);
        expect(c).toMatchObject({ closed: true });
        expect(c.alreadyPaid).toBeUndefined();
        expect(await h.connector.queryPayment(m.ref)).toMatchObject({ state: 'closed' });
        const r = await act(m.input.outTradeNo, 'pay');
        expect(r.status).toBe(409);
        expect(r.body).toMatchObject({ ok: false, state: 'closed' });
      });

      test('closeAfterPaid', 'close of an order paid meanwhile → not closed, alreadyPaid with the amount', async () => {
        const m = await createOk();
        await pay(m.input.outTradeNo);
        const c = await h.connector.closePayment(m.ref);
        expect(c.closed).toBe(false);
        expect(c.alreadyPaid).toMatchObject({ state: 'paid', outTradeNo: m.input.outTradeNo, amount: money.amount });
      });

      test('notFound', 'query of an order the provider never saw → not_found', async () => {
        const outTradeNo = newOutTradeNo();
        const st = await h.connector.queryPayment({ outTradeNo, createdAt: h.clock.now(), channel, scene: opts.scene ?? 'qr' });
        expect(st).toMatchObject({ state: 'not_found', outTradeNo });
      });

      test('refunded', 'a refunded order queries as refunded', async (ctx) => {
        if (!h.refund) return ctx.skip('the harness cannot refund');
        const m = await createOk();
        await pay(m.input.outTradeNo);
        await h.refund(m.input.outTradeNo);
        expect(await h.connector.queryPayment(m.ref)).toMatchObject({ state: 'refunded' });
      });
    });

    describe('notifications', () => {
      const trust = opts.notificationTrust ?? 'signed';


      sharedNotificationCases({
        test,
        harness: () => h,
        money,
        ours,
        trust,
        async paidOrder() {
          const m = await createOk();
          await pay(m.input.outTradeNo);
          return m;
        },
        waitFor: (m, count, what) => until(() => m.notifications().length >= count, what),
      });

      test('notifyDropped', 'with every notification dropped, the query still establishes paid', async () => {
        h.hub.faults.set(h.connector.id, { dropNotifications: true });
        const m = await createOk();
        await pay(m.input.outTradeNo);
        await firstTryOver(h, m.input.outTradeNo);
        expect(deliveryOf(h, m.input.outTradeNo)?.attempts.every((a) => a.dropped && a.copies === 0)).toBe(true);
        expect(m.notifications()).toHaveLength(0);
        expect(await h.connector.queryPayment(m.ref)).toMatchObject({ state: 'paid', amount: money.amount });
      });
    });

    describe('faults and tampering', () => {
      test('responseTampered', 'an answer altered after signing is never trusted (create → unknown, query → unknown)', async () => {
        h.hub.faults.set(h.connector.id, { tamperResponses: 1 });
        const c = await create();
        expect(c.result.outcome).toBe('unknown');
        if (c.result.outcome === 'unknown') expect(c.result.reason).toMatch(/signature/i);

        const m = await createOk();
        h.hub.faults.set(h.connector.id, { tamperResponses: 1 });
        const st = await h.connector.queryPayment(m.ref);
        expect(st.state).toBe('unknown');
        expect(await h.connector.queryPayment(m.ref)).toMatchObject({ state: 'pending' });
      });

      test('needQuery', 'NEED_QUERY → unknown; the query then finds the order', async () => {
        h.hub.faults.set(h.connector.id, { needQuery: 1 });
        const m = await create();
        expect(m.result.outcome).toBe('unknown');
        expect(['pending', 'not_found']).toContain((await h.connector.queryPayment(m.ref)).state);
      });

      test('http500', 'HTTP 500 → unknown, for create and for query', async () => {
        h.hub.faults.set(h.connector.id, { http500: 1 });
        const m = await create();
        expect(m.result.outcome).toBe('unknown');
        h.hub.faults.set(h.connector.id, { http500: 1 });
        expect((await h.connector.queryPayment(m.ref)).state).toBe('unknown');
      });

      test('timeout', 'no answer within the timeout → unknown, promptly', async () => {
        h.hub.faults.set(h.connector.id, { timeout: 1 });
        const started = performance.now();
        const m = await create();
        expect(m.result.outcome).toBe('unknown');
        expect(performance.now() - started).toBeLessThan(requestTimeoutMs + 3000);
      });

      test('latency', 'latency below the timeout is harmless', async () => {
        h.hub.faults.set(h.connector.id, { latencyMs: Math.floor(requestTimeoutMs / 5) });
        await createOk();
      });
    });
  });
}
