import { describe, expect, it } from 'vitest';
import { PayQrError } from '../../core/errors';
import { paymentInputs, T0 } from '../testing/fixtures';
import { NotSupportedError, type CreatePaymentInput } from '../types';
import {
  fromActivescanResponse,
  fromApisyncResponse,
  fromNotification,
  parseUmfMofunAmount,
  toActivescanParams,
  toApisyncParams,
  toNotifyAck,
  umfMofunExpairSeconds,
  umfMofunGoodsInfo,
  umfMofunOrderDates,
  umfMofunOrderLapsed,
  umfMofunPayTypeFor,
  umfMofunPayerAction,
  UMF_MOFUN_LAPSE_AFTER_MS,
} from './transform';
import { umfMofunNotifyUrlProblem, umfMofunActivescanRequestSchema, type UmfMofunActivescanResponse } from './wire';

const MERCHANT = { proxyId: '0049', subMerId: '30000102' };

const input = paymentInputs({ notifyUrl: 'https://pay.example.com/api/notify/umf-mofun' });

describe('umf-mofun transform: activescan request', () => {
  it('maps an attempt to the seed fields: fen as a string, GMT+8 date and time from "now", clamped expairTime', () => {
    // "now" is 23:59:59.500 UTC = 07:59:59 next day in Beijing
    const now = Date.UTC(2026, 10, 22, 23, 59, 59, 500);
    const p = toActivescanParams(input(), MERCHANT, now);
    expect(p).toEqual({
      partnerOrderId: 'PQ20261122A1',
      subMerId: '30000102',
      amount: '1999',
      payType: 'WX',
      proxyId: '0049',
      apiVersion: '1.0',
      reqDate: '20261123',
      reqTime: '075959',
      goodsInfo: '一杯咖啡',
      expairTime: '900',
      notifyUrl: 'https://pay.example.com/api/notify/umf-mofun',
    });
    // what we build passes the simulator's reading of the seed table (with a sign)
    expect(umfMofunActivescanRequestSchema.safeParse({ ...p, sign: 'x'.repeat(172) }).success).toBe(true);
  });

  it.each<[string, number, number]>([
    ['a 2-minute attempt → 300 (the floor UMF applies anyway)', 120_000, 300],
    ['exactly 300 s', 300_000, 300],
    ['10 minutes', 600_000, 600],
    ['fractions round down', 600_999, 600],
    ['exactly 1800 s', 1_800_000, 1800],
    ['2 hours → 1800 (the ceiling)', 7_200_000, 1800],
  ])('expairTime: %s', (_name, lifetime, expected) => {
    expect(umfMofunExpairSeconds(T0, T0 + lifetime)).toBe(expected);
  });

  it.each<[string, Partial<CreatePaymentInput>, RegExp]>([
    ['a dash in the order number', { outTradeNo: 'PQ-1' }, /partnerOrderId/],
    ['a 33-character order number', { outTradeNo: 'P'.repeat(33) }, /partnerOrderId/],
    ['a fractional amount', { money: { amount: 19.99, currency: 'CNY' } }, /fen/],
    ['a zero amount', { money: { amount: 0, currency: 'CNY' } }, /fen/],
    ['a 14-digit amount', { money: { amount: 10_000_000_000_000, currency: 'CNY' } }, /13 digits/],
    ['expiry before creation', { expiresAt: T0 }, /expiresAt/],
    ['a notify URL with an underscore', { notifyUrl: 'https://pay.example.com/api/notify_umf' }, /notifyUrl contains "_"/],
    ['a notify URL with an escape', { notifyUrl: 'https://pay.example.com/n?x=%3C' }, /URL-encoded/],
    ['a notify URL without scheme', { notifyUrl: 'pay.example.com/n' }, /http/],
  ])('refuses %s', (_name, over, message) => {
    expect(() => toActivescanParams(input(over), MERCHANT, T0)).toThrow(PayQrError);
    expect(() => toActivescanParams(input(over), MERCHANT, T0)).toThrow(message);
  });

  it('refuses other currencies and channel × scene pairs it does not serve', () => {
    expect(() => toActivescanParams(input({ money: { amount: 100, currency: 'JPY' } }), MERCHANT, T0)).toThrow(NotSupportedError);
    expect(() => toActivescanParams(input({ channel: 'ecny' }), MERCHANT, T0)).toThrow(NotSupportedError);
    expect(() => toActivescanParams(input({ scene: 'h5' }), MERCHANT, T0)).toThrow(/wechat × h5/);
    expect(() => toActivescanParams(input({ channel: 'alipay', scene: 'jsapi' }), MERCHANT, T0)).toThrow(NotSupportedError);
    expect(() => toActivescanParams(input({ channel: 'unionpay', scene: 'micropay' }), MERCHANT, T0)).toThrow(NotSupportedError);
  });

  it('payType: WX / AL / YL; UnionPay also in h5 and jsapi', () => {
    expect(umfMofunPayTypeFor('wechat', 'qr')).toBe('WX');
    expect(umfMofunPayTypeFor('alipay', 'qr')).toBe('AL');
    expect(umfMofunPayTypeFor('unionpay', 'qr')).toBe('YL');
    expect(umfMofunPayTypeFor('unionpay', 'h5')).toBe('YL');
    expect(umfMofunPayTypeFor('unionpay', 'jsapi')).toBe('YL');
  });

  it('payer action: the QR content in qr; an https link opened as h5 in h5 and jsapi', () => {
    const url = 'https://qr.95516.com/00010000/01234';
    expect(umfMofunPayerAction('qr', 'weixin://wxpay/bizpayurl?pr=x')).toEqual({ kind: 'qr', content: 'weixin://wxpay/bizpayurl?pr=x' });
    expect(umfMofunPayerAction('h5', url)).toEqual({ kind: 'h5', url });
    expect(umfMofunPayerAction('jsapi', url)).toEqual({ kind: 'h5', url });
    expect(umfMofunPayerAction('h5', 'weixin://wxpay/bizpayurl?pr=x')).toBeUndefined();
  });

  it('goodsInfo: trimmed and cut by whole characters to 128 UTF-8 bytes; the order number when empty', () => {
    expect(umfMofunGoodsInfo('  咖啡 ', 'PQ1')).toBe('咖啡');
    expect(umfMofunGoodsInfo('   ', 'PQ1')).toBe('PQ1');
    const cut = umfMofunGoodsInfo('咖'.repeat(50), 'PQ1');
    expect(cut).toBe('咖'.repeat(42));
    expect(Buffer.byteLength(cut)).toBe(126);
    expect(umfMofunGoodsInfo('a'.repeat(200), 'PQ1')).toHaveLength(128);
    expect(umfMofunGoodsInfo(`${'a'.repeat(126)}😀`, 'PQ1')).toBe('a'.repeat(126));
  });

  it.each<[string, string | undefined]>([
    ['https://pay.example.com/api/notify/umf-mofun', undefined],
    ['http://192.168.1.20:3000/api/notify/umf-mofun', undefined],
    ['https://pay.example.com/n?a=1&b=2', undefined],
    ['HTTPS://PAY.EXAMPLE.COM/N', undefined],
    ['ftp://pay.example.com/n', 'must start with http:// or https://'],
    ['https://pay.example.com/n#frag', 'contains "#": only letters, digits and / & % ? = (plus . : - for the host) are supported'],
    ['https://pay.example.com/<script>', 'contains "<": only letters, digits and / & % ? = (plus . : - for the host) are supported'],
    ['https://pay.example.com/n?x=%3C', 'contains a URL-encoded character (such as %3C), which is not supported'],
    [`https://pay.example.com/${'a'.repeat(240)}`, 'longer than 256 characters'],
  ])('notifyUrl rule: %s', (url, problem) => {
    expect(umfMofunNotifyUrlProblem(url)).toBe(problem);
  });
});

