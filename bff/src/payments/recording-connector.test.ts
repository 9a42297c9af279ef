import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../core/log';
import { DIALECTS, openTestLedger, type TestLedger } from '../ledger/testing';
import type { Connector, CreatePaymentInput, CreatePaymentResult } from '../providers/types';
import { createAttempt } from './attempts';
import { cancelOrder, createOrder, loadOrderFor } from './orders';
import { recordingConnector } from './recording-connector';
import { syncAttempt } from './sync';
import { ScriptedConnector, testContext } from './testing';

describe.each(DIALECTS)('provider calls are recorded (%s)', (dialect) => {
  let t: TestLedger;
  let scripted: ScriptedConnector;
  let log: ReturnType<typeof memoryLogger>;
  let connector: Connector;

  beforeEach(async () => {
    t = await openTestLedger(dialect);
    scripted = new ScriptedConnector('chaoying');
    log = memoryLogger();
    connector = recordingConnector(scripted, { calls: t.ledger.providerCalls, clock: t.clock, log });
  });
  afterEach(() => t.cleanup());

  const ctx = () => testContext(t.ledger, t.clock, t.random, [connector]);
  const newOrder = async (id = 'R1') => loadOrderFor(ctx(), (await createOrder(ctx(), { merchantOrderId: id, amount: 1999, subject: 'Tea' })).order.id, { kind: 'shop' });

  it('records create, query and close with the attempt, latency, outcome and the provider’s code', async () => {
    const order = await newOrder();
    scripted.nextCreate = (input: CreatePaymentInput): CreatePaymentResult => {
      void t.clock.advance(180); // the provider takes 180 ms to answer
      return { outcome: 'created', action: { kind: 'qr', content: `https://pay.example/${input.outTradeNo}` } };
    };
    const attempt = await createAttempt(ctx(), order, { channel: 'wechat' });
    scripted.statuses.set(attempt.outTradeNo, { state: 'pending', providerCode: 'USERPAYING', providerMessage: '需要用户输入支付密码' });
    const row = (await t.ledger.attempts.get(attempt.id))!;
    await syncAttempt(ctx(), row);
    await t.clock.advance(1); // records are written in the background: same-ms calls may get ids in either order
    await cancelOrder(ctx(), order.id);
    await t.ledger.providerCalls.flush();

    const calls = await t.ledger.providerCalls.forAttempts([attempt.id]);
    expect(calls.map((c) => ({ op: c.op, attempt: c.attempt_id, outTradeNo: c.out_trade_no, outcome: c.outcome, code: c.code, message: c.message }))).toEqual([
      { op: 'create', attempt: attempt.id, outTradeNo: attempt.outTradeNo, outcome: 'created', code: null, message: null },
      { op: 'query', attempt: attempt.id, outTradeNo: attempt.outTradeNo, outcome: 'pending', code: 'USERPAYING', message: '需要用户输入支付密码' },
      { op: 'close', attempt: attempt.id, outTradeNo: attempt.outTradeNo, outcome: 'closed', code: null, message: null },
    ]);
    expect(calls[0]!.latency_ms).toBe(180);
    expect(calls[0]!.started_at).toBe(row.created_at);
  });

  it('records a refusal with the provider’s code and message, and a connector that throws as an error — rethrown as it was', async () => {
    const order = await newOrder();
    scripted.nextCreate = () => ({ outcome: 'failed', code: 'ORDERPAID', message: '订单已支付' });
    await expect(createAttempt(ctx(), order, { channel: 'wechat' })).rejects.toThrow(/ORDERPAID/);
    const [failed] = await t.ledger.attempts.list(order.id);
    await t.clock.advance(1); // same-millisecond records written in separate batches may get ids in either order
    const boom = new Error('socket hang up');
    scripted.queryPayment = async () => {
      throw boom;
    };
    await expect(connector.queryPayment({ outTradeNo: 'X1', attemptId: failed!.id, createdAt: 0, channel: 'wechat', scene: 'qr' })).rejects.toBe(boom);
    await t.ledger.providerCalls.flush();
    const calls = await t.ledger.providerCalls.forAttempts([failed!.id]);
    expect(calls.map((c) => [c.op, c.outcome, c.code, c.message])).toEqual([
      ['create', 'failed', 'ORDERPAID', '订单已支付'],
      ['query', 'error', null, 'socket hang up'],
    ]);
  });

  it('a record that cannot be written never fails or changes the payment; it is logged', async () => {
    const order = await newOrder();
    await t.ledger.db.schema.dropTable('provider_calls').execute();
    const attempt = await createAttempt(ctx(), order, { channel: 'wechat' });
    expect(attempt).toMatchObject({ status: 'pending', qr: { content: `https://pay.example/qr/${attempt.outTradeNo}` } });
    await t.ledger.providerCalls.flush();
    expect(log.lines.some((l) => l.includes('provider call not recorded'))).toBe(true);
  });

  it('keeps the connector’s identity and optional capabilities', () => {
    expect(connector.id).toBe('chaoying');
    expect(connector.merchantId).toBe('M100');
    expect(connector.supportsCurrency('CNY')).toBe(true);
    const noReverse = Object.assign(Object.create(Object.getPrototypeOf(scripted) as object) as ScriptedConnector, scripted, { reversePayment: undefined });
    expect(recordingConnector(noReverse, { calls: t.ledger.providerCalls, clock: t.clock, log }).reversePayment).toBeUndefined();
  });
});
