import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../core/money';
import { seededRandom } from '../../core/random';
import { paymentInputs, T0 } from '../testing/fixtures';
import type { CreatePaymentInput } from '../types';
import { SCANFORPAY_CODES, SCANFORPAY_PAY_STATUS } from './status';
import {
  fromCreateResponse,
  fromNotification,
  fromOrderAmount,
  fromQueryResponse,
  parseIsoTime,
  scanforpayWalletFor,
  toCreateRequest,
  toOrderAmount,
  toQueryRequest,
  truncateText,
  uuidV4,
} from './transform';
import { scanforpayCreateBodySchema, scanforpayNotificationSchema, scanforpayRequestHeaderSchema, scanforpayResponseSchema, type ScanforpayResponse } from './wire';

const merchant = { partnerNo: '10001', storeNo: '100010000000002', currency: 'CNY' };
const REQ_MSG_ID = '615c1195-0cd0-421c-b612-538bf03eabc7';

const input = paymentInputs({ outTradeNo: 'PQ20261122A01', channel: 'alipay', expiresAt: T0 + 10 * 60_000, notifyUrl: 'https://shop.example/api/notify/scanforpay' });

const answer = (body: Record<string, unknown>, header: Record<string, unknown> = { partnerNo: '10001', respTime: '2026-11-22T10:00:01+08:00', signType: 'SHA256', version: '1.0' }): ScanforpayResponse =>
  scanforpayResponseSchema.parse({ header, body });

describe('scanforpay transform: money in the store currency', () => {
  it('CNY: ¥19.99 is orderAmount 1999, and back', () => {
    expect(toOrderAmount({ amount: 1999, currency: 'CNY' }, 'CNY')).toBe(1999);
    expect(fromOrderAmount(1999, 'CNY')).toEqual({ amount: 1999, currency: 'CNY' });
    expect(formatMoney(fromOrderAmount(1999, 'CNY'))).toBe('¥19.99');
  });

  it('JPY (no decimals): ¥2000 is orderAmount 2000, and back (seed: 日元100表示100日元)', () => {
    expect(toOrderAmount({ amount: 2000, currency: 'JPY' }, 'JPY')).toBe(2000);
    expect(fromOrderAmount(2000, 'JPY')).toEqual({ amount: 2000, currency: 'JPY' });
    expect(formatMoney(fromOrderAmount(2000, 'JPY'))).toBe('JPY 2000');
  });

  it('refuses another currency than the store’s, fractions, zero and amounts beyond the seed’s int', () => {
    expect(() => toOrderAmount({ amount: 2000, currency: 'JPY' }, 'CNY')).toThrow(/CNY only/);
    expect(() => toOrderAmount({ amount: 19.99, currency: 'CNY' }, 'CNY')).toThrow(/positive integer/);
    expect(() => toOrderAmount({ amount: 0, currency: 'CNY' }, 'CNY')).toThrow(/positive integer/);
    expect(() => toOrderAmount({ amount: 2_147_483_648, currency: 'CNY' }, 'CNY')).toThrow(/int/);
    expect(() => toOrderAmount({ amount: 1, currency: 'XYZ' }, 'XYZ')).toThrow(/unsupported currency/);
    expect(() => fromOrderAmount(1.5, 'CNY')).toThrow();
  });
});