describe('umf-mofun transform: activescan answer', () => {
  const ok: UmfMofunActivescanResponse = {
    retCode: '0000',
    Memo: '成功',
    tradeNo: '2026112200000001',
    platDate: '20261122',
    amount: '1999',
    payType: 'WX',
    feeUrl: 'weixin://wxpay/bizpayurl?pr=abc',
    partnerOrderId: 'PQ20261122A1',
  };
  const ctx = { outTradeNo: 'PQ20261122A1', amount: 1999, payType: 'WX' as const, scene: 'qr' as const };

  it('a verified 0000 about our order → created with feeUrl and tradeNo', () => {
    expect(fromActivescanResponse(ok, 'valid', ctx)).toEqual({ outcome: 'created', action: { kind: 'qr', content: ok.feeUrl }, providerTradeNo: ok.tradeNo });
    const yl = { ...ok, payType: 'YL', feeUrl: 'https://qr.95516.com/00010000/1' };
    expect(fromActivescanResponse(yl, 'valid', { ...ctx, payType: 'YL', scene: 'h5' })).toMatchObject({ outcome: 'created', action: { kind: 'h5', url: yl.feeUrl } });
  });

  it.each<[string, Partial<UmfMofunActivescanResponse>, 'valid' | 'missing' | 'invalid', object]>([
    ['unsigned', {}, 'missing', { outcome: 'unknown', reason: expect.stringMatching(/^missing_signature on retCode=0000/) }],
    ['badly signed', {}, 'invalid', { outcome: 'unknown', reason: expect.stringMatching(/^bad_signature/) }],
    ['a badly signed refusal', { retCode: '00001001', feeUrl: '' }, 'invalid', { outcome: 'unknown' }],
    ['another order', { partnerOrderId: 'PQ0000' }, 'valid', { outcome: 'unknown', reason: expect.stringMatching(/another order/) }],
    ['another amount', { amount: '1' }, 'valid', { outcome: 'unknown', reason: expect.stringMatching(/another amount/) }],
    ['another payType', { payType: 'AL' }, 'valid', { outcome: 'unknown', reason: expect.stringMatching(/payType/) }],
    ['no feeUrl', { feeUrl: '' }, 'valid', { outcome: 'unknown', reason: 'accepted without a feeUrl' }],
    ['param error', { retCode: '00001001', Memo: '参数错误', feeUrl: '' }, 'valid', { outcome: 'failed', code: '00001001', message: '参数错误' }],
    ['sign error', { retCode: '00001002', Memo: '验签失败', feeUrl: '' }, 'valid', { outcome: 'failed', code: '00001002' }],
    ['unknown merchant, no Memo', { retCode: '00001003', Memo: undefined, feeUrl: '' }, 'valid', { outcome: 'failed', code: '00001003', message: 'retCode=00001003' }],
    ['a duplicate number', { retCode: '00001004', feeUrl: '' }, 'valid', { outcome: 'unknown' }],
    ['processing', { retCode: '00009998', feeUrl: '' }, 'valid', { outcome: 'unknown', reason: expect.stringMatching(/00009998/) }],
    ['system busy', { retCode: '00009999', feeUrl: '' }, 'valid', { outcome: 'unknown' }],
    ['an unlisted code', { retCode: '12345678', feeUrl: '' }, 'valid', { outcome: 'unknown' }],
  ])('%s', (_name, over, signature, expected) => {
    expect(fromActivescanResponse({ ...ok, ...over }, signature, ctx)).toEqual(expect.objectContaining(expected));
  });
});

