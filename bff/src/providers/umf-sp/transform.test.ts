import { describe, expect, it } from 'vitest';
import { SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import { paymentInputs, T0 } from '../testing/fixtures';
import { NotSupportedError } from '../types';
import { UMF_SP_ORIG_RESP_CODES, UMF_SP_RESP_CODES, umfSpOrigRespCode, umfSpRespCode } from './status';
import {
  authCodeProblem,
  fromChangeResponse,
  fromMicropayResponse,
  fromNotification,
  fromQueryResponse,
  refundedPaymentOf,
  toMicropayParams,
  toOrderRefParams,
} from './transform';
import { umfSpBackUrlProblem, umfSpResponseSchema, type UmfSpResponse } from './wire';

// 2026-11-22 10:00:00 Beijing = 02:00:00 UTC
const merchant = { acqSpId: 'Y000000001', acqMerId: '30000064', goodsId: 'payqr' };

const input = paymentInputs({ scene: 'micropay', expiresAt: T0 + 60_000, notifyUrl: 'https://pay.example.com/api/notify/umf-sp', authCode: SANDBOX_AUTH_CODES.wechat.paid });

const res = (fields: Record<string, unknown>): UmfSpResponse => umfSpResponseSchema.parse(fields);

describe('toMicropayParams (请求参数)', () => {
  it('maps an attempt to the seed fields: GMT+8 orderTime, fen string, orderType from the channel', () => {
    expect(toMicropayParams(input(), merchant)).toEqual({
      params: {
        orderTime: '20261122100000',
        acqSpId: 'Y000000001',
        acqMerId: '30000064',
        orderNo: 'PQ20261122A1',
        txnAmt: '1999',
        orderType: 'wechat',
        authCode: SANDBOX_AUTH_CODES.wechat.paid,
        goodsId: 'payqr',
        goodsInfo: '一杯咖啡',
        backUrl: 'https://pay.example.com/api/notify/umf-sp',
      },
    });
    expect(toMicropayParams(input({ channel: 'alipay', authCode: SANDBOX_AUTH_CODES.alipay.paid }), merchant).params.orderType).toBe('alipay');
    expect(toMicropayParams(input({ channel: 'unionpay', authCode: SANDBOX_AUTH_CODES.unionpay.paid }), merchant).params.orderType).toBe('unionpay');
  });

  it('orderTime is Beijing time whatever the date line', () => {
    // 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Beijing
    expect(toMicropayParams(input({ createdAt: Date.UTC(2026, 11, 31, 16, 30, 0) }), merchant).params.orderTime).toBe('20270101003000');
  });

  it('goodsInfo stays within 128 UTF-8 bytes without splitting a character; an empty subject falls back to the order number', () => {
    const long = '咖'.repeat(60); // 180 bytes
    const info = toMicropayParams(input({ subject: long }), merchant).params.goodsInfo;
    expect(info).toBe('咖'.repeat(42)); // 126 bytes
    expect(toMicropayParams(input({ subject: '   ' }), merchant).params.goodsInfo).toBe('PQ20261122A1');
  });

  it('leaves out a backUrl that breaks the seed rule, saying why', () => {
    const r = toMicropayParams(input({ notifyUrl: 'https://pay.example.com/api/notify/umf_sp' }), merchant);
    expect(r.params.backUrl).toBeUndefined();
    expect(r.backUrlDropped).toMatch(/contains "_"/);
  });

  it('refuses what umf-sp cannot do, explicitly', () => {
    expect(() => toMicropayParams(input({ scene: 'qr' }), merchant)).toThrow(NotSupportedError);
    expect(() => toMicropayParams(input({ channel: 'ecny' }), merchant)).toThrow(NotSupportedError);
    expect(() => toMicropayParams(input({ money: { amount: 100, currency: 'JPY' } }), merchant)).toThrow(NotSupportedError);
    expect(() => toMicropayParams(input({ outTradeNo: 'PQ-1' }), merchant)).toThrow(/5–32 letters and digits/);
    expect(() => toMicropayParams(input({ money: { amount: 0, currency: 'CNY' } }), merchant)).toThrow(/positive integer of fen/);
    expect(() => toMicropayParams(input({ money: { amount: 1.5, currency: 'CNY' } }), merchant)).toThrow(/positive integer of fen/);
  });

  it('query/cancel/close carry the original orderTime (assumed)', () => {
    expect(toOrderRefParams({ outTradeNo: 'PQ20261122A1', createdAt: T0 }, merchant)).toEqual({
      acqSpId: 'Y000000001',
      acqMerId: '30000064',
      orderNo: 'PQ20261122A1',
      orderTime: '20261122100000',
    });
  });
});

describe('authCodeProblem (seed authCode rules per orderType)', () => {
  it.each([
    ['wechat', SANDBOX_AUTH_CODES.wechat.paid],
    ['alipay', SANDBOX_AUTH_CODES.alipay.paid],
    ['alipay', '2512345678901234'],
    ['unionpay', SANDBOX_AUTH_CODES.unionpay.paid],
  ] as const)('%s %s is fine', (channel, code) => {
    expect(authCodeProblem(code, channel)).toBeUndefined();
  });
  it.each([
    [undefined, 'wechat', /required/],
    ['', 'wechat', /required/],
    [' 134567890123456700', 'wechat', /whitespace/],
    ['13456789012345670', 'wechat', /17 digits starting 13 matches no wallet/],
    ['13456789012345670a', 'wechat', /digits only/],
    [SANDBOX_AUTH_CODES.alipay.paid, 'wechat', /a alipay code cannot pay through the wechat channel/],
    [SANDBOX_AUTH_CODES.wechat.paid, 'unionpay', /wechat code/],
  ] as const)('%s for %s is refused', (code, channel, message) => {
    expect(authCodeProblem(code, channel)).toMatch(message);
  });
});

describe('backUrl rule (seed: http://, letters, digits, / & % ? =; assumed . : - for hosts)', () => {
  it.each([
    ['http://shop.example.com/api/notify/umf-sp', undefined],
    ['https://shop.example.com:8443/api/notify/umf-sp?x=1&y=2', undefined],
    ['ftp://shop.example.com/n', /must start with http/],
    ['http://shop.example.com/n?a=%3Cb%3E', /URL-encoded/],
    ['http://shop.example.com/n#frag', /contains "#"/],
    [`http://shop.example.com/${'a'.repeat(240)}`, /longer than 256/],
  ])('%s', (url, problem) => {
    if (problem === undefined) expect(umfSpBackUrlProblem(url)).toBeUndefined();
    else expect(umfSpBackUrlProblem(url)).toMatch(problem);
  });
});

describe('status tables', () => {
  it('only 00 is ever success; unlisted micropay codes are clear failures and say nothing to a query', () => {
    for (const [code, info] of Object.entries(UMF_SP_RESP_CODES)) {
      if (code === '00') expect(info.micropay).toBe('paid');
      else expect(info.micropay).not.toBe('paid');
    }
    expect(umfSpRespCode('77')).toMatchObject({ listed: false, micropay: 'failed', query: 'unknown' });
    expect(umfSpRespCode(undefined)).toMatchObject({ listed: false, micropay: 'failed' });
    expect(umfSpRespCode('toString')).toMatchObject({ listed: false });
  });
  it('the query table: 00 paid, 02/62 pending with progress, 03/04 closed, 06 failed, anything else unknown', () => {
    expect(Object.fromEntries(Object.entries(UMF_SP_ORIG_RESP_CODES).map(([k, v]) => [k, v.state]))).toEqual({
      '00': 'paid',
      '02': 'pending',
      '62': 'pending',
      '03': 'closed',
      '04': 'closed',
      '06': 'failed',
    });
    expect(umfSpOrigRespCode('05')).toBeUndefined();
    expect(umfSpOrigRespCode('hasOwnProperty')).toBeUndefined();
  });
});

describe('fromMicropayResponse', () => {
  const ctx = { outTradeNo: 'PQ20261122A1', receivedAt: T0 + 1234 };
  const paid = { respCode: '00', respMsg: '支付成功', platDate: '20261122', orderNo: 'PQ20261122A1', transactionId: '20261122123', paySeq: '202611221000001', txnAmt: '1999', depBankSeq: '4200000001' };

  it('00 → paid with amount, UMF order number, the time the answer arrived and the serials', () => {
    expect(fromMicropayResponse(res(paid), 'valid', ctx)).toEqual({
      outcome: 'paid',
      status: {
        state: 'paid',
        outTradeNo: 'PQ20261122A1',
        amount: 1999,
        currency: 'CNY',
        providerTradeNo: '20261122123',
        paidAt: T0 + 1234,
        providerCode: 'respCode=00',
        providerMessage: '支付成功',
        extra: { paySeq: '202611221000001', depBankSeq: '4200000001', platDate: '20261122' },
      },
    });
  });

  it('a paySeq that is a payer code is kept masked', () => {
    const r = fromMicropayResponse(res({ ...paid, paySeq: SANDBOX_AUTH_CODES.wechat.paid }), 'valid', ctx);
    expect(r.outcome === 'paid' && r.status.extra?.paySeq).toBe('1345…6700');
  });

  it.each<[string, Record<string, unknown>, object]>([
    ['00 without txnAmt', { ...paid, txnAmt: undefined }, { outcome: 'unknown', reason: expect.stringMatching(/txnAmt/) }],
    ['00 with a decimal txnAmt', { ...paid, txnAmt: '19.99' }, { outcome: 'unknown' }],
    ['02 paying', { respCode: '02', respMsg: '支付中' }, { outcome: 'unknown', progress: 'paying', reason: 'respCode=02 支付中' }],
    ['62 entering the password', { respCode: '62' }, { outcome: 'unknown', progress: 'password_entry' }],
    ['04 unknown', { respCode: '04' }, { outcome: 'unknown', reason: 'respCode=04' }],
    ['94 duplicate / already paid', { respCode: '94' }, { outcome: 'unknown' }],
    ['96 system error', { respCode: '96' }, { outcome: 'unknown' }],
    ['51 insufficient balance', { respCode: '51', respMsg: '余额不足' }, { outcome: 'failed', code: '51', message: '余额不足' }],
    ['14 bad code without message', { respCode: '14' }, { outcome: 'failed', code: '14', message: '付款码无效' }],
    ['an unlisted code', { respCode: 'A7', respMsg: '风控拦截' }, { outcome: 'failed', code: 'A7', message: '风控拦截' }],
    ['an answer about another order', { ...paid, orderNo: 'PQOTHER' }, { outcome: 'unknown', reason: expect.stringMatching(/another order/) }],
  ])('%s', (_name, fields, expected) => {
    const r = fromMicropayResponse(res(fields), 'valid', ctx);
    expect(r).toEqual(expect.objectContaining(expected));
    if (r.outcome === 'unknown' && !('progress' in expected)) expect(r.progress).toBeUndefined();
  });

  it('nothing in an unverified answer is believed, not even a failure', () => {
    expect(fromMicropayResponse(res(paid), 'invalid', ctx)).toEqual({ outcome: 'unknown', reason: 'bad_signature on respCode=00 支付成功' });
    expect(fromMicropayResponse(res({ respCode: '51' }), 'missing', ctx)).toMatchObject({ outcome: 'unknown', reason: expect.stringMatching(/^missing_signature/) });
  });
});

describe('fromQueryResponse', () => {
  const ref = { outTradeNo: 'PQ20261122A1' };
  const order = { respCode: '00', respMsg: '查询成功', orderNo: 'PQ20261122A1', acqMerId: '30000064', acqSpId: 'Y000000001', txnAmt: '1999', transactionId: 'T1', orderType: 'alipay' };

  it('00 + origRespCode 00 → paid with amount, merchant, trade number and the Beijing pay time', () => {
    expect(fromQueryResponse(res({ ...order, origRespCode: '00', payTime: '20261122100005', depBankSeq: '2026112222001' }), 'valid', ref, merchant)).toEqual({
      state: 'paid',
      outTradeNo: 'PQ20261122A1',
      amount: 1999,
      currency: 'CNY',
      merchantId: '30000064',
      providerTradeNo: 'T1',
      paidAt: T0 + 5000,
      providerCode: 'origRespCode=00',
      providerMessage: 'respCode=00 查询成功 origRespCode=00',
      extra: { depBankSeq: '2026112222001', orderType: 'alipay' },
    });
  });

  it.each<[string, Record<string, unknown>, object]>([
    ['02 paying', { ...order, origRespCode: '02' }, { state: 'pending', progress: 'paying' }],
    ['62 password', { ...order, origRespCode: '62' }, { state: 'pending', progress: 'password_entry' }],
    ['03 closed', { ...order, origRespCode: '03' }, { state: 'closed' }],
    ['04 revoked', { ...order, origRespCode: '04' }, { state: 'closed' }],
    ['06 failed', { ...order, origRespCode: '06' }, { state: 'failed' }],
    ['an unlisted origRespCode', { ...order, origRespCode: '09' }, { state: 'unknown' }],
    ['00 without origRespCode', { ...order }, { state: 'unknown' }],
    ['paid without txnAmt', { ...order, txnAmt: undefined, origRespCode: '00' }, { state: 'unknown' }],
    ['25 not found', { respCode: '25', orderNo: 'PQ20261122A1' }, { state: 'not_found' }],
    ['96 system error', { respCode: '96' }, { state: 'unknown' }],
    ['an unlisted respCode', { respCode: 'ZZ' }, { state: 'unknown' }],
    ['another merchant', { ...order, acqMerId: '99999999', origRespCode: '00' }, { state: 'unknown', providerMessage: expect.stringMatching(/another merchant/) }],
    ['another order', { ...order, orderNo: 'PQX', origRespCode: '00' }, { state: 'unknown', providerMessage: expect.stringMatching(/another order/) }],
  ])('%s', (_name, fields, expected) => {
    expect(fromQueryResponse(res(fields), 'valid', ref, merchant)).toEqual(expect.objectContaining({ outTradeNo: 'PQ20261122A1', ...expected }));
  });

  it('an unverified answer is unknown', () => {
    expect(fromQueryResponse(res({ ...order, origRespCode: '00' }), 'invalid', ref, merchant)).toMatchObject({ state: 'unknown', providerMessage: expect.stringMatching(/unverified/) });
  });

  it('an invalid payTime gives no paid time rather than a wrong one', () => {
    const st = fromQueryResponse(res({ ...order, origRespCode: '00', payTime: '20261131250000' }), 'valid', ref, merchant);
    expect(st.state).toBe('paid');
    expect(st.paidAt).toBeUndefined();
  });
});

describe('fromChangeResponse (cancelOrder / closeOrder)', () => {
  const ref = { outTradeNo: 'PQ20261122A1' };
  it.each<[string, Record<string, unknown>, string, object]>([
    ['confirmed, was paying', { respCode: '00', origRespCode: '02' }, 'valid', { kind: 'confirmed', wasPaid: false }],
    ['confirmed, had been paid (refunded)', { respCode: '00', origRespCode: '00' }, 'valid', { kind: 'confirmed', wasPaid: true }],
    ['not found', { respCode: '25' }, 'valid', { kind: 'not_found' }],
    ['refused', { respCode: '40', origRespCode: '00' }, 'valid', { kind: 'not_confirmed' }],
    ['unverified', { respCode: '00' }, 'invalid', { kind: 'not_confirmed' }],
    ['another order', { respCode: '00', orderNo: 'PQX' }, 'valid', { kind: 'not_confirmed' }],
  ])('%s', (_name, fields, sig, expected) => {
    expect(fromChangeResponse(res(fields), sig as 'valid', ref)).toMatchObject(expected);
  });

  it('the refunded payment is described from the answer', () => {
    expect(refundedPaymentOf(res({ respCode: '00', origRespCode: '00', txnAmt: '1999', transactionId: 'T1', payTime: '20261122100005' }), ref)).toMatchObject({
      state: 'paid',
      amount: 1999,
      providerTradeNo: 'T1',
      paidAt: T0 + 5000,
      providerMessage: expect.stringMatching(/refunded by the reverse/),
    });
  });
});

describe('fromNotification (assumed fields)', () => {
  const paid = { acqSpId: 'Y000000001', acqMerId: '30000064', orderNo: 'PQ20261122A1', txnAmt: '1999', transactionId: 'T1', respCode: '00', respMsg: '支付成功', payTime: '20261122100010', sign: 'x' };
  it('00 → paid', () => {
    expect(fromNotification(paid)).toEqual({
      status: {
        state: 'paid',
        outTradeNo: 'PQ20261122A1',
        amount: 1999,
        currency: 'CNY',
        merchantId: '30000064',
        providerTradeNo: 'T1',
        paidAt: T0 + 10_000,
        providerCode: 'respCode=00',
        providerMessage: '支付成功',
      },
    });
  });
  it.each<[string, Record<string, string>, object]>([
    ['a failure', { ...paid, respCode: '01', respMsg: '用户取消支付' }, { status: expect.objectContaining({ state: 'failed', providerMessage: '用户取消支付' }) }],
    ['still paying', { ...paid, respCode: '62' }, { status: expect.objectContaining({ state: 'pending', progress: 'password_entry' }) }],
    ['paid without txnAmt', { ...paid, txnAmt: '' }, { malformed: expect.stringMatching(/txnAmt/) }],
    ['no orderNo', { ...paid, orderNo: '' }, { malformed: 'no orderNo' }],
    ['no respCode', { ...paid, respCode: '' }, { malformed: 'no respCode' }],
  ])('%s', (_name, fields, expected) => {
    expect(fromNotification(fields)).toEqual(expected);
  });
});
