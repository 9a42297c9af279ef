import { describe, expect, it } from 'vitest';
import { PayQrError } from '../../core/errors';
import { paymentInputs, T0 } from '../testing/fixtures';
import { NotSupportedError } from '../types';
import { fromNotification, fromPreOrderResponse, fromQueryResponse, parsePayInfo, toCloseParams, toPreOrderParams, toQueryParams } from './transform';
import { SEED_WECHAT_NOTIFICATION } from './seed-examples';
import type { ChaoyingResponse } from './wire';

const merchant = { agentId: '13000000000000000', mchId: '00000001', pid: 'payqr' };

const input = paymentInputs({ subject: '  一杯咖啡 Coffee  ', notifyUrl: 'https://shop.example/api/notify/chaoying', clientIp: '203.0.113.7' });

describe('toPreOrderParams', () => {
  it('builds the NATIVE pre-order with GMT+8 times, fen and product_id', () => {
    expect(toPreOrderParams(input(), merchant, 'N0NCE')).toEqual({
      method: 'PreOrder_WECHAT',
      agent_id: '13000000000000000',
      pid: 'payqr',
      version: '1.0',
      nonce_str: 'N0NCE',
      mch_id: '00000001',
      body: '一杯咖啡 Coffee',
      out_trade_no: 'PQ20261122A1',
      total_fee: '1999',
      mch_create_ip: '203.0.113.7',
      time_start: '20261122100000',
      time_expire: '20261122101500',
      notify_url: 'https://shop.example/api/notify/chaoying',
      trade_type: 'NATIVE',
      product_id: 'PQ20261122A1',
    });
  });

  it('maps channels to methods and h5 to NATIVE for Alipay and e-CNY', () => {
    expect(toPreOrderParams(input({ channel: 'alipay', scene: 'h5' }), merchant, 'n')).toMatchObject({ method: 'PreOrder_ALIPAY', trade_type: 'NATIVE' });
    expect(toPreOrderParams(input({ channel: 'ecny' }), merchant, 'n')).toMatchObject({ method: 'PreOrder_ECNY', trade_type: 'NATIVE' });
  });

  it('builds JSPAY for WeChat (sub_appid + openid) and Alipay (buyer id or logon id)', () => {
    expect(
      toPreOrderParams(input({ scene: 'jsapi', payer: { openid: 'oRA5quGvJc1wwvjMW-tnpLLqD-FM' } }), { ...merchant, subAppId: 'wxaee08d155d9de0c5' }, 'n'),
    ).toMatchObject({ trade_type: 'JSPAY', sub_appid: 'wxaee08d155d9de0c5', buyer_id: 'oRA5quGvJc1wwvjMW-tnpLLqD-FM' });
    expect(toPreOrderParams(input({ scene: 'jsapi', payer: { openid: 'o1', appId: 'wxOther' } }), { ...merchant, subAppId: 'wxaee' }, 'n').sub_appid).toBe('wxOther');
    const ali = toPreOrderParams(input({ channel: 'alipay', scene: 'jsapi', payer: { buyerLogonId: '13800000000' } }), merchant, 'n');
    expect(ali).toMatchObject({ method: 'PreOrder_ALIPAY', trade_type: 'JSPAY', buyer_logon_id: '13800000000', product_id: 'PQ20261122A1' });
    expect(ali.buyer_id).toBeUndefined();
  });

  it.each([
    ['unionpay', () => input({ channel: 'unionpay' }), NotSupportedError],
    ['micropay', () => input({ scene: 'micropay' }), NotSupportedError],
    ['e-CNY in-app', () => input({ channel: 'ecny', scene: 'jsapi' }), NotSupportedError],
    ['WeChat h5', () => input({ scene: 'h5' }), NotSupportedError],
    ['USD', () => input({ money: { amount: 100, currency: 'USD' } }), NotSupportedError],
    ['a 4-character order number', () => input({ outTradeNo: 'PQ12' }), PayQrError],
    ['an order number with a dash', () => input({ outTradeNo: 'PQ-2026-1' }), PayQrError],
    ['a 33-character order number', () => input({ outTradeNo: 'A'.repeat(33) }), PayQrError],
    ['a notify URL with a query string', () => input({ notifyUrl: 'https://x.example/n?a=1' }), PayQrError],
    ['an expiry before creation', () => input({ expiresAt: T0 }), PayQrError],
    ['WeChat JSAPI without an openid', () => input({ scene: 'jsapi', payer: { appId: 'wx1' } }), PayQrError],
    ['WeChat JSAPI without an AppId', () => input({ scene: 'jsapi', payer: { openid: 'o1' } }), PayQrError],
    ['Alipay JSAPI without a buyer', () => input({ channel: 'alipay', scene: 'jsapi' }), PayQrError],
  ])('refuses %s', (_name, make, error) => {
    expect(() => toPreOrderParams(make(), merchant, 'n')).toThrow(error);
  });

  it('truncates a long subject to 128 characters', () => {
    expect(toPreOrderParams(input({ subject: '商'.repeat(200) }), merchant, 'n').body).toHaveLength(128);
  });

  it('builds orderquery and close', () => {
    expect(toQueryParams({ outTradeNo: 'PQ1234' }, merchant, 'n')).toEqual({
      method: 'orderquery',
      agent_id: '13000000000000000',
      pid: 'payqr',
      version: '1.0',
      nonce_str: 'n',
      mch_id: '00000001',
      out_trade_no: 'PQ1234',
    });
    expect(toCloseParams({ outTradeNo: 'PQ1234' }, merchant, 'n').method).toBe('close');
  });
});