describe('umf-mofun transform: apisync', () => {
  const ref = { outTradeNo: 'PQ20261122A1' };
  const order = { subMerId: '30000102', partnerOrderId: 'PQ20261122A1', orderDate: '20261122', amount: '1999', payType: 'YL', tradeNo: '2026112200000001', platDate: '20261122' };

  it('builds the documented request', () => {
    expect(toApisyncParams(ref, MERCHANT, '20261122')).toEqual({ subMerId: '30000102', proxyId: '0049', partnerOrderId: 'PQ20261122A1', orderDate: '20261122', apiVersion: '1.0' });
  });

  it('0000 → paid with amount, merchant, trade number and the GMT+8 paid time', () => {
    expect(fromApisyncResponse({ retCode: '0000', retMsg: '支付成功', ...order, payDate: '20261122', payTime: '100503' }, 'valid', ref)).toEqual({
      state: 'paid',
      outTradeNo: 'PQ20261122A1',
      amount: 1999,
      currency: 'CNY',
      merchantId: '30000102',
      providerTradeNo: '2026112200000001',
      paidAt: Date.UTC(2026, 10, 22, 2, 5, 3),
      providerCode: '0000',
      providerMessage: '支付成功',
      extra: { payType: 'YL', platDate: '20261122', orderDate: '20261122' },
    });
  });

  it.each<[string, string, object]>([
    ['01000000', 'pending', {}],
    ['02000000', 'pending', {}],
    ['03000000', 'pending', {}],
    ['04000000', 'closed', {}],
    ['05000000', 'failed', {}],
    ['06000000 (later in the family: "others after that")', 'closed', {}],
    ['00001005', 'not_found', {}],
    ['00001002', 'unknown', {}],
    ['00009999', 'unknown', {}],
    ['99', 'unknown', {}],
  ])('retCode %s → %s', (code, state) => {
    expect(fromApisyncResponse({ retCode: code.split(' ')[0]!, ...order }, 'valid', ref)).toMatchObject({ state, providerCode: code.split(' ')[0] });
  });

  it('never believes an unverified or foreign answer, nor a paid one without a usable amount', () => {
    expect(fromApisyncResponse({ retCode: '0000', ...order }, 'invalid', ref)).toMatchObject({ state: 'unknown', providerMessage: expect.stringMatching(/bad_signature/) });
    expect(fromApisyncResponse({ retCode: '0000', ...order }, 'missing', ref)).toMatchObject({ state: 'unknown' });
    expect(fromApisyncResponse({ retCode: '0000', ...order, partnerOrderId: 'OTHER' }, 'valid', ref)).toMatchObject({ state: 'unknown', outTradeNo: 'PQ20261122A1' });
    expect(fromApisyncResponse({ retCode: '0000', ...order, amount: '19.99' }, 'valid', ref)).toMatchObject({ state: 'unknown', providerMessage: expect.stringMatching(/amount/) });
    expect(fromApisyncResponse({ retCode: '0000', ...order, amount: undefined }, 'valid', ref)).toMatchObject({ state: 'unknown' });
  });

  it('an invalid paid time is left out rather than guessed', () => {
    const st = fromApisyncResponse({ retCode: '0000', ...order, payDate: '20261340', payTime: '100503' }, 'valid', ref);
    expect(st.state).toBe('paid');
    expect(st.paidAt).toBeUndefined();
  });
});