describe('scanforpay transform: requests', () => {
  it('maps wechat/alipay × qr to the seed wallets, and nothing else', () => {
    expect(scanforpayWalletFor('wechat', 'qr')).toBe('Wechat');
    expect(scanforpayWalletFor('alipay', 'qr')).toBe('Alipay');
    expect(() => scanforpayWalletFor('unionpay', 'qr')).toThrow(/does not support the unionpay channel/);
    expect(() => scanforpayWalletFor('ecny', 'qr')).toThrow(/ecny/);
    expect(() => scanforpayWalletFor('alipay', 'jsapi')).toThrow(/Transaction QR only/);
    expect(() => scanforpayWalletFor('wechat', 'h5')).toThrow(/Transaction QR only/);
  });

  it('builds the seed request: header (GMT+8 time, SHA256, 1.0, reqMsgId) and body in the seed order', () => {
    const { request, expiry } = toCreateRequest(input(), merchant, { now: T0 + 5_000, reqMsgId: REQ_MSG_ID });
    expect(JSON.stringify(request)).toBe(
      '{"header":{"requestTime":"2026-11-22T10:00:05+08:00","partnerNo":"10001","signType":"SHA256","version":"1.0","reqMsgId":"615c1195-0cd0-421c-b612-538bf03eabc7"},' +
        '"body":{"storeNo":"100010000000002","partnerOrderNo":"PQ20261122A01","wallet":"Alipay","orderAmount":1999,"orderTitle":"一杯咖啡","notifyUrl":"https://shop.example/api/notify/scanforpay","qr_code_it_b_pay":"10m"}}',
    );
    // 9m55s left → rounded up to 10m, counted from the QR's creation
    expect(expiry).toEqual({ field: 'qr_code_it_b_pay', value: '10m', minutes: 10, lapsesAt: T0 + 5_000 + 10 * 60_000 });
    expect(scanforpayRequestHeaderSchema.safeParse(request.header).success).toBe(true);
    expect(scanforpayCreateBodySchema.safeParse(request.body).success).toBe(true);
  });

  it('uses it_b_pay beyond 2 h, in the store currency (JPY)', () => {
    const { request } = toCreateRequest(input({ money: { amount: 2000, currency: 'JPY' }, channel: 'wechat', expiresAt: T0 + 3 * 3600_000 }), { ...merchant, currency: 'JPY' }, { now: T0, reqMsgId: REQ_MSG_ID });
    expect(request.body).toMatchObject({ wallet: 'Wechat', orderAmount: 2000, it_b_pay: '3h' });
    expect(request.body.qr_code_it_b_pay).toBeUndefined();
  });

  it('cuts orderTitle to 100 UTF-16 units without splitting a character, and omits an empty one', () => {
    const long = `${'a'.repeat(99)}😀tail`;
    expect(truncateText(long, 100)).toBe('a'.repeat(99));
    expect(truncateText('咖啡', 100)).toBe('咖啡');
    const { request } = toCreateRequest(input({ subject: long }), merchant, { now: T0, reqMsgId: REQ_MSG_ID });
    expect(request.body.orderTitle).toBe('a'.repeat(99));
    expect(toCreateRequest(input({ subject: '   ' }), merchant, { now: T0, reqMsgId: REQ_MSG_ID }).request.body).not.toHaveProperty('orderTitle');
  });

  it.each<[string, Partial<CreatePaymentInput>, RegExp]>([
    ['a 33-character order number', { outTradeNo: 'P'.repeat(33) }, /1–32 letters and digits/],
    ['an order number with a dash', { outTradeNo: 'PQ-1' }, /1–32 letters and digits/],
    ['a notifyUrl over 200 characters', { notifyUrl: `https://shop.example/${'n'.repeat(190)}` }, /at most 200/],
    ['an expired attempt', { expiresAt: T0 }, /already expired/],
    ['another currency', { money: { amount: 100, currency: 'HKD' } }, /CNY only/],
    ['the unionpay channel', { channel: 'unionpay' }, /unionpay/],
  ])('refuses %s', (_name, over, message) => {
    expect(() => toCreateRequest(input(over), merchant, { now: T0, reqMsgId: REQ_MSG_ID })).toThrow(message);
  });

  it('builds the payQuery request', () => {
    expect(toQueryRequest({ outTradeNo: 'PQ1' }, merchant, { now: T0, reqMsgId: REQ_MSG_ID })).toEqual({
      header: { requestTime: '2026-11-22T10:00:00+08:00', partnerNo: '10001', signType: 'SHA256', version: '1.0', reqMsgId: REQ_MSG_ID },
      body: { storeNo: '100010000000002', partnerOrderNo: 'PQ1' },
    });
  });

  it('reqMsgId: a v4 UUID from the injected Random (repeatable in tests)', () => {
    const a = uuidV4(seededRandom(7));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV4(seededRandom(7))).toBe(a);
    expect(uuidV4(seededRandom(8))).not.toBe(a);
  });
});