describe('fromPreOrderResponse', () => {
  const ok: ChaoyingResponse = { state: 'SUCCESS', code: '10000', trade_state: 'SUCCESS', msg: 'SUCCESS', mch_id: '00000001', out_trade_no: 'PQ1', code_url: 'https://qr.alipay.com/bax1', nonce_str: 'x' };
  const ctx = { outTradeNo: 'PQ1', merchantId: '00000001', scene: 'qr' as const };

  it.each<[string, ChaoyingResponse, 'valid' | 'missing' | 'invalid', object]>([
    ['signed success → QR', ok, 'valid', { outcome: 'created', action: { kind: 'qr', content: 'https://qr.alipay.com/bax1' } }],
    ['unsigned success → unknown', ok, 'missing', { outcome: 'unknown', reason: expect.stringMatching(/missing_signature/) }],
    ['tampered success → unknown', ok, 'invalid', { outcome: 'unknown', reason: expect.stringMatching(/bad_signature/) }],
    ['NEED_QUERY → unknown', { ...ok, code: '10001', trade_state: 'NEED_QUERY' }, 'valid', { outcome: 'unknown', reason: expect.stringMatching(/NEED_QUERY/) }],
    ['signed FAIL → failed', { ...ok, code: '10006', trade_state: 'FAIL', msg: '支付失败' }, 'valid', { outcome: 'failed', code: '10006', message: '支付失败' }],
    ['FAIL while paying → unknown', { ...ok, code: '10001', trade_state: 'FAIL' }, 'valid', { outcome: 'unknown' }],
    ['unsigned sign error → failed', { state: 'FAIL', code: '20002', msg: '签名错误' }, 'missing', { outcome: 'failed', code: '20002' }],
    ['unsigned param error → failed', { state: 'FAIL', code: '20004', msg: '参数错误' }, 'missing', { outcome: 'failed', code: '20004' }],
    ['unsigned unknown failure → unknown', { state: 'FAIL', code: '99999', msg: '系统繁忙' }, 'missing', { outcome: 'unknown', reason: expect.stringMatching(/communication error/) }],
    ['tampered failure → unknown', { state: 'FAIL', code: '20004' }, 'invalid', { outcome: 'unknown' }],
    ['another merchant → unknown', { ...ok, mch_id: '00000002' }, 'valid', { outcome: 'unknown', reason: expect.stringMatching(/another merchant/) }],
    ['another order → unknown', { ...ok, out_trade_no: 'PQ2' }, 'valid', { outcome: 'unknown', reason: expect.stringMatching(/another order/) }],
    ['no code_url → unknown', { ...ok, code_url: undefined }, 'valid', { outcome: 'unknown', reason: expect.stringMatching(/code_url/) }],
    ['REFUND → unknown', { ...ok, trade_state: 'REFUND' }, 'valid', { outcome: 'unknown' }],
    ['no trade_state → unknown', { ...ok, trade_state: undefined }, 'valid', { outcome: 'unknown' }],
    ['odd code with SUCCESS → unknown', { ...ok, code: '10003' }, 'valid', { outcome: 'unknown' }],
  ])('%s', (_name, res, sig, expected) => {
    expect(fromPreOrderResponse(res, sig, ctx)).toEqual(expect.objectContaining(expected));
  });

  it('h5 hands over the code_url as a link; JSPAY passes pay_info through unchanged', () => {
    expect(fromPreOrderResponse(ok, 'valid', { ...ctx, scene: 'h5' })).toEqual({ outcome: 'created', action: { kind: 'h5', url: 'https://qr.alipay.com/bax1' } });
    const payInfo = '{"appId":"wxc3d2e734ae326831","timeStamp":"1511947589427","status":"0","signType":"MD5","package":"prepay_id=wx2017","callback_url":"","nonceStr":"1511947589427","paySign":"CD87"}';
    expect(fromPreOrderResponse({ ...ok, code_url: undefined, pay_info: payInfo }, 'valid', { ...ctx, scene: 'jsapi' })).toEqual({
      outcome: 'created',
      action: { kind: 'jsapi', params: JSON.parse(payInfo) },
    });
    expect(fromPreOrderResponse({ ...ok, pay_info: 'not json' }, 'valid', { ...ctx, scene: 'jsapi' }).outcome).toBe('unknown');
  });
});