describe('umf-mofun transform: notification and reply', () => {
  const n = { funCode: 'PayResultNotify', subMerId: '30000102', partnerOrderId: 'PQ20261122A1', orderDate: '20261122', amount: '1999', payType: 'WX', tradeState: 'TRADE_SUCCESS', tradeNo: 'T1' };

  it.each<[string, string]>([
    ['TRADE_SUCCESS', 'paid'],
    ['TRADE_FAIL', 'failed'],
    ['TRADE_CLOSED', 'closed'],
    ['WAIT_BUYER_PAY', 'pending'],
    ['SOMETHING_NEW', 'unknown'],
  ])('tradeState %s → %s', (tradeState, state) => {
    expect(fromNotification({ ...n, tradeState })).toEqual({
      status: expect.objectContaining({ state, outTradeNo: 'PQ20261122A1', amount: 1999, merchantId: '30000102', providerTradeNo: 'T1', providerCode: `tradeState=${tradeState}` }),
    });
  });

  it('refuses notifications it cannot use', () => {
    const { partnerOrderId: _p, ...noOrder } = n;
    expect(fromNotification(noOrder)).toEqual({ malformed: 'no partnerOrderId' });
    expect(fromNotification({ ...n, funCode: 'RefundNotify' })).toMatchObject({ malformed: expect.stringMatching(/funCode/) });
    expect(fromNotification({ ...n, amount: '' })).toMatchObject({ malformed: expect.stringMatching(/amount/) });
    expect(fromNotification({ ...n, amount: '-1' })).toMatchObject({ malformed: expect.stringMatching(/amount/) });
  });

  it('accepted reply: funCode, GMT+8 reqDate/reqTime, the order and its date, 0000', () => {
    expect(toNotifyAck('accepted', { outTradeNo: 'PQ20261122A1', orderDate: '20261121', now: T0 })).toEqual({
      funCode: 'PayResultNotify',
      reqDate: '20261122',
      reqTime: '100000',
      partnerOrderId: 'PQ20261122A1',
      orderDate: '20261121',
      retCode: '0000',
      retMsg: '成功',
    });
  });

  it('rejected reply: the same constant fields whatever the context', () => {
    const a = toNotifyAck('rejected', { outTradeNo: 'PQ1', orderDate: '20261122', now: T0 });
    expect(a).toEqual({ funCode: 'PayResultNotify', retCode: '9999', retMsg: '处理失败' });
    expect(toNotifyAck('rejected', { now: T0 + 86_400_000 })).toEqual(a);
  });
});

describe('umf-mofun transform: amounts, dates and lapse', () => {
  it.each<[string | undefined, number | undefined]>([
    ['1999', 1999],
    ['0', 0],
    ['9999999999999', 9_999_999_999_999],
    ['01999', undefined],
    ['19.99', undefined],
    ['', undefined],
    ['1e3', undefined],
    [undefined, undefined],
  ])('amount %j → %j fen', (text, fen) => {
    expect(parseUmfMofunAmount(text)).toBe(fen);
  });

  it('orderDate: the GMT+8 creation date, and the next day too within a minute of Beijing midnight', () => {
    expect(umfMofunOrderDates(T0)).toEqual(['20261122']);
    // 2026-11-22 23:59:30 in Beijing
    expect(umfMofunOrderDates(Date.UTC(2026, 10, 22, 15, 59, 30))).toEqual(['20261122', '20261123']);
    // 16:00 UTC is already the next day in Beijing
    expect(umfMofunOrderDates(Date.UTC(2026, 10, 22, 16, 0, 0))).toEqual(['20261123']);
  });

  it('an order counts as lapsed one hour after creation (1800 s QR life + 1800 s payment window)', () => {
    expect(UMF_MOFUN_LAPSE_AFTER_MS).toBe(3_600_000);
    expect(umfMofunOrderLapsed(T0, T0 + 3_599_999)).toBe(false);
    expect(umfMofunOrderLapsed(T0, T0 + 3_600_000)).toBe(true);
  });
});