describe('scanforpay transform: create answers', () => {
  const ctx = { outTradeNo: 'PQ1', partnerNo: '10001' };
  const ok = { code: 1, msg: 'success', orderNo: '2018072517535241', partnerOrderNo: 'PQ1', qrcode: 'https://qr.alipay.com/bax01968' };

  it.each<[string, ScanforpayResponse, 'valid' | 'missing' | 'invalid', object]>([
    ['verified code 1', answer(ok), 'valid', { outcome: 'created', action: { kind: 'qr', content: ok.qrcode }, providerTradeNo: ok.orderNo }],
    ['code 1 with a missing signature', answer(ok), 'missing', { outcome: 'unknown', reason: expect.stringMatching(/^missing_signature/) }],
    ['code 1 with a bad signature', answer(ok), 'invalid', { outcome: 'unknown', reason: expect.stringMatching(/^bad_signature/) }],
    ['code 1 without a qrcode', answer({ ...ok, qrcode: '' }), 'valid', { outcome: 'unknown', reason: expect.stringMatching(/without a qrcode/) }],
    ['code 1 for another order', answer({ ...ok, partnerOrderNo: 'PQ2' }), 'valid', { outcome: 'unknown', reason: expect.stringMatching(/another order/) }],
    ['code 1 for another partner', answer(ok, { partnerNo: '10002' }), 'valid', { outcome: 'unknown', reason: expect.stringMatching(/another partner/) }],
    ['code 21 (result unknown)', answer({ code: 21, msg: '结果未知' }), 'valid', { outcome: 'unknown', reason: 'result unknown (code=21 msg=结果未知)' }],
    ['code 8 (signature invalid), signed', answer({ code: 8, msg: '签名错误' }), 'valid', { outcome: 'failed', code: '8', message: '签名错误' }],
    ['code 8, unsigned: still nothing created', answer({ code: 8, msg: '签名错误' }), 'missing', { outcome: 'failed', code: '8' }],
    ['code 31 (duplicate order), with a bad signature', answer({ code: 31, msg: '订单重复' }), 'invalid', { outcome: 'failed', code: '31' }],
    ['code 2 (assumed invalid request), unsigned', answer({ code: 2, msg: '参数错误' }), 'missing', { outcome: 'failed', code: '2' }],
    ['code 30, signed', answer({ code: 30, msg: '订单不存在' }), 'valid', { outcome: 'failed', code: '30' }],
    ['code 30, unsigned', answer({ code: 30 }), 'missing', { outcome: 'unknown' }],
    ['an unlisted code, signed (其他为交易失败)', answer({ code: 99, msg: '风控拦截' }), 'valid', { outcome: 'failed', code: '99', message: '风控拦截' }],
    ['an unlisted code, unsigned', answer({ code: 99 }), 'missing', { outcome: 'unknown' }],
    ['code as a digit string', answer({ ...ok, code: '1' }), 'valid', { outcome: 'created' }],
  ])('%s', (_name, res, signature, expected) => {
    expect(fromCreateResponse(res, signature, ctx)).toEqual(expect.objectContaining(expected));
  });

  it('lists every documented code', () => {
    expect(Object.keys(SCANFORPAY_CODES).map(Number)).toEqual([1, 2, 8, 21, 30, 31]);
    expect(SCANFORPAY_PAY_STATUS).toEqual({ 0: 'pending', 1: 'paid', 2: 'failed', 3: 'refunded' });
  });
});