describe('fromQueryResponse', () => {
  const base: ChaoyingResponse = {
    state: 'SUCCESS',
    code: '10000',
    trade_state: 'SUCCESS',
    mch_id: '00000001',
    out_trade_no: 'PQ1',
    total_fee: '1999',
    transaction_id: '2026112212345',
    out_transaction_id: '4200000001',
    time_end: '20261122100510',
    trade_type: 'pay.weixin.native',
  };
  const ref = { outTradeNo: 'PQ1' };

  it.each([
    ['1', 'paid'],
    ['2', 'failed'],
    ['3', 'pending'],
    ['4', 'closed'],
    ['5', 'closed'],
    ['0', 'refunded'],
  ])('pay_status %s → %s', (payStatus, state) => {
    expect(fromQueryResponse({ ...base, pay_status: payStatus }, 'valid', ref).state).toBe(state);
  });

  it('reports amount, merchant, provider trade no and the GMT+8 paid time', () => {
    expect(fromQueryResponse({ ...base, pay_status: '1' }, 'valid', ref)).toEqual({
      state: 'paid',
      outTradeNo: 'PQ1',
      amount: 1999,
      currency: 'CNY',
      merchantId: '00000001',
      providerTradeNo: '2026112212345',
      paidAt: Date.UTC(2026, 10, 22, 2, 5, 10),
      providerCode: 'pay_status=1',
      extra: { outTransactionId: '4200000001', tradeType: 'pay.weixin.native' },
    });
  });

  it.each<[string, ChaoyingResponse, 'valid' | 'missing' | 'invalid', string]>([
    ['unsigned', { ...base, pay_status: '1' }, 'missing', 'unknown'],
    ['tampered', { ...base, pay_status: '1' }, 'invalid', 'unknown'],
    ['communication failure', { state: 'FAIL', code: '20004' }, 'missing', 'unknown'],
    ['another order', { ...base, pay_status: '1', out_trade_no: 'PQ2' }, 'valid', 'unknown'],
    ['paid without total_fee', { ...base, pay_status: '1', total_fee: undefined }, 'valid', 'unknown'],
    ['paid with a decimal total_fee', { ...base, pay_status: '1', total_fee: '19.99' }, 'valid', 'unknown'],
    ['not found (assumed 10002)', { state: 'SUCCESS', code: '10002', trade_state: 'FAIL' }, 'valid', 'not_found'],
    ['code 10004 without pay_status', { state: 'SUCCESS', code: '10004' }, 'valid', 'closed'],
    ['code 10000 without pay_status is not "paid"', { state: 'SUCCESS', code: '10000', trade_state: 'SUCCESS' }, 'valid', 'unknown'],
    ['NEED_QUERY', { state: 'SUCCESS', code: '10001', trade_state: 'NEED_QUERY' }, 'valid', 'unknown'],
    ['REFUND', { state: 'SUCCESS', code: '10000', trade_state: 'REFUND' }, 'valid', 'refunded'],
    ['unknown pay_status', { ...base, pay_status: '9', code: '12345' }, 'valid', 'unknown'],
  ])('%s → %s', (_n, res, sig, state) => {
    expect(fromQueryResponse(res, sig, ref).state).toBe(state);
  });
});

describe('fromNotification', () => {
  const seedExample = SEED_WECHAT_NOTIFICATION;

  it('reads the seed example as paid', () => {
    expect(fromNotification(seedExample)).toEqual({
      status: {
        state: 'paid',
        outTradeNo: '1523929500000',
        amount: 1,
        currency: 'CNY',
        merchantId: 'f20170519135901860000',
        providerTradeNo: '199520439266201804177199552446',
        paidAt: Date.UTC(2018, 3, 17, 1, 47, 29),
        providerCode: 'pay_result=0',
        providerMessage: 'state=SUCCESS result_code=SUCCESS',
        extra: { outTransactionId: '2018041721001004870537670226', tradeType: 'pay.weixin.native' },
      },
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['"0" spelling of success', { ...seedExample, state: '0', result_code: '0' }, 'paid'],
    ['pay_result 1', { ...seedExample, pay_result: '1' }, 'failed'],
    ['result_code FAIL', { ...seedExample, result_code: 'FAIL' }, 'failed'],
    ['state FAIL', { ...seedExample, state: 'FAIL' }, 'unknown'],
    ['no pay_result', { ...seedExample, pay_result: '' }, 'unknown'],
  ])('%s → %s', (_n, fields, state) => {
    const r = fromNotification(fields);
    expect('status' in r && r.status.state).toBe(state);
  });

  it('refuses what cannot be matched', () => {
    const { out_trade_no: _o, ...noOrder } = seedExample;
    expect(fromNotification(noOrder)).toEqual({ malformed: 'no out_trade_no' });
    expect(fromNotification({ ...seedExample, total_fee: '1.00' })).toHaveProperty('malformed');
  });
});

describe('parsePayInfo', () => {
  it('keeps keys exactly and renders non-strings as JSON text', () => {
    expect(parsePayInfo('{"timeStamp":"1","appId":"wx","n":1,"b":true,"o":{"a":1},"z":null}')).toEqual({ timeStamp: '1', appId: 'wx', n: '1', b: 'true', o: '{"a":1}' });
    expect(parsePayInfo('[1]')).toBeUndefined();
    expect(parsePayInfo('{')).toBeUndefined();
  });
});