describe('scanforpay transform: query answers and notifications', () => {
  const ref = { outTradeNo: 'PQ1' };
  const paid = { code: 1, msg: 'success', storeNo: '100010000000002', partnerOrderNo: 'PQ1', orderNo: '2026112210000001', wallet: 'Alipay', status: 1, orderAmount: 1999, currency: 'CNY', payTime: '2026-11-22T10:03:00+08:00' };

  it.each<[string, ScanforpayResponse, 'valid' | 'missing' | 'invalid', object]>([
    [
      'paid',
      answer(paid),
      'valid',
      { state: 'paid', outTradeNo: 'PQ1', amount: 1999, currency: 'CNY', merchantId: '100010000000002', providerTradeNo: '2026112210000001', paidAt: T0 + 3 * 60_000, providerCode: 'status=1', extra: { wallet: 'Alipay' } },
    ],
    ['unpaid', answer({ ...paid, status: 0, payTime: undefined }), 'valid', { state: 'pending', amount: 1999 }],
    ['failed', answer({ ...paid, status: 2 }), 'valid', { state: 'failed' }],
    ['refunded', answer({ ...paid, status: 3 }), 'valid', { state: 'refunded', paidAt: T0 + 3 * 60_000 }],
    ['an unlisted status', answer({ ...paid, status: 7 }), 'valid', { state: 'unknown', providerMessage: expect.stringMatching(/unexpected status 7/) }],
    ['no status', answer({ ...paid, status: undefined }), 'valid', { state: 'unknown' }],
    ['paid without an amount', answer({ ...paid, orderAmount: undefined }), 'valid', { state: 'unknown', providerMessage: expect.stringMatching(/without orderAmount/) }],
    ['paid, unsigned', answer(paid), 'missing', { state: 'unknown', providerMessage: expect.stringMatching(/missing_signature/) }],
    ['paid, bad signature', answer(paid), 'invalid', { state: 'unknown' }],
    ['another order', answer({ ...paid, partnerOrderNo: 'PQ2' }), 'valid', { state: 'unknown', providerMessage: expect.stringMatching(/another order/) }],
    ['another partner', answer(paid, { partnerNo: '9' }), 'valid', { state: 'unknown', providerMessage: expect.stringMatching(/another partner/) }],
    ['code 30', answer({ code: 30, msg: '订单不存在' }), 'valid', { state: 'not_found', outTradeNo: 'PQ1', providerCode: 'code=30' }],
    ['code 21', answer({ code: 21 }), 'valid', { state: 'unknown' }],
    ['code 8', answer({ code: 8 }), 'valid', { state: 'unknown' }],
    ['JPY stated by the provider', answer({ ...paid, currency: 'JPY', orderAmount: 2000 }), 'valid', { state: 'paid', amount: 2000, currency: 'JPY' }],
    ['no currency: the store’s', answer({ ...paid, currency: undefined }), 'valid', { state: 'paid', currency: 'CNY' }],
  ])('query: %s', (_name, res, signature, expected) => {
    expect(fromQueryResponse(res, signature, ref, merchant)).toEqual(expect.objectContaining(expected));
  });

  const notification = (body: Record<string, unknown>, header: Record<string, unknown> = { partnerNo: '10001' }) => scanforpayNotificationSchema.parse({ header, body });
  const paidBody = { storeNo: '100010000000002', partnerOrderNo: 'PQ1', orderNo: 'SFP1', wallet: 'Wechat', orderAmount: 2000, currency: 'JPY', status: 1, payTime: '2026-11-22T10:03:00+08:00' };

  it('notification: paid, in the currency it states', () => {
    expect(fromNotification(notification(paidBody), { partnerNo: '10001', currency: 'JPY' })).toEqual({
      status: { state: 'paid', outTradeNo: 'PQ1', amount: 2000, currency: 'JPY', merchantId: '100010000000002', providerTradeNo: 'SFP1', paidAt: T0 + 3 * 60_000, providerCode: 'status=1', extra: { wallet: 'Wechat' } },
    });
  });

  it('notification: a currency other than the store’s is reported as is (the ledger refuses it)', () => {
    const r = fromNotification(notification({ ...paidBody, currency: 'USD' }), { partnerNo: '10001', currency: 'JPY' });
    expect('status' in r && r.status.currency).toBe('USD');
  });

  it('notification: refused when paid without an amount, for another partner, or without an order number', () => {
    expect(fromNotification(notification({ ...paidBody, orderAmount: undefined }), merchant)).toEqual({ malformed: 'paid notification without orderAmount' });
    expect(fromNotification(notification(paidBody, { partnerNo: '10002' }), merchant)).toMatchObject({ malformed: expect.stringMatching(/another partner/) });
    expect(fromNotification(notification({ ...paidBody, partnerOrderNo: '' }), merchant)).toEqual({ malformed: 'no partnerOrderNo' });
    expect(fromNotification(notification({ ...paidBody, status: 2 }), merchant)).toMatchObject({ status: { state: 'failed' } });
    expect(fromNotification(notification({ ...paidBody, status: 9 }), merchant)).toMatchObject({ status: { state: 'unknown' } });
  });

  it('reads ISO 8601 times with their offset, and nothing else', () => {
    expect(parseIsoTime('2026-11-22T10:03:00+08:00')).toBe(T0 + 3 * 60_000);
    expect(parseIsoTime('2026-11-22T02:03:00Z')).toBe(T0 + 3 * 60_000);
    expect(parseIsoTime('2026-11-22 10:03:00')).toBeUndefined();
    expect(parseIsoTime('20261122100300')).toBeUndefined();
    expect(parseIsoTime('2026-13-45T10:03:00+08:00')).toBeUndefined();
    expect(parseIsoTime(undefined)).toBeUndefined();
  });
});
